package study

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
)

// The plan lists each number the original prints once: three sections (0.5, 0.2, 0.2 ablated) of four
// numbers, the floor marked on the ablated section only, and seeds shared by both implementations.
func TestFidelityPlan(t *testing.T) {
	p := Fidelity()
	if len(p.Rows) != 12 {
		t.Fatalf("%d rows, want 12", len(p.Rows))
	}
	seen := map[string]bool{}
	for _, r := range p.Rows {
		k := fmt.Sprint(r.Fraction, r.Ablated, r.Metric)
		if seen[k] {
			t.Errorf("row %q twice", r.Label)
		}
		seen[k] = true
		if r.Floor != r.Ablated {
			t.Errorf("row %q: floor %v, ablated %v", r.Label, r.Floor, r.Ablated)
		}
		if r.Ablated && r.Fraction != 0.2 {
			t.Errorf("row %q: the original ablates the 0.2 network only", r.Label)
		}
	}
	if len(p.Seeds) < 5 || len(p.Keys) != len(p.Fractions) {
		t.Errorf("seeds %v, keys %v", p.Seeds, p.Keys)
	}
}

// writeTorch writes a PyTorch record of seed with every metric set to v (accuracies v/100).
func writeTorch(t *testing.T, dir string, seed uint64, epochs int, v float64, edit func(string) string) {
	t.Helper()
	sec := fmt.Sprintf(`{"train_accuracy": %g, "train_error_deg": %g, "test_accuracy": %g, "test_error_deg": %g}`, v/100, v, v/100, v)
	s := fmt.Sprintf(`{"seed": %d, "epochs": %d, "command": "x", "torch": "1.13", "threads": 1, "0.5": %s, "0.2": %s, "ablation_0.2": %s}`,
		seed, epochs, sec, sec, sec)
	if edit != nil {
		s = edit(s)
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("torch_s%d.json", seed)), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A PyTorch record is read with its values in percent, and a record of another seed, of fewer epochs or
// with a missing or non-finite value is refused with an error that names it.
func TestReadTorchRecord(t *testing.T) {
	dir := t.TempDir()
	writeTorch(t, dir, 1, 50, 80, nil)
	rec, err := readTorchRecord(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	row := FidelityRow{Fraction: 0.2, Ablated: true, Metric: "test_accuracy"}
	if got := torchValue(row, rec); math.Abs(got-80) > 1e-9 {
		t.Errorf("ablated test accuracy %v, want 80 (percent)", got)
	}
	for _, tc := range []struct {
		name  string
		edit  func(string) string
		want  string
		epoch int
	}{
		{"epochs", nil, "over 2 epochs", 2},
		{"missing", func(s string) string {
			return strings.Replace(s, `"test_error_deg": 80}, "ablation`, `"x": 1}, "ablation`, 1)
		}, "test_error_deg", 50},
		{"string", func(s string) string {
			return strings.Replace(s, `"train_accuracy": 0.8`, `"train_accuracy": "0.8"`, 1)
		}, "train_accuracy", 50},
	} {
		d := t.TempDir()
		writeTorch(t, d, 1, tc.epoch, 80, tc.edit)
		if _, err := readTorchRecord(d, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
	if _, err := readTorchRecord(dir, 2); err == nil || !strings.Contains(err.Error(), "fidelity.sh") {
		t.Errorf("missing record: %v", err)
	}
}

// The sentences follow the numbers: a clear difference reads "differ" with its direction, close and
// tight samples "agree within", a wide spread "not distinguishable" with the detectable difference, and
// the original's value is placed inside, above or below each range.
func TestFidelitySentences(t *testing.T) {
	p := Fidelity()
	mk := func(row FidelityRow, ours, torch []float64) FidelityRowOutcome {
		o := FidelityRowOutcome{Row: row, Ours: ours, Torch: torch}
		o.Welch, _ = WelchDiff(ours, torch, 0.95)
		o.TOST, _ = WelchTOST(ours, torch, p.margin(row))
		o.Detectable = WelchDetectable(o.Welch.SE, o.Welch.DF, 0.05, 0.8)
		o.Holm = o.Welch.P
		o.InOurs, o.InTorch = within(row.Original, ours), within(row.Original, torch)
		return o
	}
	acc := FidelityRow{Label: "0.5 test accuracy (%)", Metric: "test_accuracy", Original: 83.7}
	f := FidelityOutcome{Plan: p, Rows: []FidelityRowOutcome{
		mk(acc, []float64{70, 71, 72, 73, 74}, []float64{80, 81, 82, 83, 84}),
		mk(acc, []float64{80.0, 80.2, 80.4, 80.1, 80.3}, []float64{80.1, 80.3, 80.2, 80.0, 80.4}),
		mk(acc, []float64{60, 90, 70, 85, 75}, []float64{65, 88, 72, 80, 79}),
		mk(acc, []float64{80, 81, 82, 83, 84}, []float64{70, 71, 72, 73, 74}),
	}}
	lines := strings.Split(strings.TrimSpace(f.Sentences()), "\n")
	for i, want := range []string{
		"above all 5 of our seeds (up to 74.0) and inside PyTorch's range (80.0 to 84.0). The implementations differ: ours is 10.0 points below",
		"above all 5 of our seeds (up to 80.4) and above all 5 of PyTorch's seeds (up to 80.4). The implementations agree within ±3 points",
		"inside our range (60.0 to 90.0) and inside PyTorch's range (65.0 to 88.0). The implementations are not distinguishable",
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("sentence %d:\n%s\nwant it to contain\n%s", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[3], "The implementations differ: ours is 10.0 points above PyTorch's") {
		t.Errorf("sentence 3 (ours above):\n%s", lines[3])
	}
	if !strings.Contains(lines[2], "with 80% power") {
		t.Errorf("a row without a verdict does not say what the design detects: %s", lines[2])
	}
	if v := f.Rows[0].Verdict(0.05); v != "differ" {
		t.Errorf("verdict %q", v)
	}
	// 4.0 against seeds from 4.04: outside the range, equal to its end at one decimal, counted inside.
	err := FidelityRow{Label: "0.5 train absolute error (deg)", Metric: "train_error_deg", Original: 4.0}
	tie := FidelityOutcome{Plan: p, Rows: []FidelityRowOutcome{mk(err, []float64{4.04, 4.1, 4.08, 4.06, 4.12},
		[]float64{3.9, 4.0, 4.1, 4.0, 4.05})}}
	if got, want := tie.Sentences(), "the original's 4.0 is at an end of our range (4.0 to 4.1: equal to it at the original's "+
		"one decimal, counted inside) and inside PyTorch's range (3.9 to 4.1)."; !strings.Contains(got, want) {
		t.Errorf("a tie at one decimal:\n%s\nwant it to contain\n%s", got, want)
	}
}

// A floor row's note: on an accuracy row, where each implementation's ablated networks are against chance
// (100/12 = 8.33%; means 13.3 and 9.0 by hand: 5.0 points above, and within 2 of chance) and what agreement
// there is worth; on an error row, a pointer to its set's accuracy row instead of the same numbers again.
func TestFidelityFloorNote(t *testing.T) {
	p := Fidelity()
	acc := FidelityRow{Label: "0.2 ablated, test accuracy (%)", Metric: "test_accuracy", Original: 10, Fraction: 0.2, Ablated: true, Floor: true}
	dev := FidelityRow{Label: "0.2 ablated, test absolute error (deg)", Metric: "test_error_deg", Original: 68, Fraction: 0.2, Ablated: true, Floor: true}
	f := FidelityOutcome{Plan: p, Rows: []FidelityRowOutcome{
		{Row: acc, Ours: []float64{12.3, 13.3, 14.3, 13.3, 13.3}, Torch: []float64{8, 9, 10, 9, 9}},
		{Row: dev, Ours: []float64{50, 55, 60, 55, 55}, Torch: []float64{60, 61, 62, 60, 61}}}}
	if got, want := f.floorNote(acc), "The plan marked this row a floor before the runs (the original's ablated network scored "+
		"near chance, which is 8.3%); on the test set the ablated networks average 13.3% here (5.0 points above chance) and "+
		"9.0% in PyTorch (at chance). Near a floor both spreads shrink, so agreement there says little about the networks "+
		"before the cut."; got != want {
		t.Errorf("accuracy row:\n got %s\nwant %s", got, want)
	}
	if got, want := f.floorNote(dev), "The plan marked this row a floor before the runs (where the ablated networks are against "+
		"chance: the test accuracy row)."; got != want {
		t.Errorf("error row:\n got %s\nwant %s", got, want)
	}
	// The table marks such rows and says what the mark means (not the 2-point rule of the other verdicts).
	table := f.Table()
	if strings.Count(table, " (marked floor)\n") != 2 || !strings.Contains(table, "(marked floor): a row the plan marked a floor before the runs") {
		t.Errorf("the table does not mark both floor rows or explain the mark:\n%s", table)
	}
	f.Rows[0].Row.Floor, f.Rows[1].Row.Floor = false, false
	if table := f.Table(); strings.Contains(table, "marked floor") {
		t.Errorf("a table without floor rows mentions the mark:\n%s", table)
	}
}

// Holm over the four rows' TOST p-values, by hand: d's 0.001 x4 = 0.004, a's 0.01 x3 = 0.03, b's 0.03 x2
// = 0.06, c's 0.04 x1 raised to the running maximum 0.06; so of the three unadjusted equivalences (a, b,
// c) only a holds, and d, which differs (Holm p < alpha), is not an equivalence whatever its TOST p.
func TestFidelityHolmEquivalences(t *testing.T) {
	row := func(label string, holm, tost float64) FidelityRowOutcome {
		return FidelityRowOutcome{Row: FidelityRow{Label: label}, Holm: holm, TOST: Equivalence{P: tost}}
	}
	f := FidelityOutcome{Plan: Fidelity(), Rows: []FidelityRowOutcome{
		row("a", 1, 0.01), row("b", 1, 0.03), row("c", 1, 0.04), row("d", 0.001, 0.001)}}
	n, held, err := f.HolmEquivalences()
	if err != nil || n != 3 || len(held) != 1 || held[0] != "a" {
		t.Errorf("HolmEquivalences = %d, %v, %v; want 3 equivalences, [a] holding", n, held, err)
	}
}

// FidelityMetrics records the train set's error (the run's own evaluation) and the notebook's ablation on
// both sets: the ablated numbers equal an independent evaluation of the trained model with its first
// int(0.2*200) = 40 input rows set to 0 by hand, and every metric is in its range.
func TestFidelityMetrics(t *testing.T) {
	cfg := tinyConfig()
	cfg.Epochs, cfg.DalesLaw, cfg.InhibitoryFraction = 1, true, 0.2
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := FidelityMetrics(x)
	if err != nil {
		t.Fatal(err)
	}
	a := x.Trained.Clone()
	for i := 0; i < 40*a.W1.Cols; i++ {
		a.W1.Data[i] = 0
	}
	for _, set := range []struct {
		name string
		d    *snn.Dataset
	}{{"train", x.Train}, {"test", x.Test}} {
		ev, err := snn.Evaluate(a, set.d, gobackend.GetBackend())
		if err != nil {
			t.Fatal(err)
		}
		if g := got["ablated_"+set.name+"_accuracy"]; g != ev.Accuracy {
			t.Errorf("ablated %s accuracy %v, by hand %v", set.name, g, ev.Accuracy)
		}
		if g := got["ablated_"+set.name+"_error_deg"]; g != ev.AbsErrorDeg {
			t.Errorf("ablated %s error %v, by hand %v", set.name, g, ev.AbsErrorDeg)
		}
	}
	if got["train_error_deg"] != x.TrainEval.AbsErrorDeg {
		t.Errorf("train error %v, the run's evaluation %v", got["train_error_deg"], x.TrainEval.AbsErrorDeg)
	}
	for _, name := range FidelityMetricNames() {
		v, ok := got[name]
		if !ok {
			t.Fatalf("no metric %q", name)
		}
		if rg, ok := rangeOf(name); !ok || v < rg.lo || v > rg.hi {
			t.Errorf("%s = %v outside its range", name, v)
		}
	}
}
