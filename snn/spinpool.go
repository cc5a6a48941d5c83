package snn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The goroutines that run parallelChunks' other chunks. A training step splits its batch several times
// (the projection, the LIF passes, their gradients), each part taking 0.05-0.5 ms at the notebook's sizes.
// Starting a goroutine for each chunk, as parallelChunks did, wakes a parked thread on the other core each
// time, and on the 2-core VMs this project is measured on that wake took tens of microseconds: a second
// thread made a step slower, not faster (BenchmarkTrainStep 1.42 ms at GOMAXPROCS 1, 2.01 ms at 2, Zen 5 VM,
// 2026-12-04; splitting an 80 us loop in two took 93 us). So the chunks go to workers that stay awake for
// spinFor after each chunk, checking for the next in a loop that yields to this process's other
// goroutines (runtime.Gosched; the thread itself stays busy), and park only after that; the caller waits for
// its chunks the same way, without a limit (they are as long as its own). The cost: while a run alone
// trains, its workers keep their cores busy (chunks come less than spinFor apart), which matters only where
// other processes want those cores; a sweep whose runs fill GOMAXPROCS gives each run one goroutine
// (kernelThreads) and never uses the pool. Measured on that VM (2026-12-04, 14:30 UTC, old and
// new test binaries alternated 6 times, 400 steps each): BenchmarkTrainStep at GOMAXPROCS 2 2.12-2.20 ms
// with a goroutine per chunk, 1.20-1.50 ms with the pool (1.34-1.86 ms at GOMAXPROCS 1 in the same
// minutes, a noisy hour); one run alone of 10 epochs (sweep, one worker) 2.91, 3.24, 3.05 s -> 2.43, 2.67,
// 1.91 s, the entries equal. So two threads are now about level with one, no longer clearly slower, but
// they do not gain: the kernels' own CPU time about doubles at two threads (a profile), for a reason not
// fully established (the cache lines each phase's split hands between the cores is a guess; the VM's second
// vCPU runs the LIF kernel 26-38% slower than the first, alone: snn/bench/PERFORMANCE.md). Three variants
// measured no better (snn/bench/PERFORMANCE.md): workers that yield only every 4096 checks, workers and
// caller both so, and four chunks per thread taken in turn (so that a slower core does less). On a 16-core
// Intel Xeon host two threads made the step slower (snn/bench/runs/device-2026-12-04-xeon16.md). The
// numbers do not change: every kernel sums each output in one order whatever goroutine runs its chunk
// (TestThreadsDoNotChangeNumbers).
//
// A worker is claimed by one caller at a time; concurrent callers (runs in progress that share more than
// one core each) claim different workers, and a caller that finds none free, with the pool at its
// size, runs the chunk itself. The pool grows to GOMAXPROCS-1 workers at most and never shrinks;
// parked workers cost nothing.
var spinPool struct {
	mu      sync.Mutex
	workers []*spinWorker
}

// spinFor is how long a worker stays awake after its last chunk before it parks.
const spinFor = time.Millisecond

// A worker's states: awake and free, parked (waiting on wake) and free, claimed by a caller.
const (
	workerSpinning int32 = iota
	workerParked
	workerClaimed
)

type spinWorker struct {
	state atomic.Int32
	job   atomic.Pointer[chunkJob]
	wake  chan struct{} // one token: a parked worker was claimed
}

// chunkJob is one chunk [lo, hi) of f; pending counts the caller's chunks not yet done.
type chunkJob struct {
	f       func(lo, hi int)
	lo, hi  int
	pending *atomic.Int32
}

// claimWorker returns a free worker, now claimed, or nil if none is free and the pool has GOMAXPROCS-1.
func claimWorker() *spinWorker {
	spinPool.mu.Lock()
	defer spinPool.mu.Unlock()
	for _, w := range spinPool.workers {
		if w.state.CompareAndSwap(workerSpinning, workerClaimed) {
			return w
		}
		if w.state.CompareAndSwap(workerParked, workerClaimed) {
			w.wake <- struct{}{} // sent before the job is stored: the woken worker spins until it arrives
			return w
		}
	}
	if len(spinPool.workers) >= runtime.GOMAXPROCS(0)-1 {
		return nil
	}
	w := &spinWorker{wake: make(chan struct{}, 1)}
	w.state.Store(workerClaimed)
	spinPool.workers = append(spinPool.workers, w)
	go w.loop()
	return w
}

// loop runs the worker's jobs: it waits for one, spinning for spinFor after the last and parked after
// that, runs it, frees itself and counts the chunk done.
func (w *spinWorker) loop() {
	idleSince := time.Now()
	for spins := 0; ; spins++ {
		j := w.job.Load()
		if j == nil {
			if spins%64 == 63 && time.Since(idleSince) > spinFor && w.state.CompareAndSwap(workerSpinning, workerParked) {
				<-w.wake
			}
			runtime.Gosched()
			continue
		}
		w.job.Store(nil)
		j.f(j.lo, j.hi)
		w.state.Store(workerSpinning)
		j.pending.Add(-1)
		idleSince, spins = time.Now(), 0
	}
}

// runChunks runs f over the chunks [k*n/parts, (k+1)*n/parts) for k < parts: the first on the calling
// goroutine, the others on spinPool's workers where one is free (on the caller otherwise), and returns
// when all are done.
func runChunks(n, parts int, f func(lo, hi int)) {
	var pending atomic.Int32
	var mine []int // chunks no worker was free for
	for k := 1; k < parts; k++ {
		w := claimWorker()
		if w == nil {
			mine = append(mine, k)
			continue
		}
		pending.Add(1)
		w.job.Store(&chunkJob{f: f, lo: k * n / parts, hi: (k + 1) * n / parts, pending: &pending})
	}
	f(0, n/parts)
	for _, k := range mine {
		f(k*n/parts, (k+1)*n/parts)
	}
	for pending.Load() != 0 {
		runtime.Gosched()
	}
}
