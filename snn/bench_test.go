package snn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// benchStep times training steps of cfg in formulation f on one fixed batch: spike lists, input
// projection, forward, backward and the Adam update. The first step (graph compilation) is not timed.
func benchStep(b *testing.B, cfg Config, f Formulation) {
	m, err := NewModel(cfg)
	if err != nil {
		b.Fatal(err)
	}
	d, err := GenerateStimulus(cfg, cfg.BatchSize, 1, 1)
	if err != nil {
		b.Fatal(err)
	}
	st, err := newTrainStep(gobackend.GetBackend(), m, f)
	if err != nil {
		b.Fatal(err)
	}
	idx := make([]int, cfg.BatchSize)
	for i := range idx {
		idx[i] = i
	}
	if _, err := st.step(d, idx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := st.step(d, idx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainStep times one training step at the notebook's sizes (batch 64, 200 inputs, 30 hidden,
// 100 steps) as Train runs it on the pure-Go backend (FormulationGoKernels).
func BenchmarkTrainStep(b *testing.B) {
	benchStep(b, DefaultConfig(), FormulationGoKernels)
}

// BenchmarkTrainStepSingleGraph times the single-graph formulation at the notebook's sizes: the whole
// step, dense input projection included, in one GoMLX graph.
func BenchmarkTrainStepSingleGraph(b *testing.B) {
	benchStep(b, DefaultConfig(), FormulationGraph)
}

// BenchmarkTrainStepShunting times the Go-kernel step of the E/I-population network with shunting
// inhibition (27 excitatory + 3 inhibitory hidden units), against BenchmarkTrainStepPopulations, the same
// network with subtractive inhibition.
func BenchmarkTrainStepShunting(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Architecture, cfg.NumHidden, cfg.Inhibition = ArchPopulations, 27, InhibitionShunting
	benchStep(b, cfg, FormulationGoKernels)
}

// BenchmarkTrainStepPopulations times the Go-kernel step of the E/I-population network (subtractive).
func BenchmarkTrainStepPopulations(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Architecture, cfg.NumHidden = ArchPopulations, 27
	benchStep(b, cfg, FormulationGoKernels)
}

// BenchmarkTrainStepLIFInhibition times the E/I-population network with LIF inhibitory units (27
// excitatory, 3 inhibitory LIF units) in both formulations, at 100 and 1000 time steps (Duration 0.1 and
// 1 s): the Go kernels (lifInhStepper) and the single graph, autodiff through both recurrences, which
// computed every such run before the kernels existed.
func BenchmarkTrainStepLIFInhibition(b *testing.B) {
	for _, dur := range []float64{0.1, 1} {
		cfg := DefaultConfig()
		cfg.Architecture, cfg.NumHidden, cfg.InhibitoryUnits, cfg.Duration = ArchPopulations, 27, InhibitoryLIF, dur
		for _, f := range []Formulation{FormulationGoKernels, FormulationGraph} {
			b.Run(fmt.Sprintf("%s/steps=%d", f, cfg.NumSteps()), func(b *testing.B) { benchStep(b, cfg, f) })
		}
	}
}

// BenchmarkScaling times a training step against one size at a time, the others at the notebook's
// values: hidden units (30, 100, 300), time steps (100, 300, 1000: Duration 0.1, 0.3, 1 s) and batch
// size (16, 64, 256). The README's scaling table comes from it (snn/bench/scaling.sh).
func BenchmarkScaling(b *testing.B) {
	type size struct {
		name string
		set  func(*Config)
	}
	var sizes []size
	for _, h := range []int{30, 100, 300} {
		sizes = append(sizes, size{fmt.Sprintf("hidden=%d", h), func(c *Config) { c.NumHidden = h }})
	}
	for _, t := range []int{100, 300, 1000} {
		sizes = append(sizes, size{fmt.Sprintf("steps=%d", t), func(c *Config) { c.Duration = float64(t) * c.DT }})
	}
	for _, n := range []int{16, 64, 256} {
		sizes = append(sizes, size{fmt.Sprintf("batch=%d", n), func(c *Config) { c.BatchSize = n }})
	}
	for _, f := range []Formulation{FormulationGoKernels, FormulationGraph} {
		for _, s := range sizes {
			b.Run(string(f)+"/"+s.name, func(b *testing.B) {
				cfg := DefaultConfig()
				s.set(&cfg)
				benchStep(b, cfg, f)
			})
		}
	}
}

// BenchmarkEpoch times one epoch of the seed protocol: 64 training steps of batch 64 and the validation
// pass over 4096 samples. Each iteration is a one-epoch Train call, so it also includes building and
// compiling the graphs.
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

// BenchmarkStimulus times generating one notebook run's data sets (GenerateData): 4096 training, 4096
// validation and 2048 test samples at the default configuration.
func BenchmarkStimulus(b *testing.B) {
	cfg := DefaultConfig()
	for b.Loop() {
		if _, _, _, err := GenerateData(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProjection times the sparse input projection and its gradient for one batch of 64. It reports
// their useful additions per nanosecond as GFLOP/s (one row of NumHidden floats added per input spike in
// each direction; the padding lanes not counted), to set against BenchmarkVectorAddPeak.
func BenchmarkProjection(b *testing.B) {
	cfg, m, cols, p := benchBatch()
	g := make([]float32, cfg.NumInputs()*cfg.NumHidden)
	w := m.EffectiveW1()
	for b.Loop() {
		cols.project(w, p)
		cols.projectGrad(p, cfg.NumInputs(), cfg.NumHidden, g)
	}
	spikes := 0
	for _, n := range cols.samples {
		spikes += cols.index.start[(n+1)*cols.steps] - cols.index.start[n*cols.steps]
	}
	b.ReportMetric(float64(b.N)*float64(2*spikes*cfg.NumHidden)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
}

// BenchmarkLIFKernel times the Go LIF recurrence forward and backward for one batch of 64.
func BenchmarkLIFKernel(b *testing.B) {
	cfg, m, cols, p := benchBatch()
	cols.project(m.EffectiveW1(), p)
	k := newLIFKernel(cfg)
	r := make([]float32, cfg.BatchSize*cfg.NumHidden)
	work := make([]float32, len(p))
	for b.Loop() {
		copy(work, p)
		k.forward(work, cfg.BatchSize, r, true)
		k.backward(work, cfg.BatchSize, r)
	}
}

// BenchmarkLIFKernelSets times the LIF recurrence forward (keeping the membranes, as training does) and
// backward of one batch of 64 with every kernel set this build can run on this CPU, one sample after
// another: a set slower than a narrower one shows here (the avx512 forward on an Intel Xeon, 2026-12-05:
// 1.7 ms against the avx2 set's 0.07, from legacy SSE in its loop). The backward's time includes a copy of
// the batch's currents, which it overwrites.
func BenchmarkLIFKernelSets(b *testing.B) {
	cfg, m, cols, p := benchBatch()
	cols.project(m.EffectiveW1(), p)
	k := newLIFKernel(cfg)
	S, H := k.steps, k.hidden
	r, v, g := make([]float32, H), make([]float32, S*H), make([]float32, H)
	for i := range g {
		g[i] = 0.01 * float32(i%7-3)
	}
	work := make([]float32, len(p))
	for _, ks := range availableKernels {
		b.Run(ks.name+"/forward", func(b *testing.B) {
			for b.Loop() {
				for s := range cfg.BatchSize {
					ks.lifForward(k, p[s*S*H:(s+1)*S*H], v, r)
				}
			}
		})
		b.Run(ks.name+"/backward", func(b *testing.B) {
			ks.lifForward(k, p[:S*H], v, r)
			for b.Loop() {
				copy(work, p)
				for s := range cfg.BatchSize {
					ks.lifBackward(k, work[s*S*H:(s+1)*S*H], v, g)
				}
			}
		})
	}
}

// benchBatch is one batch of the notebook's sizes listed for the projection, with an untrained model and a
// buffer for the currents.
func benchBatch() (Config, *Model, *spikeColumns, []float32) {
	cfg := DefaultConfig()
	m, _ := NewModel(cfg)
	d, _ := GenerateStimulus(cfg, cfg.BatchSize, 1, 1)
	cols := newSpikeColumns(cfg, cfg.BatchSize)
	idx := make([]int, cfg.BatchSize)
	for i := range idx {
		idx[i] = i
	}
	cols.fill(d, idx, cfg.NumClasses)
	return cfg, m, cols, make([]float32, (cfg.NumSteps()-1)*cfg.BatchSize*cfg.NumHidden)
}

// BenchmarkTranspose times listing one batch of 64's spikes fibre by fibre, the first half of the
// projection's gradient: from the dataset's fibre index (transposeIndexed, as training does) and by
// sorting the batch's spikes (transposeLists, for samples of more than 255 steps).
func BenchmarkTranspose(b *testing.B) {
	cfg, _, cols, _ := benchBatch()
	I := cfg.NumInputs()
	b.Run("indexed", func(b *testing.B) {
		for b.Loop() {
			cols.transpose(I)
		}
	})
	b.Run("sorted", func(b *testing.B) {
		for b.Loop() {
			clear(cols.fibreStart)
			transposeLists(cols, cols.index.fibres8, I)
		}
	})
}

// BenchmarkShuntCell times the shunting cell and its gradient (kernelSet.shuntCell, shuntCellGrad) of
// every kernel set over one batch's cells (64 samples of 99 steps; 27 excitatory and 3 inhibitory units,
// the notebook's populations), the gradients accumulated per sample as the training step does.
func BenchmarkShuntCell(b *testing.B) {
	const ne, ni, samples, steps = 27, 3, 64, 99
	rng := rand.New(rand.NewPCG(5, 7))
	rnd := func(r, c int, lo, hi float64) Matrix { return uniformMatrix(rng, r, c, lo, hi) }
	l := newShuntLayer(rnd(200, ne, 0, 0.1), rnd(200, ni, 0, 0.1), rnd(ni, ne, 0.01, 1), rnd(1, ni, -2, 1),
		rnd(1, ne, 0.5, 2), rnd(1, ne, -0.5, 0.5))
	zEI := rnd(samples*steps, ne+ni, -1, 2).Data
	dz := rnd(samples*steps, ne, -1, 1).Data
	z, out := make([]float32, samples*steps*ne), make([]float32, samples*steps*(ne+ni))
	for _, ks := range availableKernels {
		b.Run(ks.name, func(b *testing.B) {
			for b.Loop() {
				for c := range samples * steps {
					ks.shuntCell(&l, zEI[c*(ne+ni):][:ne+ni], z[c*ne:][:ne])
				}
				for s := range samples {
					g := newShuntGrads(l)
					for t := range steps {
						c := s*steps + t
						ks.shuntCellGrad(&l, zEI[c*(ne+ni):][:ne+ni], dz[c*ne:][:ne], out[c*(ne+ni):][:ne+ni], g)
					}
				}
			}
		})
	}
}

// BenchmarkGradBlock times the projection and its gradient (BenchmarkProjection) with projectGrad's
// column blocks of several sizes (gradBlock), and with no blocks (one call per fibre, sumRows32).
func BenchmarkGradBlock(b *testing.B) {
	defer func(n int, ks kernelSet) { gradBlock, kernels = n, ks }(gradBlock, kernels)
	add := kernels.addRows32
	if add == nil {
		b.Skipf("kernel set %s has no addRows32: projectGrad has no blocks to time", KernelPath())
	}
	for _, n := range []int{128, 256, 512, 1024, 2048, 0} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			gradBlock, kernels.addRows32 = n, add
			if n == 0 {
				kernels.addRows32 = nil
			}
			BenchmarkProjection(b)
		})
	}
}
