//go:build goexperiment.simd && amd64

package snn

import (
	"simd/archsimd"
	"unsafe"
)

// The avx512 set's loops of a hidden layer whose inhibitory units have a state of their own (lifInhLayer):
// the inhibition of the excitatory currents, its gradient, and the split and join of the projection's
// columns. Each keeps the scalar loop's operations and their order per value, so that the numbers are the
// scalar set's bit for bit (TestLIFInhInhibitionBits, TestSplitJoinColumns): a lane is one excitatory unit (the inhibition, the
// gradient of f(W_EI)) or one step (the gradient of the records, whose sums over units run in unit order in
// every lane). Rows of up to 32 excitatory units are two vectors; wider layers take the scalar loops.
//
// No scalar float32 operation runs while the vectors are live: Go's compiler compares, copies, negates and
// broadcasts float32 values with legacy SSE instructions, which an Intel CPU runs very slowly while the
// upper halves of the vector registers are in use (a first version, which compared each record with 0 as
// a float32, made a run of pop-lif-bal 3.7 times slower). The records and values are read as their bits
// (f32bits): a record is 0 when its bits less the sign are 0 (as -0 == 0), a spike when they are 1's, a
// negation flips the sign bit, as Go's does.

// lifInhibitAVX512 is inhibitScalar: per (sample, step k >= 1), h^E_k = p^E_k - (((0 + r_0) + r_1) + ...),
// r_j the rows of f(W_EI) of the units whose record k-1 is not 0, each times that record (a spike's row
// as it is).
func lifInhibitAVX512(l *lifInhLayer, ei Matrix) {
	B, S, H, ni := l.cols.batch, l.cols.steps, l.h, l.ni
	if H > 32 {
		l.inhibitScalar(ei)
		return
	}
	// f(W_EI) where its last row's second vector can be loaded without a copy (loadPart16's copy calls
	// memmove, legacy SSE, between the vector operations).
	e, rec := l.eiPad[:ni*H], f32bits(l.sI)
	copy(e, ei.Data[:ni*H])
	parallelChunks(B, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			for k := 1; k < S; k++ {
				var a0, a1 archsimd.Float32x16
				any := false
				for j, s := range rec[(b*S+k-1)*ni:][:ni] {
					if s&^signBit32 == 0 {
						continue
					}
					r0, r1 := load16(e, j*H), load16hi(e, j*H, H)
					if s != one32 {
						bs := archsimd.BroadcastUint32x16(s).AsFloat32x16()
						r0, r1 = bs.Mul(r0), bs.Mul(r1)
					}
					a0, a1 = a0.Add(r0), a1.Add(r1)
					any = true
				}
				if !any {
					continue
				}
				p := l.pE[(b*S+k)*H:][:H]
				load16(p, 0).Sub(a0).StorePart(p)
				if H > 16 {
					load16(p, 16).Sub(a1).StorePart(p[16:])
				}
			}
			archsimd.ClearAVXUpperBits()
		}
	})
}

// lifInhibitionGradAVX512 is inhibitionGradScalar. The records' gradients -sum_h f(W_EI)[j,h] g^E_k[h]
// take 16 steps a vector: each block of g^E is transposed into lanes of steps (transpose16; tr[h] holds
// unit h of the 16 steps) and every lane sums over h in order, from 0, as the scalar dot does; dL/df(W_EI)'s rows are
// two vectors of units, the steps subtracted in order.
func lifInhibitionGradAVX512(l *lifInhLayer, ei Matrix) {
	B, S, H, ni := l.cols.batch, l.cols.steps, l.h, l.ni
	if H > 32 {
		l.inhibitionGradScalar(ei)
		return
	}
	e := f32bits(ei.Data[:ni*H])
	parallelChunks(B, func(lo, hi int) {
		var tr [32][16]uint32
		var out [16]uint32
		for b := lo; b < hi; b++ {
			part := l.gEIPart[b*ni*H:][:ni*H]
			gs := f32bits(l.gSI[b*S*ni:][:S*ni])
			clear(gs)
			gE := l.pE[b*S*H:][:S*H]
			rec := f32bits(l.sI[b*S*ni:][:S*ni])
			// dL/ds^I_{k-1} for k = 1..S-1, 16 steps at a time.
			for k0 := 1; k0 < S; k0 += 16 {
				n := min(16, S-k0)
				// Rows q < n are steps k0+q (lanes past the last step, never stored: zeros, not stale
				// and maybe subnormal values), transposed 16 units at a time.
				var blk [16]archsimd.Uint32x16
				for half := 0; half < H; half += 16 {
					for q := range blk {
						blk[q] = archsimd.Uint32x16{}
						if q < n {
							blk[q] = load16(gE, (k0+q)*H+half).AsUint32x16()
						}
					}
					transpose16(&blk)
					for h := half; h < min(H, half+16); h++ {
						blk[h-half].StoreArray(&tr[h])
					}
				}
				for j := 0; j < ni; j++ {
					var acc archsimd.Float32x16
					for h, x := range e[j*H:][:H] {
						w := archsimd.BroadcastUint32x16(x).AsFloat32x16()
						acc = acc.Add(w.Mul(archsimd.LoadUint32x16Array(&tr[h]).AsFloat32x16()))
					}
					acc.AsUint32x16().StoreArray(&out)
					for q := 0; q < n; q++ {
						gs[(k0+q-1)*ni+j] = out[q] ^ signBit32 // -sum
					}
				}
			}
			// dL/df(W_EI) of the sample: part[j] -= s^I_k[j] * g^E_k, k in order.
			for j := 0; j < ni; j++ {
				var p0, p1 archsimd.Float32x16
				for k := 1; k < S; k++ {
					s := rec[(k-1)*ni+j]
					if s&^signBit32 == 0 {
						continue
					}
					g0, g1 := load16(gE, k*H), load16hi(gE, k*H, H)
					if s != one32 {
						bs := archsimd.BroadcastUint32x16(s).AsFloat32x16()
						g0, g1 = bs.Mul(g0), bs.Mul(g1)
					}
					p0, p1 = p0.Sub(g0), p1.Sub(g1)
				}
				p := part[j*H:][:H]
				p0.StorePart(p)
				if H > 16 {
					p1.StorePart(p[16:])
				}
			}
			archsimd.ClearAVXUpperBits()
		}
	})
}

