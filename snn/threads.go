package snn

import (
	"runtime"
	"sync/atomic"
)

// The cores a run's Go kernels split their work over. A kernel (parallelChunks: the projection, the LIF
// passes, the shunting cells; the stimulus) splits a batch over GOMAXPROCS / (runs training now)
// goroutines, at least one: a process training one run gives it every core, and a sweep training as
// many runs at once as it has cores gives each one, where splitting only added goroutine hand-offs
// between runs that compete for the same cores anyway. When a sweep's last run trains alone it gets
// every core again. Measured on 2 cores (Zen 5 VM, 2026-12-04; 6- and 8-run sweeps, 2 workers, builds
// alternated 11 times): 0.91-1.05 of the time the split took, mean 0.97, 9 of 11 faster: a small gain
// on a VM whose speed drifts by more. The numbers do not depend on the split: every kernel sums each
// output in one order whatever its chunk (TestThreadsDoNotChangeNumbers).
var (
	activeRuns atomic.Int32
	// forcedThreads, when > 0, replaces the rule above (tests).
	forcedThreads int
)

// runStarted counts a training run as running until the returned function is called.
func runStarted() (done func()) {
	activeRuns.Add(1)
	return func() { activeRuns.Add(-1) }
}

// kernelThreads returns how many goroutines a kernel splits n items over: GOMAXPROCS divided among the
// runs training now, at least 1 and at most n.
func kernelThreads(n int) int {
	t := runtime.GOMAXPROCS(0)
	if a := int(activeRuns.Load()); a > 1 {
		t /= a
	}
	if forcedThreads > 0 {
		t = forcedThreads
	}
	return max(1, min(t, n))
}
