// Command figures writes every figure of a trained model to a folder, as SVG and PNG.
//
//	go run ./plots/cmd/figures -ckpt out/checkpoints/seed1_frac0.5.ckpt -out out/figures
//
// It loads the checkpoint, regenerates the model's data from its seed, evaluates it, applies the
// notebook's ablation and its controls, and renders the figures, printing the time each took.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/snn-dales/dales/plots"
	"github.com/snn-dales/dales/snn"
)

func main() {
	ckpt := flag.String("ckpt", "", "checkpoint written by snn.SaveCheckpoint (required)")
	out := flag.String("out", "figures", "output folder")
	flag.Parse()
	if err := run(*ckpt, *out); err != nil {
		fmt.Fprintln(os.Stderr, "figures:", err)
		os.Exit(1)
	}
}

func run(ckpt, out string) error {
	if ckpt == "" {
		return fmt.Errorf("-ckpt is required")
	}
	m, err := snn.LoadCheckpoint(ckpt)
	if err != nil {
		return err
	}
	x, err := snn.ExperimentFromModel(m, nil)
	if err != nil {
		return err
	}
	abl, err := x.Ablate(snn.Cuts, nil)
	if err != nil {
		return err
	}
	figs, err := plots.ExperimentFigures(x, abl)
	if err != nil {
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
	fmt.Println(snn.SignImage(m).Caption(m.Config.DalesLaw))
	return nil
}
