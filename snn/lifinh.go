package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// inputWeights are what a forward pass needs of the input layer: the effective matrix W1eff [I, H], or,
// for inhibitory units with a state of their own (Config.separateInhibition: LIF, delayed or filtered units), the
// non-negative matrices f(W_EE) [I, H], f(W_IE) [I, n_i] and f(W_EI) [n_i, H].
type inputWeights struct {
	eff        Matrix
	ee, ie, ei Matrix
	// shunt holds both layers of a network with shunting inhibition (Config.Shunting), applied; the
	// forward pass then takes its readout from shunt[1], not from the effective readout matrix.
	shunt *[2]shuntLayer
}

// inputWeights returns the input layer of m as a forward pass takes it.
func (m *Model) inputWeights() inputWeights {
	if m.Config.Shunting() {
		l1, l2, err := m.shuntLayers()
		if err != nil { // m.check() has verified the parameters
			panic(err)
		}
		return inputWeights{eff: m.EffectiveW1(), shunt: &[2]shuntLayer{l1, l2}}
	}
	if m.Config.separateInhibition() {
		p := m.Config.SignParam
		return inputWeights{ee: positive(m.W1, p), ie: positive(m.Pop.IE1, p), ei: positive(m.Pop.EI1, p)}
	}
	return inputWeights{eff: m.EffectiveW1()}
}

// readoutSumLIFInh is readoutSum for a hidden layer whose inhibitory units have a state of their own
// (Config.separateInhibition: InhibitoryLIF, InhibitoryDelayed or InhibitoryFiltered): with ee [I, H], ie [I, n_i],
// ei [n_i, H] (weights >= 0), w2 [H, C] and x [I, (T-1)*batch], per step k
//
//	h^E_k = W_EE^T x_k - W_EI^T s^I_k      (s^I_k: the units' record before step k, graphUnits.record)
//	h^I_k = W_IE^T x_k
//	(v^E, s^E) <- LIFStep(v^E, s^E, h^E_k),  then the units advance on h^I_k
//
// (LIF units: (v^I, s^I) <- LIFStep(v^I, s^I, h^I_k); delayed ones: s^I_k = h^I_{k-d}), and the readout
// reads the excitatory spikes as readoutSum does. Returns [C, batch] and, with withRecSum (training with the
// rate cap, Config.rateCapOn), recSum [n_i, batch]: each unit's records after its S advances, summed (else nil).
func readoutSumLIFInh(cfg Config, ee, ie, ei, w2, x *Node, batch int, withRecSum bool) (sum, recSum *Node) {
	T, H, ni := cfg.NumSteps(), cfg.NumHidden, cfg.NumInhibitory
	alpha, beta := cfg.Alpha(), cfg.SurrogateBeta
	c := ReadoutWeights(T, alpha)
	g := x.Graph()
	pE := Reshape(DotGeneral(ee, []int{0}, nil, x, []int{0}, nil), H, T-1, batch)
	pI := Reshape(DotGeneral(ie, []int{0}, nil, x, []int{0}, nil), ni, T-1, batch)
	vE := Zeros(g, shapes.Make(dtypes.Float32, H, batch))
	sE, weighted := vE, vE
	u, _ := inhibitoryModelOf(cfg.InhibitoryUnits)
	units := u.newGraph(cfg, g, ni, batch)
	for start := 0; start < T-1; start += chunkSteps {
		end := min(start+chunkSteps, T-1)
		chunkE := Slice(pE, AxisRange(), AxisRange(start, end), AxisRange())
		chunkI := Slice(pI, AxisRange(), AxisRange(start, end), AxisRange())
		for k := start; k < end; k++ {
			hE := Reshape(Slice(chunkE, AxisRange(), AxisElem(k-start), AxisRange()), H, batch)
			hI := Reshape(Slice(chunkI, AxisRange(), AxisElem(k-start), AxisRange()), ni, batch)
			hE = Sub(hE, DotGeneral(ei, []int{0}, nil, units.record(), []int{0}, nil)) // W_EI^T s^I_k [H, B]
			vE, sE = LIFStep(vE, sE, hE, alpha, beta)
			units.advance(hI)
			if withRecSum {
				if recSum == nil {
					recSum = units.record()
				} else {
					recSum = Add(recSum, units.record())
				}
			}
			if c[k+1] != 0 {
				weighted = Add(weighted, MulScalar(sE, c[k+1]))
			}
		}
	}
	return DotGeneral(w2, []int{0}, nil, weighted, []int{0}, nil), recSum
}

// lifInhForward is the forward pass of a network with LIF inhibitory units, in one graph:
// (x, ee, ie, ei, w2, labels) -> (m [batch, classes], mean NLL loss).
type lifInhForward struct {
	cfg  Config
	exec *Exec
	in   *batchInput
}

func newLIFInhForward(backend compute.Backend, cfg Config, batch int) (*lifInhForward, error) {
	exec, err := NewExec(backend, func(x, ee, ie, ei, w2, y *Node) (*Node, *Node) {
		sum, _ := readoutSumLIFInh(cfg, ee, ie, ei, w2, x, batch, false) // evaluation: no rate cap penalty
		m := Transpose(sum, 0, 1)
		return m, lossFromReadout(cfg, m, y)
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build forward graph (LIF inhibitory units): %w", err)
	}
	return &lifInhForward{cfg: cfg, exec: exec, in: newBatchInput(cfg, batch)}, nil
}

func (f *lifInhForward) batchSize() int { return f.in.batch }

func (f *lifInhForward) run(w inputWeights, w2 *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error) {
	if len(w.ee.Data) == 0 {
		return nil, 0, fmt.Errorf("snn: the forward pass of LIF inhibitory units needs W_EE, W_IE and W_EI")
	}
	f.in.fill(d, idx, f.cfg.NumClasses)
	x, y := f.in.tensors(f.cfg)
	ee, ie, ei := matrixTensor(w.ee), matrixTensor(w.ie), matrixTensor(w.ei)
	out, err := f.exec.Call(x, ee, ie, ei, w2, y)
	for _, t := range []*tensors.Tensor{x, y, ee, ie, ei} {
		t.FinalizeAll()
	}
	if err != nil {
		return nil, 0, fmt.Errorf("snn: run forward graph: %w", err)
	}
	return finishForward(out)
}
