package snn

import (
	"slices"
	"testing"
)

// The spike index lists exactly the spikes of the dataset's bits, step by step in increasing fibre order,
// for the fed steps 0..NumSteps-2, for a dataset and a subset of it (including a step-count where a
// sample's bits do not fill whole words).
func TestSpikeIndexMatchesBits(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ANFPerEar, cfg.Duration = 7, 0.013 // 14 fibres x 13 steps = 182 bits: 3 words, the last partly used
	d, err := GenerateStimulus(cfg, 20, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range []*Dataset{d, d.Subset([]int{19, 3, 3, 0})} {
		ix := ds.spikes()
		if ds.spikes() != ix {
			t.Error("the index is rebuilt on every call")
		}
		listed := 0
		for n := 0; n < ds.Len(); n++ {
			for st := 0; st < ds.NumSteps-1; st++ {
				var want []uint16
				for i := 0; i < ds.NumInputs; i++ {
					if ds.Spike(n, st, i) {
						want = append(want, uint16(i))
					}
				}
				if got := ix.step(n, st); !slices.Equal(got, want) {
					t.Fatalf("sample %d step %d: index lists %v, bits say %v", n, st, got, want)
				}
				listed += len(want)
			}
		}
		if listed == 0 || listed != len(ix.fibres) {
			t.Errorf("%d spikes in the fed steps, the index holds %d", listed, len(ix.fibres))
		}
	}
}
