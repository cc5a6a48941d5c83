package ratenet

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// numericsRevision is bumped whenever a change to this package's code changes a run's numbers (beyond
// what a different seed would do), so that cached runs of the old numbers are trained again.
const numericsRevision = 1

// Numerics names the numerics a run trains with on backend: "ratenet/<revision>", then "+" and what
// decides GoMLX's float32 rounding there (snn.BackendNumerics), e.g. "ratenet/1+gomlx-avx512". GoMLX's
// vector kernels add in another order on a CPU with AVX-512 than on one with AVX2 only, so the same
// seed trains to other numbers there. A plan's cache records it with each run (Result.Numerics); a run
// cached by other numerics of the same revision is used as it is unless RunOptions.Recompute, and one
// of another revision, or without numerics, is trained again (the rule of snn's sweeps:
// snn.SameRevision).
func Numerics(backend compute.Backend) string {
	v := fmt.Sprintf("ratenet/%d", numericsRevision)
	if b := snn.BackendNumerics(backend); b != "" {
		v += "+" + b
	}
	return v
}
