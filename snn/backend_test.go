package snn

import (
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
