// Command dales runs the notebook's whole protocol without Jupyter: for each inhibitory fraction (0.5 then
// 0.2 by default) it trains the network for the notebook's 50 epochs, prints the notebook's report lines,
// and after the last fraction ablates the inhibitory input rows with matched controls (left out, with a
// note, for a network without Dale's law on the input layer: -no-dale, -dale-layers hidden). With several
// seeds it ends with a summary (mean and standard deviation over seeds).
//
// Usage:
//
//	go run ./snn/cmd/dales                         # the notebook, seed 1
//	go run ./snn/cmd/dales -seeds 1,2,3 -out runs  # three seeds, checkpoints in runs/
//	go run ./snn/cmd/dales -epochs 5 -layout random
//
// The backend is GoMLX's pure-Go one unless $GOMLX_BACKEND says otherwise (see package snn).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/cmd/internal/decimal"
	"github.com/snn-dales/dales/snn/cmd/internal/gcpace"
	"github.com/snn-dales/dales/snn/cmd/internal/notebookenv"
	"github.com/snn-dales/dales/snn/probe"
	"github.com/snn-dales/dales/snn/study"
)

func main() {
	fmt.Fprint(os.Stderr, notebookenv.Note("dales", map[string]string{"SNN_OUT": "-out", snn.QuickEnv: "-epochs for fewer epochs"}))
	err := gcpace.Set()
	if err == nil {
		err = run()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dales:", err)
		os.Exit(1)
	}
}

