package study

import (
	"fmt"
	"time"
)

// RunProgress follows a sweep's runs (Sweep.OnRun) and estimates the time left: with n runs trained so
// far in a wall time t since the first call to Start, and m runs not yet returned,
//
//	left = t / n * m
//
// which counts every remaining run as trained (a cached one costs nothing), so it is an upper estimate
// when the cache holds some of them, and uses the sweep's own throughput (its workers in parallel).
type RunProgress struct {
	start           time.Time
	trained, cached int
	now             func() time.Time // time.Now; a test replaces it
}

// OnRun returns a Sweep.OnRun that calls show with each run and the text of Observe. A run numbered 1
// starts a new sweep (a plan runs several): the counts start again, and its clock at the previous
// sweep's last run (or at the call to OnRun).
func OnRun(show func(done, total int, r RunResult, cached bool, status string)) func(done, total int, r RunResult, cached bool) {
	p := NewRunProgress()
	last := p.start
	return func(done, total int, r RunResult, cached bool) {
		if done == 1 {
			*p = RunProgress{now: p.now, start: last}
		}
		show(done, total, r, cached, p.Observe(done, total, cached))
		last = p.now()
	}
}

// NewRunProgress starts the clock.
func NewRunProgress() *RunProgress {
	p := &RunProgress{now: time.Now}
	p.start = p.now()
	return p
}

// Observe records one returned run and says where the sweep stands: "12/30 runs (8 trained, 4 cached),
// 3 min 10 s so far, about 7 min left" (no estimate before the first trained run, none once done).
func (p *RunProgress) Observe(done, total int, cached bool) string {
	if cached {
		p.cached++
	} else {
		p.trained++
	}
	elapsed := p.now().Sub(p.start)
	s := fmt.Sprintf("%d/%d runs (%d trained, %d cached), %s so far", done, total, p.trained, p.cached, roundDuration(elapsed))
	if left := total - done; left > 0 && p.trained > 0 {
		s += ", about " + roundDuration(time.Duration(float64(elapsed)/float64(p.trained)*float64(left))) + " left"
		if p.cached > 0 {
			s += " (less for the runs found in the cache)"
		}
	}
	return s
}

// roundDuration writes d as "45 s", "3 min 10 s" or "1 h 5 min".
func roundDuration(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s < 3600:
		return fmt.Sprintf("%d min %d s", s/60, s%60)
	default:
		return fmt.Sprintf("%d h %d min", s/3600, s%3600/60)
	}
}
