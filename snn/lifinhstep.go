package snn

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// lifInhLayer is the hidden layer of a network whose inhibitory units have a state of their own
// (Config.separateInhibition: LIF, delayed or filtered linear units) in Go kernels, the computation of
// readoutSumLIFInh. Forward, for each sample, with S = T-1 steps fed:
//
//	[p^E_k | p^I_k] = x_k [f(W_EE) | f(W_IE)]            one projection, [H + n_i] per (sample, step)
//	s^I <- units(p^I)                                    the inhibitory units' records, from x only
//	h^E_k = p^E_k - s^I_k f(W_EI)                         s^I_k: record k-1 (inhibitoryCells), s^I_0 = 0
//	(v^E, s^E) <- LIF(h^E),  r = sum_k c_{k+1} s^E_{k+1}  [batch, H]
//
// For LIF units s^I_k = H(v^I_{k-1} - 1) (lifKernel.spikes), for delayed ones p^I_{k-d}, for filtered ones
// r_{k-1} (filteredCells), as in the
// graph. Backward, from G = dL/dr:
//
//	g^E_k = dL/dh^E_k                                     lifKernel.backward
//	dL/df(W_EE) = x^T g^E,   dL/df(W_EI) = -sum_{b,k} (s^I_k)^T g^E_k            [n_i, H]
//	dL/ds^I_k = -g^E_k f(W_EI)^T                          the gradient of inhibitory record k-1
//	g^I_k = dL/dp^I_k                                     inhibitoryCells.backward
//	dL/df(W_IE) = x^T g^I                                 (one transposed projection of [g^E | g^I])
//
// With the rate cap (Config.rateCapOn) L includes its penalty P, whose gradient rateCapGrad adds to
// dL/ds^I before the units' backward pass (ratecap.go).
//
// Work and memory are linear in steps, units and batch, as for the other Go kernels; samples run in
// parallel, and every sum over samples is taken in sample order, so results do not depend on the cores.
type lifInhLayer struct {
	cols      *spikeColumns
	lifE      *lifKernel
	cells     inhibitoryCells
	h, ni, in int       // excitatory units, inhibitory units, inputs
	z         []float32 // [B*S, H+n_i]: the projection; after backward, [g^E | g^I]
	pE, pI    []float32 // [B*S, H] currents h^E (then g^E), [B*S, n_i] currents p^I (then g^I)
	sI, gSI   []float32 // [B*S, n_i]: inhibitory records (spikes or currents) and their gradients
	r         []float32 // [B, H] readout sums
	gW        []float32 // [I, H+n_i]
	gEIPart   []float32 // [B, n_i, H]: dL/df(W_EI) of each sample
	eiPad     []float32 // [n_i, H]: f(W_EI) copied where a vector past it can be read (lifInhibitAVX512)
	cfg       Config    // for the rate cap (Config.rateCapOn)
	penalty   float64   // the rate cap's penalty P of the last backward (0 without the cap)
}

func newLIFInhLayer(cfg Config, batch int) *lifInhLayer {
	S, H, ni, I := cfg.NumSteps()-1, cfg.NumHidden, cfg.NumInhibitory, cfg.NumInputs()
	u, ok := inhibitoryModelOf(cfg.InhibitoryUnits)
	if !ok || !u.separate { // callers check cfg.separateInhibition()
		panic(fmt.Sprintf("snn: lifInhLayer for inhibitory units %q", cfg.InhibitoryUnits))
	}
	// z, pE, pI and eiPad have room for a vector past their values, so that the vector sets' last loads
	// stay inside their capacity without a copy (loadPart16).
	return &lifInhLayer{cols: newSpikeColumns(cfg, batch), lifE: newLIFKernel(cfg), cells: u.newCells(cfg, ni), h: H, ni: ni, in: I,
		z: make([]float32, batch*S*(H+ni), batch*S*(H+ni)+16), pE: make([]float32, batch*S*H, batch*S*H+16),
		pI: make([]float32, batch*S*ni, batch*S*ni+16), eiPad: make([]float32, ni*H, ni*H+16),
		sI: make([]float32, batch*S*ni), gSI: make([]float32, batch*S*ni), r: make([]float32, batch*H),
		gW: make([]float32, I*(H+ni)), gEIPart: make([]float32, batch*ni*H), cfg: cfg}
}

