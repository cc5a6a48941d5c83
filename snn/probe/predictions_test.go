package probe

import (
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// PredictionSpread by hand: 100 predictions over 12 classes (15 degrees each), 60 in class 0, 36 in
// class 1, 3 in class 2 and 1 in class 11: 4 classes used; 95 predictions need classes 0-1 (96), IPDs -90
// to -60 degrees. Predictions spread evenly over all 12 classes need 12 (95% of 120 is 114).
func TestPredictionSpread(t *testing.T) {
	classes := func(counts map[int]int) *snn.Evaluation {
		ev := &snn.Evaluation{}
		for c := range 12 {
			for range counts[c] {
				ev.Classes = append(ev.Classes, c)
			}
		}
		return ev
	}
	for _, c := range []struct {
		counts map[int]int
		want   string
	}{
		{map[int]int{0: 60, 1: 36, 2: 3, 11: 1}, "predicts 4 of 12 classes on the test set; 95% or more of its 100 " +
			"predictions fall in 2 adjacent class(es), IPDs -90 to -60 degrees"},
		{map[int]int{0: 10, 1: 10, 2: 10, 3: 10, 4: 10, 5: 10, 6: 10, 7: 10, 8: 10, 9: 10, 10: 10, 11: 10},
			"predicts 12 of 12 classes on the test set; 95% or more of its 120 predictions fall in 12 adjacent class(es), " +
				"IPDs -90 to 90 degrees"},
		{map[int]int{5: 50, 6: 50}, "predicts 2 of 12 classes on the test set; 95% or more of its 100 predictions fall in " +
			"2 adjacent class(es), IPDs -15 to 15 degrees"},
	} {
		got, err := PredictionSpread(classes(c.counts), 12, "test")
		if err != nil || got != c.want {
			t.Errorf("%v:\n got %q, %v\nwant %q", c.counts, got, err, c.want)
		}
	}
	if _, err := PredictionSpread(&snn.Evaluation{Classes: []int{12}}, 12, "test"); err == nil ||
		!strings.Contains(err.Error(), "class 12 outside [0, 12)") {
		t.Errorf("a class out of range: %v", err)
	}
	if _, err := PredictionSpread(&snn.Evaluation{}, 12, "test"); err == nil {
		t.Error("no predictions: no error")
	}
}

// AblationReading at the notebook's 0.2 blocked mask (40 inhibitory input rows; 37 of their matched rows in
// the other ear, as the controls notebook prints for this mask), with test accuracies set by hand: matched
// at or below the inhibitory cut cannot attribute the effect to the sign; above it, the reading says by how
// much (8.2 against 13.3, then 20.0 against 13.3: 6.7 points) and that one network tests nothing.
func TestAblationReading(t *testing.T) {
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction = 0.2
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	x := &snn.Experiment{Config: cfg, Trained: m, TestEval: &snn.Evaluation{Accuracy: 0.757}}
	result := func(c Cut, acc float64) AblationResult {
		_, rows, err := AblateCut(m, c, cfg.Seed)
		if err != nil {
			t.Fatal(err)
		}
		return AblationResult{Cut: c, Rows: rows, TestEval: &snn.Evaluation{Accuracy: acc}}
	}
	res := []AblationResult{result(CutInhibitory, 0.133), result(CutMatched, 0.082), result(CutExcitatory, 0.399)}
	got, err := AblationReading(x, res)
	want := "This network on its test set (descriptive): without its 40 inhibitory input rows it scores 13.3% (intact 75.7%, " +
		"chance 8.3%); without as many excitatory rows at the same delays (matched; 37 of 40 in the other ear) 8.2%, and " +
		"without the first excitatory rows, at other delays (excitatory), 39.9%. Against the inhibitory cut, matched hurts at " +
		"least as much, so this network cannot attribute the cut's effect to the inhibitory sign (matched leaves it within 2 " +
		"points of chance or below, a floor: how much more it hurts is not measured); excitatory differs from it in delay as well as sign.\n"
	if err != nil || got != want {
		t.Errorf("matched below:\n got %q, %v\nwant %q", got, err, want)
	}
	res[1] = result(CutMatched, 0.200)
	got, err = AblationReading(x, res)
	if err != nil || !strings.Contains(got, "matched hurts less, by 6.7 points: consistent with an effect of the inhibitory "+
		"sign in this one network, not a test of it") {
		t.Errorf("matched above: %q, %v", got, err)
	}
	if strings.Contains(got, "floor") {
		t.Errorf("matched at 20.0%% and the inhibitory cut at 13.3%% (chance 8.3%%) called a floor: %q", got)
	}
	res[1] = result(CutMatched, 0.1334) // 13.3 as printed: not "less, by 0.0 points"
	if got, err := AblationReading(x, res); err != nil || !strings.Contains(got, "matched hurts at least as much") ||
		strings.Contains(got, "floor") {
		t.Errorf("matched equal at one decimal: %q, %v", got, err)
	}
	// Floors: within 2 points of chance (8.3%) as printed; 10.3 is 1.97 points above it, 10.4 2.07.
	for _, tc := range []struct {
		inh, mat float64
		want     string
	}{
		{0.103, 0.075, "Against the inhibitory cut, both leave it within 2 points of chance or below, a floor: this network cannot order them;"},
		{0.104, 0.075, "matched hurts at least as much, so this network cannot attribute the cut's effect to the inhibitory sign " +
			"(matched leaves it within 2 points of chance or below, a floor: how much more it hurts is not measured);"},
		{0.090, 0.200, "matched hurts less, by 11.0 points: consistent with an effect of the inhibitory sign in this one network, " +
			"not a test of it (the inhibitory cut leaves it within 2 points of chance or below, a floor);"},
		// Below chance is a floor too (one-sided): not read as matched hurting less by 1.5 points.
		{0.060, 0.075, "Against the inhibitory cut, both leave it within 2 points of chance or below, a floor: this network cannot order them;"},
	} {
		r := []AblationResult{result(CutInhibitory, tc.inh), result(CutMatched, tc.mat), result(CutExcitatory, 0.399)}
		if got, err := AblationReading(x, r); err != nil || !strings.Contains(got, tc.want) {
			t.Errorf("inhibitory %.3f, matched %.3f:\n got %q, %v\nwant it to contain %q", tc.inh, tc.mat, got, err, tc.want)
		}
	}
	x.Config.Layout = snn.MaskRandom
	if got, err := AblationReading(x, res); err != nil || !strings.Contains(got, "without the first excitatory rows, wherever "+
		"they are (excitatory)") || strings.Contains(got, "in delay as well as sign") {
		t.Errorf("a random mask: %q, %v", got, err)
	}
	if _, err := AblationReading(x, res[:2]); err == nil || !strings.Contains(err.Error(), `no "excitatory" cut`) {
		t.Errorf("a missing cut: %v", err)
	}
}
