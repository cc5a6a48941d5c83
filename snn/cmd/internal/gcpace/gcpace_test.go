package gcpace

import (
	"os"
	"runtime/debug"
	"testing"
)

// Set puts the collector at Percent when GOGC is unset, and leaves it alone when GOGC is set.
func TestSet(t *testing.T) {
	t.Setenv("GOGC", "") // restored after the test
	os.Unsetenv("GOGC")
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	Set()
	if got := debug.SetGCPercent(100); got != Percent {
		t.Errorf("GOGC unset: the collector's percent is %d after Set, want %d", got, Percent)
	}
	t.Setenv("GOGC", "80")
	debug.SetGCPercent(80)
	Set()
	if got := debug.SetGCPercent(100); got != 80 {
		t.Errorf("GOGC=80: Set changed the collector's percent to %d", got)
	}
}
