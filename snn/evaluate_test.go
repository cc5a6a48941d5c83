package snn

import (
	"fmt"
	"strings"
	"testing"
)

func TestReportLines(t *testing.T) {
	// The notebook's own output for its 0.5 run: 92.7% and 4.0 deg.
	e := &Evaluation{Accuracy: 0.927, AbsErrorDeg: 4.04}
	want := "Train classifier accuracy: 92.7%\nTrain absolute error: 4.0 deg\n"
	if got := e.Report("Train"); got != want {
		t.Errorf("Report = %q, want %q", got, want)
	}
	if got := ChanceReport(12); got != "Chance accuracy level: 8.3%\n" {
		t.Errorf("ChanceReport = %q", got)
	}
}

func TestNormalisedConfusion(t *testing.T) {
	e := &Evaluation{Confusion: [][]float64{{3, 0, 0}, {1, 2, 0}, {0, 2, 0}}} // [est][true]
	n := e.NormalisedConfusion()
	want := [][]float64{{0.75, 0, 0}, {0.25, 0.5, 0}, {0, 0.5, 0}} // columns sum to 1, empty column stays 0
	for i := range want {
		for j := range want[i] {
			if n[i][j] != want[i][j] {
				t.Errorf("normalised[%d][%d] = %v, want %v", i, j, n[i][j], want[i][j])
			}
		}
	}
}

// Evaluate scores every sample, including a final partial batch, and agrees with its own confusion.
func TestEvaluateCounts(t *testing.T) {
	cfg := tinyConfig()
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := GenerateStimulus(cfg, 37, 1, 9) // 2 full batches of 16 and 5 more
	ev, err := Evaluate(m, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	total, diag := 0.0, 0.0
	for i := range ev.Confusion {
		for j := range ev.Confusion[i] {
			total += ev.Confusion[i][j]
		}
		diag += ev.Confusion[i][i]
	}
	if total != 37 || len(ev.IPDTrue) != 37 || diag/37 != ev.Accuracy {
		t.Errorf("confusion total %v, %d true IPDs, diagonal %v vs accuracy %v", total, len(ev.IPDTrue), diag, ev.Accuracy)
	}
	if !strings.Contains(ev.Report("Test"), "Test classifier accuracy: ") {
		t.Error("report line missing")
	}
}

// An Evaluator refuses a model of another configuration than the one it compiled, naming each setting that
// differs with both values (the message had printed two equal size lists when only Tau differed).
func TestEvaluatorRefusesAnotherConfig(t *testing.T) {
	cfg := Quick(DefaultConfig())
	ev, err := NewEvaluator(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := cfg
	other.Tau, other.ReadoutScale = 2*cfg.Tau, 0.02
	m, err := NewModel(other)
	if err != nil {
		t.Fatal(err)
	}
	_, _, test, err := GenerateData(other)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ev.Evaluate(m, test)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("alpha (Tau, DT) %v, the model's %v", cfg.Alpha(), other.Alpha())) ||
		!strings.Contains(err.Error(), "ReadoutScale 0.01, the model's 0.02") || strings.Contains(err.Error(), "NumHidden") {
		t.Errorf("another Tau and ReadoutScale: %v", err)
	}
	same, _ := NewModel(cfg)
	if _, err := ev.Evaluate(same, test); err != nil {
		t.Errorf("the evaluator's own configuration refused: %v", err)
	}
}
