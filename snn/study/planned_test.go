package study

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestPowerGolden checks the power figures against values worked by hand. Sources: t quantiles computed
// outside Go (bisection on a Simpson integral of the t density, 6 decimals; standard tables agree): t_{0.975,9} = 2.262157, t_{0.80,9} = 0.883404, t_{0.95,9} =
// 1.833113, t_{0.90,9} = 1.383029, t_{0.95,10} = 1.812461, t_{0.90,10} = 1.372184; χ² with 2 degrees of
// freedom has the closed-form quantile -2 ln(1-p), so χ²_{0.2,2} = -2 ln 0.8 = 0.446287.
func TestPowerGolden(t *testing.T) {
	d, err := DetectableDifference(1, 10, 0.05, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	if want := (2.262157 + 0.883404) / math.Sqrt(10); math.Abs(d-want) > 1e-5 {
		t.Errorf("DetectableDifference(sd 1, 10 seeds, 0.05, 0.8) = %.6f, want %.6f", d, want)
	}
	// 10 seeds: (1.833113 + 1.383029) / sqrt(10) = 1.0170 > 1; 11 seeds: (1.812461 + 1.372184) / sqrt(11) = 0.9602.
	n, err := SeedsForEquivalence(1, 1, 0.05, 0.8)
	if err != nil || n != 11 {
		t.Errorf("SeedsForEquivalence(sd 1, margin 1, 0.05, 0.8) = %d, %v; want 11", n, err)
	}
	if n, _ := SeedsForEquivalence(1, 0.01, 0.05, 0.8); n != 0 {
		t.Errorf("SeedsForEquivalence for a margin of 1/100 sd = %d, want 0 (more than %d seeds)", n, maxSeeds)
	}
	if u, want := SDUpperBound(1, 3, 0.8), math.Sqrt(2/(-2*math.Log(0.8))); math.Abs(u-want) > 1e-9 {
		t.Errorf("SDUpperBound(1, 3 values, 0.8) = %.6f, want %.6f", u, want)
	}
	for _, bad := range []struct {
		sd           float64
		n            int
		level, power float64
		want         string
	}{
		{math.NaN(), 10, 0.05, 0.8, "standard deviation NaN"}, {1, 1, 0.05, 0.8, "1 seeds"},
		{1, 10, 0.5, 0.8, "level 0.5"}, {1, 10, 0.05, 1, "power 1"},
	} {
		if _, err := DetectableDifference(bad.sd, bad.n, bad.level, bad.power); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("DetectableDifference(%v, %d, %v, %v): error %v, want one naming %q", bad.sd, bad.n, bad.level, bad.power, err, bad.want)
		}
	}
}

// committedRun is a cache entry read straight from its JSON file, without the package's loader.
type committedRun struct {
	Condition string    `json:"condition"`
	Seed      uint64    `json:"seed"`
	Test      float64   `json:"test_accuracy"`
	Kept      int       `json:"kept_epoch"`
	Val       []float64 `json:"val_accuracy"`
	Diverged  bool      `json:"diverged"`
	Reused    string    `json:"reused_from"`
}

func readCommitted(t *testing.T, dir string) map[string]map[uint64]committedRun {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no committed runs in %s: %v", dir, err)
	}
	out := map[string]map[uint64]committedRun{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r committedRun
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if out[r.Condition] == nil {
			out[r.Condition] = map[uint64]committedRun{}
		}
		out[r.Condition][r.Seed] = r
	}
	return out
}

// holmByHand adjusts p-values by Holm's step-down rule, written out: sort ascending, multiply by (m - rank),
// running maximum, capped at 1; the adjusted values in the input's order.
func holmByHand(raw []float64) []float64 {
	order := make([]int, len(raw))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return raw[order[a]] < raw[order[b]] })
	out := make([]float64, len(raw))
	run := 0.0
	for rank, i := range order {
		run = math.Max(run, math.Min(1, float64(len(raw)-rank)*raw[i]))
		out[i] = run
	}
	return out
}

