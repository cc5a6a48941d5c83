package snn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// StepInfo reports one optimiser step to TrainOptions.OnStep.
type StepInfo struct {
	Epoch, Epochs int     // 1-based epoch and total
	Step, Steps   int     // 1-based step within the epoch and steps per epoch
	Loss          float64 // the batch's training loss
	Elapsed       time.Duration
}

// EpochInfo reports a finished epoch to TrainOptions.OnEpoch.
type EpochInfo struct {
	Epoch, Epochs int     // 1-based epoch and total
	TrainLoss     float64 // mean training loss of the epoch's batches
	ValLoss       float64 // mean validation loss
	Best          bool    // a new best validation loss
	Elapsed       time.Duration
}

// TrainOptions are the run-time options of Train; the zero value is valid.
type TrainOptions struct {
	// Backend runs the graphs; nil means NewBackend() (pure Go unless $GOMLX_BACKEND says otherwise).
	Backend compute.Backend
	// OnStep, if set, is called after every optimiser step (for progress bars).
	OnStep func(StepInfo)
	// OnEpoch, if set, is called after every epoch's validation pass.
	OnEpoch func(EpochInfo)
	// Formulation chooses how steps are computed; the zero value picks by backend (FormulationAuto).
	Formulation Formulation
	// Recompute makes TrainOrLoad retrain a checkpoint of the same configuration that another backend,
	// formulation or build trained (numerics of the same revision: SameRevision); by default it is loaded
	// as it is, and never overwritten.
	Recompute bool
	// Data, if set, is where RunExperiment takes its data sets from (shared with other runs of the same
	// data configuration); nil generates them for the run. Train itself does not read it.
	Data *DataCache
}

func (o TrainOptions) backend() (compute.Backend, error) { return BackendOrDefault(o.Backend) }

// ErrDiverged is the error Train wraps when a loss becomes NaN or infinite (errors.Is).
var ErrDiverged = errors.New("snn: training diverged")

// Train trains a copy of m with Config.Optimizer (Adam by default, the notebook's) on train, computing the validation loss on val after each epoch, as
// the notebook's train(). m itself is not modified; the returned model holds the trained W1, W2 (raw
// parameters), the untouched initial ones, and the loss History.
//
// Per epoch: the training set is shuffled (seeded by Config.Seed), cut into len/BatchSize full batches
// (the remainder is dropped, as the notebook's data_generator), and each batch takes one optimiser step on
//
//	loss = NLL(log_softmax(ReadoutScale * sum_t v_t), class(ipd)).
//
// Early stopping follows Config.EarlyStop. A NaN or Inf loss stops training with an error; so does a
// cancelled ctx.
func Train(ctx context.Context, m *Model, train, val *Dataset, opts TrainOptions) (*Model, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	cfg := m.Config
	if err := checkDataset(cfg, "training", train); err != nil {
		return nil, err
	}
	if err := checkDataset(cfg, "validation", val); err != nil {
		return nil, err
	}
	B := cfg.BatchSize
	if train.Len() < B || val.Len() < B {
		return nil, fmt.Errorf("snn: BatchSize %d is larger than the data (%d training, %d validation samples)",
			B, train.Len(), val.Len())
	}
	backend, err := opts.backend()
	if err != nil {
		return nil, err
	}
	formulation, err := opts.Formulation.ResolveFor(cfg, backend)
	if err != nil {
		return nil, err
	}
	out := m.Clone()
	out.History = History{Numerics: NumericsOn(formulation, backend)}
	st, err := newTrainStep(backend, m, formulation)
	if err != nil {
		return nil, err
	}
	vars := st.params()
	specs := paramSpecs(cfg)
	readParams := func() {
		raw := make([]Matrix, len(specs))
		for k, sp := range specs {
			raw[k] = variableMatrix(vars[k], sp.rows, sp.cols)
		}
		out.setRawParams(raw)
	}
	fwd, err := newBatchForward(backend, cfg, B, opts.Formulation)
	if err != nil {
		return nil, err
	}
	shuffle := newRand(cfg.Seed, streamShuffle)
	steps := train.Len() / B
	start := time.Now()
	bestVal := math.Inf(1)
	var best []Matrix
	restartsBefore := 0
	for e := 0; e < cfg.Epochs; e++ {
		perm := shuffle.Perm(train.Len())
		sum := 0.0
		for s := 0; s < steps; s++ {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("snn: training stopped at epoch %d step %d: %w", e+1, s+1, err)
			}
			loss, err := st.step(train, perm[s*B:(s+1)*B])
			if err != nil {
				return nil, fmt.Errorf("snn: training step (epoch %d, step %d): %w", e+1, s+1, err)
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return nil, fmt.Errorf("%w: loss is %v at epoch %d step %d (learning rate %v)",
					ErrDiverged, loss, e+1, s+1, cfg.LearningRate)
			}
			sum += loss
			out.History.Steps++
			if opts.OnStep != nil {
				opts.OnStep(StepInfo{Epoch: e + 1, Epochs: cfg.Epochs, Step: s + 1, Steps: steps, Loss: loss,
					Elapsed: time.Since(start)})
			}
		}
		readParams()
		valLoss, valAcc, err := validate(fwd, out, val)
		if err != nil {
			return nil, err
		}
		if math.IsNaN(valLoss) || math.IsInf(valLoss, 0) {
			return nil, fmt.Errorf("%w: validation loss is %v at epoch %d", ErrDiverged, valLoss, e+1)
		}
		out.History.Ledger = append(out.History.Ledger, LedgerEntry{
			W1: ledger(out.W1, m.InitW1, out.EffectiveW1()), W2: ledger(out.W2, m.InitW2, out.EffectiveW2()),
			Restarts: st.restarts() - restartsBefore})
		restartsBefore = st.restarts()
		out.History.TrainLoss = append(out.History.TrainLoss, sum/float64(steps))
		out.History.ValLoss = append(out.History.ValLoss, valLoss)
		out.History.ValAccuracy = append(out.History.ValAccuracy, valAcc)
		isBest := valLoss < bestVal
		if isBest {
			bestVal = valLoss
			out.History.BestEpoch = e
			best = nil
			for _, w := range out.rawParams() {
				best = append(best, w.Clone())
			}
		}
		if opts.OnEpoch != nil {
			opts.OnEpoch(EpochInfo{Epoch: e + 1, Epochs: cfg.Epochs, TrainLoss: sum / float64(steps), ValLoss: valLoss,
				Best: isBest, Elapsed: time.Since(start)})
		}
		if stop := earlyStop(cfg, out.History.ValLoss, e); stop {
			out.History.StoppedEarly = true
			break
		}
	}
	// The notebook returns its best weights only when its rule fires; the patience rule always does.
	if cfg.EarlyStop == EarlyStopPatience || (cfg.EarlyStop == EarlyStopNotebook && out.History.StoppedEarly) {
		out.setRawParams(best)
		out.History.RestoredBest = true
	}
	return out, nil
}

