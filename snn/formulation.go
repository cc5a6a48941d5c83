package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// Formulation says how training steps and forward passes are computed. Every formulation computes the
// same numbers up to float32 summation order (TestStepperMatchesSingleGraph).
type Formulation string

const (
	// FormulationAuto picks FormulationGoKernels on GoMLX's pure-Go backend and FormulationGraph on any
	// other backend (XLA), where copying tensors between the device and Go each step may cost more than
	// the Go kernels save. (No PJRT plugin can be obtained on the machines this project is developed
	// on, so that choice is not measured: it is the conservative default.)
	FormulationAuto Formulation = ""
	// FormulationGoKernels computes the sparse input projection, the LIF recurrence and their gradients
	// (backpropagation through time) in Go, and the readout, loss, sign parametrisation and Adam in GoMLX
	// graphs with its autodiff. Its cost is linear in time steps, hidden units and batch size.
	FormulationGoKernels Formulation = "go-kernels"
	// FormulationGraph computes the whole step in one GoMLX graph (dense input projection), with autodiff
	// for everything but the input projection's weight gradient, which is formed from the gradients of the
	// step currents in one product so that the backward pass is linear in the number of time steps
	// (linearTimeGradient). Networks with LIF inhibitory units use autodiff end to end there, superlinear
	// in steps (the Go kernels compute them in linear time).
	FormulationGraph Formulation = "graph"
)

// Resolve returns the formulation to use on backend (FormulationAuto picks by backend), or an error for
// an unknown name.
func (f Formulation) Resolve(backend fmt.Stringer) (Formulation, error) {
	switch f {
	case FormulationAuto:
		if backend.String() == gobackend.BackendName { // Name() is "Go Backend"; String() is "go"
			return FormulationGoKernels, nil
		}
		return FormulationGraph, nil
	case FormulationGoKernels, FormulationGraph:
		return f, nil
	}
	return "", fmt.Errorf("snn: formulation %q is unknown: want %q (auto), %q or %q", string(f), "",
		FormulationGoKernels, FormulationGraph)
}

// ResolveFor is Resolve for a configuration. Every network is computed by both formulations.
func (f Formulation) ResolveFor(_ Config, backend fmt.Stringer) (Formulation, error) {
	return f.Resolve(backend)
}

// newTrainStep builds the training step of m in formulation f on backend.
func newTrainStep(backend compute.Backend, m *Model, f Formulation) (trainStep, error) {
	f, err := f.ResolveFor(m.Config, backend)
	if err != nil {
		return nil, err
	}
	switch {
	case m.Config.Shunting() && f == FormulationGraph:
		return newGraphShuntStepper(backend, m)
	case m.Config.Shunting():
		return newShuntStepper(backend, m)
	case f == FormulationGraph:
		return newGraphStepper(backend, m)
	case m.Config.separateInhibition():
		return newLIFInhStepper(backend, m)
	}
	return newStepper(backend, m)
}

// newBatchForward builds the forward pass of cfg in formulation f on backend, for batches of batch.
func newBatchForward(backend compute.Backend, cfg Config, batch int, f Formulation) (batchForward, error) {
	f, err := f.ResolveFor(cfg, backend)
	if err != nil {
		return nil, err
	}
	if cfg.separateInhibition() && f == FormulationGraph {
		return newLIFInhForward(backend, cfg, batch)
	}
	if cfg.separateInhibition() {
		return newLIFInhKernelForward(backend, cfg, batch)
	}
	if cfg.Shunting() && f == FormulationGraph {
		return newGraphShuntForward(backend, cfg, batch)
	}
	if cfg.Shunting() {
		return newShuntForward(backend, cfg, batch)
	}
	if f == FormulationGraph {
		return newGraphForward(backend, cfg, batch)
	}
	return newForward(backend, cfg, batch)
}
