// Package gcpace sets the Go garbage collector's pace for the commands that train networks.
//
// A training run's live heap (about 70 MB) is mostly its datasets: their spike bits and lists for the
// notebook's 10,240 samples. The training loop itself makes little garbage (about 8 MB per epoch). Go's default
// (GOGC=100) lets the heap grow to twice the live heap before it collects, so a run peaks near 165 MB of
// resident memory; at GOGC=50 it peaks near 130 MB, and the extra collections (one every few epochs,
// about a millisecond each) cost no measurable time.
package gcpace

import (
	"os"
	"runtime/debug"
)

// Percent is the GOGC value the commands use unless the environment sets GOGC.
const Percent = 50

// Set sets the collector's target to Percent unless GOGC is set in the environment (which then wins,
// as it would for any Go program).
func Set() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(Percent)
	}
}