// earlyStop applies Config.EarlyStop after 0-based epoch e.
//
// The notebook's rule, `torch.tensor(val_loss_hist[-100:]).argmin() == 0 and e > 10`, fires when the
// oldest loss of the last NotebookWindow epochs is their (first) minimum. With 50 epochs and a window of
// 100 that means "no epoch after the first beat it": a run whose validation loss never improves on epoch
// 1's stops after epoch 12 and keeps epoch 1's weights. It happens: every run at fraction 1 (no
// excitatory input) and pop-abs-seedscale seed 2 of the committed studies (7.2%); study.EarlyStopNote
// names such runs.
func earlyStop(cfg Config, val []float64, e int) bool {
	switch cfg.EarlyStop {
	case EarlyStopNotebook:
		w := val[max(0, len(val)-cfg.NotebookWindow):]
		return e > 10 && argmin(w) == 0
	case EarlyStopPatience:
		return e-argmin(val) >= cfg.Patience
	}
	return false
}

// argmin returns the index of the first smallest value.
func argmin(v []float64) int {
	return slices.Index(v, slices.Min(v))
}

// meanLoss is the mean of the batch losses over the full batches of d, in order (the notebook shuffles
// the validation set first, which does not change the mean when every batch is full).
func meanLoss(fwd batchForward, m *Model, d *Dataset) (float64, error) {
	loss, _, err := validate(fwd, m, d)
	return loss, err
}

// validate returns meanLoss and the accuracy over the same samples (the full batches of d): the fraction
// whose class is the first maximum of the readout (classOf), as Evaluate counts it.
func validate(fwd batchForward, m *Model, d *Dataset) (loss, accuracy float64, err error) {
	w1, w2 := m.inputWeights(), matrixTensor(m.EffectiveW2())
	defer w2.FinalizeAll()
	B := fwd.batchSize()
	n := d.Len() / B
	idx := make([]int, B)
	sum, correct := 0.0, 0
	C := m.Config.NumClasses
	for b := 0; b < n; b++ {
		for j := range idx {
			idx[j] = b*B + j
		}
		out, loss, err := fwd.run(w1, w2, d, idx)
		if err != nil {
			return 0, 0, err
		}
		sum += loss
		for j, s := range idx {
			if classOf(out[j*C:(j+1)*C]) == Discretise(d.IPD[s], C) {
				correct++
			}
		}
	}
	return sum / float64(n), float64(correct) / float64(n*B), nil
}

// checkDataset verifies that d fits cfg.
func checkDataset(cfg Config, name string, d *Dataset) error {
	if d == nil || d.Len() == 0 {
		return fmt.Errorf("snn: %s dataset is empty", name)
	}
	if d.NumSteps != cfg.NumSteps() || d.NumInputs != cfg.NumInputs() {
		return fmt.Errorf("snn: %s dataset has %d steps x %d inputs, but the config wants %d x %d",
			name, d.NumSteps, d.NumInputs, cfg.NumSteps(), cfg.NumInputs())
	}
	if !d.complete() {
		return fmt.Errorf("snn: %s dataset holds no spikes for its %d samples of %d steps x %d inputs: it was not made by "+
			"GenerateData, StimulusForIPDs, Subset or NewDataset (a Dataset's spikes are unexported; a literal Dataset{...} has none)",
			name, d.Len(), d.NumSteps, d.NumInputs)
	}
	return nil
}

func variableMatrix(v *model.Variable, rows, cols int) Matrix {
	return Matrix{Rows: rows, Cols: cols, Data: tensors.MustCopyFlatData[float32](v.MustValue())}
}
