package snn

import (
	"io"
	"os"
	"strings"
	"testing"
)

func TestBackendSelection(t *testing.T) {
	for _, cfg := range []string{"", "go", "go:ops_sequential"} {
		b, err := BackendFromConfig(cfg)
		if err != nil {
			t.Errorf("%q: %v", cfg, err)
			continue
		}
		if b.Name() != "Go Backend" {
			t.Errorf("%q gave backend %q", cfg, b.Name())
		}
	}
	t.Setenv(BackendEnv, "")
	if b, err := NewBackend(); err != nil || b.Name() != "Go Backend" {
		t.Errorf("empty %s: %v, %v", BackendEnv, b, err)
	}
	if _, err := BackendFromConfig("go:warp_speed"); err == nil || !strings.Contains(err.Error(), "warp_speed") {
		t.Errorf("bad Go option: %v", err)
	}
	if _, err := BackendFromConfig("tpu"); err == nil || !strings.Contains(err.Error(), `"tpu"`) {
		t.Errorf("unknown backend: %v", err)
	}
	_, err := BackendFromConfig("xla:cpu")
	switch {
	case !xlaAvailable && (err == nil || !strings.Contains(err.Error(), "-tags xla") || !strings.Contains(err.Error(), "unset")):
		t.Errorf("XLA without the build tag: %v", err)
	case xlaAvailable && err != nil && !strings.Contains(err.Error(), "unset "+BackendEnv):
		// Built with -tags xla on a machine without the plugin: an error that says how to fall back.
		t.Errorf("XLA without a plugin: %v", err)
	}
}

// Options of the pure-Go backend that would make results meaningless, or that GoMLX takes without a
// check, are refused with the value and what is allowed; a valid parallelism is accepted, and what GoMLX
// prints about it does not reach standard output (benchstep's JSON lines there are parsed by compare.sh).
func TestBackendGoOptions(t *testing.T) {
	for cfg, want := range map[string]string{
		"go:no_ops":                "no_ops turns off every computation",
		"go:ops_sequential,no_ops": "no_ops turns off every computation",
		"go:parallelism=-5":        `parallelism="-5": want an integer`,
		"go:parallelism=abc":       `parallelism="abc": want an integer`,
		"go:num_executors=0":       `num_executors="0": want a positive integer`,
		"go:parallelism=":          `parallelism="": want an integer`,
		"go:bogus":                 `unknown option "bogus" for the pure-Go backend: want a comma-separated list of parallelism=N`,
		"go:ops_parallel,x=1":      `unknown option "x=1"`,
	} {
		_, err := BackendFromConfig(cfg)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), cfg) ||
			(!strings.Contains(cfg, "no_ops") && strings.Contains(err.Error(), "no_ops")) {
			t.Errorf("%q: %v, want an error naming it and %q (and not offering no_ops)", cfg, err, want)
		}
	}
	// Every option GoMLX v0.28's pure-Go backend lists, but no_ops, is accepted, alone or together.
	for _, cfg := range []string{"go:parallelism=-1", "go:parallelism=0", "go:", "go:ops_sequential", "go:ops_parallel",
		"go:dependency_order", "go:creation_order", "go:num_executors=2", "go:ops_sequential,creation_order"} { // -1, 0: GoMLX's unlimited and none
		if _, err := BackendFromConfig(cfg); err != nil {
			t.Errorf("%q: %v", cfg, err)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	b, err := BackendFromConfig("go:parallelism=2")
	os.Stdout = stdout
	w.Close()
	printed, _ := io.ReadAll(r)
	if err != nil || b == nil {
		t.Fatalf("go:parallelism=2: %v", err)
	}
	if len(printed) > 0 {
		t.Errorf("go:parallelism=2 printed %q on standard output", printed)
	}
}
