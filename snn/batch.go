package snn

import (
	"fmt"
	"math/bits"

	"github.com/gomlx/gomlx/core/tensors"
)

// batchInput is a batch in the layout the graph takes: x [NumInputs, (NumSteps-1)*batch] with column
// t*batch + b holding step t of sample b (steps 0..NumSteps-2, the ones the notebook's loop reads), and
// labels [batch] int32 classes.
type batchInput struct {
	x      []float32
	labels []int32
	batch  int
}

func newBatchInput(cfg Config, batch int) *batchInput {
	return &batchInput{x: make([]float32, cfg.NumInputs()*(cfg.NumSteps()-1)*batch),
		labels: make([]int32, batch), batch: batch}
}

// fill packs samples idx of d (len(idx) <= batch; missing rows are left silent, label 0).
func (b *batchInput) fill(d *Dataset, idx []int, numClasses int) {
	clear(b.x)
	clear(b.labels)
	T1 := d.NumSteps - 1
	cols := T1 * b.batch
	limit := T1 * d.NumInputs // bits beyond this belong to the last step, which is not fed
	for j, n := range idx {
		b.labels[j] = int32(Discretise(d.IPD[n], numClasses))
		words := d.bits[n*d.words : (n+1)*d.words]
		for w, word := range words {
			for word != 0 {
				k := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				if k >= limit {
					break
				}
				t, i := k/d.NumInputs, k%d.NumInputs
				b.x[i*cols+t*b.batch+j] = 1
			}
		}
	}
}

func (b *batchInput) tensors(cfg Config) (*tensors.Tensor, *tensors.Tensor) {
	x := tensors.FromFlatDataAndDimensions(b.x, cfg.NumInputs(), (cfg.NumSteps()-1)*b.batch)
	y := tensors.FromFlatDataAndDimensions(b.labels, b.batch)
	return x, y
}

// checkDataset verifies that d fits cfg.
func checkDataset(cfg Config, name string, d *Dataset) error {
	if d == nil || d.Len() == 0 {
		return fmt.Errorf("snn: %s dataset is empty", name)
	}
	if d.NumSteps != cfg.NumSteps() || d.NumInputs != cfg.NumInputs() {
		return fmt.Errorf("snn: %s dataset has %d steps x %d inputs, but the config wants %d x %d",
			name, d.NumSteps, d.NumInputs, cfg.NumSteps(), cfg.NumInputs())
	}
	return nil
}
