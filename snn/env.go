package snn

import (
	"fmt"
	"os"
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
