package snn

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"

	"github.com/gomlx/compute"
)

// Experiment is one run of the notebook's "Train Network" and "Analyse" cells: data, the trained model
// and its scores on the training and test sets.
type Experiment struct {
	Config                  Config
	Train, Validation, Test *Dataset
	Initial, Trained        *Model
	TrainEval, TestEval     *Evaluation
}

// GenerateData draws the training, validation and test sets of cfg (TrainBatches, ValidationBatches and
// TestBatches batches) from independent streams of cfg.Seed.
func GenerateData(cfg Config) (train, val, test *Dataset, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, nil, err
	}
	B := cfg.BatchSize
	if train, err = GenerateStimulus(cfg, B*cfg.TrainBatches, cfg.Seed, streamTrainData); err != nil {
		return
	}
	if val, err = GenerateStimulus(cfg, B*cfg.ValidationBatches, cfg.Seed, streamValidationData); err != nil {
		return
	}
	test, err = GenerateStimulus(cfg, B*cfg.TestBatches, cfg.Seed, streamTestData)
	return
}

// NumericsFor names the numerics a model of cfg is trained with under opts (NumericsVersion of the
// formulation opts resolve to on their backend).
func NumericsFor(cfg Config, opts TrainOptions) (string, error) {
	backend, err := opts.backend()
	if err != nil {
		return "", err
	}
	f, err := opts.Formulation.ResolveFor(cfg, backend)
	if err != nil {
		return "", err
	}
	return NumericsOn(f, backend), nil
}

// ExampleStimuli returns the notebook's show_examples input: n spike trains at IPDs evenly spaced over
// [-pi/2, pi/2] (np.linspace(-pi/2, pi/2, n)).
func ExampleStimuli(cfg Config, n int) (*Dataset, error) {
	if n < 2 {
		return nil, fmt.Errorf("snn: ExampleStimuli: n = %d, want at least 2", n)
	}
	ipd := make([]float64, n)
	for i := range ipd {
		ipd[i] = -halfPi + float64(i)*2*halfPi/float64(n-1)
	}
	return StimulusForIPDs(cfg, ipd, cfg.Seed, streamExamples)
}

const halfPi = 1.5707963267948966

// RunExperiment generates the data (or takes it from opts.Data), builds and trains the model and
// evaluates it on the training and test sets, as the notebook's cells do for one IE_RATIO.
func RunExperiment(ctx context.Context, cfg Config, opts TrainOptions) (*Experiment, error) {
	backend, err := opts.backend()
	if err != nil {
		return nil, err
	}
	opts.Backend = backend
	train, val, test, err := opts.Data.Data(cfg)
	if err != nil {
		return nil, err
	}
	initial, err := NewModel(cfg)
	if err != nil {
		return nil, err
	}
	trained, err := Train(ctx, initial, train, val, opts)
	if err != nil {
		return nil, err
	}
	x := &Experiment{Config: cfg, Train: train, Validation: val, Test: test, Initial: initial, Trained: trained}
	return x, x.evaluate(backend)
}

// Report returns the notebook's analysis lines: chance level, then train and test accuracy and error.
func (x *Experiment) Report() string {
	return ChanceReport(x.Config.NumClasses) + "\n" + x.TrainEval.Report("Train") + "\n" + x.TestEval.Report("Test")
}

// History is the trained model's loss history.
func (x *Experiment) History() History { return x.Trained.History }

// ExperimentFromModel rebuilds the Experiment of a trained model (for instance one loaded from a
// checkpoint): it regenerates the data sets from the model's Config (the same seed gives the same
// data), takes as the initial model the trained one with every trainable matrix at its recorded initial
// value, and evaluates the model on the training and test sets. backend nil means NewBackend().
func ExperimentFromModel(trained *Model, backend compute.Backend) (*Experiment, error) {
	return experimentOf(trained, backend, nil, func() (*Model, error) {
		initial := trained.Clone()
		// Every trainable matrix at its initial value (W1, W2 and, for E/I populations, the inhibitory
		// pathway's and the shunting parameters), copies of the trained model's Init arrays.
		init := initial.initRawParams()
		for k := range init {
			init[k] = init[k].Clone()
		}
		initial.setRawParams(init)
		initial.History, initial.Ablated = History{}, nil
		return initial, nil
	})
}

