package snn

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// TestRebuildExperiment checks that RebuildExperiment of a checkpoint gives back the Experiment that
// RunExperiment returned when it trained the model: the same initial model (every array, the populations'
// and shunting parameters' included), data and scores; and that a model whose initial weights are not
// those its configuration draws is refused with an error that says so.
func TestRebuildExperiment(t *testing.T) {
	pop := tinyConfig()
	pop.Architecture = ArchPopulations
	shunt := pop
	shunt.Inhibition = InhibitionShunting
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"columnei", tinyConfig()}, {"populations", pop}, {"shunting", shunt}} {
		t.Run(c.name, func(t *testing.T) {
			backend := gobackend.GetBackend()
			x, err := RunExperiment(context.Background(), c.cfg, TrainOptions{Backend: backend})
			if err != nil {
				t.Fatal(err)
			}
			data, err := encodeCheckpoint(x.Trained)
			if err != nil {
				t.Fatal(err)
			}
			loaded, err := decodeCheckpoint(data)
			if err != nil {
				t.Fatal(err)
			}
			cache := NewDataCache(1)
			r, err := RebuildExperiment(loaded, backend, cache)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Initial, x.Initial) {
				t.Errorf("the rebuilt initial model differs from the one training started from")
			}
			if !reflect.DeepEqual(r.TrainEval, x.TrainEval) || !reflect.DeepEqual(r.TestEval, x.TestEval) {
				t.Errorf("rebuilt scores train %v test %v, trained %v %v", r.TrainEval.Accuracy, r.TestEval.Accuracy,
					x.TrainEval.Accuracy, x.TestEval.Accuracy)
			}
			if !reflect.DeepEqual(r.Test.bits, x.Test.bits) || !reflect.DeepEqual(r.Train.IPD, x.Train.IPD) || cache.Generated() != 1 {
				t.Errorf("the rebuilt data sets differ from the trained run's (or were not taken from the cache: %d generated)", cache.Generated())
			}
			loaded.InitW1.Data[0] += 1e-3
			if _, err := RebuildExperiment(loaded, backend, nil); err == nil || !strings.Contains(err.Error(), "initial weights") {
				t.Errorf("a model with another initial W1: error %v, want one about its initial weights", err)
			}
		})
	}
}
