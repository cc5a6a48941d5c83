// Package decimal holds a flag value for whole numbers written in decimal digits only.
//
// The flag package's Int reads its value with strconv.ParseInt(s, 0, ...), which takes a leading 0 as
// octal, 0x as hexadecimal and underscores between digits: -epochs 010 trained 8 epochs and -epochs 09 was
// refused as a parse error. The commands' whole-number flags read decimal digits, as their lists (-seeds,
// -index) already did, so 010 is ten.
package decimal

import (
	"errors"
	"flag"
	"strconv"
)

// intValue is an int flag read in base 10.
type intValue int

func (v *intValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, strconv.IntSize)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return errors.New("out of range")
		}
		return errors.New("want a whole number in decimal digits")
	}
	*v = intValue(n)
	return nil
}

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }

// IntVar defines an int flag of fs, read in decimal, stored in p (flag.FlagSet.IntVar's signature).
func IntVar(fs *flag.FlagSet, p *int, name string, value int, usage string) {
	*p = value
	fs.Var((*intValue)(p), name, usage)
}

// Int defines an int flag of fs, read in decimal, and returns where its value is stored.
func Int(fs *flag.FlagSet, name string, value int, usage string) *int {
	p := new(int)
	IntVar(fs, p, name, value, usage)
	return p
}
