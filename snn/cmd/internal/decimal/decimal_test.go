package decimal

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// Whole numbers are read in decimal: a leading 0 is not octal, and 0x, 0o, 0b and underscores are refused,
// with the flag package's message naming the value.
func TestInt(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want int
		err  string
	}{
		{"10", 10, ""}, {"010", 10, ""}, {"09", 9, ""}, {"-3", -3, ""}, {"+4", 4, ""},
		{"0x10", 0, `invalid value "0x10" for flag -n: want a whole number in decimal digits`},
		{"0o17", 0, "want a whole number in decimal digits"}, {"0b1", 0, "want a whole number in decimal digits"},
		{"1_000", 0, "want a whole number in decimal digits"}, {"1.5", 0, "want a whole number in decimal digits"},
		{"", 0, "want a whole number in decimal digits"}, {" 5", 0, "want a whole number in decimal digits"},
		{"99999999999999999999", 0, "out of range"},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		n := Int(fs, "n", 7, "a number")
		err := fs.Parse([]string{"-n", tc.arg})
		switch {
		case tc.err == "" && (err != nil || *n != tc.want):
			t.Errorf("-n %q: %d, %v; want %d", tc.arg, *n, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("-n %q: %d, %v; want an error containing %q", tc.arg, *n, err, tc.err)
		}
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var m int
	IntVar(fs, &m, "m", 42, "")
	if m != 42 || fs.Lookup("m").DefValue != "42" {
		t.Errorf("default: %d (printed %q), want 42", m, fs.Lookup("m").DefValue)
	}
}
