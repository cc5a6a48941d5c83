package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// SimulateLIF runs the notebook's hidden-layer update (LIFStep) on given input currents of one sample,
// h [steps][units], and returns the membrane records v and the spike records s, each [steps+1][units]:
// record 0 is the initial state (0) and record k+1 the state after step k. It runs the same graph code
// as training, so it doubles as a check of the update order and as a probe for analysis.
func SimulateLIF(backend compute.Backend, h [][]float32, alpha, beta float64) (v, s [][]float32, err error) {
	if len(h) == 0 || len(h[0]) == 0 {
		return nil, nil, fmt.Errorf("snn: SimulateLIF: empty input currents")
	}
	steps, units := len(h), len(h[0])
	flat := make([]float32, 0, steps*units)
	for k, row := range h {
		if len(row) != units {
			return nil, nil, fmt.Errorf("snn: SimulateLIF: step %d has %d units, step 0 has %d", k, len(row), units)
		}
		flat = append(flat, row...)
	}
	if backend, err = BackendOrDefault(backend); err != nil {
		return nil, nil, err
	}
	exec, err := NewExec(backend, func(h *Node) (*Node, *Node) {
		vk := ZerosLike(Slice(h, AxisElem(0), AxisRange()))
		vk = Reshape(vk, units)
		sk := vk
		vs, ss := []*Node{vk}, []*Node{sk}
		for k := 0; k < steps; k++ {
			hk := Reshape(Slice(h, AxisElem(k), AxisRange()), units)
			vk, sk = LIFStep(vk, sk, hk, alpha, beta)
			vs, ss = append(vs, vk), append(ss, sk)
		}
		return Stack(vs, 0), Stack(ss, 0)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("snn: SimulateLIF: %w", err)
	}
	out, err := exec.Call(tensors.FromFlatDataAndDimensions(flat, steps, units))
	if err != nil {
		return nil, nil, fmt.Errorf("snn: SimulateLIF: %w", err)
	}
	split := func(t *tensors.Tensor) [][]float32 {
		d := tensors.MustCopyFlatData[float32](t)
		rows := make([][]float32, steps+1)
		for k := range rows {
			rows[k] = d[k*units : (k+1)*units]
		}
		return rows
	}
	return split(out[0]), split(out[1]), nil
}
