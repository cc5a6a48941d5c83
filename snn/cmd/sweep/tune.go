package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/snn-dales/dales/snn/study"
)

// tuneCmd runs (or reads from the cache) the tuning runs of a tuned plan (study.TunedPlans) and prints
// each condition's tuning curve and selected learning rate.
func tuneCmd(args []string) error {
	fs := flag.NewFlagSet("sweep tune", flag.ContinueOnError)
	var names []string
	for _, p := range study.TunedPlans() {
		names = append(names, p.Name)
	}
	plan := fs.String("plan", "", "the tuned plan: "+strings.Join(names, ", "))
	results := fs.String("results", defaultResults, "the folder holding the plan's cache")
	workers := fs.Int("workers", 0, "runs trained at once (0: one per core)")
	test := fs.Bool("test", false, "then run the test seeds at the selected learning rates")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q after the flags", fs.Arg(0))
	}
	var p *study.TunedPlan
	for _, q := range study.TunedPlans() {
		if q.Name == *plan {
			p = &q
		}
	}
	if p == nil {
		return fmt.Errorf("-plan %q: want one of %s", *plan, strings.Join(names, ", "))
	}
	ctx, stop := signalContext()
	defer stop()
	tuned, notes, err := p.Tune(ctx, *results, *workers, tuneProgress)
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	if err != nil {
		return err
	}
	fmt.Printf("%-20s %10s  %s\n", "condition", "selected", "mean validation accuracy % per learning rate")
	for _, t := range tuned {
		var pts []string
		for _, c := range t.Curve {
			pts = append(pts, fmt.Sprintf("%g: %.1f", c.LearningRate, 100*c.Mean))
		}
		fmt.Printf("%-20s %10g  %s\n", t.Condition, t.Selected, strings.Join(pts, ", "))
	}
	if !*test {
		return nil
	}
	res, notes, err := p.Test(ctx, *results, tuned, *workers, progress)
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	if err != nil {
		return err
	}
	printTables(res)
	return nil
}

// tuneProgress reports a tuning run by its validation accuracy, the number the selection reads (the test
// accuracy of tuning runs is never shown: the test seeds decide, not these).
func tuneProgress(done, total int, r study.RunResult, cached bool) {
	src := fmt.Sprintf("%.0f s", r.Seconds)
	if cached {
		src = "cached"
	}
	val := "diverged"
	if v, err := study.KeptValAccuracy(r); err == nil && !r.Diverged {
		val = fmt.Sprintf("validation %.1f%%", 100*v)
	}
	fmt.Fprintf(os.Stderr, "[%d/%d] %-28s seed %d: %s (%s)\n", done, total, r.Condition, r.Seed, val, src)
}
