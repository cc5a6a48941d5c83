//go:build goexperiment.simd && amd64

package snn

import (
	"simd/archsimd"

	"github.com/gomlx/compute/support/envutil"
)

// gomlxSIMDPath names the vector kernels GoMLX's pure-Go backend uses in this process, by the rule of
// its IsAVX512Allowed and IsAVX2Allowed (github.com/gomlx/compute internal/gobackend/simd_x86.go,
// v0.1.12), with the same reading of the environment: "avx512" where the CPU has AVX-512 and
// $GOMLX_GO_SIMD_AVX512 does not turn it off, else "avx2" likewise, else "simd" (its portable vector
// code only). (A value that does not parse as a bool makes GoMLX's backend panic at start-up, before
// this is asked.) The portable vector code's width follows the CPU whatever the variables say, so a
// label names the numerics of one CPU class: "avx2" on a CPU with AVX-512 and $GOMLX_GO_SIMD_AVX512=false
// need not equal "avx2" on a CPU without AVX-512.
func gomlxSIMDPath() string {
	switch {
	case envutil.MustReadBool(envutil.GoBackendSIMD_AVX512, true) && archsimd.X86.AVX512():
		return "avx512"
	case envutil.MustReadBool(envutil.GoBackendSIMD_AVX2, true) && archsimd.X86.AVX2():
		return "avx2"
	}
	return "simd"
}
