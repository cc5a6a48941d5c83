package snn

import (
	"testing"
	"unsafe"
)

// TestPaddedRows checks what the vector row sums rely on (kernelSet): the stride is the smallest multiple
// of pad that holds a row; a padded copy starts on a 64-byte cache line (with rows of 32 floats every row
// does; unaligned, BenchmarkTrainStep measured 3.1 ms against 2.2 ms aligned, 2026-12-02) and holds every
// row's values followed by zeros, then rows of zeros up to minRows rows (the projection's byteRows, which
// sumRowsOf32x8Asm indexes unchecked); a matrix already padded is returned as it is, uncopied. Every float
// returned is overwritten before the next call, so each call must rewrite its padding and zero rows.
func TestPaddedRows(t *testing.T) {
	var p paddedRows
	for _, pad := range []int{1, 8, 16} {
		for cols := 1; cols <= 40; cols++ {
			for _, rows := range []int{1, 7, 64} {
				for _, minRows := range []int{0, 5, 100} {
					data := make([]float32, rows*cols)
					for i := range data {
						data[i] = float32(i + 1)
					}
					m, stride := p.rows(data, cols, pad, minRows)
					want := (cols + pad - 1) / pad * pad
					if stride != want || stride%pad != 0 {
						t.Fatalf("pad %d, %d columns: stride %d, want %d", pad, cols, stride, want)
					}
					if stride == cols {
						if unsafe.SliceData(m) != unsafe.SliceData(data) || len(m) != len(data) {
							t.Fatalf("pad %d, %d columns: an already padded matrix was copied", pad, cols)
						}
						continue
					}
					if n := max(rows, minRows); len(m) != n*stride {
						t.Fatalf("pad %d, %d columns, %d rows, at least %d: %d floats returned, want %d", pad, cols, rows, minRows, len(m), n*stride)
					}
					if a := uintptr(unsafe.Pointer(unsafe.SliceData(m))); a%cacheLine != 0 {
						t.Fatalf("pad %d, %d columns: the padded copy starts at %#x, not on a %d-byte line", pad, cols, a, cacheLine)
					}
					for r := 0; r < len(m)/stride; r++ {
						for c := 0; c < stride; c++ {
							w := float32(0)
							if c < cols && r < rows {
								w = data[r*cols+c]
							}
							if got := m[r*stride+c]; got != w {
								t.Fatalf("pad %d, %d columns, %d rows, at least %d: row %d column %d is %v, want %v", pad, cols, rows, minRows, r, c, got, w)
							}
						}
					}
					for i := range m { // the next call must rewrite everything it returns
						m[i] = -1
					}
				}
			}
		}
	}
}
