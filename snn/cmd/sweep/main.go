// Command sweep trains the network over a grid of Dale's-law conditions, inhibitory fractions and seeds,
// and prints test accuracy per point as mean and 95% confidence interval over seeds. Every run is cached
// in -cache as it finishes (one JSON file, written atomically), so an interrupted sweep resumes where it
// stopped, and the cache folder is the sweep's only state.
//
// All in one process:
//
//	go run ./snn/cmd/sweep -conditions both,input,hidden -fractions 0:1:0.1 -seeds 1,2,3 -cache out/sweep
//
// Or plan, run and collect, as a cluster's scheduler spreads the runs (each subcommand takes the same grid
// flags):
//
//	sweep plan      ...                 list the runs: index, key, cache file
//	sweep run       ... -shard 3/20     run shard 3 of 20 (or -index 7, or -range 0:10), skipping cached runs
//	sweep status    ...                 count done, missing, stale and failed runs
//	sweep summarise ...                 the tables, from the cache alone
//	sweep slurm     ... -o sweep.sbatch an sbatch script for a Slurm job array over the shards
//	sweep k8s       ... -o sweep.json   a Kubernetes Indexed Job manifest over the shards
//
// The tuned plans (study.TunedPlans) and the rate-network plan (ratenet.Plans) by name:
//
//	sweep tune -plan NAME|all [-test]   tune (and test) a tuned plan, print its comparisons
//	sweep rate -plan fmnist             tune and test the Fashion-MNIST rate networks, print their comparisons
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/cmd/internal/gcpace"
	"github.com/snn-dales/dales/snn/cmd/internal/notebookenv"
	"github.com/snn-dales/dales/snn/probe"
	"github.com/snn-dales/dales/snn/study"
)

func main() {
	fmt.Fprint(os.Stderr, notebookenv.Note("sweep", map[string]string{snn.QuickEnv: "-quick", study.RecomputeEnv: "-recompute",
		"SNN_OUT": "-results or -cache"}))
	err := gcpace.Set()
	if err == nil {
		err = dispatch(os.Args[1:])
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) { // -h: the usage was printed; asking for it is not an error
			return
		}
		if errors.As(err, new(usageError)) { // the flag package printed it, with the usage
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "sweep:", err)
		os.Exit(1)
	}
}

var commands = map[string]func(args []string) error{
	"plan": planCmd, "run": runCmd, "status": statusCmd, "summarise": summariseCmd, "slurm": slurmCmd, "k8s": k8sCmd,
	"tune": tuneCmd, "rate": rateCmd,
}

func dispatch(args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, ok := commands[args[0]]
		if !ok {
			return fmt.Errorf("unknown subcommand %q: want plan, run, status, summarise, slurm, k8s, tune or rate (or only flags, to run the whole grid)", args[0])
		}
		return cmd(args[1:])
	}
	return allCmd(args)
}

// context cancelled by Ctrl-C or SIGTERM (what Slurm's scancel and Kubernetes send first): the run in
// progress stops at its next training step and writes nothing, so the cache never holds a partial entry.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func allCmd(args []string) error {
	var cpuprofile *string
	_, ss, err := parseSweeps("sweep", args, func(fs *flag.FlagSet) {
		cpuprofile = fs.String("cpuprofile", "", "write a CPU profile of the sweep to this file")
	})
	if err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signalContext()
	defer stop()
	for _, s := range ss {
		s.OnRun = progress()
		results, err := s.Run(ctx)
		for _, w := range s.Warnings {
			fmt.Fprintln(os.Stderr, "warning:", w)
		}
		if err != nil {
			return err
		}
		printTables(results)
	}
	return nil
}

// progress returns a Sweep.OnRun that prints one line per run with the time left (study.OnRun).
func progress() func(done, total int, r study.RunResult, cached bool) {
	return study.OnRun(func(done, total int, r study.RunResult, cached bool, status string) {
		src := fmt.Sprintf("%.0f s", r.Seconds)
		if cached {
			src = "cached"
		}
		fmt.Fprintf(os.Stderr, "[%d/%d] %-13s fraction %.2f seed %d: test %.1f%% (%s); %s\n", done, total, r.Condition, r.Fraction,
			r.Seed, 100*r.TestAccuracy, src, status)
	})
}