// TestPlanWideHolm checks the plan-wide note of populations-tuned against a reviewer's independent
// recomputation (Python, Holm over the plan's 14 comparisons from the cache files, 2026-12-05): three
// verdicts "lower" under one family per question are not distinguishable in one family of 14, at Holm p
// 0.121 (pop-abs vs both), 0.092 (pop-clip vs both) and 0.105 (pop-wiggle vs both).
func TestPlanWideHolm(t *testing.T) {
	p, err := TunedPlanByName("populations-tuned")
	if err != nil {
		t.Fatal(err)
	}
	o, _ := committedOutcome(t, p)
	wide, err := o.PlanWide()
	if err != nil {
		t.Fatal(err)
	}
	if len(wide) != 14 {
		t.Errorf("%d comparisons, want 14", len(wide))
	}
	want := map[string]float64{"pop-abs vs both": 0.121, "pop-clip vs both": 0.092, "pop-wiggle vs both": 0.105}
	per := o.Verdicts()
	changed := 0
	for _, c := range wide {
		name := c.A + " vs " + c.B
		if c.Verdict == per[name] {
			continue
		}
		changed++
		if w, ok := want[name]; !ok || math.Abs(c.PAdjusted-w) > 0.0005 || per[name] != Lower || c.Verdict != NotDistinguishable {
			t.Errorf("%s: %s per question, %s (p %.4f) plan-wide; want lower -> not distinguishable at %v", name, per[name], c.Verdict, c.PAdjusted, w)
		}
	}
	if changed != len(want) {
		t.Errorf("%d verdicts change plan-wide, want %d", changed, len(want))
	}
	if text := o.Text(); !strings.Contains(text, "With all 14 comparisons of the plan in one Holm family, instead of one family per question as the plan fixed, 3 would differ: ") {
		t.Errorf("Text does not state the plan-wide check: %q", text)
	}
}

