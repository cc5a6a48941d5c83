// Package gcpace sets the Go garbage collector's pace for the commands that train networks.
//
// A training run's live heap (about 90 MB) is mostly its datasets: their spike bits and lists for the
// notebook's 10,240 samples, and the training set's lists by fibre (snn's fibre index). The training
// loop itself makes little garbage (about 8 MB per epoch). Go's default (GOGC=100) lets the heap grow to
// twice the live heap before it collects; at GOGC=15 it grows to 1.15 times. One run of the notebook's
// network then peaks at 130 MB of resident memory and one with shunting inhibition at 140 MB (137 and
// 150-152 MB at GOGC=25, the setting before 2026-12-03; about 160 MB at GOGC=50). The extra collections
// cost no measurable time (a shunting run: 37.2 s of CPU against 36.5-37.3 s at GOGC=25; 4 runs on 2
// workers: 14.84-14.94 s of wall time against 14.81-14.84 s).
package gcpace

import (
	"os"
	"runtime/debug"

	"github.com/snn-dales/dales/snn"
)

// Percent is the GOGC value the commands use unless the environment sets GOGC.
const Percent = 15

// Set sets the collector's target to Percent unless GOGC is set in the environment to a percentage or
// "off" (which then wins, as it would for any Go program). An empty GOGC counts as unset. Any other value
// is refused: the Go runtime would run at its default of 100 in silence, neither the user's setting nor
// the commands'.
func Set() error {
	// GOMAXPROCS and GOGC that the runtime would ignore in silence are refused (snn.CheckRuntimeEnv), since the
	// cluster scripts and users set them to bound a run's cores and memory.
	if err := snn.CheckRuntimeEnv(); err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
	return nil
}