// RebuildExperiment returns the Experiment RunExperiment returned when it trained the model trained (one
// loaded from a checkpoint, say), without training: the data sets of its configuration from data (a
// DataCache the runs of one seed share; nil: generated), the initial model drawn again from the
// configuration (NewModel, as RunExperiment draws it; an error unless it holds exactly the initial
// arrays and masks trained started from) and the scores on the training and test sets. The same seed
// gives the same data and the same initial model, so metrics of the Experiment (a sweep's Extra) are
// those the training run would have computed. backend nil means NewBackend().
func RebuildExperiment(trained *Model, backend compute.Backend, data *DataCache) (*Experiment, error) {
	return experimentOf(trained, backend, data, func() (*Model, error) {
		cfg := trained.Config
		initial, err := NewModel(cfg)
		if err == nil && !startedFrom(initial, trained) {
			err = fmt.Errorf("snn: rebuild experiment: the model's initial weights or masks are not those its configuration draws (seed %d): it was not trained from NewModel of its configuration by this version", cfg.Seed)
		}
		return initial, err
	})
}

// experimentOf is the Experiment of the trained model trained: its configuration's data sets from data
// (nil: generated), the initial model initial returns, and the scores on the training and test sets
// (backend nil means NewBackend()).
func experimentOf(trained *Model, backend compute.Backend, data *DataCache, initial func() (*Model, error)) (*Experiment, error) {
	if err := trained.check(); err != nil {
		return nil, err
	}
	var err error
	if backend, err = BackendOrDefault(backend); err != nil {
		return nil, err
	}
	cfg := trained.Config
	train, val, test, err := data.Data(cfg)
	if err != nil {
		return nil, err
	}
	first, err := initial()
	if err != nil {
		return nil, err
	}
	x := &Experiment{Config: cfg, Train: train, Validation: val, Test: test, Initial: first, Trained: trained}
	return x, x.evaluate(backend)
}

// startedFrom reports whether fresh, a model as NewModel draws it, holds the initial arrays and masks of
// trained, bit for bit.
func startedFrom(fresh, trained *Model) bool {
	a, b := initialArrays(fresh), initialArrays(trained)
	if len(a) != len(b) || !slices.Equal(fresh.Mask1.Signs, trained.Mask1.Signs) || !slices.Equal(fresh.Mask2.Signs, trained.Mask2.Signs) {
		return false
	}
	for i := range a {
		if a[i].Rows != b[i].Rows || a[i].Cols != b[i].Cols || !slices.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

// initialArrays lists the initial values of every trained array of m: InitW1, InitW2, then those of the
// populations' matrices and of the shunting parameters where m has them.
func initialArrays(m *Model) []Matrix {
	out := []Matrix{m.InitW1, m.InitW2}
	if p := m.Pop; p != nil {
		out = append(out, p.InitIE1, p.InitEI1, p.InitIE2, p.InitEI2)
		if s := p.Shunt; s != nil {
			out = append(out, s.InitAlpha1, s.InitGain1, s.InitBias1, s.InitAlpha2, s.InitGain2, s.InitBias2)
		}
	}
	return out
}

// evaluate scores the trained model on the training and test sets.
func (x *Experiment) evaluate(backend compute.Backend) (err error) {
	if x.TrainEval, err = Evaluate(x.Trained, x.Train, backend); err != nil {
		return err
	}
	x.TestEval, err = Evaluate(x.Trained, x.Test, backend)
	return err
}

// TrainOrLoad returns the model trained with cfg: loaded from the checkpoint at path when that file holds
// a model of exactly this configuration trained by the numerics opts would use (History.Numerics), or by
// another backend's numerics of the same revision (SameRevision) unless opts.Recompute; else trained on
// GenerateData(cfg) and saved there. loaded reports which; a loaded model's History.Numerics says whose
// numbers it holds (compare NumericsFor). A checkpoint of another configuration or revision is replaced; a
// damaged one is an error.
func TrainOrLoad(ctx context.Context, cfg Config, path string, opts TrainOptions) (m *Model, loaded bool, err error) {
	backend, err := opts.backend()
	if err != nil {
		return nil, false, err
	}
	f, err := opts.Formulation.ResolveFor(cfg, backend)
	if err != nil {
		return nil, false, err
	}
	opts.Backend = backend
	if old, err := LoadCheckpoint(path); err == nil {
		current, have := NumericsOn(f, backend), old.History.Numerics
		if reflect.DeepEqual(old.Config, cfg) && len(old.Ablated) == 0 &&
			UsableNumerics(have, current, opts.Recompute) {
			return old, true, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	x, err := RunExperiment(ctx, cfg, opts)
	if err != nil {
		return nil, false, err
	}
	if err := SaveCheckpoint(path, x.Trained); err != nil {
		return nil, false, err
	}
	return x.Trained, false, nil
}

// TrainingPhaseOffset is the phase offset, in cycles, that GenerateData gives every sample of seed's
// training set under PhasePerDataset (the notebook's one offset per data set), without generating it.
func TrainingPhaseOffset(seed uint64) float64 {
	return phaseOffsets(Config{Phase: PhasePerDataset}, 1, seed, streamTrainData)[0]
}
