package snn

import (
	"fmt"
	"slices"
	"testing"
)

// The batch's spikes by fibre (spikeColumns.transpose) are, for every fibre, the columns j*steps+t where
// the bits say that fibre spiked at fed step t of the sample at batch position j, in increasing order:
// from the fibre index (samples of at most 255 fed steps), by sorting (longer samples), with one- and
// two-byte fibre lists, with every kernel set (offsetSteps), for batches with a repeated sample, a silent
// pad and a short last batch, twice in a row on the same columns (buffers reused).
func TestTransposeMatchesBits(t *testing.T) {
	type set struct {
		name    string
		anf     int
		dur     float64
		indexed bool
	}
	sets := []set{
		{"notebook sizes", 100, 0.1, true},
		{"259 fed steps, sorted", 9, 0.26, false},
		{"255 fed steps, indexed", 9, 0.256, true},
		{"258 fibres, two-byte lists", 129, 0.02, true},
	}
	batches := [][]int{{4, 0, 2, 2, 1, 7}, {3, 5}, {1, 6, 0, 2, 4, 3}}
	defer func(k kernelSet) { kernels = k }(kernels)
	for _, s := range sets {
		cfg := DefaultConfig()
		cfg.ANFPerEar, cfg.Duration = s.anf, s.dur
		d, err := GenerateStimulus(cfg, 8, 5, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.spikes().byFibre() != nil; got != s.indexed {
			t.Fatalf("%s (%d fed steps): fibre index %v, want %v", s.name, d.NumSteps-1, got, s.indexed)
		}
		for _, ks := range availableKernels {
			kernels = ks
			cols := newSpikeColumns(cfg, 6)
			for _, idx := range batches {
				cols.fill(d, idx, cfg.NumClasses)
				cols.transpose(d.NumInputs)
				checkTranspose(t, fmt.Sprintf("%s, %s kernels, batch %v", s.name, ks.name, idx), d, cols)
			}
		}
	}
}

// checkTranspose compares cols' lists by fibre with the dataset's bits.
func checkTranspose(t *testing.T, name string, d *Dataset, cols *spikeColumns) {
	t.Helper()
	for i := 0; i < d.NumInputs; i++ {
		want := []int32{}
		for j, n := range cols.samples {
			for st := 0; n >= 0 && st < cols.steps; st++ {
				if d.Spike(n, st, i) {
					want = append(want, int32(j*cols.steps+st))
				}
			}
		}
		got := cols.colsOf[cols.fibreStart[i]:cols.fibreStart[i+1]]
		if !slices.Equal(got, want) {
			t.Fatalf("%s: fibre %d spiked in columns %v, the transpose lists %v", name, i, want, got)
		}
	}
	if total := int(cols.fibreStart[d.NumInputs]); total != len(cols.colsOf) || cols.fibreStart[0] != 0 {
		t.Fatalf("%s: fibre lists span %d..%d, %d columns listed", name, cols.fibreStart[0], total, len(cols.colsOf))
	}
}

// Each sample's lists by fibre hold its fed spikes, fibre by fibre, steps increasing, with counts that
// add up to the sample's spikes.
func TestFibreIndexMatchesBits(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Duration = 0.03
	d, err := GenerateStimulus(cfg, 4, 9, 1)
	if err != nil {
		t.Fatal(err)
	}
	fx := d.spikes().byFibre()
	if d.spikes().byFibre() != fx {
		t.Error("the fibre index is rebuilt on every call")
	}
	for n := 0; n < d.Len(); n++ {
		at := fx.first[n]
		for i := 0; i < d.NumInputs; i++ {
			var want []uint8
			for st := 0; st < d.NumSteps-1; st++ {
				if d.Spike(n, st, i) {
					want = append(want, uint8(st))
				}
			}
			c := int(fx.count[n*d.NumInputs+i])
			if got := fx.steps[at : at+c]; !slices.Equal(got, want) {
				t.Fatalf("sample %d fibre %d: spiked at steps %v, the index lists %v", n, i, want, got)
			}
			at += c
		}
		if at != fx.first[n+1] {
			t.Fatalf("sample %d: its lists end at %d, the next sample starts at %d", n, at, fx.first[n+1])
		}
	}
}
