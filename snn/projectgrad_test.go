package snn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// projectGrad summed block by block (projectGradBlocked, kernel sets with addRows32) gives each fibre's
// sumRows32 over its whole list bit for bit: every kernel set that has addRows32, blocks of 1 column (a
// piece per group of 8), 7, 8, 9, 100 and gradBlock columns and one block larger than the batch, on the
// notebook's sizes (a batch of 64 with a repeated sample and a silent pad), twice on the same columns.
func TestProjectGradBlocked(t *testing.T) {
	cfg := DefaultConfig()
	d, err := GenerateStimulus(cfg, 64, 7, 1)
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, 63) // 63 samples and a silent pad
	for i := range idx {
		idx[i] = i
	}
	idx[5] = 9 // a repeated sample
	H, I := cfg.NumHidden, d.NumInputs
	rng := rand.New(rand.NewPCG(43, 47))
	g := make([]float32, (cfg.NumSteps()-1)*64*H)
	for i := range g {
		g[i] = float32(rng.NormFloat64())
	}
	defer func(n int, ks kernelSet) { gradBlock, kernels = n, ks }(gradBlock, kernels)
	tested := 0
	for _, ks := range availableKernels {
		if ks.addRows32 == nil {
			continue
		}
		kernels = ks
		cols := newSpikeColumns(cfg, 64)
		cols.fill(d, idx, cfg.NumClasses)
		kernels.addRows32 = nil
		want := make([]float32, I*H)
		cols.projectGrad(g, I, H, want) // one sumRows32 per fibre
		kernels.addRows32 = ks.addRows32
		for _, n := range []int{1, 7, 8, 9, 100, gradBlock, 1 << 20} {
			gradBlock = n
			for rep := 0; rep < 2; rep++ {
				got := make([]float32, I*H)
				for i := range got {
					got[i] = 42 // every entry must be set
				}
				cols.projectGrad(g, I, H, got)
				assertBits(t, fmt.Sprintf("%s projectGrad in blocks of %d columns, call %d", ks.name, n, rep+1), got, want)
			}
			tested++
		}
	}
	if tested == 0 {
		t.Fatal("no kernel set has addRows32: the blocked gradient is untested")
	}
	t.Logf("%d block sizes compared; kernel sets %v", tested, kernelNames())
}