// forward runs the layer on the batch in l.cols (filled by the caller) with the applied matrices ee
// [I, H], ie [I, n_i], ei [n_i, H]: l.r receives the readout sums. With keep it records what backward
// needs.
func (l *lifInhLayer) forward(ee, ie, ei Matrix, keep bool) {
	B, S, H, ni := l.cols.batch, l.cols.steps, l.h, l.ni
	l.cols.project(sideBySide(ee, ie), l.z)
	kernels.splitColumns(l.z[:B*S*(H+ni)], l.pE, l.pI, H, ni)
	l.cells.records(l.pI, B, l.sI) // the records are needed for the inhibition even without keep
	kernels.lifInhibit(l, ei)
	l.lifE.forward(l.pE, B, l.r, keep)
}

// inhibitScalar subtracts s^I_k f(W_EI) from the currents h^E_k in l.pE (s^I_k the inhibitory record k-1 in
// l.sI, step 0 uninhibited), ei being f(W_EI) [n_i, H]: the rows of the units whose record is not 0, each
// times its record (a spike's row as it is; a current's float32(s*w)). It is the scalar set's lifInhibit.
func (l *lifInhLayer) inhibitScalar(ei Matrix) {
	B, S, H, ni := l.cols.batch, l.cols.steps, l.h, l.ni
	parallelChunks(B, func(lo, hi int) {
		rows := make([][]float32, 0, ni)
		scaled := make([]float32, ni*H)
		for b := lo; b < hi; b++ {
			for k := 1; k < S; k++ {
				rows = rows[:0]
				for j, s := range l.sI[(b*S+k-1)*ni:][:ni] {
					switch {
					case s == 1:
						rows = append(rows, ei.Data[j*H:][:H])
					case s != 0:
						row := scaled[j*H:][:H]
						for h, w := range ei.Data[j*H:][:H] {
							row[h] = s * w
						}
						rows = append(rows, row)
					}
				}
				subtractRows(l.pE[(b*S+k)*H:][:H], rows)
			}
		}
	})
}

// backward takes gr = dL/dr [B, H] after a forward with keep and returns dL/df(W_EE) [I, H],
// dL/df(W_IE) [I, n_i] and dL/df(W_EI) [n_i, H] for the matrices that forward applied (ei). With the
// rate cap (Config.rateCapOn) L includes its penalty, which l.penalty receives.
func (l *lifInhLayer) backward(ei Matrix, gr []float32) (gEE, gIE, gEI Matrix) {
	B, S, H, ni := l.cols.batch, l.cols.steps, l.h, l.ni
	l.lifE.backward(l.pE, B, gr) // pE now holds g^E
	kernels.lifInhibitionGrad(l, ei)
	l.penalty = 0
	if l.cfg.rateCapOn() {
		l.penalty = rateCapGrad(l.cfg, l.sI, l.gSI, B, S, ni)
	}
	l.cells.backward(l.pI, B, l.gSI) // pI now holds g^I
	gEI = NewMatrix(ni, H)
	for b := 0; b < B; b++ {
		for i, x := range l.gEIPart[b*ni*H:][:ni*H] {
			gEI.Data[i] += x
		}
	}
	w := H + ni
	kernels.joinColumns(l.z[:B*S*w], l.pE, l.pI, H, ni)
	l.cols.projectGrad(l.z, l.in, w, l.gW)
	gEE, gIE = NewMatrix(l.in, H), NewMatrix(l.in, ni)
	for i := 0; i < l.in; i++ {
		copy(gEE.Data[i*H:(i+1)*H], l.gW[i*w:i*w+H])
		copy(gIE.Data[i*ni:(i+1)*ni], l.gW[i*w+H:(i+1)*w])
	}
	return gEE, gIE, gEI
}

// inhibitionGradScalar fills l.gSI with dL/ds^I_k = -g^E_k f(W_EI)^T (record k-1's gradient; the last
// record's is 0) and l.gEIPart with each sample's dL/df(W_EI) = -sum_k (s^I_k)^T g^E_k, from g^E in l.pE
// and the records in l.sI (a spike's term -g^E as it is, a current's -float32(s*g^E)), ei being f(W_EI)
// [n_i, H]. It is the scalar set's lifInhibitionGrad.
func (l *lifInhLayer) inhibitionGradScalar(ei Matrix) {
	B, S, H, ni := l.cols.batch, l.cols.steps, l.h, l.ni
	parallelChunks(B, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			part := l.gEIPart[b*ni*H:][:ni*H]
			clear(part)
			gs := l.gSI[b*S*ni:][:S*ni]
			clear(gs)
			for k := 1; k < S; k++ {
				gE := l.pE[(b*S+k)*H:][:H]
				rec := l.sI[(b*S+k-1)*ni:][:ni]
				inhibitoryDots(gs[(k-1)*ni:][:ni], ei.Data, gE)
				for j, s := range rec {
					if s != 0 {
						p := part[j*H:][:H]
						for h, x := range gE {
							p[h] -= float32(s * x) // a spike's term is -g^E exactly: 1*x == x
						}
					}
				}
			}
		}
	})
}