// committedOutcome is p's Outcome from the committed caches (nothing trained), with the test runs it reads.
func committedOutcome(t *testing.T, p TunedPlan) (Outcome, []RunResult) {
	t.Helper()
	tuned, test, _, err := p.Run(context.Background(), filepath.Join("..", "..", "notebooks", "results"), RunOptions{Workers: 1, CacheOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.Outcome(tuned, test)
	if err != nil {
		t.Fatal(err)
	}
	return o, test
}

// TestOutcomeOfCommittedRuns recomputes each plan's outcome independently from the committed cache
// files: the selected learning rate (highest mean validation accuracy of the kept epoch over the tuning
// seeds), the test accuracies, and every comparison's paired t p-value with Holm's adjustment, and checks
// Outcome against them.
func TestOutcomeOfCommittedRuns(t *testing.T) {
	for _, p := range TunedPlans() {
		dir := filepath.Join("..", "..", "notebooks", "results", p.Cache)
		o, _ := committedOutcome(t, p)
		// Each question says at which learning rates its conditions were compared.
		rate := "each condition at the learning rate its tuning selected"
		if p.tuning().Fixed() {
			rate = fmt.Sprintf("every condition at the fixed learning rate %g", p.Tuning.Grid[0])
		}
		if !strings.Contains(o.Text(), "margin ±3 points; "+rate+"):") {
			t.Errorf("%s: the questions do not say %q", p.Name, rate)
		}
		runs := readCommitted(t, dir)
		for _, name := range p.Reuse {
			r, _ := TunedPlanByName(name)
			for c, bySeed := range readCommitted(t, filepath.Join("..", "..", "notebooks", "results", r.Cache)) {
				runs[c] = bySeed
			}
		}
		compared, _ := p.compared()
		// The selection, from the files: every learning rate cached for the condition on all tuning seeds.
		selected := map[string]string{}
		divergedAt := map[string][]string{} // "lr (seeds s1,s2)" where tuning runs diverged
		atChance := map[string]bool{}       // no learning rate's mean of converged runs more than 2 points above 1/12
		learned := map[string]bool{}        // some tuning run did not diverge
		for _, name := range compared {
			bestMean, bestLR := -1.0, ""
			atChance[name] = true
			var lrs []string
			for cond := range runs {
				if base, lr, ok := strings.Cut(cond, "@lr="); ok && base == name {
					lrs = append(lrs, lr)
				}
			}
			sort.Slice(lrs, func(i, j int) bool { return parse(t, lrs[i]) < parse(t, lrs[j]) })
			for _, lr := range lrs {
				sum, n, conv, nConv := 0.0, 0, 0.0, 0
				var div []string
				for _, s := range p.Tuning.Seeds {
					r, ok := runs[name+"@lr="+lr][s]
					switch {
					case ok && r.Diverged: // scored 0
						n++
						div = append(div, fmt.Sprint(s))
					case ok && r.Kept >= 1:
						sum += r.Val[r.Kept-1]
						n++
						conv += r.Val[r.Kept-1]
						nConv++
					}
				}
				if n == len(p.Tuning.Seeds) && sum/float64(n) > bestMean {
					bestMean, bestLR = sum/float64(n), lr
				}
				if n == len(p.Tuning.Seeds) {
					if nConv > 0 {
						learned[name] = true
						atChance[name] = atChance[name] && conv/float64(nConv) <= 1.0/12+0.02
					}
					if div != nil {
						divergedAt[name] = append(divergedAt[name], fmt.Sprintf("%g (seeds %s)", parse(t, lr), strings.Join(div, ",")))
					}
				}
			}
			selected[name] = bestLR
			var got float64
			for _, tu := range o.Tuned {
				if tu.Condition == name {
					got = tu.Selected
				}
			}
			if math.Abs(got-parse(t, bestLR)) > 1e-12 {
				t.Errorf("plan %s: %s selected %g, the files' best mean validation accuracy is at %s", p.Name, name, got, bestLR)
			}
			for i, s := range p.TestSeeds {
				r, ok := runs[name+"@lr="+bestLR][s]
				if !ok {
					t.Fatalf("plan %s: no committed test run of %s@lr=%s seed %d", p.Name, name, bestLR, s)
				}
				if o.Test[name][i] != r.Test {
					t.Errorf("plan %s: %s seed %d test accuracy %v, the file says %v", p.Name, name, s, o.Test[name][i], r.Test)
				}
			}
		}
		if len(o.Families) != len(p.Questions) {
			t.Fatalf("plan %s: %d families for %d questions", p.Name, len(o.Families), len(p.Questions))
		}
		var wideRaw []float64 // every distinct pair's unadjusted p, in the order the questions first name them
		var widePairs [][2]string
		seenPair := map[[2]string]bool{}
		for qi, q := range p.Questions {
			f := o.Families[qi]
			if f.Title != q.Title || len(f.Comparisons) != len(q.Pairs) {
				t.Fatalf("plan %s: family %d is %q with %d comparisons, the plan says %q with %d", p.Name, qi, f.Title, len(f.Comparisons), q.Title, len(q.Pairs))
			}
			raw := make([]float64, len(q.Pairs))
			for i, pr := range q.Pairs {
				var d []float64
				for _, s := range p.TestSeeds {
					d = append(d, runs[pr[0]+"@lr="+selected[pr[0]]][s].Test-runs[pr[1]+"@lr="+selected[pr[1]]][s].Test)
				}
				mean, sd := 0.0, 0.0
				for _, v := range d {
					mean += v / float64(len(d))
				}
				for _, v := range d {
					sd += (v - mean) * (v - mean) / float64(len(d)-1)
				}
				tt := mean / math.Sqrt(sd/float64(len(d)))
				raw[i] = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}.CDF(-math.Abs(tt))
				if !seenPair[pr] {
					seenPair[pr] = true
					wideRaw, widePairs = append(wideRaw, raw[i]), append(widePairs, pr)
				}
				c := f.Comparisons[i]
				if c.A != pr[0] || c.B != pr[1] {
					t.Errorf("plan %s: comparison %d of %q is %s vs %s, the plan says %s vs %s", p.Name, i, q.Title, c.A, c.B, pr[0], pr[1])
				}
			}
			for i, want := range holmByHand(raw) {
				if got := f.Comparisons[i].PAdjusted; math.Abs(got-want) > 1e-9 {
					t.Errorf("plan %s, %q, %s vs %s: Holm-adjusted p %v, by hand %v", p.Name, q.Title, f.Comparisons[i].A, f.Comparisons[i].B, got, want)
				}
			}
		}
		// Every comparison of the plan in one Holm family (the plan-wide sensitivity check), by hand.
		wide, err := o.PlanWide()
		if err != nil || len(wide) != len(wideRaw) {
			t.Fatalf("plan %s: PlanWide: %d comparisons, %v; want the %d distinct pairs", p.Name, len(wide), err, len(wideRaw))
		}
		for i, want := range holmByHand(wideRaw) {
			if c := wide[i]; c.A != widePairs[i][0] || c.B != widePairs[i][1] || math.Abs(c.PAdjusted-want) > 1e-9 {
				t.Errorf("plan %s, plan-wide: %s vs %s Holm-adjusted p %v, by hand %s vs %s %v", p.Name, c.A, c.B, c.PAdjusted, widePairs[i][0], widePairs[i][1], want)
			}
		}
		if got := strings.Contains(o.Text(), "comparisons of the plan in one Holm family"); got != (len(p.Questions) > 1) {
			t.Errorf("plan %s (%d questions): Text states the plan-wide family: %v", p.Name, len(p.Questions), got)
		}
		text := o.Text()
		// The tuning notes, against the files: each condition's diverged tuning runs, and the conditions at
		// chance at every learning rate tried named in that sentence and no others.
		_, chanceLine, _ := strings.Cut(text, "At chance at every learning rate tried")
		chanceLine, _, _ = strings.Cut(chanceLine, "\n")
		anyDiverged := false
		for _, name := range compared {
			if at := divergedAt[name]; at != nil {
				anyDiverged = true
				if want := name + " at " + strings.Join(at, ", "); !strings.Contains(text, want) {
					t.Errorf("plan %s: Text lacks %q (diverged tuning runs in the files)", p.Name, want)
				}
			}
			atChance[name] = atChance[name] && learned[name]
			if strings.Contains(chanceLine, " "+name+" (") != atChance[name] {
				t.Errorf("plan %s: %s named at chance in every tuning point: %v, the files say %v (%q)", p.Name, name,
					!atChance[name], atChance[name], chanceLine)
			}
		}
		if !anyDiverged && !strings.Contains(text, "No tuning run diverged") {
			t.Errorf("plan %s: no tuning run diverged in the files, and Text does not say so", p.Name)
		}
		// The table's chance flags, against the files: a mean within 2 points of 1/12 flags the condition,
		// else the test seeds within 2 points are listed.
		flagsOf := map[string][]string{} // condition -> its flags
		row := regexp.MustCompile(`^(\S+) .* \d+  (\S.*)$`)
		for _, line := range strings.Split(o.Table(), "\n") {
			if m := row.FindStringSubmatch(line); m != nil {
				flagsOf[m[1]] = strings.Split(m[2], "; ")
			}
		}
		for _, name := range compared {
			var at []string
			sum := 0.0
			for _, s := range p.TestSeeds {
				v := runs[name+"@lr="+selected[name]][s].Test
				sum += v / float64(len(p.TestSeeds))
				if math.Abs(v-1.0/12) <= 0.02 {
					at = append(at, fmt.Sprint(s))
				}
			}
			want := ""
			switch {
			case math.Abs(sum-1.0/12) <= 0.02:
				want = "at chance"
			case at != nil:
				want = "at chance: seeds " + strings.Join(at, ",")
			}
			var got []string
			for _, f := range flagsOf[name] {
				if strings.HasPrefix(f, "at chance") {
					got = append(got, f)
				}
			}
			if len(flagsOf[name]) == 0 || (want == "") != (got == nil) || (want != "" && (len(got) != 1 || got[0] != want)) {
				t.Errorf("plan %s: %s's flags %q, want the chance flag %q", p.Name, name, flagsOf[name], want)
			}
		}
		// Copied test runs of the plan's own conditions, counted in its own cache's files, are stated.
		own, copied := 0, 0
		for _, name := range p.Conditions {
			for _, s := range p.TestSeeds {
				r, ok := runs[name+"@lr="+selected[name]][s]
				if !ok {
					t.Fatalf("plan %s: no committed test run of %s seed %d", p.Name, name, s)
				}
				own++
				if r.Reused != "" {
					copied++
				}
			}
		}
		if sentence := fmt.Sprintf("%d of its own %d test runs are copies of other plans' runs", copied, own); (copied > 0) != strings.Contains(text, sentence) ||
			(copied == 0 && strings.Contains(text, "test runs are copies")) {
			t.Errorf("plan %s: %d of %d own test runs are copies in the files; the text says: %s", p.Name, copied, own, text)
		}
		rec, _ := p.Record()
		for _, want := range []string{"fixed in commit " + rec.ShortCommit() + " before any of its runs", "No test run diverged or stopped early"} {
			if !strings.Contains(text, want) {
				t.Errorf("plan %s: Text lacks %q", p.Name, want)
			}
		}
	}
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("learning rate %q: %v", s, err)
	}
	return v
}

