// Command benchstep times the Go implementation for bench/compare.sh: training steps (batch 64 at the
// notebook's sizes) and whole epochs of the seed protocol (64 steps plus the validation pass over 4096
// samples; after one untimed epoch), printed as JSON with the process's peak RSS, kernel set and numerics.
// It also reports the steps inside the timed epochs (epoch_step_ms: from the end of a step to the end of
// the next, the first step of each epoch left out, since its interval holds the validation pass before it).
//
//	go run ./snn/cmd/benchstep -threads 2 -steps 30 -epochs 2
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/cmd/internal/decimal"
	"github.com/snn-dales/dales/snn/cmd/internal/gcpace"
)

func main() {
	threads := decimal.Int(flag.CommandLine, "threads", runtime.GOMAXPROCS(0), "GOMAXPROCS (`cores` used; default: $GOMAXPROCS where set, else the cores Go sees)")
	steps := decimal.Int(flag.CommandLine, "steps", 30, "timed training `steps`")
	epochs := decimal.Int(flag.CommandLine, "epochs", 1, "timed `epochs`")
	flag.Parse()
	given := false // -threads on the command line; else its default came from GOMAXPROCS
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "threads" })
	err := snn.CheckRuntimeEnv()
	if err == nil {
		err = check(*threads, given, *steps, *epochs, flag.Args())
	}
	if err == nil {
		runtime.GOMAXPROCS(*threads)
		if err = gcpace.Set(); err == nil {
			err = run(*threads, *steps, *epochs)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchstep:", err)
		os.Exit(1)
	}
}

// check refuses flag values the benchmark cannot use, before any work; threadsGiven says whether -threads
// was on the command line (else its value is GOMAXPROCS', which the message then names).
func check(threads int, threadsGiven bool, steps, epochs int, extra []string) error {
	switch {
	case len(extra) > 0:
		return fmt.Errorf("unexpected argument %q after the flags", extra[0])
	case (threads < 1 || threads > 4096) && !threadsGiven:
		return fmt.Errorf("GOMAXPROCS=%s (the default of -threads): want 1 to 4096 cores", os.Getenv("GOMAXPROCS"))
	case threads < 1 || threads > 4096:
		return fmt.Errorf("-threads %d: want 1 to 4096 cores", threads)
	case steps < 1 || steps > snn.DefaultConfig().TrainBatches-1:
		return fmt.Errorf("-steps %d: want 1 to %d timed steps (one batch of the training set each, after an untimed first)", steps, snn.DefaultConfig().TrainBatches-1)
	case epochs < 0 || epochs > 1000:
		return fmt.Errorf("-epochs %d: want 0 to 1000 timed epochs", epochs)
	}
	return nil
}

func run(threads, steps, epochs int) error {
	cfg := snn.DefaultConfig()
	backend, err := snn.NewBackend() // refused before the data are drawn
	if err != nil {
		return err
	}
	train, val, _, err := snn.GenerateData(cfg)
	if err != nil {
		return err
	}
	m, err := snn.NewModel(cfg)
	if err != nil {
		return err
	}
	// Steps: one Train call over steps+1 batches; the first step (graph compilation) is not counted.
	c := cfg
	c.Epochs, c.TrainBatches = 1, steps+1
	stepData := train.Subset(seq((steps + 1) * cfg.BatchSize))
	var stepMS []float64
	var firstS float64 // building and compiling the graphs plus the first step
	start := time.Now()
	last := start
	_, err = snn.Train(context.Background(), &snn.Model{Config: c, W1: m.W1, W2: m.W2, Mask1: m.Mask1, Mask2: m.Mask2,
		InitW1: m.InitW1, InitW2: m.InitW2}, stepData, val.Subset(seq(cfg.BatchSize)), snn.TrainOptions{Backend: backend,
		OnStep: func(s snn.StepInfo) {
			now := time.Now()
			if s.Step > 1 {
				stepMS = append(stepMS, float64(now.Sub(last).Microseconds())/1000)
			} else {
				firstS = now.Sub(start).Seconds()
			}
			last = now
		}})
	if err != nil {
		return err
	}
	// Epochs: one Train call of epochs+1 epochs on the protocol's data, timed from the end of one epoch's
	// validation pass to the end of the next. The first epoch is not timed (like the PyTorch script's
	// warm-up step): it also builds and compiles the graphs and lists the datasets' spikes, once per run.
	epochS, epochStepMS := []float64{}, []float64{} // [] in the JSON, not null, when -epochs 0
	c = cfg
	c.Epochs = epochs + 1
	m.Config = c
	last = time.Now()
	lastStep := last
	if _, err := snn.Train(context.Background(), m, train, val, snn.TrainOptions{Backend: backend,
		OnStep: func(s snn.StepInfo) {
			now := time.Now()
			if s.Epoch > 1 && s.Step > 1 {
				epochStepMS = append(epochStepMS, float64(now.Sub(lastStep).Microseconds())/1000)
			}
			lastStep = now
		},
		OnEpoch: func(e snn.EpochInfo) {
			now := time.Now()
			if e.Epoch > 1 {
				epochS = append(epochS, now.Sub(last).Seconds())
			}
			last = now
		}}); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"impl": "go", "threads": threads, "step_ms": stepMS,
		"epoch_s": epochS, "epoch_step_ms": epochStepMS, "first_step_s": firstS, "peak_rss_mb": peakRSSMB(), "kernels": snn.KernelPath(),
		"numerics": snn.NumericsVersion(snn.FormulationGoKernels)})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// peakRSSMB reads the process's peak resident set size (VmHWM) from /proc.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}
