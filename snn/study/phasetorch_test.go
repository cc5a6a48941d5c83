package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTorchPhase writes a torch_phase.py record for seed into dir/TorchPhaseCache, each fraction's
// accuracy at shift k being base + 0.01 k.
func writeTorchPhase(t *testing.T, dir string, seed uint64, base float64) {
	t.Helper()
	rec := map[string]any{"seed": seed, "samples": TorchPhaseSamples}
	for _, f := range []string{"0.5", "0.2"} {
		sec := map[string]any{"train_accuracy": 0.9, "test_accuracy": 0.7, "phase_test_shift": 0.25, "phase_acc_test": 0.71,
			"seconds": 100.0}
		for k := 0; k < 12; k++ {
			sec[phaseAccName(k)] = base + 0.01*float64(k)
		}
		rec[f] = sec
	}
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, TorchPhaseCache), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, TorchPhaseCache, fmt.Sprintf("torch_s%d.json", seed)), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TorchPhaseRuns turns each seed's record into two runs carrying the phase metrics; a missing record
// names the script that writes it, and an accuracy outside [0, 1] names the field.
func TestTorchPhaseRuns(t *testing.T) {
	dir := t.TempDir()
	for _, s := range TorchPhaseSeeds() {
		writeTorchPhase(t, dir, s, 0.5+0.01*float64(s))
	}
	runs, err := TorchPhaseRuns(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 20 {
		t.Fatalf("%d runs, want 20", len(runs))
	}
	r := runs[5] // seed 3 at 0.2
	if r.Seed != 3 || r.Fraction != 0.2 || r.Condition != TorchPhaseCondition || r.TestAccuracy != 0.7 || r.TrainAccuracy != 0.9 ||
		r.Extra["phase_acc_11"] != 0.53+0.11 || r.Extra["phase_test_shift"] != 0.25 || r.Extra["phase_acc_test"] != 0.71 || r.Seconds != 100 {
		t.Errorf("run %+v", r)
	}
	curves, err := PhaseCurves(runs, TorchPhaseGroups()[0])
	if err != nil || len(curves) != 10 {
		t.Fatalf("curves of the original's network: %v, %d", err, len(curves))
	}
	raw, err := os.ReadFile(filepath.Join(dir, TorchPhaseCache, "torch_s4.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`"samples":2048`, `"samples":1024`, "samples 1024, want 2048"},
		{`"samples":2048`, `"samplez":2048`, "want 2048"},
		{`"0.2":`, `"0.25":`, `section "0.2"`},
	} {
		bad := strings.Replace(string(raw), c.from, c.to, 1)
		if bad == string(raw) {
			t.Fatalf("the record lacks %s", c.from)
		}
		if err := os.WriteFile(filepath.Join(dir, TorchPhaseCache, "torch_s4.json"), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := TorchPhaseRuns(dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s replaced by %s: %v, want an error with %q", c.from, c.to, err, c.want)
		}
	}
	writeTorchPhase(t, dir, 4, 1.5) // accuracies above 1
	if _, err := TorchPhaseRuns(dir); err == nil || !strings.Contains(err.Error(), "phase_acc_00 is 1.5") {
		t.Errorf("an accuracy of 1.5: %v, want an error naming it", err)
	}
	os.Remove(filepath.Join(dir, TorchPhaseCache, "torch_s4.json"))
	if _, err := TorchPhaseRuns(dir); err == nil || !strings.Contains(err.Error(), "torch_phase.sh") {
		t.Errorf("a missing record: %v, want an error naming the script", err)
	}
}

// The committed PyTorch phase records of seeds 1-5 trained the fidelity table's networks again: the same
// draws in the same order give the same train and test accuracies, bit for bit, at both fractions.
func TestTorchPhaseRepeatsFidelity(t *testing.T) {
	results := filepath.Join("..", "..", "notebooks", "results")
	runs, err := TorchPhaseRuns(results)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range runs {
		if r.Seed > 5 {
			continue
		}
		rec, err := readTorchRecord(filepath.Join(results, Fidelity().TorchCache), r.Seed)
		if err != nil {
			t.Fatal(err)
		}
		sec := rec.Sections[fmt.Sprint(r.Fraction)]
		if r.TrainAccuracy != sec["train_accuracy"] || r.TestAccuracy != sec["test_accuracy"] {
			t.Errorf("seed %d at %v: train %v test %v, the fidelity record %v and %v", r.Seed, r.Fraction,
				r.TrainAccuracy, r.TestAccuracy, sec["train_accuracy"], sec["test_accuracy"])
		}
		checked++
	}
	if checked != 10 {
		t.Errorf("%d runs of seeds 1-5 checked, want 10", checked)
	}
}
