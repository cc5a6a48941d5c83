package snn

// sumRows sets out = sum over the entries i of idx of the rows m[i] (m row-major with rows of len(out)
// elements). The rows are added eight at a time, out[h] += ((a[h] + b[h]) + (c[h] + d[h])) + ((e[h] +
// f[h]) + (g[h] + k[h])) (an eighth of the loads and stores of out that one row at a time would take),
// then four at a time, then one at a time.
//
// It is the inner loop of the sparse input projection (rows of W1eff summed over the fibres that
// spiked) and of its gradient (rows of dL/dp summed over the columns where a fibre spiked), and the
// scalar kernel set's (kernelSet.sumRows8, sumRows16, sumRows32). The vector sets add the rows in this same tree,
// one output element per lane, with accumulators held in registers across the whole index list.
func sumRows[Index uint8 | uint16 | int32](out []float32, m []float32, idx []Index) {
	clear(out)
	H := len(out)
	o := out
	for len(idx) >= 8 {
		a := m[int(idx[0])*H:][:len(o)]
		b := m[int(idx[1])*H:][:len(o)]
		c := m[int(idx[2])*H:][:len(o)]
		d := m[int(idx[3])*H:][:len(o)]
		e := m[int(idx[4])*H:][:len(o)]
		f := m[int(idx[5])*H:][:len(o)]
		g := m[int(idx[6])*H:][:len(o)]
		k := m[int(idx[7])*H:][:len(o)]
		for h := range o {
			o[h] += ((a[h] + b[h]) + (c[h] + d[h])) + ((e[h] + f[h]) + (g[h] + k[h]))
		}
		idx = idx[8:]
	}
	for len(idx) >= 4 {
		a := m[int(idx[0])*H:][:len(o)]
		b := m[int(idx[1])*H:][:len(o)]
		c := m[int(idx[2])*H:][:len(o)]
		d := m[int(idx[3])*H:][:len(o)]
		for h := range o {
			o[h] += (a[h] + b[h]) + (c[h] + d[h])
		}
		idx = idx[4:]
	}
	for _, i := range idx {
		a := m[int(i)*H:][:len(o)]
		for h := range o {
			o[h] += a[h]
		}
	}
}
