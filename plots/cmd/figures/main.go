// Command figures writes every figure of a trained model to a folder, as SVG and PNG.
//
//	go run ./plots/cmd/figures -ckpt out/checkpoints/seed1_frac0.5.ckpt -out out/figures
//	go run ./plots/cmd/figures -dir notebooks/out -fraction 0.2 -out notebooks/figures
//
// The second form takes the model that dales_law.ipynb saved for the notebook's configuration at an
// inhibitory fraction (snn.CheckpointName of the default configuration at that fraction).
//
// It loads the checkpoint, regenerates the model's data from its seed, evaluates it, applies the
// notebook's ablation and its controls, and renders the figures, printing the time each took.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/snn-dales/dales/plots"
	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

func main() {
	ckpt, out, want, err := parseFlags(os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp): // -h: the flag set printed the usage
		return
	case errors.As(err, new(flagError)): // the flag set printed the error and the usage
		os.Exit(2)
	case err == nil:
		if err = snn.CheckRuntimeEnv(); err == nil { // GOMAXPROCS or GOGC the runtime would ignore in silence
			err = run(ckpt, out, want)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "figures:", err)
		os.Exit(1)
	}
}

// flagError is an error the flag set has already printed, with the usage.
type flagError struct{ error }

// parseFlags reads the command line: the checkpoint (-ckpt, or the notebook's model in -dir at -fraction,
// with the configuration that file must hold), the output folder, or an error naming the bad flag.
func parseFlags(args []string) (ckpt, out string, want *snn.Config, err error) {
	fs := flag.NewFlagSet("figures", flag.ContinueOnError)
	ckptF := fs.String("ckpt", "", "checkpoint written by snn.SaveCheckpoint")
	dir := fs.String("dir", "", "instead of -ckpt: the folder where dales_law.ipynb saves its models")
	fraction := fs.Float64("fraction", 0.2, "with -dir: the inhibitory fraction of the notebook's model")
	outF := fs.String("out", "figures", "output folder")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", "", nil, err
		}
		return "", "", nil, flagError{err}
	}
	ckpt, out = *ckptF, *outF
	if fs.NArg() > 0 {
		return "", "", nil, fmt.Errorf("unexpected argument %q after the flags", fs.Arg(0))
	}
	if ckpt != "" && *dir != "" {
		return "", "", nil, fmt.Errorf("give -ckpt or -dir, not both")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, f := range []struct {
		name, value, what string
	}{{"ckpt", ckpt, "a checkpoint file"}, {"dir", *dir, "the folder of the notebook's models"}, {"out", out, "the folder for the figures"}} {
		if given[f.name] && strings.TrimSpace(f.value) == "" {
			return "", "", nil, fmt.Errorf("-%s %q: want %s", f.name, f.value, f.what)
		}
	}
	if ckpt != "" && given["fraction"] {
		return "", "", nil, fmt.Errorf("-fraction: only with -dir (the inhibitory fraction of -ckpt's model is in the file)")
	}
	if ckpt == "" && *dir == "" {
		return "", "", nil, fmt.Errorf("give -ckpt, or -dir and -fraction")
	}
	if ckpt == "" {
		cfg := snn.DefaultConfig()
		cfg.InhibitoryFraction = *fraction
		if cfg.InhibitoryFraction == 0 {
			cfg.InhibitoryFraction = 0 // -0 names the model of fraction 0
		}
		if err := cfg.Validate(); err != nil {
			return "", "", nil, fmt.Errorf("-fraction: %w", err)
		}
		ckpt, want = filepath.Join(*dir, snn.CheckpointName(cfg)), &cfg
	}
	return ckpt, out, want, nil
}

func run(ckpt, out string, want *snn.Config) error {
	if ckpt == "" {
		return fmt.Errorf("give -ckpt, or -dir and -fraction")
	}
	m, err := snn.LoadCheckpoint(ckpt)
	if err != nil {
		return err
	}
	if want != nil && snn.ConfigKey(m.Config) != snn.ConfigKey(*want) {
		return fmt.Errorf("%s holds a model of another configuration (inhibitory fraction %v, key %s) than the notebook's at fraction %v (key %s)",
			ckpt, m.Config.InhibitoryFraction, snn.ConfigKey(m.Config), want.InhibitoryFraction, snn.ConfigKey(*want))
	}
	// A model whose input rows cannot be cut as the notebook does (no inhibitory input rows, as in an
	// E/I-population network, or too few excitatory rows for the controls) gets every other figure, and
	// says why the ablation's are left out, before any work. The backend is checked before -out is made.
	cutErr := probe.CheckCuts(m.Config, probe.Cuts, m.Config.Seed)
	if cutErr != nil {
		fmt.Printf("note: %s: no ablation figures: %v\n", ckpt, cutErr)
	}
	backend, err := snn.NewBackend()
	if err != nil {
		return err
	}
	if err := snn.CheckWritableDir(out); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	x, err := snn.ExperimentFromModel(m, backend)
	if err != nil {
		return err
	}
	var abl []probe.AblationResult
	if cutErr == nil {
		if abl, err = probe.Ablate(x, probe.Cuts, backend); err != nil {
			return err
		}
	}
	figs, err := plots.ExperimentFigures(x, abl)
	if err != nil {
		return err
	}
	if err := plots.CheckTargets(out, figs); err != nil { // before the first is written
		return err
	}
	start := time.Now()
	for _, f := range figs {
		t0 := time.Now()
		paths, err := plots.WriteAll(out, []plots.Named{f})
		if err != nil {
			return err
		}
		fmt.Printf("%-24s %6.0f ms  %v\n", f.Name, float64(time.Since(t0).Microseconds())/1000, paths)
	}
	fmt.Printf("%d figures (SVG + PNG) in %s\n", len(figs), time.Since(start).Round(time.Millisecond))
	fmt.Println(probe.SignImage(m).Caption(m.Config.DalesLaw))
	return nil
}
