package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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
	t.Logf("%d (kernel set, block size) pairs compared; kernel sets %v", tested, kernelNames())
}

// projectGradBlocked on hand-made fibre lists (the batch test's fibres all spike over a thousand times):
// empty lists, lists of 1 to 24 columns, lists that end long before the last column, widths on both sides
// of the avx2 set's one-pass rows (1, 7, 8, 9, 30, 33), block sizes from 1 to more than the columns, and
// dL/dp holding +-0, +-Inf and NaN among its values; every row of dW must be the set's sumRows32 over its
// fibre's whole list bit for bit, and set on every call (dW starts as garbage).
func TestProjectGradBlockedShortLists(t *testing.T) {
	defer func(n int, ks kernelSet) { gradBlock, kernels = n, ks }(gradBlock, kernels)
	rng := rand.New(rand.NewPCG(53, 59))
	const inputs, steps, batch = 40, 25, 12 // 300 columns
	total := steps * batch
	tested := 0
	for _, ks := range availableKernels {
		if ks.addRows32 == nil {
			continue
		}
		kernels = ks
		for _, H := range []int{1, 7, 8, 9, 30, 33} {
			s := &spikeColumns{steps: steps, batch: batch, fibreStart: make([]int32, inputs+1)}
			for i := 0; i < inputs; i++ {
				n := rng.IntN(25) // 0..24 columns
				if i%5 == 0 {
					n = 0
				}
				hi := total
				if i%3 == 0 {
					hi = total / 4 // a list that ends early
				}
				cols := rng.Perm(hi)[:min(n, hi)]
				slices.Sort(cols)
				for _, c := range cols {
					s.colsOf = append(s.colsOf, int32(c))
				}
				s.fibreStart[i+1] = int32(len(s.colsOf))
			}
			g := make([]float32, total*H)
			for i := range g {
				g[i] = float32(rng.NormFloat64())
				switch rng.IntN(40) {
				case 0:
					g[i] = float32(math.Copysign(0, -1))
				case 1:
					g[i] = 0
				case 2:
					g[i] = float32(math.Inf(1 - 2*rng.IntN(2)))
				case 3:
					g[i] = float32(math.NaN())
				}
			}
			m, stride := s.gPad.rows(g, H, ks.pad, 0)
			want := make([]float32, inputs*H)
			for i := 0; i < inputs; i++ {
				ks.sumRows32(want[i*H:(i+1)*H], m, stride, s.colsOf[s.fibreStart[i]:s.fibreStart[i+1]])
			}
			for _, n := range []int{1, 3, 8, 13, 64, 299, 300, 1000} {
				gradBlock = n
				got := make([]float32, inputs*H)
				for i := range got {
					got[i] = 42
				}
				s.projectGradBlocked(m, stride, inputs, H, got)
				assertNaNBits(t, fmt.Sprintf("%s H=%d blocks of %d columns", ks.name, H, n), got, want)
				tested++
			}
		}
	}
	if tested == 0 {
		t.Fatal("no kernel set has addRows32: the blocked gradient is untested")
	}
}

// assertNaNBits is assertBits where NaN matches NaN (of any sign: the kernel sets' contract excludes a
// NaN's sign), naming the reference "one call per fibre".
func assertNaNBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.IsNaN(float64(got[i])) && math.IsNaN(float64(want[i])) {
			continue
		}
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d is %v (%#08x), one call per fibre gives %v (%#08x)", name, i, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}
