package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// forwardExec runs the network without gradients:
// (w1 [I, H], w2 [H, C] effective weights, x, labels) -> (m [C, batch], mean NLL loss).
type forwardExec struct {
	cfg   Config
	exec  *Exec
	in    *batchInput
	batch int
}

func newForward(backend compute.Backend, cfg Config, batch int) (*forwardExec, error) {
	exec, err := NewExec(backend, func(w1, w2, x, y *Node) (*Node, *Node) {
		m := readoutSum(cfg, w1, w2, x, batch)
		_, loss := logitsAndLoss(cfg, m, y)
		return m, loss
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build forward graph: %w", err)
	}
	return &forwardExec{cfg: cfg, exec: exec, in: newBatchInput(cfg, batch), batch: batch}, nil
}

// run evaluates samples idx of d (at most one batch). m is [C][batch] flattened.
func (f *forwardExec) run(w1, w2 *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error) {
	f.in.fill(d, idx, f.cfg.NumClasses)
	x, y := f.in.tensors(f.cfg)
	out, err := f.exec.Call(w1, w2, x, y)
	if err != nil {
		return nil, 0, fmt.Errorf("snn: run forward graph: %w", err)
	}
	defer func() {
		for _, t := range out {
			t.FinalizeAll()
		}
		x.FinalizeAll()
		y.FinalizeAll()
	}()
	m = tensors.MustCopyFlatData[float32](out[0])
	loss = float64(tensors.ToScalar[float32](out[1]))
	return m, loss, nil
}

func matrixTensor(w Matrix) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(append([]float32(nil), w.Data...), w.Rows, w.Cols)
}