// signsTunedRuns returns plan signs-tuned with its tuning and test runs, read from the committed cache.
func signsTunedRuns(t *testing.T) (TunedPlan, []Tuned, []RunResult) {
	t.Helper()
	p := TunedPlans()[1] // signs-tuned
	results := filepath.Join("..", "..", "notebooks", "results")
	tuned, _, err := p.Tune(context.Background(), results, RunOptions{Workers: 1, CacheOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	test, _, err := p.Test(context.Background(), results, tuned, RunOptions{Workers: 1, CacheOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return p, tuned, test
}

// TestOutcomeShowsAChangedPlan changes a plan after its record (one comparison moved to another
// question, the margin widened) and checks that the outcome names the change and shows the verdicts
// as fixed beside the new ones; a plan without a record gives no outcome.
func TestOutcomeShowsAChangedPlan(t *testing.T) {
	p, tuned, test := signsTunedRuns(t)
	fixed, err := p.Outcome(tuned, test)
	if err != nil || fixed.Change != nil {
		t.Fatalf("the plan as recorded: change %v, error %v", fixed.Change, err)
	}
	changed := p
	changed.Margin = 0.5
	changed.Questions = []PlannedQuestion{{Title: "relu alone", Pairs: [][2]string{{"relu", "abs"}}},
		{Title: "the others", Pairs: [][2]string{{"softplus", "abs"}, {"clip", "abs"}}}}
	o, err := changed.Outcome(tuned, test)
	if err != nil {
		t.Fatal(err)
	}
	if o.Change == nil || strings.Join(o.Change.Fields, ",") != "margin,questions" {
		t.Fatalf("change %+v, want the fields margin and questions", o.Change)
	}
	if len(o.AsFixed) != 1 || len(o.AsFixed[0].Comparisons) != 3 {
		t.Fatalf("as fixed: %d families, want the recorded one of 3 comparisons", len(o.AsFixed))
	}
	for i, c := range o.AsFixed[0].Comparisons {
		if c.Verdict != fixed.Families[0].Comparisons[i].Verdict || c.PAdjusted != fixed.Families[0].Comparisons[i].PAdjusted {
			t.Errorf("as fixed, %s vs %s: %s p %v; the recorded plan's outcome says %s p %v", c.A, c.B, c.Verdict, c.PAdjusted,
				fixed.Families[0].Comparisons[i].Verdict, fixed.Families[0].Comparisons[i].PAdjusted)
		}
	}
	text := o.Text()
	relu := fixed.Families[0].Comparisons[0]
	for _, want := range []string{"was changed after it was fixed in commit 1ecd0d1 (changed: margin, questions)",
		"as fixed (1ecd0d1)", string(relu.Verdict) + " (Holm p"} {
		if !strings.Contains(text, want) {
			t.Errorf("the changed plan's text lacks %q:\n%s", want, text)
		}
	}
	// With a 0.5-point margin relu is no longer shown equivalent: the side-by-side row shows both.
	row := ""
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "relu vs abs ") {
			row = l
		}
	}
	if strings.Count(row, "(Holm p") != 2 {
		t.Errorf("side-by-side row of relu vs abs %q: want the verdict as fixed and as now", row)
	}
	unrecorded := p
	unrecorded.Name = "signs-unrecorded"
	if _, err := unrecorded.Outcome(tuned, test); err == nil || !strings.Contains(err.Error(), "has no record") {
		t.Errorf("a plan without a record: error %v, want one saying it has no record", err)
	}
}

// TestOutcomeShowsAnAmendedPlan amends a recorded plan (a test amendment of signs-tuned, its margin
// widened) and checks that the plan is compared with the amendment, not with its record: unchanged
// since the amendment, the conclusion names the record's and the amendment's commits and the reason;
// changed after it, the side-by-side heads the amendment's verdicts with its commit.
func TestOutcomeShowsAnAmendedPlan(t *testing.T) {
	p, tuned, test := signsTunedRuns(t)
	amended := p
	amended.Margin = 4
	frozen, err := amended.Frozen()
	if err != nil {
		t.Fatal(err)
	}
	planAmendments = append(planAmendments, PlanAmendment{Plan: p.Name, Commit: strings.Repeat("cd", 20), Frozen: frozen,
		Reason: "a test amendment"})
	defer func() { planAmendments = planAmendments[:len(planAmendments)-1] }()

	o, err := amended.Outcome(tuned, test)
	if err != nil {
		t.Fatal(err)
	}
	if o.Change != nil {
		t.Fatalf("the plan as amended: change %+v, want none", o.Change)
	}
	want := "Plan signs-tuned, fixed in commit 1ecd0d1 before any of its runs, amended in commit cdcdcdc (changed: margin), every run " +
		"computed again after it (unchanged since). Amendment cdcdcdc: a test amendment."
	if !strings.Contains(o.Text(), want) {
		t.Errorf("the amended plan's text lacks %q:\n%s", want, o.Text())
	}
	// The plan as recorded now differs from its last amendment.
	o, err = p.Outcome(tuned, test)
	if err != nil {
		t.Fatal(err)
	}
	if o.Change == nil || o.Change.Amendment == nil || strings.Join(o.Change.Fields, ",") != "margin" {
		t.Fatalf("the plan as recorded, after an amendment: change %+v, want the margin changed since the amendment", o.Change)
	}
	if o.Change.Margin != 4 {
		t.Errorf("margin as amended %v, want 4", o.Change.Margin)
	}
	for _, want := range []string{"amended in commit cdcdcdc (changed since the amendment: margin)", "as amended (cdcdcdc)"} {
		if !strings.Contains(o.Text(), want) {
			t.Errorf("the plan changed after its amendment: text lacks %q:\n%s", want, o.Text())
		}
	}
}

func TestSeedRangeAndDescribe(t *testing.T) {
	for _, c := range []struct {
		s    []uint64
		want string
	}{{[]uint64{11, 12, 13}, "11-13"}, {[]uint64{3, 5, 9}, "3,5,9"}, {[]uint64{7}, "7"}, {[]uint64{2, 1}, "2,1"}} {
		if got := SeedRange(c.s); got != c.want {
			t.Errorf("SeedRange(%v) = %q, want %q", c.s, got, c.want)
		}
	}
	p, _ := TunedPlanByName("signs-tuned")
	d := p.Describe()
	for _, want := range []string{"**Plan signs-tuned** (4 conditions at inhibitory fraction 0.5)", "5 learning rates 0.001, 0.00316228, 0.01, 0.0316228, 0.1",
		"tuning seeds 101-103", "Test: seeds 11-20", "margin ±3 points", "1. sign parametrisations against |w|: relu vs abs; softplus vs abs; clip vs abs"} {
		if !strings.Contains(d, want) {
			t.Errorf("Describe lacks %q:\n%s", want, d)
		}
	}
	// A plan with an SGD grid names it and the conditions it applies to (and no Adam grid when none uses it).
	p, _ = TunedPlanByName("populations-sgd")
	d = p.Describe()
	if want := "Tuning: the SGD conditions (pop-sgd, pop-shunt-sgd) at each of 5 rates 0.1, 0.316228, 1, 3.16228, 10 (extended"; !strings.Contains(d, want) ||
		strings.Contains(d, "0.00316228") {
		t.Errorf("Describe of an SGD plan:\n%s\nwant it to contain %q and not Adam's grid", d, want)
	}
	if _, err := TunedPlanByName("signs"); err == nil || !strings.Contains(err.Error(), `"signs-tuned"`) {
		t.Errorf("unknown tuned plan: error %v, want one listing the plans", err)
	}
}

// A plan may reuse another's conditions only when they share the fraction, tuning budget, test seeds
// and protocol; a plan that reuses itself, an unknown plan, a plan twice, or a plan that reuses one not
// listed before it is refused, as is a condition both plans run. A chain listed in order is accepted,
// and its conditions are reported from the plan that runs them.
func TestReuseValidation(t *testing.T) {
	p, _ := TunedPlanByName("signs-tuned")
	p.Name = "signs-again"
	p.Conditions = []string{"softplus"}
	p.Questions = []PlannedQuestion{{Title: "q", Pairs: [][2]string{{"softplus", "abs"}}}}
	p.Reuse = []string{"signs-tuned"}
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "softplus is both its own and plan signs-tuned's") {
		t.Errorf("a condition in both plans: %v", err)
	}
	p.Conditions = []string{"wiggle"}
	p.Questions = []PlannedQuestion{{Title: "q", Pairs: [][2]string{{"wiggle", "abs"}}}}
	if err := p.Validate(); err != nil {
		t.Errorf("a plan comparing its condition with a reused one: %v", err)
	}
	names, from := p.compared()
	if strings.Join(names, ",") != "wiggle,abs" || from["abs"] != "signs-tuned" || from["wiggle"] != "signs-again" {
		t.Errorf("compared %v from %v, want wiggle (its own) then abs (signs-tuned's)", names, from)
	}
	for _, c := range []struct {
		edit func(*TunedPlan)
		want string
	}{
		{func(q *TunedPlan) { q.Reuse = []string{"nowhere"} }, `tuned plan "nowhere" is unknown`},
		{func(q *TunedPlan) { q.TestSeeds = []uint64{21, 22, 23, 24, 25, 26, 27, 28, 29, 30} }, "differ"},
		{func(q *TunedPlan) { q.Tuning.Seeds = []uint64{104, 105, 106} }, "differ"},
		{func(q *TunedPlan) { q.Base = func() snn.Config { return snn.DefaultConfig() } }, "differ"},
		{func(q *TunedPlan) { q.Questions[0].Pairs[0][1] = "relu"; q.Reuse = nil }, `compares "relu", which neither`},
		{func(q *TunedPlan) { // the same comparison in two questions, the other way round
			q.Questions = append(q.Questions, PlannedQuestion{Title: "r", Pairs: [][2]string{{"abs", "wiggle"}}})
		}, "the comparison abs against wiggle is listed twice (in either order)"},
	} {
		q := p
		q.Questions = []PlannedQuestion{{Title: "q", Pairs: [][2]string{{"wiggle", "abs"}}}}
		c.edit(&q)
		if err := q.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
	chain, _ := TunedPlanByName("populations-lif") // reuses populations-tuned
	chain.Name, chain.Conditions = "lif-again", []string{"pop-lif-abs"}
	chain.Questions = []PlannedQuestion{{Title: "q", Pairs: [][2]string{{"pop-lif-abs", "pop-lif-bal"}, {"pop-lif-abs", "pop-abs"}}}}
	for _, c := range []struct {
		reuse []string
		want  string // "" for accepted
	}{
		{[]string{"populations-tuned", "populations-lif"}, ""},
		{[]string{"populations-lif"}, "reuses plan populations-tuned: list populations-tuned in Reuse before populations-lif"},
		{[]string{"populations-lif", "populations-tuned"}, "reuses plan populations-tuned: list populations-tuned in Reuse before populations-lif"},
		{[]string{"populations-tuned", "populations-tuned", "populations-lif"}, "reuses plan populations-tuned, which is itself or listed twice in Reuse"},
	} {
		q := chain
		q.Reuse = c.reuse
		err := q.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("reusing %v: error %v, want %q", c.reuse, err, c.want)
		}
	}
	chain.Reuse = []string{"populations-tuned", "populations-lif"}
	names, from = chain.compared()
	if strings.Join(names, ",") != "pop-lif-abs,pop-abs,pop-lif-bal" || from["pop-abs"] != "populations-tuned" || from["pop-lif-bal"] != "populations-lif" {
		t.Errorf("compared %v from %v, want pop-lif-abs (its own), pop-abs (populations-tuned's), pop-lif-bal (populations-lif's)", names, from)
	}
}

// The sensitivity sentence states the equivalence seed count only where it is in question: as a count
// still needed where equivalence was not shown, as a planning figure where it was, not at all where a
// difference was found.
func TestPowerSentence(t *testing.T) {
	p, err := newPower([]float64{0.01, 0.03, 0.02}, []float64{0.01, 0.02, 0.03, 0.01, 0.02}, 3, 0.05, 0.8, 0.03)
	if err != nil {
		t.Fatal(err)
	}
	with, shown, without := p.Sentence(100, "points", NotDistinguishable), p.Sentence(100, "points", Equivalent), p.Sentence(100, "points", Lower)
	eq := fmt.Sprintf("about %d seeds", p.SeedsForEquivalence)
	if !strings.Contains(with, "Equivalence within ±3.0 points would need "+eq+" if the true difference were 0") || strings.Contains(without, "quivalence") ||
		!strings.Contains(without, "5 test seeds detect about") || !strings.Contains(without, "normal-theory approximation") {
		t.Errorf("not shown: %q\ndifference: %q", with, without)
	}
	if want := "These 5 seeds showed equivalence within ±3.0 points; a plan from the bound would have asked for " + eq +
		" to show it with 80% power."; !strings.Contains(shown, want) || strings.Contains(shown, "would need") {
		t.Errorf("equivalence shown: %q, want it to contain %q and no count 'needed'", shown, want)
	}
	// The post hoc figure is the test runs' own: paired sd 0.84 points over 5 seeds at level 0.05/3,
	// (t_{0.99167,4} 3.96 + t_{0.8,4} 0.941) x 0.837 / sqrt 5 = 1.8 points (t quantiles interpolated from
	// tables), not the planning bound's.
	post := "the test runs' own paired sd is 0.8, from which they detect about 1.8 points at that level (post hoc)"
	if !strings.Contains(with, post) || math.Abs(p.DetectableObserved-p.Detectable) < 0.001 {
		t.Errorf("sentence %q lacks %q (planning figure %.4f, post hoc %.4f)", with, post, p.Detectable, p.DetectableObserved)
	}
}

// The outcome table flags a condition at chance on average, or else names its test seeds at chance.
func TestOutcomeTableFlagsChance(t *testing.T) {
	o := Outcome{Plan: TunedPlan{Name: "p", TestSeeds: []uint64{11, 12, 13}}, Rules: AccuracyRules(),
		Tuned: []Tuned{{Condition: "a", Selected: 0.01}, {Condition: "b", Selected: 0.01}, {Condition: "c", Selected: 0.01}},
		Test:  map[string][]float64{"a": {0.7, 0.09, 0.71}, "b": {0.08, 0.09, 0.1}, "c": {0.7, 0.72, 0.69}}}
	rows := strings.Split(o.Table(), "\n")
	for i, want := range []string{"at chance: seeds 12", "3  at chance", "3  -"} {
		if !strings.HasSuffix(rows[i+1], want) {
			t.Errorf("row %q, want it to end with %q", rows[i+1], want)
		}
	}
}

// The tuning notes judge learning by the runs that did not diverge: a condition with one run at 25% and
// two diverged at a rate (mean 8.3% with the zeros) learned there and is not named at chance; one whose
// surviving runs stay within 2 points of chance is, with the range of those runs' means; one whose every
// run diverged says nothing about learning and is not named.
func TestTuningNotes(t *testing.T) {
	nan := math.NaN()
	o := Outcome{Rules: AccuracyRules(), Tuned: []Tuned{
		{Condition: "a", Curve: []TuningPoint{
			{LearningRate: 0.1, ValAccuracy: []float64{0.25, 0, 0}, Mean: 0.25 / 3, Diverged: []uint64{102, 103}, ConvergedMean: 0.25},
			{LearningRate: 0.01, ValAccuracy: []float64{0.08, 0.09, 0.085}, Mean: 0.085, ConvergedMean: 0.085}}},
		{Condition: "b", Curve: []TuningPoint{
			{LearningRate: 0.1, ValAccuracy: []float64{0, 0, 0}, Diverged: []uint64{101, 102, 103}, ConvergedMean: nan},
			{LearningRate: 0.01, ValAccuracy: []float64{0.08, 0.09, 0.1}, Mean: 0.09, ConvergedMean: 0.09}}},
		{Condition: "c", Curve: []TuningPoint{
			{LearningRate: 0.1, ValAccuracy: []float64{0, 0}, Diverged: []uint64{101, 102}, ConvergedMean: nan}}},
	}}
	got := o.tuningNotes()
	for _, want := range []string{
		"Tuning runs that diverged (their validation accuracy counts 0 in the selection): a at 0.1 (seeds 102,103); b at 0.1 (seeds 101,102,103); c at 0.1 (seeds 101,102).",
		"the range of those means in brackets): b (9.0-9.0%). The rate selected",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("tuning notes lack %q: %s", want, got)
		}
	}
	if strings.Contains(got, " a (") || strings.Contains(got, " c (") {
		t.Errorf("tuning notes name a condition that learned, or one with no surviving run, at chance: %s", got)
	}
}

