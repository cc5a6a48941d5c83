package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/snn-dales/dales/snn/study"
)

func planCmd(args []string) error {
	g, ss, err := parseSweeps("sweep plan", args, nil)
	if err != nil {
		return err
	}
	for _, f := range []string{"workers", "recompute", "mix-numerics"} { // plan lists runs and trains none
		if g.set[f] {
			return fmt.Errorf("-%s: sweep plan lists the runs and trains none, so it would ignore it; give it to sweep run", f)
		}
	}
	total := 0
	for _, s := range ss {
		plan, _ := s.Plan()
		fmt.Printf("%5s %-17s %8s %6s  %s\n", "index", "condition", "fraction", "seed", "cache file")
		for _, p := range plan {
			fmt.Printf("%5d %-17s %8.3f %6d  %s\n", p.Index, p.Key.Condition, p.Key.Fraction, p.Key.Seed, p.File)
		}
		total += len(plan)
	}
	fmt.Fprintf(os.Stderr, "%d runs\n", total)
	return nil
}

func runCmd(args []string) error {
	var indexFlag, span, shard *string
	g, err := parseGrid("sweep run", args, func(fs *flag.FlagSet) {
		indexFlag = fs.String("index", "", "run only this index of the plan (0 to the number of runs - 1)")
		span = fs.String("range", "", "run the indices lo:hi (hi excluded)")
		shard = fs.String("shard", "", "run shard i/n of the plan (0 <= i < n; contiguous blocks)")
	})
	if err != nil {
		return err
	}
	// A flag given with an empty value (a cluster script's unset variable, -shard "$SHARD") would select the
	// whole plan for every task: refused.
	for name, v := range map[string]string{"index": *indexFlag, "range": *span, "shard": *shard} {
		if g.set[name] && strings.TrimSpace(v) == "" {
			return fmt.Errorf("-%s is empty: want %s (without it every run of the plan is run)", name,
				map[string]string{"index": "an index, e.g. 3", "range": "lo:hi, e.g. 0:10", "shard": "i/n, e.g. 3/20"}[name])
		}
	}
	index := -1 // not given
	if *indexFlag != "" {
		if index, err = strconv.Atoi(*indexFlag); err != nil || index < 0 {
			return fmt.Errorf("-index %q: want an integer >= 0 (sweep plan lists the indices)", *indexFlag)
		}
	}
	if index < 0 && *span == "" && *shard == "" { // the whole grid, or every sweep of a -plan
		ss, err := g.sweeps()
		if err != nil {
			return err
		}
		for _, s := range ss {
			if err := runIndices(s, nil); err != nil {
				return err
			}
		}
		return nil
	}
	s, err := g.sweep()
	if err != nil {
		return err
	}
	plan, _ := s.Plan()
	idx, err := selectIndices(index, *span, *shard, len(plan))
	if err != nil {
		return err
	}
	if len(idx) == 0 { // more shards than runs: this one has none
		fmt.Fprintf(os.Stderr, "shard %s holds no run (the plan has %d): nothing to do\n", *shard, len(plan))
		return nil
	}
	return runIndices(s, idx)
}

