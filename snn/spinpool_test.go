package snn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunChunksCoversEachItemOnce runs runChunks from several goroutines at once, more chunks than the
// pool may hold workers (so some callers run other chunks themselves), with pauses longer than spinFor
// between rounds (so the workers park and are woken): every item of every call must be visited exactly
// once, and each call must return only after all its chunks are done; the pool must not grow past
// GOMAXPROCS-1 workers.
func TestRunChunksCoversEachItemOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	spinPool.mu.Lock()
	before := len(spinPool.workers) // earlier tests at a larger GOMAXPROCS may have grown it: it never shrinks
	spinPool.mu.Unlock()
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
	defer spinPool.mu.Unlock()
	if after := len(spinPool.workers); after > max(before, 3) {
		t.Errorf("the pool grew from %d to %d workers, more than GOMAXPROCS-1 = 3", before, after)
	}
}
