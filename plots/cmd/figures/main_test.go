package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// With -dir the file at the notebook's name must hold the notebook's configuration at that fraction
// (issue 24: a 0.5 model at the 0.2 name was plotted as 0.2, exit 0).
func TestDirChecksTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	cfg := snn.DefaultConfig()
	cfg.ANFPerEar = 3
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := snn.DefaultConfig()
	want.InhibitoryFraction = 0.2
	path := filepath.Join(dir, snn.CheckpointName(want))
	if err := snn.SaveCheckpoint(path, m); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "figures")
	err = run(path, out, &want)
	if err == nil || !strings.Contains(err.Error(), "holds a model of another configuration (inhibitory fraction 0.5") {
		t.Errorf("a 0.5 model at the 0.2 name: %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("figures were written for the wrong model")
	}
}

// A model whose input rows cannot be cut as the notebook does (here an untrained one at inhibitory fraction
// 0.7: 60 excitatory rows, fewer than the 140 the excitatory control cuts) gets every figure but the
// ablation's, and no error (it used to fail after evaluating the model, with no file named).
func TestNoAblationFigures(t *testing.T) {
	dir := t.TempDir()
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction, cfg.TrainBatches, cfg.TestBatches = 0.7, 1, 1
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.History.TrainLoss, m.History.ValLoss = []float64{2.4, 2.3}, []float64{2.45, 2.35} // two epochs for the loss figure
	path := filepath.Join(dir, "f07.ckpt")
	if err := snn.SaveCheckpoint(path, m); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "figures")
	if err := run(path, out, nil); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"loss.svg": true, "weights_signed.svg": true, "ablation_bars.svg": false, "ablation_mask.svg": false} {
		if _, err := os.Stat(filepath.Join(out, name)); (err == nil) != want {
			t.Errorf("%s written: %v, want %v", name, err == nil, want)
		}
	}
}

// Bad flags are refused by name before any file is read: empty values, -ckpt with -dir or -fraction,
// neither, words after the flags; -fraction -0 names the same model as 0.
func TestParseFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-out", "", "-ckpt", "x.ckpt"}, `-out "": want the folder for the figures`},
		{[]string{"-dir", "", "-fraction", "0.5"}, `-dir "": want the folder of the notebook's models`},
		{[]string{"-ckpt", " "}, `-ckpt " ": want a checkpoint file`},
		{[]string{"-ckpt", "x.ckpt", "-dir", "d"}, "give -ckpt or -dir, not both"},
		{[]string{"-ckpt", "x.ckpt", "-fraction", "0.5"}, "-fraction: only with -dir"},
		{[]string{}, "give -ckpt, or -dir and -fraction"},
		{[]string{"-ckpt", "x.ckpt", "extra"}, `unexpected argument "extra"`},
		{[]string{"-dir", "d", "-fraction", "1.5"}, "-fraction: "},
	} {
		if _, _, _, err := parseFlags(c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error naming %q", c.args, err, c.want)
		}
	}
	a, _, _, errA := parseFlags([]string{"-dir", "d", "-fraction", "-0"})
	b, _, _, errB := parseFlags([]string{"-dir", "d", "-fraction", "0"})
	if errA != nil || errB != nil || a != b {
		t.Errorf("-fraction -0 names %q (%v), 0 names %q (%v): want the same file", a, errA, b, errB)
	}
}
