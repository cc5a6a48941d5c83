//go:build goexperiment.simd && amd64

package snn

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// TestExp64x8 checks the avx512 set's vector exp64 against the scalar one bit for bit, over the
// surrogate's whole argument range (exp64Arguments).
func TestExp64x8(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("exp64x8 needs AVX-512; this CPU has none (the avx2 set's exp64x4x2 is TestExp64x4's)")
	}
	xs := exp64Arguments(8)
	tab := loadExp2Table()
	got := make([]float64, 8)
	for i := 0; i < len(xs); i += 8 {
		exp64x8(archsimd.LoadFloat64x8(xs[i:]), &tab).Store(got)
		for l, x := range xs[i : i+8] {
			if want := exp64(x); math.Float64bits(got[l]) != math.Float64bits(want) {
				t.Fatalf("exp64x8(%v) = %v, exp64 gives %v", x, got[l], want)
			}
		}
	}
}

// TestExp64x4 is TestExp64x8 for the avx2 set's exp64x4x2 (int32 reduction, table read lane by lane, two
// vectors of 4 at once, here with different arguments).
func TestExp64x4(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("exp64x4x2 needs AVX2; this CPU has none, and the kernels use the scalar exp64")
	}
	xs := exp64Arguments(8)
	got := make([]float64, 8)
	for i := 0; i < len(xs); i += 8 {
		a, b := exp64x4x2(archsimd.LoadFloat64x4(xs[i:]), archsimd.LoadFloat64x4(xs[i+4:]))
		a.Store(got[:4])
		b.Store(got[4:])
		for l, x := range xs[i : i+8] {
			if want := exp64(x); math.Float64bits(got[l]) != math.Float64bits(want) {
				t.Fatalf("exp64x4x2: e^%v = %v, exp64 gives %v", x, got[l], want)
			}
		}
	}
}

// exp64Arguments lists the vector exp64s' test arguments, padded with -1 to a multiple of n: every table
// entry over 12 octaves (on the grid of ln2/64 steps and between), random arguments down to -800, the
// reduction's rounding boundaries down to -708, and the cut-off at -708 (0 below it, as exp64).
func exp64Arguments(n int) []float64 {
	rng := rand.New(rand.NewPCG(3, 5))
	var xs []float64
	for j := 0; j < 64*12; j++ {
		xs = append(xs, -float64(j)*math.Ln2/64, -float64(j)*math.Ln2/64-rng.Float64()*math.Ln2/64)
	}
	for i := 0; i < 4000; i++ {
		xs = append(xs, -rng.Float64()*800)
	}
	// The reduction's rounding boundaries, x*64/ln2 = -(n + 1/2), where k changes (an error in the 0.5
	// of k = trunc(x*64/ln2 - 0.5) shows only there), and their neighbours.
	for n := 0; n < 65400; n += 5 {
		x := -(float64(n) + 0.5) * math.Ln2 / 64
		xs = append(xs, x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(-1)))
	}
	xs = append(xs, 0, math.Copysign(0, -1), -707.9, -708, -708.0000001, -745, -1e5, math.Inf(-1))
	for len(xs)%n != 0 {
		xs = append(xs, -1)
	}
	return xs
}

// TestSigmoid64x4x2 checks the avx2 set's float64 sigmoid against surrogateGrad's formula bit for bit
// (1/(1 + exp64(-y)) for y >= 0, e/(1 + e) with e = exp64(y) below), on random arguments of either sign
// in [-30, 30] (beta*(v - 1) for membranes far from threshold), so that each vector holds both signs
// and the two vectors' signs differ lane by lane.
func TestSigmoid64x4x2(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("sigmoid64x4x2 needs AVX2; this CPU has none")
	}
	ref := func(y float64) float64 {
		if y >= 0 {
			return 1 / (1 + exp64(-y))
		}
		e := exp64(y)
		return e / (1 + e)
	}
	rng := rand.New(rand.NewPCG(29, 31))
	got := make([]float64, 8)
	for i := 0; i < 20000; i++ {
		var ys [8]float64
		for l := range ys {
			ys[l] = (rng.Float64() - 0.5) * 60 // either sign: a's lane l and b's differ half the time
		}
		a, b := sigmoid64x4x2(archsimd.LoadFloat64x4(ys[:4]), archsimd.LoadFloat64x4(ys[4:]))
		a.Store(got[:4])
		b.Store(got[4:])
		for l, y := range ys {
			if want := ref(y); math.Float64bits(got[l]) != math.Float64bits(want) {
				t.Fatalf("sigmoid64x4x2: sigma(%v) = %v, surrogateGrad's formula gives %v", y, got[l], want)
			}
		}
	}
}

// TestSurrogates8Float32Range checks the avx2 set's surrogate pass (surrogates8: x = v - 1, y = beta*x, the
// float64 sigmoid, beta*sigma*(1 - sigma) in float32) against the scalar surrogateGrad bit for bit (NaN for
// NaN) over the float32 range of membranes v: every 211th of the 2^32 bit patterns (about 20 million, every
// exponent and sign, subnormals and NaNs among them; 211 is prime, so the low bits vary too), ±Inf, -0 and a
// NaN, the values at and around the threshold, and the arguments where the sigmoid's exponential reaches its
// cut-off (y = -708 and -745) and float32's (y about -88 and -104), at the notebook's beta = 5 and at beta = 1,
// in a shuffled order.
func TestSurrogates8Float32Range(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("surrogates8 needs AVX2; this CPU has none")
	}
	const stride = 211
	var vs []float32
	for b := uint64(0); b < 1<<32; b += stride {
		vs = append(vs, math.Float32frombits(uint32(b)))
	}
	inf := float32(math.Inf(1))
	vs = append(vs, inf, -inf, float32(math.Copysign(0, -1)), float32(math.NaN()))
	for _, v := range []float32{Threshold, 0, 1, 2, -1} {
		vs = append(vs, v, math.Nextafter32(v, 10), math.Nextafter32(v, -10))
	}
	for _, beta := range []float32{5, 1} {
		for _, y := range []float32{-708, -745, -88, -104, 708, 745, 88, 104} {
			v := Threshold + y/beta
			vs = append(vs, v, math.Nextafter32(v, 1e6), math.Nextafter32(v, -1e6))
		}
	}
	// Neighbouring patterns are nearly equal values: shuffled, each vector's lanes are unrelated, so that a
	// lane computed from another lane's value shows.
	rng := rand.New(rand.NewPCG(37, 41))
	rng.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
	got := make([]float32, len(vs))
	for _, beta := range []float32{5, 1} {
		surrogates8(vs, got, beta)
		for i, v := range vs {
			want := surrogateGrad(v-Threshold, beta)
			if math.Float32bits(got[i]) != math.Float32bits(want) && !(got[i] != got[i] && want != want) {
				t.Fatalf("beta %v: surrogate at v = %v (bits %#x) = %v, surrogateGrad gives %v", beta, v, math.Float32bits(v), got[i], want)
			}
		}
	}
}
