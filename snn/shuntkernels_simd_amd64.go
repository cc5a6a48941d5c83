//go:build goexperiment.simd && amd64

package snn

import "simd/archsimd"

// The shunting cell's vector kernels (kernelSet.shuntCell, shuntCellGrad of the avx512 set): eight
// excitatory units per vector, each lane doing shuntCell's (and shuntCellGrad's) operations for its unit
// in the scalar order: the sums over the inhibitory units in float64 lanes in k order, the float32 and
// float64 roundings where the scalar code has them, and no fused multiply-add. The two sums over the
// excitatory units that shuntCellGrad accumulates (dL/dz_I and dL/dalpha) are added one unit after
// another from each vector's lanes, as the scalar loop adds them. The results are the scalar set's bit
// for bit (TestShuntKernelSetsAgree, TestKernelSetsTrainAlike).

// shuntSums returns, for units c..c+7, sub_j = sum_k float64(W_EI[k, j] z_I[k]) and div_j = sum_k
// float64(e^alpha_k W_EI[k, j] z_I[k]), each product rounded to float32 first, summed in k order.
func shuntSums(l *shuntLayer, zi []float32, c, w int) (sub, div archsimd.Float64x8) {
	ne := l.ne
	for k, v := range zi {
		vk := archsimd.BroadcastFloat32x8(v)
		wt := loadPart8(l.ei.Data[k*ne+c : k*ne+c+w])
		ws := loadPart8(l.eiScaled.Data[k*ne+c : k*ne+c+w])
		sub = sub.Add(wt.Mul(vk).ConvertToFloat64())
		div = div.Add(ws.Mul(vk).ConvertToFloat64())
	}
	return sub, div
}

// shuntCellAVX512 is shuntCell with eight excitatory units per vector.
func shuntCellAVX512(l *shuntLayer, zEI, z []float32) {
	ne := l.ne
	zi := zEI[ne : ne+l.ni]
	eps := archsimd.BroadcastFloat32x8(shuntEpsilon)
	for c := 0; c < ne; c += 8 {
		w := min(8, ne-c)
		sub, div := shuntSums(l, zi, c, w)
		zhat := loadPart8(zEI[c : c+w]).Sub(sub.ConvertToFloat32())
		gamma := div.ConvertToFloat32().Add(eps)
		loadPart8(l.gain[c : c+w]).Mul(zhat.Div(gamma)).Add(loadPart8(l.bias[c : c+w])).StorePart(z[c : c+w])
	}
}

// shuntCellGradAVX512 is shuntCellGrad with eight excitatory units per vector.
func shuntCellGradAVX512(l *shuntLayer, zEI, dz, out []float32, g *shuntGrads) {
	ne, ni := l.ne, l.ni
	zi := zEI[ne : ne+ni]
	dzi := out[ne:][:ni]
	clear(dzi)
	eps := archsimd.BroadcastFloat32x8(shuntEpsilon)
	minusOne := archsimd.BroadcastFloat64x8(-1)
	var terms [8]float32
	var terms64 [8]float64
	for c := 0; c < ne; c += 8 {
		w := min(8, ne-c)
		sub, div := shuntSums(l, zi, c, w)
		zhat := loadPart8(zEI[c : c+w]).Sub(sub.ConvertToFloat32()).ConvertToFloat64()
		gamma := div.ConvertToFloat32().Add(eps).ConvertToFloat64()
		d := loadPart8(dz[c : c+w]).ConvertToFloat64()
		gain := loadPart8(l.gain[c : c+w]).ConvertToFloat64()
		dzhat := gain.Mul(d).Div(gamma)
		dgamma := gain.Mul(minusOne).Mul(d).Mul(zhat).Div(gamma.Mul(gamma))
		loadPart8f64(g.gain[c : c+w]).Add(d.Mul(zhat).Div(gamma)).StorePart(g.gain[c : c+w])
		loadPart8f64(g.bs[c : c+w]).Add(d).StorePart(g.bs[c : c+w])
		dzhat.ConvertToFloat32().StorePart(out[c : c+w])
		for k := 0; k < ni; k++ {
			ea := archsimd.BroadcastFloat64x8(float64(l.expAlpha[k]))
			zik := archsimd.BroadcastFloat64x8(float64(zi[k]))
			wt := loadPart8(l.ei.Data[k*ne+c : k*ne+c+w]).ConvertToFloat64()
			ws := loadPart8(l.eiScaled.Data[k*ne+c : k*ne+c+w]).ConvertToFloat64()
			dzi[k] = addLanes32(dzi[k], wt.Mul(minusOne).Mul(dzhat).Add(ws.Mul(dgamma)).ConvertToFloat32(), w, &terms)
			ge := g.ei[k*ne+c : k*ne+c+w]
			loadPart8f64(ge).Add(zik.Mul(ea.Mul(dgamma).Sub(dzhat))).StorePart(ge)
			g.alpha[k] = addLanes64(g.alpha[k], ea.Mul(zik).Mul(wt).Mul(dgamma), w, &terms64)
		}
	}
}

// addLanes32 returns s + v[0] + v[1] + ... + v[w-1], added one lane after another (the scalar loop's
// order), through buf.
func addLanes32(s float32, v archsimd.Float32x8, w int, buf *[8]float32) float32 {
	v.Store(buf[:])
	if w == 8 {
		return s + buf[0] + buf[1] + buf[2] + buf[3] + buf[4] + buf[5] + buf[6] + buf[7]
	}
	for _, x := range buf[:w] {
		s += x
	}
	return s
}

// addLanes64 is addLanes32 for float64 lanes. The vector is stored as two 256-bit halves: loads from a
// 512-bit store are not forwarded on AMD's Zen cores, and each waited for the store to reach the cache
// (about 60% of shuntCellGradAVX512's time when it was one store).
func addLanes64(s float64, v archsimd.Float64x8, w int, buf *[8]float64) float64 {
	v.GetLo().Store(buf[:4])
	v.GetHi().Store(buf[4:])
	if w == 8 {
		return s + buf[0] + buf[1] + buf[2] + buf[3] + buf[4] + buf[5] + buf[6] + buf[7]
	}
	for _, x := range buf[:w] {
		s += x
	}
	return s
}