// splitColumnsScalar copies the rows of z [n, wa+wb] into a [n, wa] (their first wa columns) and b [n, wb]
// (the rest), n = len(z)/(wa+wb); joinColumnsScalar copies them back into z.
func splitColumnsScalar(z, a, b []float32, wa, wb int) {
	w := wa + wb
	parallelChunks(len(z)/w, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			copy(a[c*wa:(c+1)*wa], z[c*w:c*w+wa])
			copy(b[c*wb:(c+1)*wb], z[c*w+wa:(c+1)*w])
		}
	})
}

func joinColumnsScalar(z, a, b []float32, wa, wb int) {
	w := wa + wb
	parallelChunks(len(z)/w, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			copy(z[c*w:c*w+wa], a[c*wa:(c+1)*wa])
			copy(z[c*w+wa:(c+1)*w], b[c*wb:(c+1)*wb])
		}
	})
}

// subtractRows sets p[h] -= ((0 + rows[0][h]) + rows[1][h]) + ..., the inhibition of the units that
// spiked (rows of W_EI, in unit order), in one pass over p for up to three rows; with no row p is left as it
// is (p - 0 is p, bit for bit). A step of 27 excitatory and 3 inhibitory units took about three times as long
// when the sum went through a buffer, cleared, added to row by row and then subtracted.
func subtractRows(p []float32, rows [][]float32) {
	n := len(p)
	switch len(rows) {
	case 0:
	case 1:
		r0 := rows[0][:n]
		for h := range p {
			p[h] -= 0 + r0[h]
		}
	case 2:
		r0, r1 := rows[0][:n], rows[1][:n]
		for h := range p {
			p[h] -= (0 + r0[h]) + r1[h]
		}
	case 3:
		r0, r1, r2 := rows[0][:n], rows[1][:n], rows[2][:n]
		for h := range p {
			p[h] -= ((0 + r0[h]) + r1[h]) + r2[h]
		}
	default:
		for h := range p {
			var s float32
			for _, r := range rows {
				s += r[h]
			}
			p[h] -= s
		}
	}
}

// inhibitoryDots sets g[j] = -sum_h float32(ei[j*H + h] gE[h]) for each inhibitory unit j (H = len(gE)),
// each sum in h order. Three units at a time: their sums are independent chains of additions, which
// overlap (one unit at a time, each addition waited for the one before; a tenth of a run with LIF
// inhibitory units).
func inhibitoryDots(g, ei, gE []float32) {
	H := len(gE)
	j := 0
	for ; j+3 <= len(g); j += 3 {
		r0, r1, r2 := ei[j*H:][:H], ei[(j+1)*H:][:H], ei[(j+2)*H:][:H]
		var s0, s1, s2 float32
		for h, x := range gE {
			s0 += float32(r0[h] * x)
			s1 += float32(r1[h] * x)
			s2 += float32(r2[h] * x)
		}
		g[j], g[j+1], g[j+2] = -s0, -s1, -s2
	}
	for ; j < len(g); j++ {
		row := ei[j*H:][:H]
		var sum float32
		for h, x := range gE {
			sum += float32(row[h] * x)
		}
		g[j] = -sum
	}
}

// lifInhStepper is the Go-kernel training step of a network with LIF inhibitory units: the hidden layer
// forward and backward in Go (lifInhLayer), the readout and loss in the graph "grad" (as stepper's), and
// the graph "apply" with the chain rule from dL/df(W_EE), dL/df(W_IE), dL/df(W_EI) to the raw matrices.
// The numbers are those of the single-graph formulation up to float32 summation order
// (TestLIFInhStepperMatchesSingleGraph).
type lifInhStepper struct {
	cfg         Config
	store       *model.Store
	vars        []*model.Variable
	grad, apply *model.Exec
	layer       *lifInhLayer
	wig         *wiggler
	l1, l2      []int // paramSpecs indices of each layer: layer 1's are W_EE, W_IE, W_EI
	// usedParts are the matrices the last step computed with (as stepper.usedParts).
	usedParts []Matrix
}

