package study

import (
	"testing"
	"time"
)

// The estimate by hand: 2 runs trained in 100 s (one cached before them), 7 of 10 left: 100/2*7 = 350 s.
func TestRunProgress(t *testing.T) {
	clock := time.Unix(0, 0)
	p := &RunProgress{now: func() time.Time { return clock }}
	p.start = clock
	if got := p.Observe(1, 10, true); got != "1/10 runs (0 trained, 1 cached), 0 s so far" {
		t.Errorf("after a cached run: %q", got)
	}
	clock = clock.Add(40 * time.Second)
	p.Observe(2, 10, false)
	clock = clock.Add(60 * time.Second)
	if got, want := p.Observe(3, 10, false), "3/10 runs (2 trained, 1 cached), 1 min 40 s so far, about 5 min 50 s left (less for the runs found in the cache)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	clock = clock.Add(2 * time.Hour)
	if got, want := p.Observe(10, 10, false), "10/10 runs (3 trained, 1 cached), 2 h 1 min so far"; got != want {
		t.Errorf("done: got %q, want %q", got, want)
	}
}

// OnRun starts the counts again with each sweep (a run numbered 1), its clock at the previous sweep's end.
func TestOnRunRestartsPerSweep(t *testing.T) {
	var got []string
	f := OnRun(func(_, _ int, r RunResult, cached bool, status string) { got = append(got, status) })
	// the closure's RunProgress uses time.Now: only the counts are compared
	f(1, 2, RunResult{}, false)
	f(2, 2, RunResult{}, true)
	f(1, 3, RunResult{}, true)
	want := []string{"1/2 runs (1 trained, 0 cached)", "2/2 runs (1 trained, 1 cached)", "1/3 runs (0 trained, 1 cached)"}
	for i, w := range want {
		if len(got) <= i || len(got[i]) < len(w) || got[i][:len(w)] != w {
			t.Errorf("call %d: %q, want it to start %q", i, got, w)
		}
	}
}
