package study

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/snn-dales/dales/snn"
)

// failedSuffix marks a run whose last attempt failed: <entry>.failed holds the error.
const failedSuffix = ".failed"

// markFailed records a run's failure next to its cache entry (nothing without a cache).
func (s *Sweep) markFailed(p PlannedRun, err error) {
	if p.File != "" {
		snn.WriteFileAtomic(p.File+failedSuffix, []byte(err.Error()+"\n"))
	}
}

// maxEntryBytes bounds a cache entry (a run's JSON is a few KB).
const maxEntryBytes = 1 << 20

// readEntry reads a cache entry without ever blocking or reading without bound: exists is false when
// there is no file at path; otherwise data holds the entry, or why says why it cannot be read (not a
// regular file, such as a FIFO, which a plain read would wait on forever; larger than 1 MiB; a read
// error such as a permission).
func readEntry(path string) (data []byte, exists bool, why string) {
	fi, err := os.Lstat(path)
	if os.IsNotExist(err) {
		return nil, false, ""
	}
	switch {
	case err != nil:
		return nil, true, fmt.Sprintf("cannot be examined: %v", err)
	case !fi.Mode().IsRegular():
		return nil, true, fmt.Sprintf("is not a regular file (mode %v)", fi.Mode())
	case fi.Size() > maxEntryBytes:
		return nil, true, fmt.Sprintf("has %d bytes, more than a cache entry's limit of %d", fi.Size(), maxEntryBytes)
	}
	data, err = os.ReadFile(path)
	if err != nil {
		return nil, true, fmt.Sprintf("cannot be read: %v", err)
	}
	return data, true, ""
}

// State is what the cache holds for one planned run.
type State string

const (
	// Done: a good entry of the current revision of the numbers with every requested metric (of another
	// backend's numerics only if the sweep does not Recompute them; Detail then says so).
	Done State = "done"
	// Missing: no entry (never run, running, or killed before it finished).
	Missing State = "missing"
	// Stale: an entry that cannot be used (damaged, of other numerics, for another run, or lacking a
	// metric); running the sweep recomputes it.
	Stale State = "stale"
	// Failed: the last attempt ended with an error (kept in <entry>.failed); running the sweep retries it.
	Failed State = "failed"
)

// RunState is the State of one planned run, with why for Stale and Failed.
type RunState struct {
	PlannedRun
	State  State
	Detail string
	Result RunResult // for Done
}

// Status reads the cache alone (it trains nothing) and returns the state of every planned run.
func (s *Sweep) Status() ([]RunState, error) {
	if s.CacheDir == "" {
		return nil, fmt.Errorf("study: a sweep without a cache folder has no status")
	}
	plan, err := s.Plan()
	if err != nil {
		return nil, err
	}
	backend, err := s.backend()
	if err != nil {
		return nil, err
	}
	out := make([]RunState, len(plan))
	for i, p := range plan {
		st := RunState{PlannedRun: p, State: Missing}
		numerics, err := s.numerics(p, backend)
		if err != nil {
			return nil, err
		}
		if data, exists, unreadable := readEntry(p.File); exists && unreadable != "" {
			st.State, st.Detail = Stale, "the entry "+unreadable
		} else if exists {
			r, why := s.usable(data, p, numerics)
			if why == "" {
				st.State, st.Result = Done, r
				if r.Numerics != numerics {
					st.Detail = fmt.Sprintf("computed by numerics %q, not this backend's %q: used as it is (Recompute retrains it)",
						r.Numerics, numerics)
				}
			} else {
				st.State, st.Detail = Stale, why
			}
		}
		if st.State != Done {
			if msg, exists, _ := readEntry(p.File + failedSuffix); exists && msg != nil {
				st.State, st.Detail = Failed, strings.TrimSpace(string(msg))
			}
		}
		out[i] = st
	}
	return out, nil
}

// Collect returns the results of the runs the cache holds, in plan order, and the planned runs it does
// not hold (in any state but Done), from the cache alone. Runs another backend's numerics computed are
// among the results, and Warnings says how many and by which numerics (as Run does).
func (s *Sweep) Collect() (done []RunResult, notDone []RunState, err error) {
	states, err := s.Status()
	if err != nil {
		return nil, nil, err
	}
	for _, st := range states {
		if st.State == Done {
			done = append(done, st.Result)
		} else {
			notDone = append(notDone, st)
		}
	}
	backend, err := s.backend()
	if err != nil {
		return nil, nil, err
	}
	s.Warnings = append(s.Warnings, foreignNote(done, backend, s)...)
	return done, notDone, nil
}

// Shard returns the plan indices of shard i of n (0 <= i < n): contiguous blocks of about total/n runs,
// the first total%n blocks one longer, so the n shards cover [0, total) exactly once.
func Shard(i, n, total int) ([]int, error) {
	if n <= 0 || i < 0 || i >= n {
		return nil, fmt.Errorf("study: shard %d of %d: want 0 <= shard < n and n > 0", i, n)
	}
	lo, hi := i*total/n, (i+1)*total/n
	out := make([]int, 0, hi-lo)
	for k := lo; k < hi; k++ {
		out = append(out, k)
	}
	return out, nil
}

// RemoveStaleTemps deletes temporary files older than age left in the cache folder, the model folder
// (ModelDir) and the model store (Models) by writers that were killed between creating and renaming them
// (snn.WriteFileAtomic), and returns how many. A write takes milliseconds, so an age of minutes never
// touches a write in progress.
func (s *Sweep) RemoveStaleTemps(age time.Duration) (int, error) {
	n := 0
	for _, dir := range []string{s.CacheDir, s.ModelDir, s.Models} {
		if dir == "" {
			continue
		}
		tmps, err := filepath.Glob(filepath.Join(dir, "*.tmp-*"))
		if err != nil {
			return n, err
		}
		for _, t := range tmps {
			if fi, err := os.Stat(t); err == nil && time.Since(fi.ModTime()) > age {
				if os.Remove(t) == nil {
					n++
				}
			}
		}
	}
	return n, nil
}
