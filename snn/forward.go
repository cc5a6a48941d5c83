package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// forwardExec runs the network without gradients on one batch: the input projection from the spike
// lists and the LIF recurrence in Go (spikeColumns.project, lifKernel.forward), then the graph
// (r, w2 effective, labels) -> (m = r w2 [batch, classes], mean NLL loss).
type forwardExec struct {
	cfg   Config
	exec  *Exec
	cols  *spikeColumns
	lif   *lifKernel
	p, r  []float32
	batch int
}

func newForward(backend compute.Backend, cfg Config, batch int) (*forwardExec, error) {
	exec, err := newReadoutForwardExec(backend, cfg)
	if err != nil {
		return nil, fmt.Errorf("snn: build forward graph: %w", err)
	}
	return &forwardExec{cfg: cfg, exec: exec, cols: newSpikeColumns(cfg, batch), lif: newLIFKernel(cfg),
		p: make([]float32, (cfg.NumSteps()-1)*batch*cfg.NumHidden), r: make([]float32, batch*cfg.NumHidden),
		batch: batch}, nil
}

// run evaluates samples idx of d (at most one batch) with effective weights w1 [I, H] and w2 [H, C].
// m is the readout summed over time, [batch][classes] flattened.
func (f *forwardExec) run(w inputWeights, w2 *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error) {
	w1 := w.eff
	f.cols.fill(d, idx, f.cfg.NumClasses)
	f.cols.project(w1, f.p)
	f.lif.forward(f.p, f.batch, f.r, false)
	r := tensors.FromFlatDataAndDimensions(f.r, f.batch, f.cfg.NumHidden)
	y := tensors.FromFlatDataAndDimensions(f.cols.labels, f.batch)
	out, err := f.exec.Call(r, w2, y)
	r.FinalizeAll()
	y.FinalizeAll()
	if err != nil {
		return nil, 0, fmt.Errorf("snn: run forward graph: %w", err)
	}
	return finishForward(out)
}

func (f *forwardExec) batchSize() int { return f.batch }

// newReadoutForwardExec builds the graph that ends the Go-kernel forward passes whose hidden layer ends in
// the readout's weighted spike sums r [batch, H]: (r, w2 effective, labels) -> (m = r w2 [batch, classes],
// mean NLL loss).
func newReadoutForwardExec(backend compute.Backend, cfg Config) (*Exec, error) {
	return NewExec(backend, func(r, w2, y *Node) (*Node, *Node) {
		m := Dot(r, w2).Product()
		return m, lossFromReadout(cfg, m, y)
	})
}

// finishForward copies a forward graph's outputs (m, loss) to Go and frees them.
func finishForward(out []*tensors.Tensor) (m []float32, loss float64, err error) {
	m = tensors.MustCopyFlatData[float32](out[0])
	loss = float64(tensors.ToScalar[float32](out[1]))
	freeAll(out)
	return m, loss, nil
}

// callRecords calls a training step's readout graph (call: its Exec's Call) on the hidden layer's records
// rec [rows, cols] and the batch's labels, frees those two inputs, and returns the graph's outputs and its
// loss, out[0]. The caller frees the outputs (freeAll).
func callRecords(call func(args ...any) ([]*tensors.Tensor, error), rec []float32, rows, cols int, labels []int32) (out []*tensors.Tensor, loss float64, err error) {
	out, err = callFreeing(call, tensors.FromFlatDataAndDimensions(rec, rows, cols),
		tensors.FromFlatDataAndDimensions(labels, len(labels)))
	if err != nil {
		return nil, 0, err
	}
	return out, float64(tensors.ToScalar[float32](out[0])), nil
}

// freeAll frees tensors.
func freeAll(ts []*tensors.Tensor) {
	for _, t := range ts {
		t.FinalizeAll()
	}
}

// callFreeing calls a compiled graph (call: a graph or model Exec's Call) on args and frees the arguments.
func callFreeing(call func(args ...any) ([]*tensors.Tensor, error), args ...*tensors.Tensor) ([]*tensors.Tensor, error) {
	in := make([]any, len(args))
	for i, t := range args {
		in[i] = t
	}
	out, err := call(in...)
	freeAll(args)
	return out, err
}

func matrixTensor(w Matrix) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(append([]float32(nil), w.Data...), w.Rows, w.Cols)
}
