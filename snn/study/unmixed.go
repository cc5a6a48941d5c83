package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
	"github.com/snn-dales/dales/snn"
)

// checkUnmixed, for an Unmixed sweep that may train (neither CacheOnly nor Recompute), refuses jobs when
// one of them is not in the cache (it would be trained, copied or rebuilt with this build's numerics)
// while the cache folder holds runs that other numerics of the same revision computed, of this sweep or
// of another writing there (a tuned plan's tuning and test sweeps share one folder): the error names
// both numerics, how many runs each way, and the three ways out. Runs of another revision are stale,
// recomputed whatever Unmixed says, and not counted. It is checked once, when the sweep starts: tasks of
// one cluster job that start together on CPUs of different vector paths all find the folder unmixed.
func (s *Sweep) checkUnmixed(jobs []PlannedRun, backend compute.Backend) error {
	if !s.Unmixed || s.CacheOnly || s.Recompute || s.CacheDir == "" {
		return nil
	}
	states, err := s.Status()
	if err != nil {
		return err
	}
	done := make(map[RunKey]bool, len(states))
	for _, st := range states {
		done[st.Key] = st.State == Done
	}
	var added int
	var current string
	for _, j := range jobs {
		if !done[j.Key] {
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
	held, err := foreignEntries(s.CacheDir, current)
	if err != nil || len(held) == 0 {
		return err
	}
	return fmt.Errorf("study: %w", snn.MixedNumericsError(s.CacheDir, held, added, current, "Recompute; sweep -recompute",
		"sweep -mix-numerics"))
}

// foreignEntries counts, by numerics, the cache entries (*.json) in dir computed by numerics of current's
// revision on another backend or vector path (the part after "+", snn.BackendNumerics, differs): entries
// of another formulation on the same build (a sweep whose conditions train in different formulations)
// are not foreign. Files that are not entries (no numerics recorded) are skipped.
func foreignEntries(dir, current string) (map[string]int, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	_, path, _ := strings.Cut(current, "+")
	held := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // unreadable: Status calls such an entry stale, and it is recomputed
		}
		var e struct {
			Numerics string `json:"numerics"`
		}
		if json.Unmarshal(data, &e) != nil || !snn.SameRevision(e.Numerics, current) {
			continue
		}
		if _, p, _ := strings.Cut(e.Numerics, "+"); p != path {
			held[e.Numerics]++
		}
	}
	return held, nil
}
