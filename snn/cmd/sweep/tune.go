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
	tuned, notes, err := p.Tune(ctx, *results, *workers, progress)
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
	return nil
}
