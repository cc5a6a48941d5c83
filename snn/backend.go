package snn

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

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

// CheckBackend reports whether NewBackend can start the backend $GOMLX_BACKEND names, and releases the one
// it started: for a command that refuses a bad setting before it makes anything, and starts its runs'
// backends later.
func CheckBackend() error {
	b, err := NewBackend()
	if err != nil {
		return err
	}
	b.Finalize()
	return nil
}

// BackendFromConfig is NewBackend for an explicit configuration string ("" means pure Go).
func BackendFromConfig(config string) (compute.Backend, error) {
	name, opts, _ := strings.Cut(config, ":")
	switch name {
	case "", gobackend.BackendName:
		if err := checkGoOptions(opts); err != nil {
			return nil, fmt.Errorf("snn: %s=%q: %w", BackendEnv, config, err)
		}
		b, err := newGoBackend(opts)
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

// checkGoOptions refuses pure-Go backend options that would give meaningless results or that GoMLX
// takes without a check: no_ops (a debugging switch that skips every operation: a run would train nothing,
// score at chance, and be cached as a result), a parallelism other than an integer of -1 or more (GoMLX's
// -1: unlimited; 0: no parallelism; N: at most N workers; it reads any other negative number as -1), and a
// num_executors that is not a positive integer, and any option not in GoMLX v0.28's list (GoMLX's own
// message for one would offer no_ops). The others (ops_sequential, ops_parallel, dependency_order,
// creation_order) pass to GoMLX.
func checkGoOptions(opts string) error {
	for _, part := range strings.Split(opts, ",") {
		key, value, _ := strings.Cut(part, "=")
		switch key {
		case "no_ops":
			return fmt.Errorf("the option no_ops turns off every computation (a run would score at chance and be " +
				"cached as a result): want go or go:<options> without it, e.g. go:ops_sequential or go:parallelism=2")
		case "parallelism":
			if n, err := strconv.Atoi(value); err != nil || n < -1 {
				return fmt.Errorf("%s=%q: want an integer: -1 (unlimited), 0 (none) or the most workers", key, value)
			}
		case "num_executors":
			if n, err := strconv.Atoi(value); err != nil || n < 1 {
				return fmt.Errorf("%s=%q: want a positive integer", key, value)
			}
		case "", "ops_sequential", "ops_parallel", "dependency_order", "creation_order":
		default: // GoMLX's own message would list no_ops among the choices
			return fmt.Errorf("unknown option %q for the pure-Go backend: want a comma-separated list of parallelism=N, "+
				"num_executors=N, ops_sequential, ops_parallel, dependency_order or creation_order, e.g. go:ops_sequential", part)
		}
	}
	return nil
}

// stdoutSwap serialises newGoBackend's swap of os.Stdout.
var stdoutSwap sync.Mutex

// newGoBackend is gobackend.New with what GoMLX prints to standard output while it parses a parallelism
// option ("Go backend: parallelism set to N") sent to standard error instead, so that a command's
// standard output stays its own (benchstep's JSON lines, which snn/bench/compare.sh parses). The swap is
// made only for that option (the only one GoMLX prints for): while it lasts, anything another goroutine
// prints goes to standard error too.
func newGoBackend(opts string) (compute.Backend, error) {
	if !strings.Contains(opts, "parallelism") {
		return gobackend.New(opts)
	}
	stdoutSwap.Lock()
	defer stdoutSwap.Unlock()
	out := os.Stdout
	os.Stdout = os.Stderr
	defer func() { os.Stdout = out }()
	return gobackend.New(opts)
}
