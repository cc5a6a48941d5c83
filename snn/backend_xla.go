//go:build xla

package snn

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla"
)

// With the "xla" build tag the XLA backend is compiled in, but never auto-installs its PJRT plugin:
// a missing plugin is an error that says how to use the pure-Go default instead.
func init() {
	xlaAvailable = true
	xla.EnableAutoInstall(false)
	newXLA = func(opts string) (compute.Backend, error) { return xla.New(opts) }
}
