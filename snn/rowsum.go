package snn

// sumRows sets out = sum over the entries i of idx of the rows m[i], for m row-major with rows of stride
// >= len(out) elements (only the first len(out) of each row are read). The rows are added eight at a time, out[h] += ((a[h] + b[h]) + (c[h] + d[h])) + ((e[h] +
// f[h]) + (g[h] + k[h])) (an eighth of the loads and stores of out that one row at a time would take),
// then four at a time, then one at a time.
//
// It is the inner loop of the sparse input projection (rows of W1eff summed over the fibres that
// spiked) and of its gradient (rows of dL/dp summed over the columns where a fibre spiked), and the
// scalar kernel set's (kernelSet.sumRows8, sumRows16, sumRows32). The vector sets add the rows in this same tree,
// one output element per lane, with accumulators held in registers across the whole index list (addRows32
// loads them from out and stores them back, between the pieces of a list).
func sumRows[Index uint8 | uint16 | int32](out []float32, m []float32, stride int, idx []Index) {
	clear(out)
	addRows(out, m, stride, idx)
}

// addRows is sumRows adding to out's values (out = out + the rows' tree sums, in sumRows's order) instead
// of starting from zero: the scalar set's kernelSet.addRows32. sumRows is addRows on a cleared out.
func addRows[Index uint8 | uint16 | int32](out []float32, m []float32, stride int, idx []Index) {
	o := out
	for len(idx) >= 8 {
		a := m[int(idx[0])*stride:][:len(o)]
		b := m[int(idx[1])*stride:][:len(o)]
		c := m[int(idx[2])*stride:][:len(o)]
		d := m[int(idx[3])*stride:][:len(o)]
		e := m[int(idx[4])*stride:][:len(o)]
		f := m[int(idx[5])*stride:][:len(o)]
		g := m[int(idx[6])*stride:][:len(o)]
		k := m[int(idx[7])*stride:][:len(o)]
		for h := range o {
			o[h] += ((a[h] + b[h]) + (c[h] + d[h])) + ((e[h] + f[h]) + (g[h] + k[h]))
		}
		idx = idx[8:]
	}
	for len(idx) >= 4 {
		a := m[int(idx[0])*stride:][:len(o)]
		b := m[int(idx[1])*stride:][:len(o)]
		c := m[int(idx[2])*stride:][:len(o)]
		d := m[int(idx[3])*stride:][:len(o)]
		for h := range o {
			o[h] += (a[h] + b[h]) + (c[h] + d[h])
		}
		idx = idx[4:]
	}
	for _, i := range idx {
		a := m[int(i)*stride:][:len(o)]
		for h := range o {
			o[h] += a[h]
		}
	}
}
