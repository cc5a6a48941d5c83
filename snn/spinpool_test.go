package snn

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunChunksCoversEachItemOnce runs runChunks from several goroutines at once, asking for more chunks
// than the pool may hold workers (so some callers run other chunks themselves), with pauses longer than
// spinFor between rounds (so the workers park and are woken): every item of every call must be visited
// exactly once, and each call must return only after all its chunks are done. The test starts from an empty
// pool (earlier tests at a larger GOMAXPROCS may have grown the shared one, which never shrinks) and
// checks that it grew to GOMAXPROCS-1 workers, no more, and that they all park once idle for spinFor.
func TestRunChunksCoversEachItemOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	spinPool.mu.Lock()
	saved := spinPool.workers
	spinPool.workers = nil
	spinPool.mu.Unlock()
	defer func() {
		spinPool.mu.Lock()
		spinPool.workers = append(saved, spinPool.workers...)
		spinPool.mu.Unlock()
	}()
	const callers, n = 5, 1000
	for round := 0; round < 4; round++ {
		var wg sync.WaitGroup
		for c := 0; c < callers; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for rep := 0; rep < 50; rep++ {
					parts := 1 + (c+rep)%7
					seen := make([]atomic.Int32, n)
					runChunks(n, parts, func(lo, hi int) {
						for i := lo; i < hi; i++ {
							seen[i].Add(1)
						}
					})
					for i := range seen {
						if v := seen[i].Load(); v != 1 {
							t.Errorf("round %d, caller %d, %d parts: item %d visited %d times when runChunks returned", round, c, parts, i, v)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		time.Sleep(3 * spinFor)
	}
	spinPool.mu.Lock()
	workers := slices.Clone(spinPool.workers)
	spinPool.mu.Unlock()
	if len(workers) != 3 {
		t.Errorf("the pool holds %d workers after 5 concurrent callers asking for up to 7 chunks, want GOMAXPROCS-1 = 3", len(workers))
	}
	for deadline := time.Now().Add(time.Second); ; time.Sleep(spinFor) {
		parked := 0
		for _, w := range workers {
			if w.state.Load() == workerParked {
				parked++
			}
		}
		if parked == len(workers) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%d of the pool's %d workers still awake 1 s after the last chunk (spinFor %v)", len(workers)-parked, len(workers), spinFor)
			break
		}
	}
}