func newLIFInhStepper(backend compute.Backend, m *Model) (*lifInhStepper, error) {
	cfg := m.Config
	store, vars, err := newParamStore(m)
	if err != nil {
		return nil, err
	}
	s := &lifInhStepper{cfg: cfg, store: store, vars: vars, layer: newLIFInhLayer(cfg, cfg.BatchSize), wig: newWiggler(cfg)}
	for k, sp := range paramSpecs(cfg) {
		if sp.layer == 1 {
			s.l1 = append(s.l1, k)
		} else {
			s.l2 = append(s.l2, k)
		}
	}
	if len(s.l1) != 3 {
		return nil, fmt.Errorf("snn: LIF inhibitory units need three hidden-layer matrices, the configuration has %d", len(s.l1))
	}
	if s.grad, err = newReadoutGradExec(backend, store, cfg, vars, s.l2, m.Mask2.Signs); err != nil {
		return nil, err
	}
	s.apply, err = newApplyExec(backend, store, m, vars, s.l1, s.l2, "LIF inhibitory units", func(raw1 []*Node) []*Node {
		return []*Node{positiveNode(cfg, raw1[0]), positiveNode(cfg, raw1[1]), positiveNode(cfg, raw1[2])}
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// step takes one optimiser step on samples idx of d and returns the batch loss (with the rate cap, plus
// its penalty, as the single graph's step).
func (s *lifInhStepper) step(d *Dataset, idx []int) (float64, error) {
	cfg := s.cfg
	specs := paramSpecs(cfg)
	l := s.layer
	l.cols.fill(d, idx, cfg.NumClasses)
	var a [3]Matrix // f(W_EE), f(W_IE), f(W_EI) as applied
	s.usedParts = make([]Matrix, len(specs))
	for j, k := range s.l1 {
		a[j] = positive(variableMatrix(s.vars[k], specs[k].rows, specs[k].cols), cfg.SignParam)
		s.usedParts[k] = a[j]
	}
	l.forward(a[0], a[1], a[2], true)
	B := l.cols.batch
	out, loss, err := callRecords(s.grad.Call, l.r, B, l.h, l.cols.labels)
	if err != nil {
		return 0, err
	}
	defer freeAll(out)
	n2 := len(s.l2)
	for j, k := range s.l2 {
		s.usedParts[k] = Matrix{Rows: specs[k].rows, Cols: specs[k].cols, Data: tensors.MustCopyFlatData[float32](out[3+n2+j])}
	}
	gEE, gIE, gEI := l.backward(a[2], tensors.MustCopyFlatData[float32](out[1]))
	g1 := []*tensors.Tensor{matrixTensor(gEE), matrixTensor(gIE), matrixTensor(gEI)}
	if err := applyStep(s.apply, s.wig, s.vars, g1, out[2:2+n2]); err != nil {
		return 0, err
	}
	return loss + l.penalty, nil
}

func (s *lifInhStepper) params() []*model.Variable { return s.vars }

func (s *lifInhStepper) restarts() int { return s.wig.count() }

// lifInhKernelForward is the Go-kernel forward pass of a network with LIF inhibitory units without
// gradients: the hidden layer in Go (lifInhLayer), then the graph (r, w2 effective, labels) -> (m, loss)
// as forwardExec's.
type lifInhKernelForward struct {
	cfg   Config
	exec  *Exec
	layer *lifInhLayer
}

func newLIFInhKernelForward(backend compute.Backend, cfg Config, batch int) (*lifInhKernelForward, error) {
	exec, err := newReadoutForwardExec(backend, cfg)
	if err != nil {
		return nil, fmt.Errorf("snn: build forward graph (LIF inhibitory units): %w", err)
	}
	return &lifInhKernelForward{cfg: cfg, exec: exec, layer: newLIFInhLayer(cfg, batch)}, nil
}

func (f *lifInhKernelForward) batchSize() int { return f.layer.cols.batch }

func (f *lifInhKernelForward) run(w inputWeights, w2 *tensors.Tensor, d *Dataset, idx []int) (m []float32, loss float64, err error) {
	if len(w.ee.Data) == 0 {
		return nil, 0, fmt.Errorf("snn: the forward pass of LIF inhibitory units needs W_EE, W_IE and W_EI")
	}
	l := f.layer
	l.cols.fill(d, idx, f.cfg.NumClasses)
	l.forward(w.ee, w.ie, w.ei, false)
	r := tensors.FromFlatDataAndDimensions(l.r, l.cols.batch, l.h)
	y := tensors.FromFlatDataAndDimensions(l.cols.labels, l.cols.batch)
	out, err := f.exec.Call(r, w2, y)
	r.FinalizeAll()
	y.FinalizeAll()
	if err != nil {
		return nil, 0, fmt.Errorf("snn: run forward graph: %w", err)
	}
	return finishForward(out)
}
