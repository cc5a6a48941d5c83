package snn

import (
	"fmt"
	"os"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// BackendEnv is the environment variable that selects the compute backend ("GOMLX_BACKEND").
const BackendEnv = compute.ConfigEnvVar

// xlaAvailable is set by backend_xla.go when the binary is built with the "xla" tag.
var xlaAvailable = false

// NewBackend returns the compute backend named by $GOMLX_BACKEND, or GoMLX's pure-Go backend when the
// variable is unset or empty. Accepted values:
//
//	go, go:<options>          pure Go (the default), e.g. go:ops_sequential or go:parallelism=2
//	xla:cpu, xla:cuda, xla:/path/to/pjrt_plugin.so
//	                          XLA through a PJRT plugin; needs a binary built with -tags xla and a plugin
//	                          already installed (nothing is downloaded)
func NewBackend() (compute.Backend, error) {
	return BackendFromConfig(os.Getenv(BackendEnv))
}

// BackendOrDefault returns b, or NewBackend() when b is nil: the one place that says what a nil backend
// means throughout the package (TrainOptions.Backend, Evaluate, NewEvaluator, SimulateLIF,
// ExperimentFromModel) and in snn/study.
func BackendOrDefault(b compute.Backend) (compute.Backend, error) {
	if b != nil {
		return b, nil
	}
	return NewBackend()
}

// BackendFromConfig is NewBackend for an explicit configuration string ("" means pure Go).
func BackendFromConfig(config string) (compute.Backend, error) {
	name, opts, _ := strings.Cut(config, ":")
	switch name {
	case "", gobackend.BackendName:
		b, err := gobackend.New(opts)
		if err != nil {
			return nil, fmt.Errorf("snn: %s=%q: %w", BackendEnv, config, err)
		}
		return b, nil
	case "xla", "stablehlo", "hlo", "shlo":
		if !xlaAvailable {
			return nil, fmt.Errorf("snn: %s=%q asks for XLA, but this binary was built without XLA support: "+
				"rebuild with `-tags xla` on a machine that has a PJRT plugin, or unset %s to use the pure-Go backend",
				BackendEnv, config, BackendEnv)
		}
		b, err := newXLA(opts)
		if err != nil {
			return nil, fmt.Errorf("snn: %s=%q: XLA backend could not start (%v); "+
				"install the PJRT plugin (see the README's Backends section) or unset %s to use the pure-Go backend",
				BackendEnv, config, err, BackendEnv)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("snn: %s=%q names an unknown backend %q: want \"go\" (default), \"go:<options>\", "+
			"\"xla:cpu\", \"xla:cuda\" or \"xla:/path/to/plugin.so\"", BackendEnv, config, name)
	}
}

// newXLA is replaced by backend_xla.go in builds with the "xla" tag.
var newXLA = func(string) (compute.Backend, error) {
	return nil, fmt.Errorf("XLA support not compiled in")
}
