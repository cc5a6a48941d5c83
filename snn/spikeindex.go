package snn

import (
	"math/bits"
	"sync"
)

// spikeIndex lists the spikes of every sample of a Dataset in the order the input projection reads
// them: for sample n and step t < steps, the fibres that spiked are
//
//	fibres[start[n*steps+t] : start[n*steps+t+1]]    in increasing order,
//
// with fibres the byte list fibres8 where the dataset has at most 256 input fibres (the notebook's 200),
// else the two-byte list fibres16. Only the steps the network is fed (NumSteps-1; the notebook never
// feeds the last) are listed. Built once per dataset (its spike bits never change), it spares every batch
// of every epoch the scan of the bits: 1 byte per spike (2 above 256 fibres), about 1.8 times the bits'
// memory at the notebook's 22% density.
type spikeIndex struct {
	steps    int
	inputs   int  // the dataset's fibres
	narrow   bool // fibres8 holds the lists (at most 256 fibres), else fibres16
	fibres8  []uint8
	fibres16 []uint16
	start    []int
	fibres   lazyFibreIndex // the lists by fibre within each sample (byFibre), for the gradient
}

// fibre is the type of a fibre number in a spike list.
type fibre interface{ uint8 | uint16 }

// lazySpikeIndex builds a Dataset's spikeIndex on first use, once, safely from several goroutines.
type lazySpikeIndex struct {
	once sync.Once
	idx  *spikeIndex
}

// spikes returns d's spike index, building it on first use.
func (d *Dataset) spikes() *spikeIndex {
	if d.index == nil { // a Dataset not made by this package's constructors
		return newSpikeIndex(d, d.NumInputs > 256)
	}
	d.index.once.Do(func() { d.index.idx = newSpikeIndex(d, d.NumInputs > 256) })
	return d.index.idx
}

// newSpikeIndex lists d's spikes, with two-byte fibre numbers if wide (which any dataset may use; more
// than 256 fibres need it).
func newSpikeIndex(d *Dataset, wide bool) *spikeIndex {
	ix := &spikeIndex{steps: d.NumSteps - 1, inputs: d.NumInputs, narrow: !wide, start: make([]int, d.Len()*(d.NumSteps-1)+1)}
	if wide {
		ix.fibres16 = listSpikes[uint16](d, ix.start)
	} else {
		ix.fibres8 = listSpikes[uint8](d, ix.start)
	}
	return ix
}

// listSpikes returns d's spikes, step by step, as fibre numbers of type F, and sets start (len
// d.Len()*(NumSteps-1)+1) to where each (sample, step) begins.
func listSpikes[F fibre](d *Dataset, start []int) []F {
	S, I := d.NumSteps-1, d.NumInputs
	total := 0
	for _, w := range d.bits {
		total += bits.OnesCount64(w)
	}
	fibres := make([]F, 0, total)
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
					start[k] = len(fibres)
				}
				fibres = append(fibres, F(b-stepStart))
			}
		}
		for ; k < last; k++ { // silent steps at the end of the sample
			start[k] = len(fibres)
		}
	}
	start[k] = len(fibres)
	return fibres
}

// len returns the number of spikes listed.
func (ix *spikeIndex) len() int { return ix.start[len(ix.start)-1] }
