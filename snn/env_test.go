package snn

import (
	"strings"
	"testing"
)

// An on/off variable is on only at 1, off unset, empty or at 0, and any other value (a word meant as on)
// is refused with its name and value; QuickFromEnv follows it.
func TestEnvSwitch(t *testing.T) {
	for _, c := range []struct {
		value   string
		on      bool
		wantErr string
	}{
		{"", false, ""},
		{"0", false, ""},
		{"1", true, ""},
		{"true", false, `$SNN_QUICK = "true" is invalid: want 1 (on), or 0 or unset (off)`},
		{"yes", false, `$SNN_QUICK = "yes" is invalid`},
		{" 1", false, `$SNN_QUICK = " 1" is invalid`},
	} {
		t.Setenv(QuickEnv, c.value)
		on, err := EnvSwitch(QuickEnv)
		if on != c.on || (err == nil) != (c.wantErr == "") || (err != nil && !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("%s=%q: %v, %v; want %v and an error containing %q", QuickEnv, c.value, on, err, c.on, c.wantErr)
		}
		cfg, err := QuickFromEnv(DefaultConfig())
		want := DefaultConfig()
		if c.on {
			want = Quick(want)
		}
		if cfg != want || (err == nil) != (c.wantErr == "") {
			t.Errorf("QuickFromEnv with %s=%q: %d epochs, %v; want %d epochs", QuickEnv, c.value, cfg.Epochs, err, want.Epochs)
		}
	}
}

// GOMAXPROCS must be a number of threads and GOGC a decimal percentage or off: values the runtime would
// ignore in silence are refused with their name and value; unset or empty passes.
func TestCheckRuntimeEnv(t *testing.T) {
	for _, c := range []struct {
		procs, gogc, want string
	}{
		{"", "", ""}, {"2", "100", ""}, {"1", "off", ""}, {"", "-1", ""}, {"+2", "+5", ""}, // the runtime reads a '+' too
		{"abc", "", `GOMAXPROCS="abc" is invalid`}, {"0", "", `GOMAXPROCS="0" is invalid`},
		{"4294967296", "", `GOMAXPROCS="4294967296" is invalid`}, // past 32 bits: the runtime ignores it
		{"", "xyz", `GOGC="xyz" is invalid`}, {"", "0x10", `GOGC="0x10" is invalid`},
		{"", "99999999999", `GOGC="99999999999" is invalid`},
	} {
		t.Setenv("GOMAXPROCS", c.procs)
		t.Setenv("GOGC", c.gogc)
		err := CheckRuntimeEnv()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("GOMAXPROCS=%q GOGC=%q: %v, want %q", c.procs, c.gogc, err, c.want)
		}
	}
}
