package snn_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/snn-dales/dales/snn"
)

// A minimal train-and-evaluate run: the notebook's network and stimulus with a smaller data set and
// 5 epochs (a few seconds on the pure-Go backend).
func Example() {
	cfg := snn.DefaultConfig() // inhibitory fraction 0.5, blocked mask, as the notebook
	cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches, cfg.Epochs = 16, 4, 8, 5
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(snn.ChanceReport(cfg.NumClasses))
	fmt.Println("epochs trained:", len(x.Trained.History.TrainLoss))
	fmt.Println("well above chance:", x.TestEval.Accuracy > 3*1.0/12)
	// Output:
	// Chance accuracy level: 8.3%
	// epochs trained: 5
	// well above chance: true
}

// Dale's law masks: the notebook's blocked layout puts the inhibitory units first.
func ExampleNewMask() {
	m, _ := snn.NewMask(10, 0.2, snn.MaskBlocked, nil)
	fmt.Println(m.Signs, m.Inhibitory())
	// Output: [-1 -1 1 1 1 1 1 1 1 1] [0 1]
}

// Saving and loading a model; a damaged file is rejected with a reason that errors.Is can test.
func ExampleLoadCheckpoint() {
	dir, err := os.MkdirTemp("", "ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	m, err := snn.NewModel(snn.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(dir, "model.ckpt")
	if err := snn.SaveCheckpoint(path, m); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := snn.LoadCheckpoint(path)
	fmt.Println("loaded:", err == nil && loaded.W1.Data[0] == m.W1.Data[0])
	data, _ := os.ReadFile(path)
	data[len(data)/2] ^= 0xff // one damaged byte
	os.WriteFile(path, data, 0o644)
	_, err = snn.LoadCheckpoint(path)
	fmt.Println("damaged file refused:", errors.Is(err, snn.ErrCheckpointCorrupt))
	// Output:
	// loaded: true
	// damaged file refused: true
}
