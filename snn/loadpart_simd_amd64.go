//go:build goexperiment.simd && amd64

package snn

import "simd/archsimd"

// Loads of a slice's first values into a vector, zeros in the lanes past its end, that read nothing
// outside the slice's backing array. archsimd's LoadFloat32x8Part (and the 16-lane version) load a whole
// vector from the slice's start and then zero the lanes past its length: the load itself reads past the
// slice, and past its allocation where the slice ends there (the last sample's currents), which faults if the next page is not mapped (TestKernelsStayInsideSlices puts an
// inaccessible page there). These use that path only where the slice's capacity holds a whole vector, and
// copy the values into a zeroed array otherwise (once per call at most in the LIF loops).

// loadPart8 returns s[:min(len(s), 8)] in a vector, zeros past it.
func loadPart8(s []float32) archsimd.Float32x8 {
	if cap(s) >= 8 {
		v, _ := archsimd.LoadFloat32x8Part(s)
		return v
	}
	var buf [8]float32
	copy(buf[:], s)
	return archsimd.LoadFloat32x8Array(&buf)
}

// loadPart16 is loadPart8 with 16 lanes.
func loadPart16(s []float32) archsimd.Float32x16 {
	if cap(s) >= 16 {
		v, _ := archsimd.LoadFloat32x16Part(s)
		return v
	}
	var buf [16]float32
	copy(buf[:], s)
	return archsimd.LoadFloat32x16Array(&buf)
}

// loadPart8f64 and loadPart4f64 are loadPart8 for float64 lanes, 8 and 4 of them.
func loadPart8f64(s []float64) archsimd.Float64x8 {
	if cap(s) >= 8 {
		v, _ := archsimd.LoadFloat64x8Part(s)
		return v
	}
	var buf [8]float64
	copy(buf[:], s)
	return archsimd.LoadFloat64x8Array(&buf)
}

func loadPart4f64(s []float64) archsimd.Float64x4 {
	if cap(s) >= 4 {
		v, _ := archsimd.LoadFloat64x4Part(s)
		return v
	}
	var buf [4]float64
	copy(buf[:], s)
	return archsimd.LoadFloat64x4Array(&buf)
}
