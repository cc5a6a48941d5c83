// Package gcpace sets the Go garbage collector's pace for the commands that train networks.
//
// A training run's live heap (about 90 MB) is mostly its datasets: their spike bits and lists for the
// notebook's 10,240 samples, and the training set's lists by fibre (snn's fibre index). The training
// loop itself makes little garbage (about 8 MB per epoch). Go's default (GOGC=100) lets the heap grow to
// twice the live heap before it collects; at GOGC=25 it grows to 1.25 times, and a run peaks near 140 MB
// of resident memory (160 MB at GOGC=50). The extra collections (one every few epochs, about a
// millisecond of wall time each, 0% of the run's CPU in Go's gctrace) cost no measurable time.
package gcpace

import (
	"os"
	"runtime/debug"
)

// Percent is the GOGC value the commands use unless the environment sets GOGC.
const Percent = 25

// Set sets the collector's target to Percent unless GOGC is set in the environment (which then wins,
// as it would for any Go program).
func Set() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(Percent)
	}
}