// runIndices runs the runs of s at idx (all when nil), reporting progress and the sweep's warnings.
func runIndices(s *study.Sweep, idx []int) error {
	if n, err := s.RemoveStaleTemps(10 * time.Minute); err == nil && n > 0 {
		fmt.Fprintf(os.Stderr, "removed %d temporary files left by killed writers\n", n)
	}
	ctx, stop := signalContext()
	defer stop()
	s.OnRun = progress()
	_, err := s.RunIndices(ctx, idx)
	for _, w := range s.Warnings {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	return err
}

// selectIndices turns -index, -range or -shard (exactly one, or none for the whole plan) into indices.
func selectIndices(index int, span, shard string, total int) ([]int, error) {
	set := 0
	for _, b := range []bool{index >= 0, span != "", shard != ""} {
		if b {
			set++
		}
	}
	switch {
	case set > 1:
		return nil, fmt.Errorf("give one of -index, -range and -shard")
	case index >= 0:
		if index >= total {
			return nil, fmt.Errorf("-index %d: the plan has indices 0 to %d", index, total-1)
		}
		return []int{index}, nil
	case span != "":
		lo, hi, ok := cutInts(span, ":")
		if !ok || lo < 0 || hi > total || lo >= hi {
			return nil, fmt.Errorf("-range %q: want lo:hi with 0 <= lo < hi <= %d", span, total)
		}
		var out []int
		for k := lo; k < hi; k++ {
			out = append(out, k)
		}
		return out, nil
	case shard != "":
		i, n, ok := cutInts(shard, "/")
		if !ok {
			return nil, fmt.Errorf("-shard %q: want i/n, e.g. 3/20", shard)
		}
		return study.Shard(i, n, total)
	}
	return nil, nil
}

func cutInts(s, sep string) (a, b int, ok bool) {
	x, y, found := strings.Cut(s, sep)
	if !found {
		return 0, 0, false
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(x))
	b, err2 := strconv.Atoi(strings.TrimSpace(y))
	return a, b, err1 == nil && err2 == nil
}

func statusCmd(args []string) error {
	var verbose *bool
	_, ss, err := parseSweeps("sweep status", args, func(fs *flag.FlagSet) {
		verbose = fs.Bool("v", false, "list every run that is not done, with why, and every run of another backend's numerics")
	})
	if err != nil {
		return err
	}
	var states []study.RunState
	var foreign []study.ForeignCount
	seen := map[string]bool{} // runs that two sweeps of a plan share (the same cache file) count once
	for _, s := range ss {
		st, err := s.Status()
		if err != nil {
			return err
		}
		var own []study.RunState
		for _, x := range st {
			if !seen[x.File] {
				seen[x.File] = true
				own = append(own, x)
			}
		}
		fc, err := s.ForeignNumerics(own)
		if err != nil {
			return err
		}
		foreign = study.MergeForeign(foreign, fc)
		states = append(states, own...)
	}
	count := map[study.State]int{}
	for _, st := range states {
		count[st.State]++
		if *verbose && (st.State != study.Done || st.Detail != "") {
			fmt.Printf("%5d %-13s %8.3f %6d  %-8s %s\n", st.Index, st.Key.Condition, st.Key.Fraction, st.Key.Seed, st.State, st.Detail)
		}
	}
	fmt.Printf("%d runs: %d done, %d missing, %d stale, %d failed\n", len(states), count[study.Done], count[study.Missing],
		count[study.Stale], count[study.Failed])
	for _, c := range foreign {
		fmt.Println("note:", c.Note("use sweep run -recompute"))
	}
	// A cache folder that does not exist is not an error (nothing has run yet), but a mistyped path reads the
	// same, so it is named.
	var absent []string
	for _, s := range ss {
		if _, err := os.Stat(s.CacheDir); errors.Is(err, fs.ErrNotExist) && !slices.Contains(absent, s.CacheDir) {
			absent = append(absent, s.CacheDir)
		}
	}
	if absent != nil {
		fmt.Printf("note: no cache folder %s yet: no run of it has been written there (check the path if runs were expected)\n",
			strings.Join(absent, ", "))
	}
	return nil
}

func summariseCmd(args []string) error {
	var partial *bool
	_, s, err := parseSweep("sweep summarise", args, func(fs *flag.FlagSet) {
		partial = fs.Bool("partial", false, "summarise the runs that are done even if others are not")
	})
	if err != nil {
		return err
	}
	done, notDone, err := s.Collect()
	if err != nil {
		return err
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(os.Stderr, "note:", w)
	}
	if len(notDone) > 0 && !*partial {
		return fmt.Errorf("%d of %d runs are not done (first: index %d, %s %v seed %d: %s); run them, or use -partial",
			len(notDone), len(done)+len(notDone), notDone[0].Index, notDone[0].Key.Condition, notDone[0].Key.Fraction,
			notDone[0].Key.Seed, notDone[0].State)
	}
	if len(done) == 0 {
		return fmt.Errorf("no run of this sweep is done in %s (%d planned): nothing to summarise", s.CacheDir, len(notDone))
	}
	printTables(done)
	return nil
}
