package probe

import (
	"context"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
)

// tinyConfig is the default configuration on little data: 16 samples a batch, 4 training batches, 2
// epochs.
func tinyConfig() snn.Config {
	c := snn.DefaultConfig()
	c.BatchSize, c.TrainBatches, c.ValidationBatches, c.TestBatches, c.Epochs = 16, 4, 2, 2, 2
	return c
}

// tinyRun trains a model of cfg on its data and returns the initial and the trained model.
func tinyRun(t *testing.T, cfg snn.Config) (*snn.Model, *snn.Model) {
	t.Helper()
	train, val, _, err := snn.GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := snn.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := snn.Train(context.Background(), m, train, val, snn.TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	return m, out
}

// positive is f(w), the magnitudes a matrix of raw parameters gives under a sign rule (every row
// excitatory).
func positive(w snn.Matrix, param snn.SignParam) snn.Matrix {
	signs := make([]float32, w.Rows)
	for i := range signs {
		signs[i] = 1
	}
	return snn.EffectiveParam(w, snn.Mask{Signs: signs}, true, param)
}

// seq returns from, from+1, ..., from+n-1.
func seq(from, n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = from + i
	}
	return r
}
