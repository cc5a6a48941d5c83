package snn

import (
	"fmt"
	"os"
	"strconv"
)

// EnvSwitch reads the on/off environment variable name (QuickEnv, and the notebooks' others): "1" is on;
// unset, "" or "0" is off. Any other value is refused with an error naming it and what is allowed, so that
// a setting meant as on (SNN_QUICK=true, SNN_RECOMPUTE=yes) is never read as off in silence.
func EnvSwitch(name string) (bool, error) {
	switch v := os.Getenv(name); v {
	case "1":
		return true, nil
	case "", "0":
		return false, nil
	default:
		return false, fmt.Errorf("$%s = %q is invalid: want 1 (on), or 0 or unset (off)", name, v)
	}
}

// CheckRuntimeEnv refuses GOMAXPROCS and GOGC values that the Go runtime would ignore in silence (it then
// runs one thread per core, or collects at its default pace). It reads them as the runtime does (Go 1.27's
// schedinit and readGOGC: a decimal integer with an optional sign that fits 32 bits): GOMAXPROCS must be
// such a number of threads, 1 or more; GOGC such a percentage, or "off". Unset or empty passes. The
// commands call it before any work (the runtime reads both before main, so only their syntax can be
// checked here, not the runtime's own start-up with a huge GOMAXPROCS).
func CheckRuntimeEnv() error {
	if v := os.Getenv("GOMAXPROCS"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 32); err != nil || n < 1 {
			return fmt.Errorf("GOMAXPROCS=%q is invalid: want a number of threads (1 to 2147483647), or unset (one per core)", v)
		}
	}
	if v := os.Getenv("GOGC"); v != "" && v != "off" {
		if _, err := strconv.ParseInt(v, 10, 32); err != nil {
			return fmt.Errorf("GOGC=%q is invalid: want a percentage (e.g. 100, fitting 32 bits), off, or unset", v)
		}
	}
	return nil
}
