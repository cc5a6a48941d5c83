package study

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// The interaction is the paired difference of the per-seed differences: by hand, d(low) = a - b =
// (0.1, 0.2, 0.3), d(high) = (0, 0.1, 0.1), so d(low) - d(high) = (0.1, 0.1, 0.2): mean 0.1333, sd 0.0577,
// t = 0.1333 / (0.0577 / sqrt 3) = 4.0 on 2 degrees of freedom.
func TestRateInteraction(t *testing.T) {
	plans := map[string]TunedPlan{}
	for _, p := range TunedPlans() {
		plans[p.Name] = p
	}
	low, high := plans["populations-lif-cap-lr0.01"], plans["populations-lif-cap-lr0.0316228"]
	if !low.tuning().Fixed() || !high.tuning().Fixed() || low.Tuning.Grid[0] != 0.01 || high.Tuning.Grid[0] != 0.0316228 {
		t.Fatalf("the fixed-rate plans: grids %v and %v", low.Tuning.Grid, high.Tuning.Grid)
	}
	seeds := []uint64{11, 12, 13}
	low.TestSeeds, high.TestSeeds = seeds, seeds
	lo := Outcome{Plan: low, Rules: low.Rules(), Test: map[string][]float64{"a": {0.6, 0.7, 0.8}, "b": {0.5, 0.5, 0.5}}}
	hi := Outcome{Plan: high, Rules: high.Rules(), Test: map[string][]float64{"a": {0.5, 0.5, 0.6}, "b": {0.5, 0.4, 0.5}}}
	cs, err := RateInteraction(lo, hi, [][2]string{{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
	if c.A != "a - b at 0.01" || c.B != "a - b at 0.0316228" {
		t.Errorf("names %q, %q", c.A, c.B)
	}
	near(t, "interaction", c.Paired.CI.Mean, 0.4/3, 1e-12)
	near(t, "t", c.Paired.T, 4, 1e-9)
	// Two-sided p for t = 4 on 2 degrees of freedom: 1 - 4/sqrt(2 + 16) (the t(2) CDF is 1/2 + t/(2 sqrt(2 + t^2))),
	// 0.0572: above 0.05, so not distinguishable.
	near(t, "p", c.Paired.P, 1-4/math.Sqrt(18), 1e-9)
	if c.Verdict != NotDistinguishable || c.FamilySize != 1 {
		t.Errorf("verdict %s, family %d; want not distinguishable in a family of 1", c.Verdict, c.FamilySize)
	}
	if text := RateInteractionText(cs); !strings.Contains(text, "a - b at 0.01") || !strings.Contains(text, "one Holm family") ||
		!strings.Contains(text, "The equivalence margin (±3 points) is the plans' margin for one difference") {
		t.Errorf("text: %s", text)
	}
	// Means near chance (8.3%) are differences here, not accuracies: no floor.
	lo.Test = map[string][]float64{"a": {0.18, 0.19, 0.2}, "b": {0.1, 0.1, 0.1}}
	hi.Test = map[string][]float64{"a": {0.18, 0.18, 0.19}, "b": {0.1, 0.1, 0.1}}
	if cs, err := RateInteraction(lo, hi, [][2]string{{"a", "b"}}); err != nil || cs[0].Verdict == Floor {
		t.Errorf("differences near 0.083: verdict %v, %v", cs, err)
	}
	// Refused: a tuned plan, the same rate twice, other test seeds, a pair one plan lacks.
	tuned := lo
	tuned.Plan = plans["populations-lif-cap"]
	other := hi
	other.Plan.TestSeeds = []uint64{21, 22, 23}
	for name, args := range map[string][2]Outcome{"tuned plan": {tuned, hi}, "same rate": {lo, lo}, "other seeds": {lo, other}, "high rate first": {hi, lo}} {
		if _, err := RateInteraction(args[0], args[1], [][2]string{{"a", "b"}}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := RateInteraction(lo, hi, [][2]string{{"a", "c"}}); err == nil || !strings.Contains(err.Error(), "no paired test runs of a and c") {
		t.Errorf("missing condition: %v", err)
	}
}

// A fixed-rate plan does not tune: its "tuning" runs every condition at the one rate on the tuning seeds,
// selects it with no extension and no note about a grid edge, and its description says so. A one-rate grid
// that may be extended is refused.
func TestFixedRatePlan(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	p := TunedPlan{Name: "fixed", Cache: "fixed", Conditions: []string{"abs", "relu"}, Fraction: 0.5,
		Tuning: Tuning{Grid: []float64{0.01}, Seeds: []uint64{101}}, TestSeeds: seedsFrom(11, 10), Margin: 3,
		Questions: []PlannedQuestion{{"x", [][2]string{{"relu", "abs"}}}}, Protocol: "p", Base: func() snn.Config { return base }}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	tuned, notes, err := p.Tune(context.Background(), t.TempDir(), RunOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tu := range tuned {
		if tu.Selected != 0.01 || len(tu.Curve) != 1 || tu.Extended != 0 || math.IsNaN(tu.Curve[0].Mean) {
			t.Errorf("%s: selected %v, curve %v, extended %d", tu.Condition, tu.Selected, tu.Curve, tu.Extended)
		}
	}
	for _, n := range notes {
		if strings.Contains(n, "edge") {
			t.Errorf("a fixed rate has no grid edge: note %q", n)
		}
	}
	if d := p.Describe(); !strings.Contains(d, "No tuning: every condition at the fixed learning rate 0.01") || strings.Contains(d, "selected on") {
		t.Errorf("description: %s", d)
	}
	q := p
	q.Tuning.MaxExtensions = 1
	if err := q.Validate(); err == nil {
		t.Error("a one-rate grid that may be extended was accepted")
	}
	q = p
	q.Tuning.SGDGrid = []float64{0.1}
	if err := q.Validate(); err == nil || !strings.Contains(err.Error(), "one fixed rate [0.01] and an SGDGrid [0.1]") {
		t.Errorf("a fixed rate with an SGD grid: %v", err)
	}
}

// TestLIFCapReplicationSeeds recomputes the replication's seed count from the committed fixed-rate plans:
// the sd of the |w| interaction's per-seed differences of differences, and the fewest seeds with which
// DetectableDifference at level 0.025 (Holm over two rules) and 80% power is at most half the interaction
// (10 points); the replication plans take exactly that many, fresh and the same in both.
func TestLIFCapReplicationSeeds(t *testing.T) {
	lo, _ := TunedPlanByName("populations-lif-cap-lr0.01")
	hi, _ := TunedPlanByName("populations-lif-cap-lr0.0316228")
	ol, _ := committedOutcome(t, lo)
	oh, _ := committedOutcome(t, hi)
	cs, err := RateInteraction(ol, oh, [][2]string{{"pop-lif-bal-cap", "pop-lif-bal"}, {"pop-lif-bal-cap-stepcorr", "pop-lif-bal-stepcorr"}})
	if err != nil {
		t.Fatal(err)
	}
	_, sd := MeanSD(cs[0].Paired.Diff)
	want := 0
	for n := 2; n < 1000; n++ {
		if d, err := DetectableDifference(sd, n, 0.025, 0.8); err == nil && d <= 0.10 {
			want = n
			break
		}
	}
	if math.Abs(sd-0.135) > 0.0005 || want == 0 {
		t.Fatalf("|w| interaction: sd %.4f (the plan says 13.5 points), %d seeds", sd, want)
	}
	for _, name := range []string{"populations-lif-cap-rep-lr0.01", "populations-lif-cap-rep-lr0.0316228"} {
		p, err := TunedPlanByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.TestSeeds) != want || !slices.Equal(p.TestSeeds, lifCapReplicationSeeds) {
			t.Errorf("%s: test seeds %v, want the %d fresh seeds of lifCapReplicationSeeds", name, p.TestSeeds, want)
		}
		for _, q := range TunedPlans() {
			if q.Name == name || strings.HasPrefix(q.Name, "populations-lif-cap-rep") {
				continue
			}
			for _, s := range q.TestSeeds {
				if slices.Contains(p.TestSeeds, s) {
					t.Errorf("%s: test seed %d is also plan %s's", name, s, q.Name)
				}
			}
		}
	}
}
