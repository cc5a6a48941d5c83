package snn_test

import (
	"context"
	"fmt"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
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

// Saving and loading a model; a damaged file is rejected with a reason.
func ExampleLoadCheckpoint() {
	_, err := snn.LoadCheckpoint("no/such/model.ckpt")
	fmt.Println(err)
	// Output: snn: load checkpoint "no/such/model.ckpt": open no/such/model.ckpt: no such file or directory
}

// The notebook's blocked mask at fraction 0.5 confounds the sign of an input fibre with its ear.
func ExampleAssignmentReport() {
	m, _ := snn.NewModel(snn.DefaultConfig())
	fmt.Print(probe.AssignmentReport(m))
	// Output:
	// class        left right   phase-delay quarters (Q1..Q4)
	// inhibitory    100     0   25 25 25 25
	// excitatory      0   100   25 25 25 25
	// warning: all 100 inhibitory input fibres come from the left ear: sign and ear are confounded (use MaskRandom to separate them)
	// warning: all 100 excitatory input fibres come from the right ear: sign and ear are confounded (use MaskRandom to separate them)
}