// splitColumnsAVX512 is splitColumnsScalar with rows of up to 32 and 16 floats as vectors.
func splitColumnsAVX512(z, a, b []float32, wa, wb int) {
	if wa > 32 || wb > 16 {
		splitColumnsScalar(z, a, b, wa, wb)
		return
	}
	w := wa + wb
	n := len(z) / w
	parallelChunks(n, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			ra, rb := a[c*wa:][:wa], b[c*wb:][:wb]
			load16(z, c*w).StorePart(ra)
			if wa > 16 {
				load16(z, c*w+16).StorePart(ra[16:])
			}
			load16(z, c*w+wa).StorePart(rb)
		}
		archsimd.ClearAVXUpperBits()
	})
}

// joinColumnsAVX512 is joinColumnsScalar with rows of up to 32 and 16 floats as vectors (stores masked to
// each part).
func joinColumnsAVX512(z, a, b []float32, wa, wb int) {
	if wa > 32 || wb > 16 {
		joinColumnsScalar(z, a, b, wa, wb)
		return
	}
	w := wa + wb
	n := len(z) / w
	parallelChunks(n, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			r := z[c*w:][:w]
			load16(a, c*wa).StorePart(r[:min(wa, 16)])
			if wa > 16 {
				load16(a, c*wa+16).StorePart(r[16:wa])
			}
			load16(b, c*wb).StorePart(r[wa:])
		}
		archsimd.ClearAVXUpperBits()
	})
}

// load16hi loads a row's second vector, m[off+16:off+32] with zeros past the end of m, for rows of
// h > 16 floats at off; for shorter rows, zeros.
func load16hi(m []float32, off, h int) archsimd.Float32x16 {
	if h <= 16 {
		return archsimd.Float32x16{}
	}
	return load16(m, off+16)
}

// f32bits is s's values as their bits (the same memory).
func f32bits(s []float32) []uint32 {
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// signBit32 is float32's sign bit, one32 the bits of 1.
const (
	signBit32 = 1 << 31
	one32     = 0x3f800000
)

// transposeIndex holds ConcatPermute's indices for transpose16's stages, distances 8, 4, 2 and 1: for rows
// r and r+d (r without bit d), row r's lane l takes row r's lane l where l lacks bit d, else row r+d's lane
// l-d (index 16 + l - d in the pair); row r+d's lane l takes row r's lane l+d where l lacks bit d, else row
// r+d's lane l.
var transposeIndex = func() (ix [4][2][16]uint32) {
	for s, d := range []uint32{8, 4, 2, 1} {
		for l := uint32(0); l < 16; l++ {
			if l&d == 0 {
				ix[s][0][l], ix[s][1][l] = l, l+d
			} else {
				ix[s][0][l], ix[s][1][l] = 16+l-d, 16+l
			}
		}
	}
	return ix
}()

// transpose16 transposes the 16x16 matrix whose row q is m[q] (lane h: element (q, h)): afterwards m[h]
// lane q holds element (q, h). Four stages exchange the blocks of 8, 4, 2 and 1 lanes (two VPERMI2D a
// pair of rows) in place of 256 scalar moves.
func transpose16(m *[16]archsimd.Uint32x16) {
	for s, d := range [4]int{8, 4, 2, 1} {
		lo, hi := archsimd.LoadUint32x16Array(&transposeIndex[s][0]), archsimd.LoadUint32x16Array(&transposeIndex[s][1])
		for r := 0; r < 16; r++ {
			if r&d != 0 {
				continue
			}
			a, b := m[r], m[r+d]
			m[r], m[r+d] = a.ConcatPermute(b, lo), a.ConcatPermute(b, hi)
		}
	}
}
