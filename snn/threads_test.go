package snn

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestThreadsDoNotChangeNumbers trains every Go-kernel network for three steps, and draws its stimulus,
// with the kernels split over 1, 2, 3 and 7 goroutines (kernelThreads, forced): the parameters after each
// step and the spikes must be the same bits whatever the split, since a sweep gives each run a share of
// the cores that changes as its other runs start and finish.
func TestThreadsDoNotChangeNumbers(t *testing.T) {
	defer func(n int) { forcedThreads = n }(forcedThreads)
	nets := []struct {
		name string
		set  func(*Config)
	}{
		{"notebook", func(c *Config) {}},
		{"populations", func(c *Config) { c.Architecture, c.NumHidden = ArchPopulations, 27 }},
		{"shunting", func(c *Config) { c.Architecture, c.NumHidden, c.Inhibition = ArchPopulations, 27, InhibitionShunting }},
		{"LIF inhibitory units", func(c *Config) { c.Architecture, c.NumHidden, c.InhibitoryUnits = ArchPopulations, 27, InhibitoryLIF }},
	}
	for _, net := range nets {
		cfg := DefaultConfig()
		cfg.BatchSize = 16
		net.set(&cfg)
		var want [][]float32
		var wantBits []uint64
		for _, threads := range []int{1, 2, 3, 7} {
			forcedThreads = threads
			if got := kernelThreads(100); got != threads {
				t.Fatalf("kernelThreads(100) = %d with %d forced", got, threads)
			}
			var chunks int
			parallelChunks(100, func(lo, hi int) { chunks++ })
			if chunks != threads {
				t.Fatalf("parallelChunks ran %d chunks with %d threads forced", chunks, threads)
			}
			d, err := GenerateStimulus(cfg, 3*cfg.BatchSize, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			m, err := NewModel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			st, err := newTrainStep(gobackend.GetBackend(), m, FormulationGoKernels)
			if err != nil {
				t.Fatal(err)
			}
			var got [][]float32
			for b := 0; b < 3; b++ {
				if _, err := st.step(d, seq(b*cfg.BatchSize, cfg.BatchSize)); err != nil {
					t.Fatal(err)
				}
				for _, v := range st.params() {
					got = append(got, tensors.MustCopyFlatData[float32](v.MustValue()))
				}
			}
			if threads == 1 {
				want, wantBits = got, slices.Clone(d.bits)
				continue
			}
			if !slices.Equal(d.bits, wantBits) {
				t.Errorf("%s network: the stimulus drawn with %d threads differs from the one drawn with 1", net.name, threads)
			}
			for i := range want {
				assertBits(t, fmt.Sprintf("%s network, %d threads against 1, parameter %d after step %d", net.name, threads,
					i%len(st.params()), i/len(st.params())+1), got[i], want[i])
			}
		}
	}
}

// TestKernelThreadsShareCores checks the rule without forcing: every core for one run, an equal share
// for several, never fewer than one goroutine nor more than the items.
func TestKernelThreadsShareCores(t *testing.T) {
	defer func(n int) { forcedThreads = n }(forcedThreads)
	forcedThreads = 0
	procs := runtime.GOMAXPROCS(0)
	if got := kernelThreads(1000); got != min(procs, 1000) {
		t.Errorf("no run training: kernelThreads(1000) = %d, want GOMAXPROCS %d", got, procs)
	}
	var done []func()
	for runs := 1; runs <= 4; runs++ {
		done = append(done, StartRun())
		want := max(1, procs/runs)
		if runs == 1 {
			want = procs
		}
		if got := kernelThreads(1000); got != want {
			t.Errorf("%d runs training on %d cores: kernelThreads(1000) = %d, want %d", runs, procs, got, want)
		}
		if got := kernelThreads(1); got != 1 {
			t.Errorf("%d runs training: kernelThreads(1) = %d, want 1", runs, got)
		}
	}
	for _, f := range done {
		f()
	}
	if got := kernelThreads(1000); got != min(procs, 1000) {
		t.Errorf("after the runs ended: kernelThreads(1000) = %d, want %d", got, procs)
	}
}
