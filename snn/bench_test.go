package snn

import (
	"context"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// BenchmarkTrainStep times one training step at the notebook's sizes (batch 64, 200 inputs, 30 hidden,
// 100 steps) as Train runs it: spike lists, sparse input projection, forward, backward and the Adam
// update.
func BenchmarkTrainStep(b *testing.B) {
	cfg := DefaultConfig()
	m, _ := NewModel(cfg)
	d, _ := GenerateStimulus(cfg, cfg.BatchSize, 1, 1)
	st, err := newStepper(gobackend.GetBackend(), m)
	if err != nil {
		b.Fatal(err)
	}
	idx := make([]int, cfg.BatchSize)
	for i := range idx {
		idx[i] = i
	}
	if _, err := st.step(d, idx); err != nil { // compile
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := st.step(d, idx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainStepSingleGraph times the reference formulation: the whole step, dense input projection
// included, in one GoMLX graph.
func BenchmarkTrainStepSingleGraph(b *testing.B) {
	cfg := DefaultConfig()
	m, _ := NewModel(cfg)
	d, _ := GenerateStimulus(cfg, cfg.BatchSize, 1, 1)
	tr, err := newTrainer(gobackend.GetBackend(), m)
	if err != nil {
		b.Fatal(err)
	}
	in := newBatchInput(cfg, cfg.BatchSize)
	idx := make([]int, cfg.BatchSize)
	for i := range idx {
		idx[i] = i
	}
	step := func() {
		in.fill(d, idx, cfg.NumClasses)
		x, y := in.tensors(cfg)
		out, err := tr.step.Call(x, y)
		if err != nil {
			b.Fatal(err)
		}
		out[0].FinalizeAll()
		x.FinalizeAll()
		y.FinalizeAll()
	}
	step() // compile
	b.ResetTimer()
	for b.Loop() {
		step()
	}
}

// BenchmarkEpoch times one epoch of the seed protocol: 64 training steps of batch 64 and the validation
// pass over 4096 samples. Each iteration is a one-epoch Train call, so it also includes building and
// compiling the graphs (about 0.1 s).
func BenchmarkEpoch(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Epochs = 1
	train, val, _, _ := GenerateData(cfg)
	m, _ := NewModel(cfg)
	for b.Loop() {
		if _, err := Train(context.Background(), m, train, val, TrainOptions{Backend: gobackend.GetBackend()}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStimulus times generating the 6144 samples of one notebook run's training and test sets.
func BenchmarkStimulus(b *testing.B) {
	cfg := DefaultConfig()
	for b.Loop() {
		if _, err := GenerateStimulus(cfg, 6144, 1, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProjection times the sparse input projection and its gradient for one batch of 64.
func BenchmarkProjection(b *testing.B) {
	cfg := DefaultConfig()
	m, _ := NewModel(cfg)
	d, _ := GenerateStimulus(cfg, cfg.BatchSize, 1, 1)
	cols := newSpikeColumns(cfg, cfg.BatchSize)
	idx := make([]int, cfg.BatchSize)
	for i := range idx {
		idx[i] = i
	}
	cols.fill(d, idx, cfg.NumClasses)
	p := make([]float32, (cfg.NumSteps()-1)*cfg.BatchSize*cfg.NumHidden)
	g := make([]float32, cfg.NumInputs()*cfg.NumHidden)
	w := m.EffectiveW1()
	for b.Loop() {
		cols.project(w, p)
		cols.projectGrad(p, cfg.NumInputs(), cfg.NumHidden, g)
	}
}
