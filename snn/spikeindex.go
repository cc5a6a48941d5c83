package snn

import (
	"math/bits"
	"sync"
)

// spikeIndex lists the spikes of every sample of a Dataset in the order the input projection reads
// them: for sample n and step t < steps, the fibres that spiked are
//
//	fibres[start[n*steps+t] : start[n*steps+t+1]]    in increasing order.
//
// Only the steps the network is fed (NumSteps-1; the notebook never feeds the last) are listed. Built
// once per dataset (its spike bits never change), it spares every batch of every epoch the scan of the
// bits: about 2 bytes per spike, some 9 times the bits' memory at the notebook's 22% density.
type spikeIndex struct {
	steps  int
	fibres []uint16
	start  []int
}

// lazySpikeIndex builds a Dataset's spikeIndex on first use, once, safely from several goroutines.
type lazySpikeIndex struct {
	once sync.Once
	idx  *spikeIndex
}

// spikes returns d's spike index, building it on first use.
func (d *Dataset) spikes() *spikeIndex {
	if d.index == nil { // a Dataset not made by this package's constructors
		return newSpikeIndex(d)
	}
	d.index.once.Do(func() { d.index.idx = newSpikeIndex(d) })
	return d.index.idx
}

func newSpikeIndex(d *Dataset) *spikeIndex {
	S, I := d.NumSteps-1, d.NumInputs
	ix := &spikeIndex{steps: S, start: make([]int, d.Len()*S+1)}
	total := 0
	for _, w := range d.bits {
		total += bits.OnesCount64(w)
	}
	ix.fibres = make([]uint16, 0, total)
	k := 0 // next (sample, step) entry of start to set
	for n := 0; n < d.Len(); n++ {
		col, stepStart := n*S, 0 // entry of the step being listed and its first bit
		last := (n + 1) * S      // the last step (entry last) is not listed
	scan:
		for w, word := range d.bits[n*d.words : (n+1)*d.words] {
			for word != 0 {
				b := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				for b >= stepStart+I {
					stepStart += I
					col++
				}
				if col >= last {
					break scan
				}
				for ; k <= col; k++ {
					ix.start[k] = len(ix.fibres)
				}
				ix.fibres = append(ix.fibres, uint16(b-stepStart))
			}
		}
		for ; k < last; k++ { // silent steps at the end of the sample
			ix.start[k] = len(ix.fibres)
		}
	}
	ix.start[k] = len(ix.fibres)
	return ix
}

// step returns the fibres that spiked at step t of sample n.
func (ix *spikeIndex) step(n, t int) []uint16 {
	k := n*ix.steps + t
	return ix.fibres[ix.start[k]:ix.start[k+1]]
}