func run() error {
	def := snn.DefaultConfig()
	seeds := flag.String("seeds", "1", "comma-separated seeds, one full protocol per seed")
	fractions := flag.String("fractions", "0.5,0.2", "comma-separated inhibitory fractions (the notebook's IE_RATIO), in order")
	epochs := decimal.Int(flag.CommandLine, "epochs", def.Epochs, "training `epochs` per fraction")
	layout := flag.String("layout", string(def.Layout), "Dale mask layout: blocked (the notebook) or random")
	phase := flag.String("phase", string(def.Phase), "stimulus phase offset: per-dataset (the notebook) or per-sample")
	layers := flag.String("dale-layers", string(def.DaleLayers), "layers Dale's law constrains: both (the notebook), input or hidden")
	noDale := flag.Bool("no-dale", false, "train without Dale's law (unconstrained weights)")
	signParam := flag.String("sign-param", string(def.SignParam), "sign parametrisation or update rule (abs: the notebook's): "+signParams())
	out := flag.String("out", "", "folder for checkpoints (<out>/seed<S>_frac<F>.ckpt); empty: none")
	quiet := flag.Bool("quiet", false, "no per-epoch progress on stderr")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q after the flags", flag.Arg(0))
	}

	seedList, err := parseList(*seeds, func(s string) (uint64, error) {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a seed (a non-negative integer)", s)
		}
		return v, nil
	})
	if err != nil {
		return fmt.Errorf("-seeds: %w", err)
	}
	fracList, err := parseList(*fractions, func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number (want inhibitory fractions in [0, 1])", s)
		}
		if v == 0 {
			v = 0 // -0 is fraction 0 (its configuration key and file names would differ)
		}
		return v, nil
	})
	if err != nil {
		return fmt.Errorf("-fractions: %w", err)
	}
	if err := study.CheckFractions(fracList); err != nil {
		return fmt.Errorf("-fractions: %w", err)
	}
	// Without Dale's law no weight is sign-constrained: the mask's layout, its layers, the sign rule and the
	// inhibitory fraction change nothing. A flag that sets one of them contradicts -no-dale; the default
	// fractions (0.5, 0.2) would repeat one run, so it runs once and says so.
	if *noDale {
		given := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
		for _, name := range []string{"dale-layers", "sign-param", "layout"} {
			if given[name] {
				return fmt.Errorf("-no-dale and -%s: without Dale's law no weight is sign-constrained, so -%s changes nothing; give one or the other",
					name, name)
			}
		}
		if len(fracList) > 1 {
			if given["fractions"] {
				return fmt.Errorf("-no-dale with -fractions %s: without Dale's law the inhibitory fraction changes nothing, so these "+
					"would be one run repeated; give one fraction", *fractions)
			}
			last := fracList[len(fracList)-1] // the notebook's last fraction, the one figures -dir reads by default
			fmt.Fprintf(os.Stderr, "note: -no-dale: the inhibitory fraction changes nothing without Dale's law, so the protocol runs "+
				"once, at fraction %g (the default fractions %s would repeat that run)\n", last, *fractions)
			fracList = []float64{last}
		}
	}
	// Every configuration, and the ablation at the last fraction, is checked before anything trains or
	// any folder is made.
	config := func(seed uint64, f float64) snn.Config {
		cfg := def
		cfg.Seed, cfg.InhibitoryFraction, cfg.Epochs = seed, f, *epochs
		cfg.Layout, cfg.Phase = snn.MaskLayout(*layout), snn.PhaseMode(*phase)
		cfg.DaleLayers, cfg.DalesLaw, cfg.SignParam = snn.DaleLayers(*layers), !*noDale, snn.SignParam(*signParam)
		return cfg
	}
	lastFrac := fracList[len(fracList)-1]
	// Without Dale's law on the input layer (-no-dale, -dale-layers hidden) there are no inhibitory input
	// rows to cut: the protocol runs without its ablation, and says so before it starts.
	ablate := config(seedList[0], lastFrac).DaleOnInput()
	for _, seed := range seedList {
		for _, f := range fracList {
			if err := config(seed, f).Validate(); err != nil {
				return fmt.Errorf("seed %d, fraction %v: %w", seed, f, err)
			}
		}
		if !ablate {
			continue
		}
		if err := probe.CheckCuts(config(seed, lastFrac), probe.Cuts, seed); err != nil {
			return fmt.Errorf("-fractions: the last fraction is ablated: %w", err)
		}
	}
	if *out != "" && strings.TrimSpace(*out) == "" {
		return fmt.Errorf("-out %q: want a folder for the checkpoints, or leave -out out to keep none", *out)
	}
	backend, err := snn.NewBackend() // before -out is made
	if err != nil {
		return err
	}
	ckpt := func(seed uint64, f float64) string {
		return filepath.Join(*out, fmt.Sprintf("seed%d_frac%g.ckpt", seed, f))
	}
	if *out != "" {
		if err := snn.CheckWritableDir(*out); err != nil {
			return fmt.Errorf("-out: %w", err)
		}
		for _, seed := range seedList { // a checkpoint's name taken by a folder would fail only after training
			for _, f := range fracList {
				if fi, err := os.Stat(ckpt(seed, f)); err == nil && fi.IsDir() {
					return fmt.Errorf("-out %s: %s is a folder, where the checkpoint of seed %d at fraction %g goes", *out,
						ckpt(seed, f), seed, f)
				}
			}
		}
	}
	if !ablate {
		why := "-no-dale"
		if !*noDale {
			why = "-dale-layers " + *layers
		}
		fmt.Printf("note: %s: the input layer has no inhibitory rows, so the protocol's ablation of them is left out\n", why)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	testAcc := map[float64][]float64{}
	ablAcc := map[probe.Cut][]float64{}
	for _, seed := range seedList {
		for _, f := range fracList {
			cfg := config(seed, f)
			fmt.Printf("=== seed %d, inhibitory fraction (IE_RATIO) %.2f, %d epochs, backend %s ===\n", seed, f, cfg.Epochs, backend.Name())
			start := time.Now()
			x, err := snn.RunExperiment(ctx, cfg, snn.TrainOptions{Backend: backend, OnEpoch: func(e snn.EpochInfo) {
				if !*quiet {
					fmt.Fprintf(os.Stderr, "  epoch %2d/%d  train loss %.4f  val loss %.4f  %s\n",
						e.Epoch, e.Epochs, e.TrainLoss, e.ValLoss, e.Elapsed.Round(time.Second))
				}
			}})
			if err != nil {
				return err
			}
			fmt.Printf("trained in %s (%.2f s/epoch)\n\n", time.Since(start).Round(time.Second),
				time.Since(start).Seconds()/float64(len(x.Trained.History.TrainLoss)))
			fmt.Println(x.Report())
			testAcc[f] = append(testAcc[f], x.TestEval.Accuracy)
			if *out != "" {
				p := ckpt(seed, f)
				if err := snn.SaveCheckpoint(p, x.Trained); err != nil {
					return err
				}
				fmt.Println("checkpoint:", p)
			}
			if f == lastFrac && ablate {
				res, err := probe.Ablate(x, probe.Cuts, backend)
				if err != nil {
					return err
				}
				fmt.Printf("Ablation of input rows at fraction %.2f (zeroed on a copy of the trained weights):\n", f)
				fmt.Println(probe.AblationTable(x, res))
				for _, r := range res {
					ablAcc[r.Cut] = append(ablAcc[r.Cut], r.TestEval.Accuracy)
				}
			}
		}
	}
	fmt.Printf("=== summary over %d seed(s): test accuracy, mean +- sd ===\n", len(seedList))
	for _, f := range fracList {
		fmt.Printf("fraction %.2f: %s\n", f, meanSD(testAcc[f]))
	}
	for _, c := range probe.Cuts {
		if ablate {
			fmt.Printf("ablation %-10s at %.2f: %s\n", c, lastFrac, meanSD(ablAcc[c]))
		}
	}
	return nil
}

// maxListed bounds -seeds and -fractions: each value is one or more runs of 50 epochs, so ten thousand is
// far beyond any sweep this command is for (sweep plans larger grids).
const maxListed = 10_000

func parseList[T any](s string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, f := range strings.Split(s, ",") {
		v, err := parse(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty list %q", s)
	}
	if len(out) > maxListed {
		return nil, fmt.Errorf("%d values in the list, want at most %d (each value is a training run per fraction and seed)", len(out), maxListed)
	}
	seen := make(map[string]bool, len(out))
	for _, v := range out {
		key := fmt.Sprint(v)
		if seen[key] {
			in := fmt.Sprintf(" in %q", s)
			if len(s) > 60 { // a long list is not repeated back
				in = fmt.Sprintf(" in the list of %d", len(out))
			}
			return nil, fmt.Errorf("%v is listed twice%s: each value once (a repeated seed or fraction would be counted twice)", v, in)
		}
		seen[key] = true
	}
	return out, nil
}

func meanSD(v []float64) string {
	if len(v) == 0 {
		return "n/a"
	}
	mean, sd := study.MeanSD(v)
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.1f%%", 100*x)
	}
	return fmt.Sprintf("%.1f%% +- %.1f (per seed: %s)", 100*mean, 100*sd, strings.Join(parts, ", "))
}

// signParams lists the sign rules snn knows, for the help text.
func signParams() string {
	var names []string
	for _, p := range snn.SignParams() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}
