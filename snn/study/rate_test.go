package study

import (
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn/ratenet"
)

// JudgeRate reads the test runs at each model's selected rate, judges the plan's pairs, and states the
// paper's claims from the verdicts: here DANN within 0.2 points of the MLP on every seed (equivalent at
// the 1-point margin) and ColumnEI 5 points below it (lower).
func TestJudgeRateStatesTheClaim(t *testing.T) {
	p := ratenet.Plan{Name: "rate-test", Kinds: []string{"mlp", "columnei", "dann"}, Hidden: ratenet.Hidden{E: 100, I: 10},
		Grid: []float64{0.01, 0.0316228, 0.1, 0.316228, 1}, MaxExtensions: 2, TuningSeeds: []uint64{101, 102, 103},
		TestSeeds: []uint64{11, 12, 13, 14, 15}, Epochs: 20, BatchSize: 32, Validation: 10000,
		Pairs: [][2]string{{"dann", "mlp"}, {"columnei", "mlp"}, {"dann", "columnei"}}, Margin: 1, Cache: "rate-test",
		Claim: "the paper's claim"}
	frozen, _ := RatePlanFrozen(p)
	planRecords = append(planRecords, PlanRecord{Plan: p.Name, Commit: strings.Repeat("ab", 20), Frozen: frozen})
	defer func() { planRecords = planRecords[:len(planRecords)-1] }()
	mlp := []float64{0.880, 0.885, 0.878, 0.882, 0.884}
	dann := []float64{0.881, 0.883, 0.879, 0.880, 0.885}
	col := []float64{0.830, 0.836, 0.826, 0.834, 0.831}
	mk := func(kind string, acc []float64, val []float64) ratenet.Tuned {
		tu := ratenet.Tuned{Kind: kind, Selected: 0.1, Curve: []ratenet.TuningPoint{{LearningRate: 0.1, Val: val}}}
		for i, a := range acc {
			tu.Test = append(tu.Test, ratenet.Result{Test: a, Config: ratenet.TrainConfig{Seed: p.TestSeeds[i]}})
		}
		return tu
	}
	tuned := []ratenet.Tuned{mk("mlp", mlp, []float64{0.88, 0.881, 0.879}), mk("columnei", col, []float64{0.83, 0.84, 0.835}),
		mk("dann", dann, []float64{0.879, 0.882, 0.88})}
	o, err := JudgeRate(p, tuned)
	if err != nil {
		t.Fatal(err)
	}
	v := map[string]Verdict{}
	for _, c := range o.Comparisons {
		v[c.A+" vs "+c.B] = c.Verdict
	}
	if v["dann vs mlp"] != Equivalent || v["columnei vs mlp"] != Lower || v["dann vs columnei"] != Higher {
		t.Errorf("verdicts %v", v)
	}
	text := o.Text()
	for _, want := range []string{"DANN as well as the MLP holds here (equivalent)", "ColumnEI worse than the MLP holds here (lower)", "margin ±1 points"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "Plan rate-test, fixed in commit ababab") {
		t.Errorf("text lacks the record:\n%s", text)
	}
	p.Margin = 2
	if o, err := JudgeRate(p, tuned); err != nil || strings.Join(o.Changed, ",") != "margin" || !strings.Contains(o.Text(), "was changed after it was fixed") {
		t.Errorf("a changed plan: %v, %v", o.Changed, err)
	}
	if !strings.Contains(o.Table(), "88.2 ± 0.3") {
		t.Errorf("table:\n%s", o.Table())
	}
	tuned[2].Test = tuned[2].Test[:2]
	if _, err := JudgeRate(p, tuned); err == nil {
		t.Error("a model with 2 of 5 test runs was judged")
	}
}
