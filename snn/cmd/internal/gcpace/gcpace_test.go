package gcpace

import (
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// Set puts the collector at Percent when GOGC is unset, and leaves it alone when GOGC is set.
func TestSet(t *testing.T) {
	t.Setenv("GOGC", "") // restored after the test
	os.Unsetenv("GOGC")
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	if err := Set(); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got != Percent {
		t.Errorf("GOGC unset: the collector's percent is %d after Set, want %d", got, Percent)
	}
	t.Setenv("GOGC", "") // empty counts as unset
	if err := Set(); err != nil || debug.SetGCPercent(100) != Percent {
		t.Errorf("GOGC empty: %v, or the collector's percent is not %d", err, Percent)
	}
	t.Setenv("GOGC", "80")
	debug.SetGCPercent(80)
	if err := Set(); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got != 80 {
		t.Errorf("GOGC=80: Set changed the collector's percent to %d", got)
	}
	for _, v := range []string{"bogus", "15%", "1e2", "99999999999"} {
		t.Setenv("GOGC", v)
		if err := Set(); err == nil || !strings.Contains(err.Error(), `GOGC="`+v+`" is invalid`) {
			t.Errorf("GOGC=%q: %v, want it refused by name", v, err)
		}
	}
	t.Setenv("GOGC", "off")
	if err := Set(); err != nil {
		t.Errorf("GOGC=off: %v", err)
	}
}

// A GOMAXPROCS the Go runtime would ignore (not a number of threads >= 1) is refused by name; a valid one,
// or none, is accepted.
func TestSetRefusesBadGOMAXPROCS(t *testing.T) {
	t.Setenv("GOGC", "")
	for _, v := range []string{"abc", "0", "-2", "1.5", " 2", "4294967296"} {
		t.Setenv("GOMAXPROCS", v)
		if err := Set(); err == nil || !strings.Contains(err.Error(), `GOMAXPROCS="`+v+`" is invalid`) {
			t.Errorf("GOMAXPROCS=%q: %v, want it refused by name", v, err)
		}
	}
	for _, v := range []string{"", "1", "16", "+2"} {
		t.Setenv("GOMAXPROCS", v)
		if err := Set(); err != nil {
			t.Errorf("GOMAXPROCS=%q: %v", v, err)
		}
	}
}
