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
