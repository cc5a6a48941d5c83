package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/cmd/internal/decimal"
	"github.com/snn-dales/dales/snn/ratenet"
	"github.com/snn-dales/dales/snn/study"
)

// rateCmd runs (or reads from the cache) a rate-network plan (ratenet.Plans: Fashion-MNIST, MLP,
// ColumnEI and DANN) and prints its outcome.
func rateCmd(args []string) error {
	fs := flag.NewFlagSet("sweep rate", flag.ContinueOnError)
	plan := fs.String("plan", "fmnist", "the rate-network plan")
	results := fs.String("results", defaultResults, "the folder holding the plan's cache")
	workers := decimal.Int(fs, "workers", 0, "`runs` trained at once (0: one per core)")
	recompute := fs.Bool("recompute", false, "train again the cached runs that another backend or GoMLX vector path computed (by default they are used, with a note)")
	mix := fs.Bool("mix-numerics", false, mixUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q after the flags", fs.Arg(0))
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	p, err := ratenet.PlanByName(*plan)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkDefaultResults(given(fs, "results"), *results); err != nil {
		return err
	}
	if err := notAFolder("-results", *results); err != nil {
		return err
	}
	backend, err := snn.NewBackend() // before the plan's folder is made
	if err != nil {
		return err
	}
	if err := snn.CheckWritableDir(*results); err != nil {
		return fmt.Errorf("-results: %w", err)
	}
	ctx, stop := signalContext()
	defer stop()
	tuned, notes, err := p.Run(ctx, ratenet.RunOptions{Results: *results, Workers: *workers, Backend: backend, Recompute: *recompute,
		Unmixed: !*mix, OnRun: func(r ratenet.Result, cached bool) {
			src := fmt.Sprintf("%.0f s", r.Seconds)
			if cached {
				src = "cached"
			}
			val := "diverged"
			if !r.Diverged {
				val = fmt.Sprintf("final validation %.1f%%", 100*r.ValAccuracy[len(r.ValAccuracy)-1])
			}
			fmt.Fprintf(os.Stderr, "%-9s lr %-9g seed %-4d %s (%s)\n", r.Config.Kind, r.Config.LearningRate, r.Config.Seed, val, src)
		}})
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	o, err := study.JudgeRate(p, tuned)
	if err != nil {
		return err
	}
	fmt.Print(o.Table(), "\n", o.Text())
	return nil
}
