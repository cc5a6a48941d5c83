package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/cmd/internal/decimal"
	"github.com/snn-dales/dales/snn/study"
)

// tuneCmd runs (or reads from the cache) the tuning runs of a tuned plan (study.TunedPlans), or of every
// one with -plan all, and prints each condition's tuning curve and selected learning rate; with -test it
// then runs the test seeds at the selected rates and prints the plan's outcome (its comparisons).
func tuneCmd(args []string) error {
	fs := flag.NewFlagSet("sweep tune", flag.ContinueOnError)
	var names []string
	for _, p := range study.TunedPlans() {
		names = append(names, p.Name)
	}
	plan := fs.String("plan", "", "the tuned plan: "+strings.Join(names, ", ")+", or all")
	results := fs.String("results", defaultResults, "the folder holding the plan's cache")
	workers := decimal.Int(fs, "workers", 0, "`runs` trained at once (0: one per core)")
	test := fs.Bool("test", false, "then run the test seeds at the selected learning rates and print the plan's comparisons")
	recompute := fs.Bool("recompute", false, "retrain cached runs that another backend or build computed")
	mix := fs.Bool("mix-numerics", false, mixUsage)
	copyRuns := fs.Bool("copy", true, "copy a run that another plan's cache in -results already holds (same configuration, "+
		"fraction, seed and numerics) instead of training it again; -copy=false trains every run")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q after the flags", fs.Arg(0))
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	var plans []study.TunedPlan
	for _, q := range study.TunedPlans() {
		if q.Name == *plan || *plan == "all" {
			plans = append(plans, q)
		}
	}
	if len(plans) == 0 {
		return fmt.Errorf("-plan %q: want one of %s, or all", *plan, strings.Join(names, ", "))
	}
	for _, p := range plans {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	if err := checkDefaultResults(given(fs, "results"), *results); err != nil {
		return err
	}
	if err := notAFolder("-results", *results); err != nil {
		return err
	}
	// The backend and the folder are checked before the first plan, not when its first run is written.
	backend, err := snn.NewBackend()
	if err != nil {
		return err
	}
	if err := snn.CheckWritableDir(*results); err != nil {
		return fmt.Errorf("-results: %w", err)
	}
	ctx, stop := signalContext()
	defer stop()
	for _, p := range plans {
		opts := study.RunOptions{Workers: *workers, Recompute: *recompute, Unmixed: !*mix, NoCopy: !*copyRuns,
			Backend: backend}
		if err := tunePlan(ctx, p, *results, *test, opts); err != nil {
			return err
		}
	}
	return nil
}

// tunePlan tunes one plan (and with test, tests it and prints its outcome).
func tunePlan(ctx context.Context, p study.TunedPlan, results string, test bool, opts study.RunOptions) error {
	fmt.Printf("plan %s\n", p.Name)
	opts.OnRun = tuneProgress()
	tuned, notes, err := p.Tune(ctx, results, opts)
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	if err != nil {
		return err
	}
	fmt.Print(study.TuningTable(tuned))
	if !test {
		return nil
	}
	// p.Run passes the tuning runs again (of this plan and of those it reuses) before the test runs: they are
	// shown by their validation accuracy too, and the test runs' accuracies by the outcome's table.
	opts.OnRun = tuneProgress()
	all, res, notes, err := p.Run(ctx, results, opts)
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	if err != nil {
		return err
	}
	o, err := p.Outcome(all, res)
	if err != nil {
		return err
	}
	fmt.Print(o.Table(), "\n", o.Text())
	return nil
}

// tuneProgress reports a tuning run by its validation accuracy, the number the selection reads (the test
// accuracy of tuning runs is never shown: the test seeds decide, not these).
func tuneProgress() func(done, total int, r study.RunResult, cached bool) {
	return study.OnRun(func(done, total int, r study.RunResult, cached bool, status string) {
		src := fmt.Sprintf("%.0f s", r.Seconds)
		if cached {
			src = "cached"
		}
		val := "diverged"
		if v, err := study.KeptValAccuracy(r); err == nil && !r.Diverged {
			val = fmt.Sprintf("validation %.1f%%", 100*v)
		}
		fmt.Fprintf(os.Stderr, "[%d/%d] %-28s seed %d: %s (%s); %s\n", done, total, r.Condition, r.Seed, val, src, status)
	})
}
