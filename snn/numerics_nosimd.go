//go:build !(goexperiment.simd && amd64)

package snn

// gomlxSIMDPath is "": without GOEXPERIMENT=simd on amd64, GoMLX's pure-Go backend runs scalar loops.
func gomlxSIMDPath() string { return "" }
