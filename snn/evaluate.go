package snn

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/compute"
)

// Evaluation is the notebook's test_accuracy for one dataset.
type Evaluation struct {
	Accuracy    float64 // fraction of samples whose class is the argmax of the readout sum
	AbsErrorDeg float64 // mean |true IPD - estimated IPD| in degrees (estimate: the class's bin midpoint)
	// Confusion[est][true] counts samples by estimated and true class (the notebook's confusion[j, i]).
	Confusion [][]float64
	IPDTrue   []float64 // true IPDs in radians, in dataset order
	IPDEst    []float64 // estimated IPDs (bin midpoints) in radians
	Classes   []int     // estimated class of each sample
}

// Evaluate runs m on every sample of d and scores it as the notebook's test_accuracy (the notebook feeds
// full batches only; here a final partial batch is padded with silent samples and the padding ignored,
// which gives the same numbers when len(d) is a multiple of BatchSize). backend nil means NewBackend().
// To score many models of one configuration (ablations), build one Evaluator and reuse it.
func Evaluate(m *Model, d *Dataset, backend compute.Backend) (*Evaluation, error) {
	e, err := NewEvaluator(m.Config, backend)
	if err != nil {
		return nil, err
	}
	return e.Evaluate(m, d)
}

// Evaluator scores models of one configuration with one compiled forward pass.
type Evaluator struct {
	cfg Config
	fwd batchForward
}

// NewEvaluator compiles the forward pass of cfg on backend (nil: NewBackend()).
func NewEvaluator(cfg Config, backend compute.Backend) (*Evaluator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var err error
	if backend, err = BackendOrDefault(backend); err != nil {
		return nil, err
	}
	fwd, err := newBatchForward(backend, cfg, cfg.BatchSize, FormulationAuto)
	if err != nil {
		return nil, err
	}
	return &Evaluator{cfg: cfg, fwd: fwd}, nil
}

// Evaluate is the package's Evaluate with the compiled forward pass; m must have the evaluator's
// network sizes.
func (e *Evaluator) Evaluate(m *Model, d *Dataset) (*Evaluation, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	cfg := m.Config
	var differ []string // each setting the compiled graph fixed that the model has otherwise: evaluator's, model's
	for _, f := range []struct {
		name       string
		have, want any
	}{{"inputs", e.cfg.NumInputs(), cfg.NumInputs()}, {"NumHidden", e.cfg.NumHidden, cfg.NumHidden},
		{"NumClasses", e.cfg.NumClasses, cfg.NumClasses}, {"steps", e.cfg.NumSteps(), cfg.NumSteps()},
		{"BatchSize", e.cfg.BatchSize, cfg.BatchSize}, {"alpha (Tau, DT)", e.cfg.Alpha(), cfg.Alpha()},
		{"SurrogateBeta", e.cfg.SurrogateBeta, cfg.SurrogateBeta}, {"ReadoutScale", e.cfg.ReadoutScale, cfg.ReadoutScale}} {
		if f.have != f.want {
			differ = append(differ, fmt.Sprintf("%s %v, the model's %v", f.name, f.have, f.want))
		}
	}
	if len(differ) > 0 {
		return nil, fmt.Errorf("snn: Evaluator compiled for another configuration than the model's: %s (compile one with "+
			"NewEvaluator for the model's Config)", strings.Join(differ, "; "))
	}
	if err := checkDataset(cfg, "evaluation", d); err != nil {
		return nil, err
	}
	if cfg.Shunting() != e.cfg.Shunting() || cfg.Shunting() && (cfg.NumInhibitory != e.cfg.NumInhibitory || cfg.NumReadoutInhibitory != e.cfg.NumReadoutInhibitory) {
		return nil, fmt.Errorf("snn: Evaluator compiled for inhibition %q cannot score a model with %q (or another NumInhibitory or NumReadoutInhibitory)",
			e.cfg.Inhibition, cfg.Inhibition)
	}
	if cfg.separateInhibition() != e.cfg.separateInhibition() || cfg.separateInhibition() && (cfg.InhibitoryUnits != e.cfg.InhibitoryUnits ||
		cfg.InhibitoryDelay != e.cfg.InhibitoryDelay || cfg.NumInhibitory != e.cfg.NumInhibitory) {
		return nil, fmt.Errorf("snn: Evaluator compiled for inhibitory units %q cannot score a model with %q (or another InhibitoryDelay or NumInhibitory)",
			e.cfg.InhibitoryUnits, cfg.InhibitoryUnits)
	}
	w1, w2 := m.inputWeights(), matrixTensor(m.EffectiveW2())
	defer w2.FinalizeAll()
	C, B := cfg.NumClasses, cfg.BatchSize
	ev := &Evaluation{Confusion: make([][]float64, C)}
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]float64, C)
	}
	correct, absErr := 0, 0.0
	for start := 0; start < d.Len(); start += B {
		idx := make([]int, 0, B)
		for n := start; n < min(start+B, d.Len()); n++ {
			idx = append(idx, n)
		}
		mOut, _, err := e.fwd.run(w1, w2, d, idx)
		if err != nil {
			return nil, err
		}
		for j, n := range idx {
			est := classOf(mOut[j*C : (j+1)*C])
			truth := Discretise(d.IPD[n], C)
			if est == truth {
				correct++
			}
			ev.Confusion[est][truth]++
			estIPD := Continuise(est, C)
			ev.IPDTrue = append(ev.IPDTrue, d.IPD[n])
			ev.IPDEst = append(ev.IPDEst, estIPD)
			ev.Classes = append(ev.Classes, est)
			absErr += math.Abs(Degrees(d.IPD[n] - estIPD))
		}
	}
	ev.Accuracy = float64(correct) / float64(d.Len())
	ev.AbsErrorDeg = absErr / float64(d.Len())
	return ev, nil
}

// NormalisedConfusion returns Confusion with each true-class column divided by its total, as the notebook
// plots it (columns with no samples stay 0 instead of the notebook's NaN).
func (e *Evaluation) NormalisedConfusion() [][]float64 {
	C := len(e.Confusion)
	out := make([][]float64, C)
	for i := range out {
		out[i] = make([]float64, C)
	}
	for t := 0; t < C; t++ {
		total := 0.0
		for est := 0; est < C; est++ {
			total += e.Confusion[est][t]
		}
		if total == 0 {
			continue
		}
		for est := 0; est < C; est++ {
			out[est][t] = e.Confusion[est][t] / total
		}
	}
	return out
}

// Report returns the notebook's two report lines, e.g.
//
//	Train classifier accuracy: 92.7%
//	Train absolute error: 4.0 deg
func (e *Evaluation) Report(label string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s classifier accuracy: %.1f%%\n", label, 100*e.Accuracy)
	fmt.Fprintf(&b, "%s absolute error: %.1f deg\n", label, e.AbsErrorDeg)
	return b.String()
}

// ChanceReport returns the notebook's "Chance accuracy level: 8.3%" line for numClasses classes.
func ChanceReport(numClasses int) string {
	return fmt.Sprintf("Chance accuracy level: %.1f%%\n", 100/float64(numClasses))
}

// classOf is the class a readout sum votes for: its first maximum, as torch.max.
func classOf(readout []float32) int {
	est := 0
	for c := 1; c < len(readout); c++ {
		if readout[c] > readout[est] {
			est = c
		}
	}
	return est
}
