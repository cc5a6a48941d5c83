package snn

// spikeColumns holds a batch for the input projection: column k = j*steps + t is step t of the batch's
// sample j, whose active input fibres come from the dataset's spikeIndex. Input spikes are binary and
// about 22% dense, so the input projection x_t W1eff needs no multiplies: it is a sum of the W1eff rows
// of the fibres that spiked.
type spikeColumns struct {
	steps, batch int // steps fed (NumSteps-1) and batch size
	index        *spikeIndex
	samples      []int // dataset sample of each batch position; -1 for a silent pad
	labels       []int32
	// The batch's spikes by fibre (filled by transpose for projectGrad).
	fibreStart, colsOf, next []int32
	cursor                   []int   // transposeIndexed's place in each batch position's sample
	gradCursor               []int32 // projectGradBlocked's place in each fibre's list
	touched                  uint8   // what transposeIndexed's first pass read (kept so that it is not removed)
	// The matrices whose rows the kernels sum, padded (W for project, g for projectGrad).
	wPad, gPad paddedRows
}

func newSpikeColumns(cfg Config, batch int) *spikeColumns {
	return &spikeColumns{steps: cfg.NumSteps() - 1, batch: batch, samples: make([]int, batch),
		labels: make([]int32, batch)}
}

// fill takes samples idx of d as the batch (len(idx) <= batch; missing samples are silent, label 0).
func (s *spikeColumns) fill(d *Dataset, idx []int, numClasses int) {
	s.index = d.spikes()
	clear(s.labels)
	for j := range s.samples {
		s.samples[j] = -1
	}
	for j, n := range idx {
		s.samples[j] = n
		s.labels[j] = int32(Discretise(d.IPD[n], numClasses))
	}
}

// project computes out = x W [columns, H] (row k is the input current of column k), for W [I, H]
// row-major: out[k, :] = sum over the active fibres i of column k of W[i, :] (sumRows).
func (s *spikeColumns) project(w Matrix, out []float32) {
	minRows := 0
	if s.index.narrow {
		minRows = byteRows
	}
	m, stride := s.wPad.rows(w.Data, w.Cols, kernels.pad, minRows)
	if s.index.narrow {
		projectLists(s, s.index.fibres8, kernels.sumRows8, m, stride, w.Cols, out)
	} else {
		projectLists(s, s.index.fibres16, kernels.sumRows16, m, stride, w.Cols, out)
	}
}

// projectLists is project over the index's fibre lists of type F, summed by sum over the rows of m
// (stride floats apart, H of them used).
//
// A chunk's columns are taken sample by sample (the steps of one sample are consecutive columns and
// consecutive entries of the index), so that no column costs a division.
func projectLists[F fibre](s *spikeColumns, fibres []F, sum func(out, m []float32, stride int, idx []F), m []float32, stride, H int, out []float32) {
	S, start := s.steps, s.index.start
	parallelChunks(S*s.batch, func(lo, hi int) {
		for k := lo; k < hi; {
			j, t := k/S, k%S
			steps := min(S-t, hi-k) // sample j's columns in this chunk
			n := s.samples[j]
			if n < 0 { // a silent pad
				clear(out[k*H : (k+steps)*H])
				k += steps
				continue
			}
			for e := n*S + t; steps > 0; e, k, steps = e+1, k+1, steps-1 {
				sum(out[k*H:(k+1)*H], m, stride, fibres[start[e]:start[e+1]])
			}
		}
	})
}

// projectGrad computes the gradient of the loss with respect to W [I, H] from its gradient with respect
// to the projection, g [columns, H]: dW[i, :] = sum over the columns k where fibre i spiked of g[k, :]
// (that is x^T g). It lists the spikes fibre by fibre first (the transpose of the column lists, in
// column order), so each row of dW is sumRows over its fibre's list: in one call, or where the kernel set
// has addRows32 (the scalar and avx2 sets) in pieces, block of gradBlock columns after block
// (projectGradBlocked), with the same bits. The avx512 set has none: a 16-lane addRows32 measured level
// on a Zen 5 VM, whose 1 MB L2 cache holds the whole of dL/dp (snn/bench/PERFORMANCE.md, Where the time goes).
// Rows are independent, so they run in parallel with a result that depends neither on scheduling nor on
// the number of cores.
func (s *spikeColumns) projectGrad(g []float32, inputs, H int, out []float32) {
	s.transpose(inputs)
	m, stride := s.gPad.rows(g, H, kernels.pad, 0)
	if kernels.addRows32 != nil {
		s.projectGradBlocked(m, stride, inputs, H, out)
		return
	}
	sum := kernels.sumRows32
	parallelChunks(inputs, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			sum(out[i*H:(i+1)*H], m, stride, s.colsOf[s.fibreStart[i]:s.fibreStart[i+1]])
		}
	})
}

