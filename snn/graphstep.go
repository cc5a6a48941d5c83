package snn

// The single-graph formulation of the notebook's network: the dense input projection, the recurrence,
// the readout, the loss and Adam in one GoMLX graph, with autodiff end to end. It is the reference the
// Go-kernel step (stepper) is tested against, and the formulation Train picks on backends other than
// pure Go (FormulationAuto), where host round trips may cost more than the Go kernels save.

import (
	"fmt"
	"math/bits"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// batchInput is a batch in the layout the graph takes: x [NumInputs, (NumSteps-1)*batch] with column
// t*batch + b holding step t of sample b (steps 0..NumSteps-2, the ones the notebook's loop reads), and
// labels [batch] int32 classes.
type batchInput struct {
	x      []float32
	labels []int32
	batch  int
}

func newBatchInput(cfg Config, batch int) *batchInput {
	return &batchInput{x: make([]float32, cfg.NumInputs()*(cfg.NumSteps()-1)*batch),
		labels: make([]int32, batch), batch: batch}
}

// fill packs samples idx of d (len(idx) <= batch; missing rows are left silent, label 0).
func (b *batchInput) fill(d *Dataset, idx []int, numClasses int) {
	clear(b.x)
	clear(b.labels)
	T1 := d.NumSteps - 1
	cols := T1 * b.batch
	limit := T1 * d.NumInputs // bits beyond this belong to the last step, which is not fed
	for j, n := range idx {
		b.labels[j] = int32(Discretise(d.IPD[n], numClasses))
		words := d.bits[n*d.words : (n+1)*d.words]
		for w, word := range words {
			for word != 0 {
				k := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				if k >= limit {
					break
				}
				t, i := k/d.NumInputs, k%d.NumInputs
				b.x[i*cols+t*b.batch+j] = 1
			}
		}
	}
}

func (b *batchInput) tensors(cfg Config) (*tensors.Tensor, *tensors.Tensor) {
	x := tensors.FromFlatDataAndDimensions(b.x, cfg.NumInputs(), (cfg.NumSteps()-1)*b.batch)
	y := tensors.FromFlatDataAndDimensions(b.labels, b.batch)
	return x, y
}

// readoutSum builds the network's readout summed over time, m = sum_t v_t [classes, batch], from the
// effective weights w1 [inputs, hidden], w2 [hidden, classes] and the input x [inputs, (T-1)*batch]
// (column t*batch + b holds step t of sample b; steps 0..T-2 are the ones the notebook feeds).
//
// The input projection for all steps is one matrix product, P = w1^T x [hidden, (T-1)*batch]; the
// recurrence runs on [hidden, batch]; the readout collapses to one product with the c_j-weighted spikes.
func readoutSum(cfg Config, w1, w2, x *Node, batch int) *Node {
	m, _ := readoutSumCurrents(cfg, w1, w2, x, batch)
	return m
}

// readoutSumCurrents is readoutSum that also returns the input current of every step, h_t = P[:, t, :]
// [hidden, batch] for t = 0..T-2, the nodes the recurrence reads (for linearTimeGradient).
func readoutSumCurrents(cfg Config, w1, w2, x *Node, batch int) (*Node, []*Node) {
	T := cfg.NumSteps()
	H := cfg.NumHidden
	alpha, beta := cfg.Alpha(), cfg.SurrogateBeta
	c := ReadoutWeights(T, alpha)
	g := x.Graph()
	p := DotGeneral(w1, []int{0}, nil, x, []int{0}, nil) // [H, (T-1)*B]
	p = Reshape(p, H, T-1, batch)
	v := Zeros(g, shapes.Make(dtypes.Float32, H, batch))
	s := v
	weighted := v // sum_j c_j s_j; s_0 = 0 contributes nothing.
	hs := make([]*Node, 0, T-1)
	for start := 0; start < T-1; start += chunkSteps {
		end := min(start+chunkSteps, T-1)
		chunk := Slice(p, AxisRange(), AxisRange(start, end), AxisRange())
		for k := start; k < end; k++ {
			h := Reshape(Slice(chunk, AxisRange(), AxisElem(k-start), AxisRange()), H, batch)
			hs = append(hs, h)
			v, s = LIFStep(v, s, h, alpha, beta) // s is record k+1
			if c[k+1] != 0 {
				weighted = Add(weighted, MulScalar(s, c[k+1]))
			}
		}
	}
	return DotGeneral(w2, []int{0}, nil, weighted, []int{0}, nil), hs // [C, B]
}

// linearTimeGradient returns dLoss/dw1 [inputs, hidden] for the projection P = w1^T x of
// readoutSumCurrents, from the gradients of the loss with respect to the step currents h_t (autodiff
// stops at them): dLoss/dw1 = x G^T with G = [dLoss/dh_0 ... dLoss/dh_{T-2}] [hidden, (T-1)*batch] in x's
// column order. Autodiff through the per-step slices of P would instead zero-pad every step's gradient to
// the size of its slice's source, a term that grows with the square of the number of steps; this is one
// concatenation and one matrix product, linear in steps.
func linearTimeGradient(x *Node, gradH []*Node) *Node {
	G := Concatenate(gradH, 1)                            // [H, (T-1)*B]
	return DotGeneral(x, []int{1}, nil, G, []int{1}, nil) // [I, H]
}

// graphStepper holds the compiled single-graph training step (forward, backward and Adam update of the
// variables w1, w2 in a GoMLX model.Store, then clip's projection onto w >= 0 where it applies).
//
// Its backward pass takes the loss's gradient with respect to each step's input current and forms the
// projection's weight gradient from them in one product (linearTimeGradient), so its cost is linear in
// the number of steps. (With LIF inhibitory units it is autodiff end to end, which zero-pads every step's
// slice gradient: superlinear in steps.)
type graphStepper struct {
	graphExecStep
	// usedParts are the matrices the last step computed with (as stepper.usedParts).
	usedParts []Matrix
}

// graphExecStep is what the single-graph steps share: one compiled graph (spikes, labels) -> (loss,
// ...) that also updates the variables, and the step around it.
type graphExecStep struct {
	exec *model.Exec
	vars []*model.Variable
	in   *batchInput
	cfg  Config
	wig  *wiggler
}

func newGraphExecStep(exec *model.Exec, vars []*model.Variable, cfg Config, batch int) graphExecStep {
	return graphExecStep{exec: exec, vars: vars, in: newBatchInput(cfg, batch), cfg: cfg, wig: newWiggler(cfg)}
}

// run takes one optimiser step on samples idx of d and returns the batch loss (the graph's first
// output); keep, if not nil, reads the graph's outputs before they are freed; wiggle's restarts follow.
func (g *graphExecStep) run(d *Dataset, idx []int, keep func(out []*tensors.Tensor)) (float64, error) {
	g.in.fill(d, idx, g.cfg.NumClasses)
	x, y := g.in.tensors(g.cfg)
	out, err := callFreeing(g.exec.Call, x, y)
	if err != nil {
		return 0, err
	}
	loss := float64(tensors.ToScalar[float32](out[0]))
	if keep != nil {
		keep(out)
	}
	freeAll(out)
	if _, err := g.wig.apply(g.vars); err != nil {
		return 0, err
	}
	return loss, nil
}

func (g *graphExecStep) params() []*model.Variable { return g.vars }

func (g *graphExecStep) restarts() int { return g.wig.count() }

func newGraphStepper(backend compute.Backend, m *Model) (*graphStepper, error) {
	cfg, B := m.Config, m.Config.BatchSize
	store, vars, err := newParamStore(m)
	if err != nil {
		return nil, err
	}
	opt, err := newOptimizer(cfg)
	if err != nil {
		return nil, err
	}
	specs := paramSpecs(cfg)
	scales := expGradScales(cfg, m.initRawParams())
	step, err := model.NewExec(backend, store, func(scope *model.Scope, inputs []*Node) []*Node {
		x, y := inputs[0], inputs[1]
		g := x.Graph()
		var raw1, raw2, all []*Node
		for k, s := range specs {
			n := vars[k].NodeValue(g)
			all = append(all, n)
			if s.layer == 1 {
				raw1 = append(raw1, n)
			} else {
				raw2 = append(raw2, n)
			}
		}
		w2 := layerNodes(cfg, 2, raw2, m.Mask2.Signs)
		var sum, recSum *Node // recSum: the LIF inhibitory units' records summed, with the rate cap
		var w1 *Node          // the effective input weights (not with LIF, delayed or filtered inhibitory units)
		var hs []*Node        // the step currents, where the gradient is taken in linear time
		if cfg.separateInhibition() {
			sum, recSum = readoutSumLIFInh(cfg, positiveNode(cfg, raw1[0]), positiveNode(cfg, raw1[1]), positiveNode(cfg, raw1[2]), w2, x, B, cfg.rateCapOn())
		} else {
			w1 = layerNodes(cfg, 1, raw1, m.Mask1.Signs)
			sum, hs = readoutSumCurrents(cfg, w1, w2, x, B)
		}
		loss := lossFromReadout(cfg, Transpose(sum, 0, 1), y)
		if recSum != nil {
			loss = Add(loss, rateCapPenaltyNode(cfg, recSum, B))
		}
		out := []*Node{loss}
		for k, sp := range specs { // the weights this step used, as usedNode maps them
			signs := m.Mask1.Signs
			if sp.layer == 2 {
				signs = m.Mask2.Signs
			}
			out = append(out, usedNode(cfg, sp.layer, all[k], signs))
		}
		var grads []*Node
		if hs == nil {
			// LIF inhibitory units: autodiff end to end (two recurrences share the projections' slices).
			grads = Gradient(loss, all...)
		} else {
			// Layer 2 by autodiff; layer 1 through the step currents (linearTimeGradient), then the chain
			// rule through the sign parametrisation with GoMLX's own derivative of the layer map, as the
			// Go-kernel step does.
			g2 := Gradient(loss, append(append([]*Node{}, hs...), raw2...)...)
			gW1 := linearTimeGradient(x, g2[:len(hs)])
			g1 := Gradient(ReduceAllSum(Mul(w1, StopGradient(gW1))), raw1...)
			grads = make([]*Node, len(specs))
			i1, i2 := 0, len(hs)
			for k, sp := range specs {
				if sp.layer == 1 {
					grads[k] = g1[i1]
					i1++
				} else {
					grads[k] = g2[i2]
					i2++
				}
			}
		}
		updateWithGradients(cfg, scope, g, vars, grads, opt, scales)
		return out
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build training graph: %w", err)
	}
	return &graphStepper{graphExecStep: newGraphExecStep(step, vars, cfg, B)}, nil
}

// step takes one optimiser step on samples idx of d and returns the batch loss; it keeps the matrices the
// graph computed with.
func (s *graphStepper) step(d *Dataset, idx []int) (float64, error) {
	return s.run(d, idx, func(out []*tensors.Tensor) {
		s.usedParts = make([]Matrix, len(out)-1)
		for k, sp := range paramSpecs(s.cfg) {
			s.usedParts[k] = Matrix{Rows: sp.rows, Cols: sp.cols, Data: tensors.MustCopyFlatData[float32](out[1+k])}
		}
	})
}

// graphForward is forwardExec's single-graph counterpart: the dense projection and the recurrence in
// the graph, (x, w1, w2, labels) -> (m [batch, classes], mean NLL loss).
type graphForward struct {
	cfg  Config
	exec *Exec
	in   *batchInput
}

func newGraphForward(backend compute.Backend, cfg Config, batch int) (*graphForward, error) {
	exec, err := NewExec(backend, func(x, w1, w2, y *Node) (*Node, *Node) {
		m := Transpose(readoutSum(cfg, w1, w2, x, batch), 0, 1)
		return m, lossFromReadout(cfg, m, y)
	})
	if err != nil {
		return nil, fmt.Errorf("snn: build forward graph: %w", err)
	}
	return &graphForward{cfg: cfg, exec: exec, in: newBatchInput(cfg, batch)}, nil
}

func (f *graphForward) batchSize() int { return f.in.batch }

func (f *graphForward) run(w inputWeights, w2 *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error) {
	w1 := w.eff
	f.in.fill(d, idx, f.cfg.NumClasses)
	x, y := f.in.tensors(f.cfg)
	w1T := matrixTensor(w1)
	out, err := f.exec.Call(x, w1T, w2, y)
	for _, t := range []*tensors.Tensor{x, y, w1T} {
		t.FinalizeAll()
	}
	if err != nil {
		return nil, 0, fmt.Errorf("snn: run forward graph: %w", err)
	}
	return finishForward(out)
}
