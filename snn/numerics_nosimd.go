//go:build !goexperiment.simd

package snn

// gomlxSIMDPath is "": without GOEXPERIMENT=simd, GoMLX's pure-Go backend runs scalar loops.
func gomlxSIMDPath() string { return "" }
