//go:build goexperiment.simd && amd64

package snn

import "simd/archsimd"

// The shunting cell's kernels of the avx2 set (kernelSet.shuntCell, shuntCellGrad): eight excitatory
// units per float32 vector, their float64 values in two vectors of 4, each lane doing shuntCell's (and
// shuntCellGrad's) operations for its unit in the scalar order: the sums over the inhibitory units in k
// order, the float32 and float64 roundings where the scalar code has them, no fused multiply-add. The
// weights, gains and biases are read from the layer's zero-padded rows (shuntLayer.pad), so every load is
// a whole vector; stores are masked to the units. The two sums over the excitatory units that
// shuntCellGrad accumulates one unit after another (dL/dz_I and dL/dalpha) are left to a scalar pass over
// their terms after the vector loop (shuntLaneSums), in the scalar loop's order. The results are the scalar
// set's bit for bit (TestShuntKernelSetsAgree, TestKernelSetsTrainAlike).

// shuntSumsAVX2 returns, for units c..c+7 as two vectors of 4, sub_j = sum_k float64(W_EI[k, j] z_I[k])
// and div_j = sum_k float64(e^alpha_k W_EI[k, j] z_I[k]), each product rounded to float32 first, summed in
// k order.
func shuntSumsAVX2(l *shuntLayer, zi []float32, c int) (subLo, subHi, divLo, divHi archsimd.Float64x4) {
	np := l.nePad
	for k, v := range zi {
		vk := archsimd.BroadcastFloat32x8(v)
		wt := archsimd.LoadFloat32x8(l.pad.ei[k*np+c:]).Mul(vk)
		ws := archsimd.LoadFloat32x8(l.pad.eiScaled[k*np+c:]).Mul(vk)
		subLo, subHi = subLo.Add(wt.GetLo().ConvertToFloat64()), subHi.Add(wt.GetHi().ConvertToFloat64())
		divLo, divHi = divLo.Add(ws.GetLo().ConvertToFloat64()), divHi.Add(ws.GetHi().ConvertToFloat64())
	}
	return
}

// join8 returns the float32 roundings of lo's and hi's lanes as one vector (lo's low).
func join8(lo, hi archsimd.Float64x4) archsimd.Float32x8 {
	var v archsimd.Float32x8
	return v.SetLo(lo.ConvertToFloat32()).SetHi(hi.ConvertToFloat32())
}

// lanes8 returns s[c:c+8] without a call (no copy): a whole load where s's capacity holds it, else s's
// last 8 values moved down by a permute, the lanes past s repeating its last value (loadFrom8 without
// its copy, for len(s) >= 8). Go spills 128-bit vectors around a call with legacy-SSE instructions,
// which made a first version of these cells, with loadFrom8, 2.5 times slower than the scalar ones.
func lanes8(s []float32, c int) archsimd.Float32x8 {
	if c+8 <= cap(s) {
		return archsimd.LoadFloat32x8(s[c : c+8])
	}
	n := len(s)
	return archsimd.LoadFloat32x8(s[n-8 : n]).Permute(archsimd.LoadUint32x8Array(&shiftDown8[c+8-n]))
}

// shuntCellAVX2 is shuntCell with eight excitatory units per vector (the scalar cell for fewer than 8).
func shuntCellAVX2(l *shuntLayer, zEI, z []float32) {
	ne := l.ne
	if ne < 8 {
		l.shuntCell(zEI, z)
		return
	}
	zi := zEI[ne : ne+l.ni]
	ze := zEI[:ne]
	eps := archsimd.BroadcastFloat32x8(shuntEpsilon)
	for c := 0; c < ne; c += 8 {
		subLo, subHi, divLo, divHi := shuntSumsAVX2(l, zi, c)
		zhat := lanes8(ze, c).Sub(join8(subLo, subHi))
		gamma := join8(divLo, divHi).Add(eps)
		v := archsimd.LoadFloat32x8(l.pad.gain[c:]).Mul(zhat.Div(gamma)).Add(archsimd.LoadFloat32x8(l.pad.bias[c:]))
		v.StorePart(z[c:min(c+8, ne)])
	}
	archsimd.ClearAVXUpperBits() // before the scalar Go code that follows (legacy SSE)
}

// shuntHalf is shuntCellGrad's per-unit float64 values for 4 units: dẑ and dγ, from ẑ, γ, dz and g.
func shuntHalf(zhat, gamma, d, gain, minusOne archsimd.Float64x4) (dzhat, dgamma, dgain archsimd.Float64x4) {
	dzhat = gain.Mul(d).Div(gamma)
	dgamma = gain.Mul(minusOne).Mul(d).Mul(zhat).Div(gamma.Mul(gamma))
	return dzhat, dgamma, d.Mul(zhat).Div(gamma)
}

