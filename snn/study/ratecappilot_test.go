package study

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// The pilot's rule, on the rates it measured (golden values: plan populations-lif-cap's protocol, which
// recorded them before the plan's runs), chooses LIFRateCapWeight, and its runs at that weight are
// pop-lif-bal-cap's and pop-lif-bal-cap-stepcorr's tuning runs at seed 101 and 0.0316. The rule refuses a
// pilot with a missing run or one where no weight holds (rates above the cap, or far below it: "within 0.01
// of theta", as the plan words it), and a pilot whose own fields are out of range.
func TestLIFRateCapPilotChoice(t *testing.T) {
	p := LIFRateCapPilot
	var rows []RateCapPilotRow
	for c, rates := range map[string][]float64{"pop-lif-bal": {0.494, 0.484, 0.432, 0.250, 0.242}, "pop-lif-bal-stepcorr": {0.478, 0.435, 0.278, 0.253, 0.247}} {
		for i, w := range []float64{0, 1, 10, 100, 1000} {
			rows = append(rows, RateCapPilotRow{Condition: c, Weight: w, Rate: rates[i]})
		}
	}
	if w, err := p.Choose(rows); err != nil || w != LIFRateCapWeight {
		t.Errorf("chose %v (%v), want LIFRateCapWeight %v", w, err, float64(LIFRateCapWeight))
	}
	for _, pr := range [][2]Condition{{PopulationLIFBalanced, PopulationLIFCapped}, {PopulationLIFBalancedStepCorr, PopulationLIFCappedStepCorr}} {
		got, err := p.Config(pr[0].Name, LIFRateCapWeight)
		if err != nil {
			t.Fatal(err)
		}
		want := WithLearningRate(pr[1], p.LearningRate).Apply(tunedBase(), 0.5)
		want.Seed = p.Seed
		if got != want {
			t.Errorf("the pilot's %s at lambda %v is not %s's tuning run at seed %d:\n%+v\n%+v", pr[0].Name, float64(LIFRateCapWeight), pr[1].Name, p.Seed, got, want)
		}
	}
	if _, err := p.Choose(rows[:3]); err == nil || !strings.Contains(err.Error(), "has no run of") {
		t.Errorf("missing rows: error %v", err)
	}
	for _, r := range []float64{0.3, 0.2} { // above the cap's tolerance, and below it
		off := append([]RateCapPilotRow(nil), rows...)
		for i := range off {
			off[i].Rate = r
		}
		if _, err := p.Choose(off); err == nil || !strings.Contains(err.Error(), "no lambda of") {
			t.Errorf("every rate %v: error %v, want none chosen", r, err)
		}
	}
	for _, bad := range []func(*RateCapPilot){
		func(q *RateCapPilot) { q.Conditions = nil },
		func(q *RateCapPilot) { q.Weights = []float64{10, 1} },
		func(q *RateCapPilot) { q.Weights = []float64{1, 1} },
		func(q *RateCapPilot) { q.Weights = []float64{0, 1} },
		func(q *RateCapPilot) { q.Cap = 1 },
		func(q *RateCapPilot) { q.Tolerance = -0.01 },
	} {
		q := p
		q.Weights = slices.Clone(p.Weights)
		bad(&q)
		if _, err := q.Choose(rows); err == nil || !strings.Contains(err.Error(), "pilot of plan populations-lif-cap") {
			t.Errorf("pilot %+v: error %v", q, err)
		}
	}
}

// Notebook.RunRateCapPilot trains each run once (kept in results/models; a second call reads them and gives the
// same rows), and each row holds the rate and the last validation accuracy of the run it names, as an
// experiment of the same configuration computes them. A condition without LIF units is refused before any
// model is trained.
func TestRateCapPilotRuns(t *testing.T) {
	p := RateCapPilot{Plan: "tiny", Conditions: []string{"pop-lif-bal"}, Seed: 101, LearningRate: 0.01, Cap: 0.25,
		Weights: []float64{100}, Tolerance: 0.01, Base: func() snn.Config { return snn.Quick(tunedBase()) }}
	nb := &Notebook{Results: t.TempDir(), Log: io.Discard}
	rows, err := nb.RunRateCapPilot(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Weight != 0 || rows[1].Weight != 100 {
		t.Fatalf("rows %+v, want pop-lif-bal without the cap and at lambda 100", rows)
	}
	for _, r := range rows {
		cfg, err := p.Config(r.Condition, r.Weight)
		if err != nil {
			t.Fatal(err)
		}
		if (cfg.InhibitoryRateWeight != 0) != (r.Weight != 0) {
			t.Errorf("lambda %v: configuration's weight %v", r.Weight, cfg.InhibitoryRateWeight)
		}
		x, err := snn.RunExperiment(t.Context(), cfg, snn.TrainOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rate, err := snn.InhibitoryRate(x.Trained, x.Validation)
		if err != nil {
			t.Fatal(err)
		}
		v := x.Trained.History.ValAccuracy
		if want := (RateCapPilotRow{Condition: r.Condition, Weight: r.Weight, Rate: rate, ValAccuracy: v[len(v)-1]}); r != want {
			t.Errorf("%+v, want %+v", r, want)
		}
	}
	models, _ := filepath.Glob(filepath.Join(nb.Results, "models", "tiny-pilot_*.ckpt"))
	if len(models) != 2 {
		t.Errorf("kept models %v, want 2", models)
	}
	again, err := nb.RunRateCapPilot(p)
	if err != nil || len(again) != len(rows) || again[0] != rows[0] || again[1] != rows[1] {
		t.Errorf("second call: %+v (%v), want %+v", again, err, rows)
	}
	lin := p
	lin.Conditions = []string{"pop-abs-bal"}
	empty := &Notebook{Results: t.TempDir(), Log: io.Discard}
	if _, err := empty.RunRateCapPilot(lin); err == nil || !strings.Contains(err.Error(), "pop-abs-bal") {
		t.Errorf("linear units: error %v", err)
	}
	if models, _ := filepath.Glob(filepath.Join(empty.Results, "models", "*")); len(models) != 0 {
		t.Errorf("linear units: %v trained before the error", models)
	}
}
