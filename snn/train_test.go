package snn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// tinyConfig is a configuration that trains in about a second.
func tinyConfig() Config {
	c := DefaultConfig()
	c.BatchSize, c.TrainBatches, c.ValidationBatches, c.TestBatches, c.Epochs = 16, 4, 2, 2, 2
	return c
}

func tinyRun(t *testing.T, cfg Config) (*Model, *Model) {
	t.Helper()
	train, val, _, err := GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Train(context.Background(), m, train, val, TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	return m, out
}

// Dale's law as a property: after training, every weight the trained network applies has its row's sign
// (or is 0), for both layers, both layouts and several fractions, and the raw parameters did change.
func TestDaleSignsSurviveTraining(t *testing.T) {
	for _, layout := range []MaskLayout{MaskBlocked, MaskRandom} {
		for _, f := range []float64{0.2, 0.5, 0.9} {
			cfg := tinyConfig()
			cfg.Layout, cfg.InhibitoryFraction = layout, f
			before, after := tinyRun(t, cfg)
			if slices.Equal(before.W1.Data, after.W1.Data) {
				t.Fatalf("%s %.1f: W1 did not change in training", layout, f)
			}
			checkAppliedSigns(t, fmt.Sprintf("%s %.1f", layout, f), after)
			if f == 0.5 { // the control: without Dale's law the same reading finds weights of both signs in a row
				cfg.DalesLaw = false
				_, free := tinyRun(t, cfg)
				if a := checkAppliedSigns(t, "unconstrained", free); a[0] == 0 || a[1] == 0 {
					t.Errorf("%s: an unconstrained network applies %v weights against the mask's signs: the check cannot see a violation", layout, a)
				}
			}
			if !slices.Equal(before.W1.Data, after.InitW1.Data) {
				t.Fatalf("trained model lost its initial weights")
			}
		}
	}
}

func TestTrainingIsDeterministic(t *testing.T) {
	cfg := tinyConfig()
	_, a := tinyRun(t, cfg)
	_, b := tinyRun(t, cfg)
	if !slices.Equal(a.W1.Data, b.W1.Data) || !slices.Equal(a.W2.Data, b.W2.Data) ||
		!slices.Equal(a.History.TrainLoss, b.History.TrainLoss) {
		t.Error("the same seed gave different weights or losses")
	}
	cfg.Seed = 2
	_, c := tinyRun(t, cfg)
	if slices.Equal(a.W1.Data, c.W1.Data) {
		t.Error("different seeds gave identical weights")
	}
}

func TestTrainingErrors(t *testing.T) {
	cfg := tinyConfig()
	train, val, _, _ := GenerateData(cfg)
	m, _ := NewModel(cfg)
	opts := TrainOptions{Backend: gobackend.GetBackend()}

	// A loss that overflows to Inf/NaN stops training with a clear error.
	huge := m.Clone()
	huge.Config.ReadoutScale = 1e38
	for i := range huge.W2.Data {
		huge.W2.Data[i] *= 1e3
	}
	for i := range huge.W1.Data {
		huge.W1.Data[i] = float32(math.Abs(float64(huge.W1.Data[i]))) * 50
	}
	if _, err := Train(context.Background(), huge, train, val, opts); err == nil || !strings.Contains(err.Error(), "diverged") {
		t.Errorf("overflowing loss: got %v, want a 'training diverged' error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, m, train, val, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v", err)
	}

	other := cfg
	other.ANFPerEar = 50
	wrong, _ := GenerateStimulus(other, 32, 1, 1)
	if _, err := Train(context.Background(), m, wrong, val, opts); err == nil || !strings.Contains(err.Error(), "inputs") {
		t.Errorf("dataset of the wrong shape: got %v", err)
	}
	small := train.Subset([]int{0, 1, 2})
	if _, err := Train(context.Background(), m, small, val, opts); err == nil || !strings.Contains(err.Error(), "BatchSize") {
		t.Errorf("batch larger than the data: got %v", err)
	}
}

func TestProgressCallbacks(t *testing.T) {
	cfg := tinyConfig()
	train, val, _, _ := GenerateData(cfg)
	m, _ := NewModel(cfg)
	var steps []StepInfo
	var epochs []EpochInfo
	out, err := Train(context.Background(), m, train, val, TrainOptions{Backend: gobackend.GetBackend(),
		OnStep: func(s StepInfo) { steps = append(steps, s) }, OnEpoch: func(e EpochInfo) { epochs = append(epochs, e) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != cfg.Epochs*cfg.TrainBatches || len(epochs) != cfg.Epochs || out.History.Steps != len(steps) {
		t.Fatalf("%d step and %d epoch callbacks, want %d and %d", len(steps), len(epochs), cfg.Epochs*cfg.TrainBatches, cfg.Epochs)
	}
	last := steps[len(steps)-1]
	if last.Epoch != cfg.Epochs || last.Step != cfg.TrainBatches || last.Steps != cfg.TrainBatches {
		t.Errorf("last step info %+v", last)
	}
	for i, e := range epochs {
		if e.TrainLoss != out.History.TrainLoss[i] || e.ValLoss != out.History.ValLoss[i] {
			t.Errorf("epoch %d callback losses differ from the history", i+1)
		}
	}
}

func TestEarlyStopRules(t *testing.T) {
	nb := DefaultConfig()
	flat := make([]float64, 12)
	for i := range flat {
		flat[i] = 1 + float64(i) // epoch 0 stays the best
	}
	if earlyStop(nb, flat[:11], 10) {
		t.Error("notebook rule fired at e = 10 (it needs e > 10)")
	}
	if !earlyStop(nb, flat, 11) {
		t.Error("notebook rule did not fire when the first of the window is the minimum and e > 10")
	}
	improving := []float64{5, 4, 3, 2, 1, 1.5, 1.6, 1.7, 1.8, 1.9, 2, 2.1}
	if earlyStop(nb, improving, 11) {
		t.Error("notebook rule fired although the loss improved after the first epoch")
	}
	p := DefaultConfig()
	p.EarlyStop, p.Patience = EarlyStopPatience, 3
	if earlyStop(p, []float64{3, 2, 1, 1.1, 1.2}, 4) {
		t.Error("patience 3 fired after 2 epochs without improvement")
	}
	if !earlyStop(p, []float64{3, 2, 1, 1.1, 1.2, 1.3}, 5) {
		t.Error("patience 3 did not fire after 3 epochs without improvement")
	}
	off := DefaultConfig()
	off.EarlyStop = EarlyStopOff
	if earlyStop(off, flat, 11) {
		t.Error("EarlyStopOff fired")
	}
}

// The patience rule restores the weights of the best validation epoch.
func TestPatienceRestoresBest(t *testing.T) {
	cfg := tinyConfig()
	cfg.EarlyStop, cfg.Patience, cfg.Epochs, cfg.LearningRate = EarlyStopPatience, 1, 6, 0.05
	train, val, _, _ := GenerateData(cfg)
	m, _ := NewModel(cfg)
	var snapshots []float64
	out, err := Train(context.Background(), m, train, val, TrainOptions{Backend: gobackend.GetBackend(),
		OnEpoch: func(e EpochInfo) { snapshots = append(snapshots, e.ValLoss) }})
	if err != nil {
		t.Fatal(err)
	}
	if !out.History.RestoredBest {
		t.Fatal("patience rule did not restore the best weights")
	}
	b := argmin(out.History.ValLoss)
	if out.History.BestEpoch != b {
		t.Errorf("BestEpoch %d, argmin of the validation losses %d", out.History.BestEpoch, b)
	}
	got, err := meanLossOf(out, val)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-out.History.ValLoss[b]) > 1e-6 {
		t.Errorf("restored weights give validation loss %v, the best epoch had %v", got, out.History.ValLoss[b])
	}
}

func meanLossOf(m *Model, d *Dataset) (float64, error) {
	fwd, err := newForward(gobackend.GetBackend(), m.Config, m.Config.BatchSize)
	if err != nil {
		return 0, err
	}
	return meanLoss(fwd, m, d)
}

// A short training run clearly beats chance (8.3%): 6 epochs of 16 batches of 64 reach ~60% test
// accuracy on this machine; 30% leaves room for any seed.
func TestShortTrainingBeatsChance(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	cfg := DefaultConfig()
	cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches, cfg.Epochs = 16, 4, 8, 6
	x, err := RunExperiment(context.Background(), cfg, TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test accuracy %.1f%%, error %.1f deg", 100*x.TestEval.Accuracy, x.TestEval.AbsErrorDeg)
	if x.TestEval.Accuracy < 0.30 {
		t.Errorf("test accuracy %.1f%%, want > 30%% (chance 8.3%%)", 100*x.TestEval.Accuracy)
	}
	if x.History().TrainLoss[cfg.Epochs-1] >= x.History().TrainLoss[0] {
		t.Errorf("training loss did not fall: %v", x.History().TrainLoss)
	}
}

// Dale's law on one layer only: that layer keeps its signs through training, the other is unconstrained
// (its effective weights are its raw parameters and take both signs within a row).
func TestDaleOnOneLayer(t *testing.T) {
	for _, layers := range []DaleLayers{DaleInput, DaleHidden} {
		cfg := tinyConfig()
		cfg.DaleLayers = layers
		_, m := tinyRun(t, cfg)
		constrained, free := m.EffectiveW1(), m.EffectiveW2()
		cMask, freeRaw := m.Mask1, m.W2
		if layers == DaleHidden {
			constrained, free, cMask, freeRaw = m.EffectiveW2(), m.EffectiveW1(), m.Mask2, m.W1
		}
		for r := 0; r < constrained.Rows; r++ {
			for c := 0; c < constrained.Cols; c++ {
				if constrained.At(r, c)*cMask.Signs[r] < 0 {
					t.Fatalf("%s: constrained weight [%d,%d] against its sign", layers, r, c)
				}
			}
		}
		mixed := false
		for r := 0; r < free.Rows; r++ {
			pos, neg := false, false
			for c := 0; c < free.Cols; c++ {
				if free.At(r, c) != freeRaw.At(r, c) {
					t.Fatalf("%s: unconstrained layer's effective weight differs from its raw parameter", layers)
				}
				pos, neg = pos || free.At(r, c) > 0, neg || free.At(r, c) < 0
			}
			mixed = mixed || (pos && neg)
		}
		if !mixed {
			t.Errorf("%s: no row of the unconstrained layer has weights of both signs", layers)
		}
	}
}

func TestTrainOrLoad(t *testing.T) {
	cfg := tinyConfig()
	path := t.TempDir() + "/m.ckpt"
	opts := TrainOptions{Backend: gobackend.GetBackend()}
	a, loaded, err := TrainOrLoad(context.Background(), cfg, path, opts)
	if err != nil || loaded {
		t.Fatalf("first call: loaded=%v err=%v, want a trained model", loaded, err)
	}
	b, loaded, err := TrainOrLoad(context.Background(), cfg, path, opts)
	if err != nil || !loaded || !slices.Equal(a.W1.Data, b.W1.Data) {
		t.Fatalf("second call: loaded=%v err=%v, want the saved model", loaded, err)
	}
	cfg.Seed = 9
	c, loaded, err := TrainOrLoad(context.Background(), cfg, path, opts)
	if err != nil || loaded || c.Config.Seed != 9 {
		t.Fatalf("other config: loaded=%v err=%v, want a new training", loaded, err)
	}
	if c.History.Numerics != NumericsVersion(FormulationGoKernels) {
		t.Errorf("trained model records numerics %q", c.History.Numerics)
	}
	// A model of the same config trained by other numerics (here: written before they were recorded) is
	// retrained, not reused.
	c.History.Numerics = ""
	if err := SaveCheckpoint(path, c); err != nil {
		t.Fatal(err)
	}
	if _, loaded, err := TrainOrLoad(context.Background(), cfg, path, opts); err != nil || loaded {
		t.Fatalf("other numerics: loaded=%v err=%v, want a new training", loaded, err)
	}
	// A model another backend trained (numerics of the same revision, as a CUDA machine would stamp them) is
	// loaded and the file left as it was, unless Recompute asks for a retraining.
	current := c.History.Numerics
	if current == "" {
		current = NumericsVersion(FormulationGoKernels)
	}
	foreign := "graph/" + strings.TrimPrefix(strings.SplitN(NumericsVersion(FormulationGoKernels), "+", 2)[0], "go-kernels/") + "+xla-cuda"
	c.History.Numerics = foreign
	if err := SaveCheckpoint(path, c); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	d, loaded, err := TrainOrLoad(context.Background(), cfg, path, opts)
	if err != nil || !loaded || d.History.Numerics != foreign {
		t.Fatalf("another backend's model: loaded=%v err=%v numerics %q, want it loaded as %q", loaded, err, d.History.Numerics, foreign)
	}
	if now, _ := NumericsFor(cfg, opts); now == foreign {
		t.Fatalf("NumericsFor says %q: the test needs numerics other than the stamped ones", now)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("loading another backend's model rewrote its checkpoint")
	}
	opts.Recompute = true
	if e, loaded, err := TrainOrLoad(context.Background(), cfg, path, opts); err != nil || loaded || e.History.Numerics != current {
		t.Fatalf("Recompute: loaded=%v err=%v numerics %q, want a new training with %q", loaded, err, e.History.Numerics, current)
	}
}

// checkAppliedSigns checks Dale's law on what a network of m's weights applies: the effective weights a
// training step computes from m's raw parameters (W1eff as given to the input projection, W2eff as the
// update graph computed it), row by row against the masks (a weight of the other sign fails; 0 passes).
// It returns how many applied weights of each layer are against their row's sign (nonzero only where
// Dale's law is off).
func checkAppliedSigns(t *testing.T, label string, m *Model) (against [2]int) {
	t.Helper()
	cfg := m.Config
	st, err := newStepper(gobackend.GetBackend(), m)
	if err != nil {
		t.Fatal(err)
	}
	d, err := GenerateStimulus(cfg, cfg.BatchSize, 7, 1)
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, cfg.BatchSize)
	for i := range idx {
		idx[i] = i
	}
	if _, err := st.step(d, idx); err != nil {
		t.Fatal(err)
	}
	for k, l := range []struct {
		name string
		w    Matrix
		mask Mask
		dale bool
	}{{"W1", st.used1, m.Mask1, cfg.DaleOnInput()}, {"W2", st.used2, m.Mask2, cfg.DaleOnHidden()}} {
		if l.w.Rows != len(l.mask.Signs) || len(l.w.Data) != l.w.Rows*l.w.Cols {
			t.Fatalf("%s: the step recorded a %dx%d %s for %d mask rows", label, l.w.Rows, l.w.Cols, l.name, len(l.mask.Signs))
		}
		for r := 0; r < l.w.Rows; r++ {
			for c := 0; c < l.w.Cols; c++ {
				if v := l.w.At(r, c); v*l.mask.Signs[r] < 0 {
					against[k]++
				}
			}
		}
		if l.dale && against[k] > 0 {
			t.Errorf("%s: %d applied %s weights against their row's sign", label, against[k], l.name)
		}
	}
	return against
}

// Training records the validation accuracy of every epoch; the last one is Evaluate's accuracy of the
// trained model on the validation set (whose size is a whole number of batches here), after enough
// training to be well above chance.
func TestValidationAccuracyRecorded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches, cfg.Epochs = 16, 4, 1, 4
	_, val, _, err := GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, m := tinyRun(t, cfg)
	h := m.History
	if len(h.ValAccuracy) != cfg.Epochs || len(h.ValAccuracy) != len(h.ValLoss) {
		t.Fatalf("%d validation accuracies for %d epochs (%d losses)", len(h.ValAccuracy), cfg.Epochs, len(h.ValLoss))
	}
	if h.RestoredBest {
		t.Fatal("the tiny run restored earlier weights: the last epoch's accuracy is not the model's")
	}
	ev, err := Evaluate(m, val, gobackend.GetBackend())
	if err != nil {
		t.Fatal(err)
	}
	if last := h.ValAccuracy[len(h.ValAccuracy)-1]; last != ev.Accuracy || last < 0.25 {
		t.Errorf("last epoch's validation accuracy %v, Evaluate on the validation set %v (want equal, and at least 3 times chance)", last, ev.Accuracy)
	}
}

// A Dataset written as a literal has the exported fields but no spikes: Train, Evaluate and Simulate refuse
// it, naming what is missing, instead of training on silence.
func TestLiteralDatasetRefused(t *testing.T) {
	cfg := Quick(DefaultConfig())
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	lit := &Dataset{IPD: make([]float64, 4*cfg.BatchSize), NumSteps: cfg.NumSteps(), NumInputs: cfg.NumInputs()}
	_, val, _, err := GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Train(context.Background(), m, lit, val, TrainOptions{}); err == nil || !strings.Contains(err.Error(), "training dataset holds no spikes") {
		t.Errorf("Train on a literal dataset: %v", err)
	}
	if _, err := Evaluate(m, lit, nil); err == nil || !strings.Contains(err.Error(), "holds no spikes") {
		t.Errorf("Evaluate on a literal dataset: %v", err)
	}
	if _, err := Evaluate(m, val, nil); err != nil {
		t.Errorf("Evaluate on a generated dataset: %v", err)
	}
}