// A tuned plan's differences found against a condition at chance are said to be bounded by the floor:
// populations-shunt's pop-shunt-sgd stays at chance (9.6% over its test seeds) and is found below the
// other conditions; populations-tuned has no condition at chance and says nothing of the kind.
func TestOutcomeFloorBound(t *testing.T) {
	for _, c := range []struct {
		plan, want string
	}{
		{"populations-shunt", "on one side of a difference found: pop-shunt-sgd (9.6%) against both; pop-shunt-sgd (9.6%) against unconstrained;"},
		{"populations-tuned", ""},
	} {
		p, err := TunedPlanByName(c.plan)
		if err != nil {
			t.Fatal(err)
		}
		o, _ := committedOutcome(t, p)
		text := o.Text()
		if got := strings.Contains(text, "The floor bounds such a difference"); got != (c.want != "") || !strings.Contains(text, c.want) {
			t.Errorf("%s: floor note %v, want %q: %s", c.plan, got, c.want, text)
		}
	}
}

// SectionWideNote against Holm by hand: a comparison that is "lower" alone (p_a < 0.05, one of one) and one
// far from significance (p_b > 0.5), judged as one family of two: Holm multiplies the smaller p by 2, so a
// lower verdict with 0.025 < p_a stops holding and the note names it with its new p; with p_a < 0.025 every
// verdict stays. A comparison in two conclusions is an error.
func TestSectionWideNote(t *testing.T) {
	r := AccuracyRules()
	a := []float64{0.70, 0.72, 0.71, 0.69, 0.73}
	one := func(name string, b []float64) Conclusion {
		cs, err := Family(r, [][2]string{{name, "base"}}, [][2][]float64{{a, b}})
		if err != nil {
			t.Fatal(err)
		}
		return Conclusion{Comparisons: cs}
	}
	far := one("far", []float64{0.71, 0.70, 0.72, 0.70, 0.72})
	if far.Comparisons[0].Paired.P < 0.5 {
		t.Fatalf("the far comparison's p %.3f: want > 0.5", far.Comparisons[0].Paired.P)
	}
	for _, c := range []struct {
		b    []float64
		want string
	}{
		{[]float64{0.80, 0.73, 0.82, 0.71, 0.79}, "instead of one family per conclusion, 1 would differ: near vs base not distinguishable"},
		{[]float64{0.80, 0.82, 0.81, 0.79, 0.83}, "instead of one family per conclusion, every verdict would be the same."},
	} {
		near := one("near", c.b)
		p := near.Comparisons[0].Paired.P
		if near.Comparisons[0].Verdict != Lower {
			t.Fatalf("near alone: %s (p %.4f), want lower", near.Comparisons[0].Verdict, p)
		}
		got, err := SectionWideNote(r, "of section 4", near, far)
		if err != nil || !strings.HasPrefix(got, "With all 2 comparisons of section 4 in one Holm family") || !strings.Contains(got, c.want) {
			t.Errorf("p_a %.4f (2 p_a = %.4f): %q, %v; want %q", p, 2*p, got, err, c.want)
		}
		if strings.Contains(c.want, "would differ") && !strings.Contains(got, pString(2*p)) {
			t.Errorf("the note does not give Holm's p = 2 p_a = %s: %s", pString(2*p), got)
		}
	}
	if _, err := SectionWideNote(r, "x", far, far); err == nil || !strings.Contains(err.Error(), "appears twice") {
		t.Errorf("a comparison twice: %v", err)
	}
}
