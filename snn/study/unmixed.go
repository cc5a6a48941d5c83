package study

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// checkUnmixed, for an Unmixed sweep that may train (neither CacheOnly nor Recompute), refuses jobs when
// one of them is not in the cache (it would be trained, copied or rebuilt with this build's numerics)
// while the cache holds runs of the sweep's plan that other numerics of the same revision computed (which
// the sweep uses as they are): the error names both numerics, how many runs each way, and the three ways
// out. Runs of another revision are stale, recomputed whatever Unmixed says, and not counted.
func (s *Sweep) checkUnmixed(jobs []PlannedRun, backend compute.Backend) error {
	if !s.Unmixed || s.CacheOnly || s.Recompute || s.CacheDir == "" {
		return nil
	}
	states, err := s.Status()
	if err != nil {
		return err
	}
	byKey := make(map[RunKey]RunState, len(states))
	var current string
	foreign := map[string]int{}
	for _, st := range states {
		byKey[st.Key] = st
		if st.State != Done {
			continue
		}
		n, err := s.numerics(st.PlannedRun, backend)
		if err != nil {
			return err
		}
		if st.Result.Numerics != n {
			foreign[st.Result.Numerics]++
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	var added int
	for _, j := range jobs {
		if st := byKey[j.Key]; st.State != Done {
			added++
			if current == "" {
				if current, err = s.numerics(j, backend); err != nil {
					return err
				}
			}
		}
	}
	if added == 0 {
		return nil
	}
	return fmt.Errorf("study: %w", snn.MixedNumericsError(s.CacheDir, foreign, added, current, "Recompute; sweep -recompute",
		"sweep -mix-numerics"))
}
