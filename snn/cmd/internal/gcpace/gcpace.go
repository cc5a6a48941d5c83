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
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// Percent is the GOGC value the commands use unless the environment sets GOGC.
const Percent = 15

// Set sets the collector's target to Percent unless GOGC is set in the environment to a percentage or
// "off" (which then wins, as it would for any Go program). An empty GOGC counts as unset. Any other value
// is refused: the Go runtime would run at its default of 100 in silence, neither the user's setting nor
// the commands'.
func Set() error {
	// GOMAXPROCS that is not a number of threads >= 1 is ignored by the Go runtime in silence (one thread
	// per core): refused here, as GOGC is, since the cluster scripts and users set it to bound a run's cores.
	if v := os.Getenv("GOMAXPROCS"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || strings.HasPrefix(v, "+") {
			return fmt.Errorf("GOMAXPROCS=%q is invalid: want a number of threads (1 or more), or unset (one per core)", v)
		}
	}
	v, ok := os.LookupEnv("GOGC")
	if !ok || v == "" {
		debug.SetGCPercent(Percent)
		return nil
	}
	// The runtime reads a GOGC of decimal digits (with an optional '-') that fits 32 bits, or off.
	if _, err := strconv.ParseInt(v, 10, 32); (err != nil || strings.HasPrefix(v, "+")) && v != "off" {
		return fmt.Errorf("GOGC=%q is invalid: want a percentage (e.g. 100), off, or unset (the commands then use %d)", v, Percent)
	}
	return nil
}