// gradBlock is the number of columns (rows of dL/dp) that projectGradBlocked sums at a time: 512 rows of
// 32 floats are 64 KB, which stay in a core's L2 cache while every fibre's columns among them are added.
// dL/dp as a whole (6336 rows at the notebook's sizes, 811 KB) does not fit there, and summing fibre after
// fibre over all of it read it from the L3 cache about once per fibre. BenchmarkGradBlock on an AVX2-only
// VM (2026-12-03, 3 runs): blocks of 128, 256, 512, 1024 and 2048 columns 1.59-2.00, 1.45-1.81,
// 1.46-1.62, 1.61-1.95 and 1.72-2.07 ms, no blocks 1.93-2.21 ms; but 6 later runs of the final code, 512
// against none within each run, gave a median ratio of 0.92 (1.46-1.95 against 1.52-2.10 ms), and the
// earlier build's ratio then was 0.99: the gain is 0-10%, within that VM's noise. It counts columns, so a
// block's size in memory grows with the rows' stride (at 300 hidden units a block is about 600 KB); only
// the notebook's sizes were timed. Values below 8 are taken as 8.
var gradBlock = 512

// projectGradBlocked is projectGrad's sums (m the padded rows of dL/dp, stride floats apart) taken block
// of gradBlock columns after block: in each block, each fibre adds (addRows32) its next groups of 8
// columns that end in the block; in the last block (the one reaching the batch's last column), all the
// rest of its list (the groups of 8, then 4, then the single columns that sumRows ends with). Every piece
// but the last is whole groups of 8, and addRows32 carries the sum from piece to piece, so each row of dW
// is sumRows32 over the whole list bit for bit (TestProjectGradBlocked).
func (s *spikeColumns) projectGradBlocked(m []float32, stride, inputs, H int, out []float32) {
	add, cols, start := kernels.addRows32, s.colsOf, s.fibreStart
	total := s.steps * s.batch // columns
	if len(s.gradCursor) < inputs {
		s.gradCursor = make([]int32, inputs)
	}
	cur := s.gradCursor[:inputs]
	copy(cur, start[:inputs])
	block := max(gradBlock, 8)
	parallelChunks(inputs, func(lo, hi int) {
		clear(out[lo*H : hi*H])
		for end := block; ; end += block {
			last := end >= total
			for i := lo; i < hi; i++ {
				a, b := cur[i], start[i+1]
				e := b
				if !last {
					for e = a; e+8 <= b && cols[e+7] < int32(end); e += 8 {
					}
				}
				if e > a {
					add(out[i*H:(i+1)*H], m, stride, cols[a:e])
					cur[i] = e
				}
			}
			if last {
				return
			}
		}
	})
}

// transpose fills s.fibreStart and s.colsOf, the batch's spikes listed by fibre: the columns where
// fibre i spiked are colsOf[fibreStart[i]:fibreStart[i+1]], in increasing order. It concatenates the
// samples' lists from the dataset's fibreIndex where it has one (transposeIndexed), else sorts the
// batch's spikes (transposeLists); both give the same lists.
func (s *spikeColumns) transpose(inputs int) {
	if len(s.fibreStart) != inputs+1 {
		s.fibreStart = make([]int32, inputs+1)
	}
	clear(s.fibreStart)
	switch fx := s.index.byFibre(); {
	case fx != nil && fx.inputs == inputs:
		transposeIndexed(s, fx)
	case s.index.narrow:
		transposeLists(s, s.index.fibres8, inputs)
	default:
		transposeLists(s, s.index.fibres16, inputs)
	}
}

// resizeCols returns s.colsOf resized to n entries, with room for vectorSlack more. A batch with more
// spikes than any before it grows the buffer by an eighth more than it needs, so that the batches of a run,
// whose spike counts differ by a few percent, do not reallocate it (about 1.2 MB at the notebook's sizes)
// one new maximum after another.
func (s *spikeColumns) resizeCols(n int) []int32 {
	if cap(s.colsOf) < n+vectorSlack {
		s.colsOf = make([]int32, n, n+n/8+vectorSlack)
	}
	s.colsOf = s.colsOf[:n]
	return s.colsOf
}

// transposeLists is transpose by a counting sort of the batch's spikes (s.fibreStart zeroed, inputs+1
// long). It reads each sample's spikes (the index's lists fibres) as the one contiguous run that they
// are (steps in order).
func transposeLists[F fibre](s *spikeColumns, fibres []F, inputs int) {
	ix, S := s.index, s.steps
	count := s.fibreStart[1:]
	for _, n := range s.samples {
		if n >= 0 {
			for _, i := range fibres[ix.start[n*S]:ix.start[(n+1)*S]] {
				count[i]++
			}
		}
	}
	for i := 0; i < inputs; i++ {
		s.fibreStart[i+1] += s.fibreStart[i]
	}
	cols := s.resizeCols(int(s.fibreStart[inputs]))
	next := append(s.next[:0], s.fibreStart[:inputs]...)
	s.next = next
	for j, n := range s.samples {
		if n < 0 {
			continue
		}
		starts := ix.start[n*S : (n+1)*S+1]
		for t := 0; t < S; t++ {
			k := int32(j*S + t)
			for _, i := range fibres[starts[t]:starts[t+1]] {
				cols[next[i]] = k
				next[i]++
			}
		}
	}
}

// parallelChunks runs f over [0, n) split in contiguous chunks, one per core this run may use
// (kernelThreads); the calling goroutine runs the first chunk itself, spinPool's workers the others.
func parallelChunks(n int, f func(lo, hi int)) {
	workers := kernelThreads(n)
	if workers <= 1 {
		f(0, n)
		return
	}
	runChunks(n, workers, f)
}