// shuntCellGradAVX2 is shuntCellGrad with eight excitatory units per vector (the scalar cell for fewer
// than 8).
func shuntCellGradAVX2(l *shuntLayer, zEI, dz, out []float32, g *shuntGrads) {
	ne, ni, np := l.ne, l.ni, l.nePad
	if ne < 8 || cap(g.ei) < ni*ne+8 || cap(g.gain) < ne+8 || cap(g.bs) < ne+8 {
		l.shuntCellGrad(zEI, dz, out, g)
		return
	}
	zi := zEI[ne : ne+ni]
	ze, dz := zEI[:ne], dz[:ne]
	terms := g.terms.resize(ni * np)
	eps := archsimd.BroadcastFloat32x8(shuntEpsilon)
	bc := archsimd.BroadcastFloat64x4
	minusOne := bc(-1)
	gEI, gGain, gBias := g.ei[:cap(g.ei)], g.gain[:cap(g.gain)], g.bs[:cap(g.bs)]
	for c := 0; c < ne; c += 8 {
		w := min(8, ne-c)
		wl, wh := min(4, w), max(0, w-4) // units in each half
		subLo, subHi, divLo, divHi := shuntSumsAVX2(l, zi, c)
		zh := lanes8(ze, c).Sub(join8(subLo, subHi))
		gm := join8(divLo, divHi).Add(eps)
		d8, g8 := lanes8(dz, c), archsimd.LoadFloat32x8(l.pad.gain[c:])
		dA, dB := d8.GetLo().ConvertToFloat64(), d8.GetHi().ConvertToFloat64()
		dzhatA, dgammaA, dgainA := shuntHalf(zh.GetLo().ConvertToFloat64(), gm.GetLo().ConvertToFloat64(), dA, g8.GetLo().ConvertToFloat64(), minusOne)
		dzhatB, dgammaB, dgainB := shuntHalf(zh.GetHi().ConvertToFloat64(), gm.GetHi().ConvertToFloat64(), dB, g8.GetHi().ConvertToFloat64(), minusOne)
		archsimd.LoadFloat64x4(gGain[c : c+4]).Add(dgainA).StorePart(gGain[c : c+wl])
		archsimd.LoadFloat64x4(gBias[c : c+4]).Add(dA).StorePart(gBias[c : c+wl])
		if wh > 0 {
			archsimd.LoadFloat64x4(gGain[c+4 : c+8]).Add(dgainB).StorePart(gGain[c+4 : c+4+wh])
			archsimd.LoadFloat64x4(gBias[c+4 : c+8]).Add(dB).StorePart(gBias[c+4 : c+4+wh])
		}
		join8(dzhatA, dzhatB).StorePart(out[c : c+w])
		for k := 0; k < ni; k++ {
			// float64(e^alpha_k) and float64(z_I[k]) in every lane, converted as vectors: a scalar
			// conversion compiles to legacy-SSE code, which cost 4 times the whole cell here.
			ea := archsimd.BroadcastFloat32x4(l.expAlpha[k]).ConvertToFloat64()
			zik := archsimd.BroadcastFloat32x4(zi[k]).ConvertToFloat64()
			wt8 := archsimd.LoadFloat32x8(l.pad.ei[k*np+c:])
			ws8 := archsimd.LoadFloat32x8(l.pad.eiScaled[k*np+c:])
			wtA, wtB := wt8.GetLo().ConvertToFloat64(), wt8.GetHi().ConvertToFloat64()
			wsA, wsB := ws8.GetLo().ConvertToFloat64(), ws8.GetHi().ConvertToFloat64()
			t := k*np + c
			join8(wtA.Mul(minusOne).Mul(dzhatA).Add(wsA.Mul(dgammaA)), wtB.Mul(minusOne).Mul(dzhatB).Add(wsB.Mul(dgammaB))).Store(terms.dzi[t : t+8])
			eaz := ea.Mul(zik)
			eaz.Mul(wtA).Mul(dgammaA).Store(terms.alpha[t : t+4])
			eaz.Mul(wtB).Mul(dgammaB).Store(terms.alpha[t+4 : t+8])
			o := k*ne + c
			archsimd.LoadFloat64x4(gEI[o : o+4]).Add(zik.Mul(ea.Mul(dgammaA).Sub(dzhatA))).StorePart(gEI[o : o+wl])
			if wh > 0 {
				archsimd.LoadFloat64x4(gEI[o+4 : o+8]).Add(zik.Mul(ea.Mul(dgammaB).Sub(dzhatB))).StorePart(gEI[o+4 : o+4+wh])
			}
		}
	}
	archsimd.ClearAVXUpperBits()
	shuntLaneSums(out[ne:][:ni], g.alpha[:ni], terms, ne, np)
}

// resize makes room for n terms of each sum.
func (t *shuntTerms) resize(n int) *shuntTerms {
	if cap(t.dzi) < n {
		t.dzi, t.alpha = make([]float32, n), make([]float64, n)
	}
	t.dzi, t.alpha = t.dzi[:n], t.alpha[:n]
	return t
}

// shuntLaneSums adds each row's first ne terms one after another, as shuntCellGrad's loop over units
// does: dzi[k] = ((0 + t_0) + t_1) + ... in float32, alpha[k] += t_0, then t_1, ... in float64. Three
// rows at a time (the notebook's populations have 3 inhibitory units), so that their six chains of
// dependent additions overlap: one row at a time, the additions' latency made this pass most of the
// cell's time.
func shuntLaneSums(dzi []float32, alpha []float64, t *shuntTerms, ne, np int) {
	k := 0
	for ; k+3 <= len(dzi); k += 3 {
		x0, x1, x2 := t.dzi[k*np:][:ne], t.dzi[(k+1)*np:][:ne], t.dzi[(k+2)*np:][:ne]
		y0, y1, y2 := t.alpha[k*np:][:ne], t.alpha[(k+1)*np:][:ne], t.alpha[(k+2)*np:][:ne]
		var s0, s1, s2 float32
		a0, a1, a2 := alpha[k], alpha[k+1], alpha[k+2]
		for j := range x0 {
			s0, s1, s2 = s0+x0[j], s1+x1[j], s2+x2[j]
			a0, a1, a2 = a0+y0[j], a1+y1[j], a2+y2[j]
		}
		dzi[k], dzi[k+1], dzi[k+2] = s0, s1, s2
		alpha[k], alpha[k+1], alpha[k+2] = a0, a1, a2
	}
	for ; k < len(dzi); k++ {
		var s float32
		a := alpha[k]
		x, y := t.dzi[k*np:][:ne], t.alpha[k*np:][:ne]
		for j := range x {
			s, a = s+x[j], a+y[j]
		}
		dzi[k], alpha[k] = s, a
	}
}
