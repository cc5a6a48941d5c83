package snn

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestThreadsDoNotChangeNumbers trains every Go-kernel network for three steps, and draws its stimulus,
// with the kernels split over 1, 2, 3 and 7 goroutines (GOMAXPROCS set so, no run in progress): the
// parameters after each step and the spikes must be the same bits whatever the split, since a sweep
// gives each run a share of the cores that changes as its other runs start and finish.
func TestThreadsDoNotChangeNumbers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	if n := RunsInProgress(); n != 0 {
		t.Fatalf("%d runs in progress: the split would not follow GOMAXPROCS", n)
	}
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
			runtime.GOMAXPROCS(threads)
			var mu sync.Mutex
			covered := make([]int, 100)
			chunks := 0
			parallelChunks(100, func(lo, hi int) {
				mu.Lock()
				defer mu.Unlock()
				chunks++
				for i := lo; i < hi; i++ {
					covered[i]++
				}
			})
			if chunks != threads || slices.ContainsFunc(covered, func(c int) bool { return c != 1 }) {
				t.Fatalf("parallelChunks at GOMAXPROCS %d: %d chunks, items covered %v times", threads, chunks, covered)
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
				assertBitsAs(t, fmt.Sprintf("%s network, %d threads, parameter %d after step %d", net.name, threads,
					i%len(st.params()), i/len(st.params())+1), "1 thread", got[i], want[i])
			}
		}
	}
}

// TestKernelThreadsShareCores checks the rule at GOMAXPROCS 6: every core for no run or one run in
// progress, an equal share for several (6, 3, 2, then 1 for four runs), never fewer than one goroutine
// nor more than the items, and every core again once the runs end.
func TestKernelThreadsShareCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(6))
	if n := RunsInProgress(); n != 0 {
		t.Fatalf("%d runs in progress before the test", n)
	}
	if got := kernelThreads(1000); got != 6 {
		t.Errorf("no run in progress: kernelThreads(1000) = %d, want 6", got)
	}
	var done []func()
	for runs, want := range []int{6, 3, 2, 1} {
		done = append(done, StartRun())
		if got := kernelThreads(1000); got != want || RunsInProgress() != runs+1 {
			t.Errorf("%d runs in progress (counted %d): kernelThreads(1000) = %d, want %d", runs+1, RunsInProgress(), got, want)
		}
		if got := kernelThreads(1); got != 1 {
			t.Errorf("%d runs in progress: kernelThreads(1) = %d, want 1", runs+1, got)
		}
	}
	for _, f := range done {
		f()
	}
	if got := kernelThreads(1000); got != 6 || RunsInProgress() != 0 {
		t.Errorf("after the runs ended (%d in progress): kernelThreads(1000) = %d, want 6", RunsInProgress(), got)
	}
}
