package snn

import "unsafe"

// paddedRows is a reusable buffer that holds a row-major matrix with its rows padded to the kernel set's
// vector width (kernelSet.pad): the row sums then load whole vectors inside each row, with no check for
// its end, and every row of the notebook's 30 columns starts on a 64-byte cache line (stride 32). The
// padding lanes hold zeros and are never stored to an output; the values summed, and their order, are
// those of the unpadded matrix, so results are the same bit for bit.
type paddedRows struct {
	buf []float32
}

// byteRows is the number of rows a one-byte row number can name. The projection pads W to at least so
// many rows, so that the avx512 row sums index its rows by fibre number with no range check
// (sumRowsOf32x8Asm).
const byteRows = 256

// cacheLine is the alignment of a paddedRows buffer, in bytes.
const cacheLine = 64

// rows returns data (rows of cols floats) with its rows padded to a multiple of pad floats, and the
// stride: data itself where cols is already a multiple of pad, else a copy in p's buffer (copied in
// parallel chunks of rows; valid until the next call), followed by rows of zeros up to minRows rows
// where data has fewer (byteRows for rows indexed by one-byte numbers). An uncopied matrix keeps its own
// rows, however few: the row sums then index it with range checks (sumRowsOf32, not sumRowsOf32x8Asm).
func (p *paddedRows) rows(data []float32, cols, pad, minRows int) ([]float32, int) {
	stride := (cols + pad - 1) / pad * pad
	if stride == cols {
		return data, cols
	}
	n := len(data) / cols
	need := max(n, minRows)*stride + cacheLine/4
	if cap(p.buf) < need {
		p.buf = make([]float32, need)
	}
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(p.buf[:1]))) % cacheLine / 4)
	if off != 0 {
		off = cacheLine/4 - off
	}
	m := p.buf[off : off+max(n, minRows)*stride]
	clear(m[n*stride:])
	parallelChunks(n, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			row := m[r*stride : (r+1)*stride]
			copy(row, data[r*cols:(r+1)*cols])
			clear(row[cols:])
		}
	})
	return m, stride
}
