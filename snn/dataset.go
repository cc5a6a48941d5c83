package snn

import (
	"fmt"
	"math"
)

// NewDataset builds a Dataset from spike trains of your own: n = len(ipd) samples of numSteps steps and
// numInputs input fibres, spike(n, t, i) reporting whether fibre i spiked at step t of sample n (called
// once per cell, sample by sample), ipd[n] the sample's interaural phase difference in radians, which sets
// its class (Discretise: within [-pi/2, pi/2]). Train, Evaluate and the probes then take it as they take
// GenerateData's sets; its PhaseOffset entries are 0 (unknown: the phase probes, which read the training
// set's offset, assume the notebook's stimulus). Sizes are checked before anything is allocated.
func NewDataset(ipd []float64, numSteps, numInputs int, spike func(n, t, i int) bool) (*Dataset, error) {
	switch {
	case len(ipd) == 0:
		return nil, fmt.Errorf("snn: NewDataset: no samples (len(ipd) = 0)")
	case numSteps < 1 || numSteps > MaxSteps:
		return nil, fmt.Errorf("snn: NewDataset: numSteps = %d, want 1 to %d", numSteps, MaxSteps)
	case numInputs < 1 || numInputs > 2*MaxANFPerEar:
		return nil, fmt.Errorf("snn: NewDataset: numInputs = %d, want 1 to %d", numInputs, 2*MaxANFPerEar)
	case float64(len(ipd))*float64(numSteps)*float64(numInputs) > MaxDataBits:
		return nil, fmt.Errorf("snn: NewDataset: %d samples x %d steps x %d inputs is more than %d spike bits", len(ipd), numSteps,
			numInputs, int64(MaxDataBits))
	case spike == nil:
		return nil, fmt.Errorf("snn: NewDataset: spike is nil")
	}
	for n, v := range ipd {
		if math.IsNaN(v) || v < -math.Pi/2 || v > math.Pi/2 {
			return nil, fmt.Errorf("snn: NewDataset: ipd[%d] = %v, want radians within [-pi/2, pi/2]", n, v)
		}
	}
	words := (numSteps*numInputs + 63) / 64
	d := &Dataset{IPD: append([]float64(nil), ipd...), NumSteps: numSteps, NumInputs: numInputs, words: words,
		PhaseOffset: make([]float64, len(ipd)), bits: make([]uint64, len(ipd)*words), index: &lazySpikeIndex{}}
	for n := range ipd {
		row := d.bits[n*words : (n+1)*words]
		for t := range numSteps {
			for i := range numInputs {
				if spike(n, t, i) {
					k := t*numInputs + i
					row[k/64] |= 1 << (k % 64)
				}
			}
		}
	}
	return d, nil
}
