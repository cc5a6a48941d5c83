//go:build goexperiment.simd && !amd64

package snn

// gomlxSIMDPath is "simd" on architectures other than amd64 built with GOEXPERIMENT=simd: GoMLX's
// portable vector code (reductions and element-wise operations) runs there, with its own rounding.
func gomlxSIMDPath() string { return "simd" }