// printTables prints the test accuracies and, for runs with the ablation metrics, those after each cut.
func printTables(results []study.RunResult) {
	printRows("test accuracy", study.Summarise(results))
	for _, c := range probe.Cuts {
		if rows := study.SummariseMetric(results, "ablate_"+string(c)); len(rows) > 0 {
			printRows("test accuracy after the "+string(c)+" cut", rows)
		}
	}
}

func printRows(title string, rows []study.SweepRow) {
	fmt.Printf("\n%s\n%-13s %8s %4s %8s %8s   %s\n", title, "condition", "fraction", "n", "mean %", "95% CI", "per seed")
	for _, r := range rows {
		per := make([]string, len(r.Accuracies))
		for i, a := range r.Accuracies {
			per[i] = fmt.Sprintf("%.1f", 100*a)
		}
		ci := "n/a"
		if !math.IsNaN(r.CI95) {
			ci = fmt.Sprintf("+-%.1f", 100*r.CI95)
		}
		fmt.Printf("%-13s %8.2f %4d %8.1f %8s   %s\n", r.Condition, r.Fraction, len(r.Accuracies), 100*r.Mean, ci, strings.Join(per, " "))
	}
}

// checkWorkers refuses a -workers value outside 0 (one run per core) to four runs per core: the runs are
// bound by arithmetic, so more than one per core trains none sooner, and each running run holds up to a
// few hundred MB.
func checkWorkers(n int) error {
	most := 4 * runtime.GOMAXPROCS(0)
	if n < 0 || n > most {
		return fmt.Errorf("-workers %d: want 0 (one per core) to %d (four per core on this machine's %d; a run is bound by arithmetic, so more "+
			"than one per core finishes none sooner)", n, most, runtime.GOMAXPROCS(0))
	}
	return nil
}

// usageError is a flag the command does not know or cannot parse: the flag package has printed it and the
// usage, and the command ends with exit status 2, as the other commands (flag.ExitOnError) do.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// parseFlags parses args with fs (flag.ContinueOnError), a parse error as a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	return nil
}

// parseFractions reads "0,0.2,0.5" or "start:stop:step" (inclusive, rounded to 1e-9): finite numbers, a
// range of at most maxFractions values, none that study.CheckFractions refuses.
func parseFractions(s string) ([]float64, error) {
	var out []float64
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		var v [3]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%q: %q is not a finite number", s, p)
			}
			v[i] = x
		}
		if v[2] <= 0 || v[1] < v[0] {
			return nil, fmt.Errorf("%q: want start:stop:step with step > 0 and stop >= start", s)
		}
		if v[2] < 1e-9 {
			return nil, fmt.Errorf("%q: step %g is below 1e-9, to which the fractions are rounded (want a step of at least 1e-9)", s, v[2])
		}
		if n := (v[1]-v[0])/v[2] + 1; n > maxFractions {
			return nil, fmt.Errorf("%q: %.0f fractions, want at most %d (a larger step)", s, math.Floor(n), maxFractions)
		}
		for k := 0; k <= maxFractions; k++ { // the step check above ends it sooner; the bound makes sure
			x := math.Round((v[0]+float64(k)*v[2])*1e9) / 1e9
			if x > v[1]+1e-9 {
				break
			}
			out = append(out, x)
		}
	} else {
		for _, p := range strings.Split(s, ",") {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%q is not a finite number (want inhibitory fractions in [0, 1], as a list 0,0.2,0.5 or a range "+
					"start:stop:step)", p)
			}
			out = append(out, x)
		}
	}
	for i, x := range out {
		if x < 0 || x > 1 {
			return nil, fmt.Errorf("%q: fraction %v is outside [0, 1]", s, x)
		}
		if x == 0 {
			out[i] = 0 // -0 is fraction 0 (its configuration key, cache files and table rows would differ)
		}
	}
	if err := study.CheckFractions(out); err != nil {
		return nil, fmt.Errorf("%q: %w", s, err)
	}
	return out, nil
}

// maxFractions bounds a start:stop:step range.
const maxFractions = 1001
