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
// (that is x^T g). The columns are cut into gradParts fixed parts, each accumulated privately (in
// parallel) and then added in order, so the result depends neither on scheduling nor on the number of
// cores.
func (s *spikeColumns) projectGrad(g []float32, inputs, H int, out []float32) {
	cols := s.steps * s.batch
	workers := min(gradParts, cols)
	parts := make([][]float32, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			acc := out
			if w > 0 {
				acc = make([]float32, inputs*H)
			} else {
				clear(acc)
			}
			lo, hi := w*cols/workers, (w+1)*cols/workers
			for k := lo; k < hi; k++ {
				gk := g[k*H : (k+1)*H]
				for _, i := range s.rows[s.start[k]:s.start[k+1]] {
					a := acc[int(i)*H : (int(i)+1)*H]
					for h := range a {
						a[h] += gk[h]
					}
				}
			}
			parts[w] = acc
		}(w)
	}
	wg.Wait()
	for w := 1; w < workers; w++ {
		for i, v := range parts[w] {
			out[i] += v
		}
	}
}

// gradParts is the number of column ranges projectGrad sums separately.
const gradParts = 4

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
