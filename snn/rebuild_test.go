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
			// ExperimentFromModel takes the initial model from the checkpoint's own initial arrays: every
			// trainable matrix (the populations' and shunting ones included) as training started.
			e, err := ExperimentFromModel(loaded, backend)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(e.Initial.rawParams(), x.Initial.rawParams()) || !reflect.DeepEqual(e.Initial.Mask1, x.Initial.Mask1) {
				t.Errorf("ExperimentFromModel's initial model differs from the one training started from")
			}
			if !reflect.DeepEqual(e.Trained.rawParams(), x.Trained.rawParams()) || !reflect.DeepEqual(e.TestEval, x.TestEval) {
				t.Errorf("ExperimentFromModel's trained model or scores differ (test %v, trained %v)", e.TestEval.Accuracy, x.TestEval.Accuracy)
			}
			// Any initial array or mask other than the configuration draws is refused.
			edits := map[string]func(m *Model){
				"initial W1":  func(m *Model) { m.InitW1.Data[0] += 1e-3 },
				"initial W2":  func(m *Model) { m.InitW2.Data[0] += 1e-3 },
				"input mask":  func(m *Model) { m.Mask1.Signs[0] = -m.Mask1.Signs[0] },
				"hidden mask": func(m *Model) { m.Mask2.Signs[0] = -m.Mask2.Signs[0] },
			}
			if loaded.Pop != nil {
				edits["initial EI1"] = func(m *Model) { m.Pop.InitEI1.Data[0] += 1e-3 }
				edits["initial IE2"] = func(m *Model) { m.Pop.InitIE2.Data[0] += 1e-3 }
			}
			if loaded.Pop != nil && loaded.Pop.Shunt != nil {
				edits["initial gain"] = func(m *Model) { m.Pop.Shunt.InitGain2.Data[0] += 1e-3 }
			}
			for what, edit := range edits {
				m, err := decodeCheckpoint(data)
				if err != nil {
					t.Fatal(err)
				}
				edit(m)
				if _, err := RebuildExperiment(m, backend, cache); err == nil || !strings.Contains(err.Error(), "initial weights or masks") {
					t.Errorf("a model with another %s: error %v, want one about its initial weights or masks", what, err)
				}
			}
		})
	}
}
