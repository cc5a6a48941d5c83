package snn

import (
	"math/bits"
	"runtime"
	"sync"
)

// spikeColumns lists, for a batch, the active input fibres of every (sample, step) column in CSR form:
// the fibres of column k = b*steps + t (step t of the batch's sample b) are rows[start[k]:start[k+1]].
// Input spikes are binary and about 22% dense, so the input projection x_t W1eff needs no multiplies:
// it is a sum of the W1eff rows of the fibres that spiked. Columns are sample-major because a sample's
// spike bits are stored step by step, so the lists fill in one ordered pass.
type spikeColumns struct {
	steps, batch int // steps fed (NumSteps-1) and batch size
	start        []int32
	rows         []int32
	labels       []int32
	// The same spikes by fibre (filled by transpose for projectGrad).
	fibreStart, colsOf, next []int32
}

func newSpikeColumns(cfg Config, batch int) *spikeColumns {
	T1 := cfg.NumSteps() - 1
	return &spikeColumns{steps: T1, batch: batch, start: make([]int32, T1*batch+1), labels: make([]int32, batch)}
}

// fill lists the spikes of samples idx of d (len(idx) <= batch; missing samples are silent, label 0).
func (s *spikeColumns) fill(d *Dataset, idx []int, numClasses int) {
	T1, I := s.steps, d.NumInputs
	clear(s.labels)
	s.rows = s.rows[:0]
	limit := T1 * I // bits of the last step are not fed
	k := 0          // next column to open
	for j, n := range idx {
		s.labels[j] = int32(Discretise(d.IPD[n], numClasses))
		base := j * T1
		words := d.bits[n*d.words : (n+1)*d.words]
	scan:
		for w, word := range words {
			for word != 0 {
				b := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				if b >= limit {
					break scan
				}
				col := base + b/I
				for ; k <= col; k++ {
					s.start[k] = int32(len(s.rows))
				}
				s.rows = append(s.rows, int32(b%I))
			}
		}
	}
	for ; k < len(s.start); k++ {
		s.start[k] = int32(len(s.rows))
	}
}

// project computes out = x W [columns, H] (row k is the input current of column k), for W [I, H]
// row-major: out[k, :] = sum over the active fibres i of column k of W[i, :].
func (s *spikeColumns) project(w Matrix, out []float32) {
	H := w.Cols
	cols := s.steps * s.batch
	parallelChunks(cols, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			o := out[k*H : (k+1)*H]
			clear(o)
			rows := s.rows[s.start[k]:s.start[k+1]]
			// Four rows per pass over o: a quarter of the loads and stores of o.
			for len(rows) >= 4 {
				a := w.Data[int(rows[0])*H:][:len(o)]
				b := w.Data[int(rows[1])*H:][:len(o)]
				c := w.Data[int(rows[2])*H:][:len(o)]
				d := w.Data[int(rows[3])*H:][:len(o)]
				for h := range o {
					o[h] += (a[h] + b[h]) + (c[h] + d[h])
				}
				rows = rows[4:]
			}
			for _, i := range rows {
				a := w.Data[int(i)*H:][:len(o)]
				for h := range o {
					o[h] += a[h]
				}
			}
		}
	})
}

// projectGrad computes the gradient of the loss with respect to W [I, H] from its gradient with respect
// to the projection, g [columns, H]: dW[i, :] = sum over the columns k where fibre i spiked of g[k, :]
// (that is x^T g). It lists the spikes fibre by fibre first (the transpose of the column lists, in
// column order), so each row of dW is one sum over a list, four rows of g per pass; rows are independent,
// so they run in parallel with a result that depends neither on scheduling nor on the number of cores.
func (s *spikeColumns) projectGrad(g []float32, inputs, H int, out []float32) {
	s.transpose(inputs)
	parallelChunks(inputs, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			a := out[i*H : (i+1)*H]
			clear(a)
			cols := s.colsOf[s.fibreStart[i]:s.fibreStart[i+1]]
			for len(cols) >= 4 {
				b := g[int(cols[0])*H:][:len(a)]
				c := g[int(cols[1])*H:][:len(a)]
				d := g[int(cols[2])*H:][:len(a)]
				e := g[int(cols[3])*H:][:len(a)]
				for h := range a {
					a[h] += (b[h] + c[h]) + (d[h] + e[h])
				}
				cols = cols[4:]
			}
			for _, k := range cols {
				b := g[int(k)*H:][:len(a)]
				for h := range a {
					a[h] += b[h]
				}
			}
		}
	})
}

// transpose fills fibreStart and colsOf, the spikes listed by fibre: the columns where fibre i spiked are
// colsOf[fibreStart[i]:fibreStart[i+1]], in increasing order (a counting sort of the column lists).
func (s *spikeColumns) transpose(inputs int) {
	if len(s.fibreStart) != inputs+1 {
		s.fibreStart = make([]int32, inputs+1)
	}
	clear(s.fibreStart)
	for _, i := range s.rows {
		s.fibreStart[i+1]++
	}
	for i := 0; i < inputs; i++ {
		s.fibreStart[i+1] += s.fibreStart[i]
	}
	if cap(s.colsOf) < len(s.rows) {
		s.colsOf = make([]int32, len(s.rows))
	}
	s.colsOf = s.colsOf[:len(s.rows)]
	next := append(s.next[:0], s.fibreStart[:inputs]...)
	s.next = next
	for k := 0; k+1 < len(s.start); k++ {
		for _, i := range s.rows[s.start[k]:s.start[k+1]] {
			s.colsOf[next[i]] = int32(k)
			next[i]++
		}
	}
}

// parallelChunks runs f over [0, n) split in contiguous chunks, one per available core.
func parallelChunks(n int, f func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(w*n/workers, (w+1)*n/workers)
	}
	wg.Wait()
}
