package snn

import (
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// FormulationAuto picks the Go kernels on the pure-Go backend (NewBackend's default, and the one tests
// pass explicitly); an unknown name is an error that lists the valid ones.
func TestFormulationResolve(t *testing.T) {
	def, err := NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ f, want Formulation }{
		{FormulationAuto, FormulationGoKernels},
		{FormulationGoKernels, FormulationGoKernels},
		{FormulationGraph, FormulationGraph},
	} {
		for _, b := range []interface{ String() string }{def, gobackend.GetBackend()} {
			got, err := c.f.Resolve(b)
			if err != nil || got != c.want {
				t.Errorf("%q on backend %s: got %q, %v; want %q", c.f, b, got, err, c.want)
			}
		}
	}
	_, err = Formulation("fused").Resolve(def)
	if err == nil || !strings.Contains(err.Error(), `"fused"`) || !strings.Contains(err.Error(), "go-kernels") {
		t.Errorf("unknown formulation: error %v, want one naming \"fused\" and the valid names", err)
	}
}
