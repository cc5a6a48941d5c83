// Command sweep trains the network over a grid of inhibitory fractions, Dale's-law conditions and seeds,
// and prints test accuracy per point as mean and 95% confidence interval over seeds. Every run is cached
// in -cache as it finishes, so an interrupted sweep resumes where it stopped.
//
//	go run ./snn/cmd/sweep -conditions both,input,hidden -fractions 0:1:0.1 -seeds 1,2,3 -cache out/sweep
//	go run ./snn/cmd/sweep -conditions unconstrained -fractions 0.5 -seeds 1,2,3 -cache out/sweep
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sweep:", err)
		os.Exit(1)
	}
}

func run() error {
	def := snn.DefaultConfig()
	conds := flag.String("conditions", "both,input,hidden", "comma-separated: both, input, hidden, unconstrained "+
		"(sweep it at one fraction), sign parametrisations abs, relu, softplus, clip, or mask layouts blocked, random")
	fracs := flag.String("fractions", "0:1:0.1", "inhibitory fractions: a comma-separated list or start:stop:step")
	seeds := flag.String("seeds", "1,2,3", "comma-separated seeds")
	epochs := flag.Int("epochs", def.Epochs, "training epochs per run")
	layout := flag.String("layout", string(def.Layout), "Dale mask layout: blocked or random")
	cache := flag.String("cache", "out/sweep", "folder caching each run (resume); empty: no cache")
	workers := flag.Int("workers", 0, "runs trained at once (0: one per core)")
	ablation := flag.Bool("ablation", false, "also apply the notebook's cut and its controls to each trained run "+
		"(use a -cache folder of its own)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the sweep to this file")
	flag.Parse()
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

	available := map[string]study.Condition{}
	all := append(append(study.DaleConditions(), study.Unconstrained), study.SignConditions()...)
	for _, c := range append(all, study.LayoutConditions()...) {
		available[c.Name] = c
	}
	var cs []study.Condition
	for _, name := range strings.Split(*conds, ",") {
		c, ok := available[strings.TrimSpace(name)]
		if !ok {
			return fmt.Errorf("-conditions: %q is unknown: want both, input, hidden, unconstrained, abs, relu, softplus, clip, blocked or random", name)
		}
		cs = append(cs, c)
	}
	fs, err := parseFractions(*fracs)
	if err != nil {
		return fmt.Errorf("-fractions: %w", err)
	}
	var ss []uint64
	for _, f := range strings.Split(*seeds, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return fmt.Errorf("-seeds: %w", err)
		}
		ss = append(ss, v)
	}
	base := def
	base.Epochs, base.Layout = *epochs, snn.MaskLayout(*layout)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	s := &study.Sweep{Base: base, Conditions: cs, Fractions: fs, Seeds: ss, CacheDir: *cache, Workers: *workers,
		OnRun: func(done, total int, r study.RunResult, cached bool) {
			src := fmt.Sprintf("%.0f s", r.Seconds)
			if cached {
				src = "cached"
			}
			fmt.Fprintf(os.Stderr, "[%d/%d] %-13s fraction %.2f seed %d: test %.1f%% (%s)\n", done, total,
				r.Condition, r.Fraction, r.Seed, 100*r.TestAccuracy, src)
		}}
	if *ablation {
		s.Extra, s.ExtraMetrics = study.AblationMetrics, study.AblationMetricNames()
	}
	results, err := s.Run(ctx)
	for _, w := range s.Warnings {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	if err != nil {
		return err
	}
	printRows("test accuracy", study.Summarise(results))
	if *ablation {
		for _, c := range snn.Cuts {
			printRows("test accuracy after the "+string(c)+" cut", study.SummariseMetric(results, "ablate_"+string(c)))
		}
	}
	return nil
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

// parseFractions reads "0,0.2,0.5" or "start:stop:step" (inclusive, rounded to 1e-9).
func parseFractions(s string) ([]float64, error) {
	if parts := strings.Split(s, ":"); len(parts) == 3 {
		var v [3]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		if v[2] <= 0 || v[1] < v[0] {
			return nil, fmt.Errorf("%q: want start:stop:step with step > 0 and stop >= start", s)
		}
		var out []float64
		for k := 0; ; k++ {
			x := math.Round((v[0]+float64(k)*v[2])*1e9) / 1e9
			if x > v[1]+1e-9 {
				break
			}
			out = append(out, x)
		}
		return out, nil
	}
	var out []float64
	for _, p := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
