package study

import (
	"context"
	"sync"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
)

// TestSweepCountsRunsInProgress checks that a sweep's workers count their runs as in progress
// (snn.StartRun) while they train them, so that the Go kernels share the cores among the workers:
// every epoch of four runs trained two at a time sees one or two runs in progress, never none, and none
// is left counted after the sweep.
func TestSweepCountsRunsInProgress(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 2
	var mu sync.Mutex
	seen := map[int]int{}
	s := &Sweep{Base: base, Conditions: []Condition{DaleConditions()[0]}, Fractions: []float64{0.5}, Seeds: []uint64{1, 2, 3, 4},
		CacheDir: t.TempDir(), Backend: gobackend.GetBackend(), Workers: 2,
		OnEpoch: func(k RunKey, e snn.EpochInfo) {
			mu.Lock()
			defer mu.Unlock()
			seen[snn.RunsInProgress()]++
		}}
	if _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	epochs := 0
	for n, count := range seen {
		epochs += count
		if n < 1 || n > 2 {
			t.Errorf("%d epochs saw %d runs in progress, want 1 or 2 (two workers)", count, n)
		}
	}
	if epochs != 4*base.Epochs {
		t.Errorf("%d epochs reported, want %d", epochs, 4*base.Epochs)
	}
	if n := snn.RunsInProgress(); n != 0 {
		t.Errorf("%d runs still in progress after the sweep", n)
	}
}
