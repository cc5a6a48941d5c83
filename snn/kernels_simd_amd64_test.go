//go:build goexperiment.simd && amd64

package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"strings"
	"testing"
	"unsafe"
)

// TestExp64x8 checks the avx512 set's vector exp64 (exp64x8x2, two vectors of 8 at once, here with
// different arguments) against the scalar one bit for bit, over the surrogate's whole argument range
// (exp64Arguments).
func TestExp64x8(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("exp64x8x2 needs AVX-512; this CPU has none (the avx2 set's exp64x4x2 is TestExp64x4's)")
	}
	xs := exp64Arguments(16)
	tab := loadExp2Table()
	got := make([]float64, 16)
	for i := 0; i < len(xs); i += 16 {
		a, b := exp64x8x2(archsimd.LoadFloat64x8(xs[i:]), archsimd.LoadFloat64x8(xs[i+8:]), &tab)
		a.Store(got[:8])
		b.Store(got[8:])
		for l, x := range xs[i : i+16] {
			if want := exp64(x); math.Float64bits(got[l]) != math.Float64bits(want) {
				t.Fatalf("exp64x8x2: e^%v = %v, exp64 gives %v", x, got[l], want)
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

// TestSurrogatesFloat32Range checks the vector sets' surrogate passes (surrogates8 of the avx2 set and
// surrogates16 of the avx512 set: x = v - 1, y = beta*x, the float64 sigmoid, beta*sigma*(1 - sigma) in
// float32) against the scalar surrogateGrad bit for bit (NaN for NaN) over the float32 range of membranes v:
// every 211th of the 2^32 bit patterns (about 20 million, every exponent and sign, subnormals and NaNs among
// them; 211 is prime, so the low bits vary too), ±Inf, -0 and a NaN, the values at and around the threshold,
// and the arguments where the sigmoid's exponential reaches its cut-off (y = -708 and -745) and float32's (y
// about -88 and -104), at the notebook's beta = 5, at beta = 1, at 0.3 (whose products with a subnormal
// sigma need rounding) and at -5 (which Config.Validate refuses, but the kernels must not get wrong), in a
// shuffled order, and with a length that leaves a partial vector at the end of both passes.
// (TestTinySurrogate8 aims at the subnormal path's rounding boundaries and ties.)
func TestSurrogatesFloat32Range(t *testing.T) {
	passes := []struct {
		name string
		has  bool
		run  func(v, sg []float32, beta float32)
	}{
		{"surrogates8", archsimd.X86.AVX2(), surrogates8},
		{"surrogates16", archsimd.X86.AVX512(), surrogates16},
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
	for _, beta := range []float32{5, 1, 0.3} {
		for _, y := range []float32{-708, -745, -88, -104, 708, 745, 88, 104} {
			v := Threshold + y/beta
			vs = append(vs, v, math.Nextafter32(v, 1e6), math.Nextafter32(v, -1e6))
		}
	}
	// Neighbouring patterns are nearly equal values: shuffled, each vector's lanes are unrelated, so that a
	// lane computed from another lane's value shows.
	rng := rand.New(rand.NewPCG(37, 41))
	rng.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
	for len(vs)%16 != 5 { // 5 lanes past the last whole vector of 16, and of 8
		vs = vs[:len(vs)-1]
	}
	ran := 0
	for _, pass := range passes {
		if !pass.has {
			continue
		}
		ran++
		got := make([]float32, len(vs))
		for _, beta := range []float32{5, 1, 0.3, -5} {
			pass.run(vs, got, beta)
			for i, v := range vs {
				want := surrogateGrad(v-Threshold, beta)
				if math.Float32bits(got[i]) != math.Float32bits(want) && !(got[i] != got[i] && want != want) {
					t.Fatalf("%s, beta %v: surrogate at v = %v (bits %#x) = %v, surrogateGrad gives %v", pass.name, beta, v, math.Float32bits(v), got[i], want)
				}
			}
		}
	}
	if ran == 0 {
		t.Skip("the surrogate passes need AVX2 or AVX-512; this CPU has neither")
	}
}

// TestSumRowsOf32x32AsmChecksRows checks that the avx512 set's int32 row sums (assembly with no Go range
// check) refuse a row number outside the matrix, negative or not below its row count, wherever it lies in
// the list (a group of eight, of four, a single row), store nothing then, and sum the rows otherwise.
func TestSumRowsOf32x32AsmChecksRows(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("sumRowsOf32x32Asm needs AVX-512; this CPU has none")
	}
	const nrows = 9
	rows := make([][32]float32, nrows)
	for r := range rows {
		for c := range rows[r] {
			rows[r][c] = float32(r*32 + c)
		}
	}
	for _, n := range []int{1, 4, 8, 13} {
		for pos := 0; pos < n; pos++ {
			for _, bad := range []int32{nrows, nrows + 1000, -1, math.MinInt32} {
				idx := make([]int32, n)
				for i := range idx {
					idx[i] = int32(i % nrows)
				}
				idx[pos] = bad
				out := make([]float32, 32)
				for i := range out {
					out[i] = 7
				}
				if sumRowsOf32x32Asm(&rows[0], nrows, idx, &out[0], 1<<14-1) {
					t.Fatalf("row %d at position %d of %d: accepted", bad, pos, n)
				}
				for i, x := range out {
					if x != 7 {
						t.Fatalf("row %d at position %d of %d: out[%d] = %v, stored", bad, pos, n, i, x)
					}
				}
			}
		}
		idx := make([]int32, n)
		var want [32]float32
		for i := range idx {
			idx[i] = int32(nrows - 1 - i%nrows)
		}
		want32 := make([]float32, 30)
		sumRows(want32, unsafe.Slice(&rows[0][0], nrows*32), 32, idx)
		copy(want[:], want32)
		got := make([]float32, 32)
		if !sumRowsOf32x32Asm(&rows[0], nrows, idx, &got[0], 1<<14-1) {
			t.Fatalf("%d good rows refused", n)
		}
		for i := range 30 {
			if got[i] != want[i] {
				t.Fatalf("%d rows: out[%d] = %v, want %v", n, i, got[i], want[i])
			}
		}
		if got[30] != 0 || got[31] != 0 {
			t.Fatalf("%d rows: the lanes past hiMask were stored: %v %v", n, got[30], got[31])
		}
	}
	// Through the kernel set, a bad row number is a panic that names it.
	defer func() {
		msg := fmt.Sprint(recover())
		if want := "row number -3 (list position 5) is outside the matrix's 9 rows"; !strings.Contains(msg, want) {
			t.Fatalf("sumRowsOf32x32 with row -3 at position 5 panicked with %q, want it to say %q", msg, want)
		}
	}()
	sumRowsOf32x32(make([]float32, 30), rows, []int32{0, 1, 2, 3, 4, -3, 5})
}

// TestTinySurrogate8 checks the avx512 set's subnormal path, tinySurrogate8 (float32(float32(s) * b) without
// subnormal float32 arithmetic), against the scalar formula in float32, sigma rounded to float32 and then
// (sg * (1 - sg)) * beta, bit for bit, for s from 0 to 2^-126: where float32(s) is the smallest normal number
// (s just below 2^-126, and the tie at 2^23 - 1/2 units of 2^-149, which rounds to even, up), the ties at
// 2^-150 (down to 0) and at 3 * 2^-151, 2.5 and 3.5 units, every whole number of units up to 4096 and half-way
// between, and log-uniform random s, at betas whose products tie again (0.5 and 1.5 on an odd number of units)
// or need rounding (0.3, 7.3), and at 1 and 5.
func TestTinySurrogate8(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("tinySurrogate8 needs AVX-512; this CPU has none")
	}
	unit := math.Ldexp(1, -149)
	ss := []float64{0, math.Nextafter(math.Ldexp(1, -126), 0), (1<<23 - 0.5) * unit, (1<<23 - 1) * unit,
		math.Ldexp(1, -150), math.Nextafter(math.Ldexp(1, -150), 0), math.Nextafter(math.Ldexp(1, -150), 1),
		3 * math.Ldexp(1, -151), 2.5 * unit, 3.5 * unit, (1<<22 + 0.5) * unit}
	for q := 0; q <= 4096; q++ {
		ss = append(ss, float64(q)*unit, (float64(q)+0.5)*unit)
	}
	rng := rand.New(rand.NewPCG(43, 47))
	for range 20000 {
		ss = append(ss, math.Ldexp(1, -150)*math.Pow(2, 24*rng.Float64()))
	}
	for len(ss)%8 != 0 {
		ss = append(ss, 0)
	}
	ref := func(s float64, beta float32) float32 {
		sg := float32(s)
		return (sg * (1 - sg)) * beta
	}
	var got [8]float32
	for _, beta := range []float32{5, 1, 0.5, 1.5, 0.3, 7.3} {
		b := archsimd.BroadcastFloat64x8(float64(beta))
		for i := 0; i < len(ss); i += 8 {
			for _, x := range ss[i : i+8] {
				if x >= math.Ldexp(1, -126) {
					t.Fatalf("test argument %v is not below 2^-126", x)
				}
			}
			tinySurrogate8(archsimd.LoadFloat64x8(ss[i:i+8]), b).Store(got[:])
			for l, x := range ss[i : i+8] {
				if want := ref(x, beta); math.Float32bits(got[l]) != math.Float32bits(want) {
					t.Fatalf("beta %v, sigma %v (%v units of 2^-149): %v (bits %#x), the scalar formula gives %v (bits %#x)",
						beta, x, x/unit, got[l], math.Float32bits(got[l]), want, math.Float32bits(want))
				}
			}
		}
	}
}

// BenchmarkSurrogatePass times the surrogate pass of every vector kernel set this CPU runs (avx2:
// surrogates8, avx512: surrogates16) over one sample's membranes (99 steps x 30 units), reporting
// nanoseconds per 16 membranes: membranes near threshold, and membranes 17 to 20 below it, where the float32
// sigmoid at beta 5 is subnormal (the avx512 set's surrogateTiny16 lanes; the avx2 set has no such path).
func BenchmarkSurrogatePass(b *testing.B) {
	passes := map[string]func(v, sg []float32, beta float32){"avx2": surrogates8, "avx512": surrogates16}
	ran := false
	for _, set := range availableKernels {
		pass, ok := passes[set.name]
		if !ok {
			continue
		}
		ran = true
		b.Run(set.name, func(b *testing.B) { benchmarkSurrogatePass(b, pass) })
	}
	if !ran {
		b.Skipf("no kernel set of this CPU (%s) has a surrogate pass", KernelPath())
	}
}

// benchmarkSurrogatePass times pass over membranes near threshold and over membranes whose float32 sigma is
// subnormal.
func benchmarkSurrogatePass(b *testing.B, pass func(v, sg []float32, beta float32)) {
	for _, r := range []struct {
		name     string
		from, to float32
	}{{"near", -1, 1}, {"subnormal", -20, -17}} {
		b.Run(r.name, func(b *testing.B) {
			v := make([]float32, 99*30)
			for i := range v {
				v[i] = r.from + (r.to-r.from)*float32(i%97)/97
			}
			sg := make([]float32, len(v))
			for b.Loop() {
				pass(v, sg, 5)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(v)/16), "ns/16")
		})
	}
}

// surrogates16Asm and surrogates8Asm read their constants at fixed byte offsets (surrogate_avx512_amd64.s,
// surrogate_avx2_amd64.s): the structs' layouts must put them there.
func TestSurrogateConstantsLayout(t *testing.T) {
	c := &surrogateConsts
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"f", unsafe.Offsetof(c.f), 0}, {"bias", unsafe.Offsetof(c.bias), 128}, {"bit4", unsafe.Offsetof(c.bit4), 136},
		{"bit5", unsafe.Offsetof(c.bit5), 144}, {"table", unsafe.Offsetof(c.table), 160},
	} {
		if f.got != f.want {
			t.Errorf("surrogateConstants.%s at byte %d, the assembly reads it at %d", f.name, f.got, f.want)
		}
	}
	if c.f[13] != 0x1p149 || c.f[14] != 0x1p-149 || c.f[1] != 0.5 || c.table[63] != exp2Table[63] {
		t.Errorf("surrogateConstants: %v, %v", c.f, c.table[63])
	}
	c8 := &surrogateConsts8
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"inv", unsafe.Offsetof(c8.inv), 0}, {"cut", unsafe.Offsetof(c8.cut), 320}, {"one32", unsafe.Offsetof(c8.one32), 352},
		{"thr", unsafe.Offsetof(c8.thr), 384}, {"bias", unsafe.Offsetof(c8.bias), 416}, {"mask", unsafe.Offsetof(c8.mask), 432},
		{"table", unsafe.Offsetof(c8.table), 448},
	} {
		if f.got != f.want {
			t.Errorf("surrogateConstants8.%s at byte %d, the assembly reads it at %d", f.name, f.got, f.want)
		}
	}
	if c8.c2[3] != 0.5 || c8.minus[0] != -1 || c8.thr[7] != Threshold || c8.bias[3] != 1023 || c8.table[1] != exp2Table[1] {
		t.Errorf("surrogateConstants8: %+v", c8)
	}
}

// TestTranspose16 checks transpose16 (lifInhibitionGradAVX512's block transposition) against the
// transposition it stands for, on a matrix whose every element is distinct.
func TestTranspose16(t *testing.T) {
	var m [16]archsimd.Uint32x16
	var rows [16][16]uint32
	for q := range rows {
		for h := range rows[q] {
			rows[q][h] = uint32(100*q + h)
		}
		m[q] = archsimd.LoadUint32x16Array(&rows[q])
	}
	transpose16(&m)
	for h := range m {
		var got [16]uint32
		m[h].StoreArray(&got)
		for q := range got {
			if got[q] != rows[q][h] {
				t.Fatalf("after transpose16, row %d lane %d holds %d, want element (%d, %d) = %d", h, q, got[q], q, h, rows[q][h])
			}
		}
	}
}
