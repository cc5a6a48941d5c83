package snn

import "sync"

// fibreIndex lists a dataset's spikes fibre by fibre within each sample: the transpose of its
// spikeIndex, one sample at a time. For sample n, the steps t at which fibre i spiked are
//
//	steps[at(n, i) : at(n, i)+count[n*inputs+i]],    at(n, i) = first[n] + sum over i' < i of count[n*inputs+i'],
//
// in increasing order. The projection's gradient needs each batch's spikes by fibre (spikeColumns.transpose);
// with this index, built once on the first batch of a dataset (in training, the training set), every
// batch of every epoch concatenates its samples' lists instead of sorting its spikes. It costs 1 byte per
// spike and per (sample, fibre), and exists where a sample feeds at most maxIndexedSteps steps (the
// notebook's 99); longer samples are sorted batch by batch.
type fibreIndex struct {
	inputs int
	steps  []uint8
	count  []uint8
	first  []int
}

// maxIndexedSteps is the most steps a fibreIndex lists (a step number and a count per fibre in a byte).
const maxIndexedSteps = 255

// lazyFibreIndex builds a spikeIndex's fibreIndex on first use, once, safely from several goroutines.
type lazyFibreIndex struct {
	once sync.Once
	idx  *fibreIndex
}

// byFibre returns ix's fibre index, building it on first use; nil where samples feed more than
// maxIndexedSteps steps.
func (ix *spikeIndex) byFibre() *fibreIndex {
	if ix.steps > maxIndexedSteps {
		return nil
	}
	ix.fibres.once.Do(func() {
		if ix.narrow {
			ix.fibres.idx = newFibreIndex(ix, ix.fibres8, ix.inputs)
		} else {
			ix.fibres.idx = newFibreIndex(ix, ix.fibres16, ix.inputs)
		}
	})
	return ix.fibres.idx
}

// newFibreIndex sorts each sample's spikes (the index's lists fibres) by fibre, in step order within a
// fibre (a counting sort per sample).
func newFibreIndex[F fibre](ix *spikeIndex, fibres []F, inputs int) *fibreIndex {
	S := ix.steps
	samples := (len(ix.start) - 1) / max(S, 1)
	fx := &fibreIndex{inputs: inputs, steps: make([]uint8, ix.len()+vectorSlack), count: make([]uint8, samples*inputs),
		first: make([]int, samples+1)}
	next := make([]int, inputs)
	for n := 0; n < samples; n++ {
		lo, hi := ix.start[n*S], ix.start[(n+1)*S]
		fx.first[n] = lo
		count := fx.count[n*inputs : (n+1)*inputs]
		for _, i := range fibres[lo:hi] {
			count[i]++
		}
		at := lo
		for i, c := range count {
			next[i] = at
			at += int(c)
		}
		for t := 0; t < S; t++ {
			for _, i := range fibres[ix.start[n*S+t]:ix.start[n*S+t+1]] {
				fx.steps[next[i]] = uint8(t)
				next[i]++
			}
		}
	}
	fx.first[samples] = ix.len()
	return fx
}

// vectorSlack is the room offsetSteps needs past n in its slices (at most 15 entries: n rounded up to a
// whole vector of 16): fibreIndex.steps holds that many zeros after its last sample's lists, and
// spikeColumns.colsOf keeps that much capacity beyond its length.
const vectorSlack = 16

// offsetStepsScalar is kernelSet.offsetSteps in plain Go.
func offsetStepsScalar(dst []int32, src []uint8, n int, base int32) {
	for q, t := range src[:n] {
		dst[q] = base + int32(t)
	}
}

// transposeIndexed is transposeLists from the fibre index fx: fibre i's list is its lists in the
// batch's samples, sample after sample, each step t of batch position j becoming column j*steps+t. It
// writes colsOf in order, fibre by fibre, reading each sample's lists with a cursor (s.cursor, by batch
// position).
func transposeIndexed(s *spikeColumns, fx *fibreIndex) {
	I, S := fx.inputs, s.steps
	total := 0
	for _, n := range s.samples {
		if n >= 0 {
			total += fx.first[n+1] - fx.first[n]
		}
	}
	cols := s.resizeCols(total)[:total+vectorSlack] // offsetSteps writes whole vectors
	cur := s.cursor[:0]
	for _, n := range s.samples {
		at := 0
		if n >= 0 {
			at = fx.first[n]
		}
		cur = append(cur, at)
	}
	s.cursor = cur
	// Read one byte of every cache line of the batch's lists first: these loads are independent, so
	// the lines arrive together (the loop below reads from every sample at once, which the hardware
	// prefetcher does not follow).
	var touch uint8
	for _, n := range s.samples {
		if n < 0 {
			continue
		}
		lo, hi := fx.first[n], fx.first[n+1]
		for at := lo; at < hi; at += cacheLine {
			touch += fx.steps[at]
		}
		if hi > lo {
			touch += fx.steps[hi-1] // the last line, which the strides may step over
		}
	}
	s.touched = touch
	offsetSteps := kernels.offsetSteps
	o := 0
	for i := 0; i < I; i++ {
		s.fibreStart[i] = int32(o)
		for j, n := range s.samples {
			if n < 0 {
				continue
			}
			c := int(fx.count[n*I+i])
			offsetSteps(cols[o:], fx.steps[cur[j]:], c, int32(j*S))
			cur[j] += c
			o += c
		}
	}
	s.fibreStart[I] = int32(o)
}
