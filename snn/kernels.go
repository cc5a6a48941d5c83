package snn

// kernelSet is one implementation of the Go kernels' hot loops: the row sums of the sparse input
// projection and of its gradient, and the LIF recurrence of one sample forward and backward. Every set
// computes the same float32 operations in the same order, so every set gives the same numbers bit for bit
// (TestKernelSetsAgree): the vector sets hold one hidden unit (or one output column) per lane and keep the
// scalar loop's order of additions within each lane.
type kernelSet struct {
	name string
	// sumRows8, sumRows16 and sumRows32 are sumRows for fibre numbers (projection; one byte up to 256
	// fibres, else two) and column indices (gradient). The rows of m are stride floats apart, stride a
	// multiple of pad, and m holds whole rows (len(m) a multiple of stride): the vector sets load whole
	// vectors inside a row, with no check for its end.
	sumRows8  func(out, m []float32, stride int, idx []uint8)
	sumRows16 func(out, m []float32, stride int, idx []uint16)
	sumRows32 func(out, m []float32, stride int, idx []int32)
	// addRows32 is sumRows32 adding to out's values instead of starting from zero (addRows), so that a
	// list can be summed in pieces, every piece but the last a whole number of groups of 8, with the
	// same result as in one call. It reads and writes out[:len(out)] only (out's next row may be another
	// goroutine's). nil where the set has none: projectGrad then sums each fibre's whole list in one call.
	addRows32 func(out, m []float32, stride int, idx []int32)
	// pad is the row padding the row sums need: the vector width in floats (16 or 8), 1 for the scalar
	// set. paddedRows copies a matrix so.
	pad int
	// lifForward runs lifKernel.forward for one sample: p its currents [steps, hidden], r its weighted
	// spike sums [hidden], and vKeep (nil, or [steps, hidden] like p) receives the membrane before each
	// step. Nothing outside these slices is written; a vector set's loads may read past a slice's length
	// but never past its capacity (loadPart8), and what they read there reaches no result.
	lifForward func(k *lifKernel, p, vKeep, r []float32)
	// lifBackward runs lifKernel.backward for one sample: v its membranes as forward kept them, g = dL/dr
	// [hidden]; p (its currents) is overwritten with dL/dp.
	lifBackward func(k *lifKernel, p, v, g []float32)
	// lifBackwardSpikes runs lifKernel.backwardSpikes for one sample: as lifBackward with gS [steps,
	// hidden], the spike records' direct gradients, in place of g.
	lifBackwardSpikes func(k *lifKernel, p, v, gS []float32)
	// shuntCell and shuntCellGrad are shuntLayer.shuntCell and shuntCellGrad (one (sample, step) cell of
	// shunting inhibition, forward and backward).
	shuntCell     func(l *shuntLayer, zEI, z []float32)
	shuntCellGrad func(l *shuntLayer, zEI, dz, out []float32, g *shuntGrads)
	// offsetSteps sets dst[q] = base + src[q] for q < n (a fibreIndex's steps as batch columns). dst and
	// src hold n rounded up to a multiple of 16 entries: the vector set reads and writes whole vectors, and
	// what it writes past n is garbage for the caller to overwrite.
	offsetSteps func(dst []int32, src []uint8, n int, base int32)
	// spikeThresholds is spikeThresholdsScalar (stimulus.go): the Poisson stimulus's spike thresholds
	// for one step of one ear, thr and sa, ca of equal length.
	spikeThresholds func(thr []uint64, sa, ca []float64, s, c, scale, unit float64)
	// lifInhibit and lifInhibitionGrad are lifInhLayer.inhibitScalar and inhibitionGradScalar (the
	// inhibition of the excitatory currents by inhibitory units with a state of their own, and its
	// gradient); splitColumns and joinColumns are splitColumnsScalar and joinColumnsScalar (lifinhstep.go).
	lifInhibit, lifInhibitionGrad func(l *lifInhLayer, ei Matrix)
	splitColumns, joinColumns     func(z, a, b []float32, wa, wb int)
}

// scalarKernels is the portable set, plain Go loops. It is the fallback wherever the vector sets cannot
// run: builds without GOEXPERIMENT=simd, other architectures, CPUs without AVX2.
var scalarKernels = kernelSet{
	name:        "scalar",
	pad:         1,
	sumRows8:    sumRows[uint8],
	sumRows16:   sumRows[uint16],
	sumRows32:   sumRows[int32],
	addRows32:   addRows[int32],
	lifForward:  lifForwardScalar,
	lifBackward: lifBackwardScalar,
	// lifBackwardSpikes in lif.go
	lifBackwardSpikes: lifBackwardSpikesScalar,
	offsetSteps:       offsetStepsScalar,
	spikeThresholds:   spikeThresholdsScalar,
	// lifInhibit, lifInhibitionGrad, splitColumns and joinColumns in lifinhstep.go
	lifInhibit:        (*lifInhLayer).inhibitScalar,
	lifInhibitionGrad: (*lifInhLayer).inhibitionGradScalar,
	splitColumns:      splitColumnsScalar,
	joinColumns:       joinColumnsScalar,
	// shuntCell and shuntCellGrad in shunt.go
	shuntCell:     (*shuntLayer).shuntCell,
	shuntCellGrad: (*shuntLayer).shuntCellGrad,
}

// kernels is the set the Go kernels run with: the widest the build and the CPU support (chosen once, at
// start-up, by kernels_simd_amd64.go's init where it is built), else scalarKernels.
var kernels = scalarKernels

// availableKernels lists every set this build can run on this CPU, scalarKernels first (for tests and
// benchmarks that compare them).
var availableKernels = []kernelSet{scalarKernels}

// KernelPath names the set of Go kernels this binary computes with on this CPU: "scalar", "avx2" or
// "avx512". Every set gives the same numbers (see kernelSet), so a run's numbers do not depend on it;
// benchmarks and reports state it.
func KernelPath() string { return kernels.name }
