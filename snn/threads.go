package snn

import (
	"runtime"
	"sync/atomic"
)

// The cores a run's Go kernels split their work over. A kernel (parallelChunks: the projection, the LIF
// passes, the shunting cells; the stimulus) splits a batch over GOMAXPROCS / (runs in progress, StartRun)
// goroutines, at least one: a process training one run gives it every core, and a sweep training as
// many runs at once as it has cores gives each one, where splitting only added goroutine hand-offs
// between runs that compete for the same cores anyway. When a sweep's last run is alone it gets every
// core again. Measured on 2 cores (Zen 5 VM, 2026-12-04; 6- and 8-run sweeps, 2 workers, builds
// alternated 11 times): 0.91-1.05 of the time the split took, mean 0.97, 9 of 11 faster: a small gain
// on a VM whose speed drifts by more. The numbers do not depend on the split: every kernel sums each
// output in one order whatever its chunk (TestThreadsDoNotChangeNumbers).
var activeRuns atomic.Int32

// StartRun counts a run as in progress until the returned function is called; the Go kernels give each
// run in progress an equal share of the cores (GOMAXPROCS / runs, at least one goroutine). A sweep calls it
// around each run it trains, rebuilds or scores (study.Sweep), so that its workers do not split their
// batches over cores the other workers are using; a single run need not call it.
func StartRun() (done func()) {
	activeRuns.Add(1)
	return func() { activeRuns.Add(-1) }
}

// RunsInProgress is the number of runs StartRun counts as in progress now.
func RunsInProgress() int { return int(activeRuns.Load()) }

// kernelThreads returns how many goroutines a kernel splits n items over: GOMAXPROCS divided among the
// runs in progress (StartRun), at least 1 and at most n.
func kernelThreads(n int) int {
	t := runtime.GOMAXPROCS(0)
	if a := int(activeRuns.Load()); a > 1 {
		t /= a
	}
	return max(1, min(t, n))
}
