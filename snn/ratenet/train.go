package ratenet

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TrainConfig is one training run: plain SGD (the paper's optimiser for every model) at LearningRate on
// mini-batches of BatchSize (the last partial batch of an epoch is dropped), for Epochs epochs, weights
// drawn and batches shuffled from Seed.
type TrainConfig struct {
	Kind         string
	Hidden       Hidden
	LearningRate float64
	BatchSize    int
	Epochs       int
	Seed         uint64
}

// Validate checks the configuration before any work.
func (c TrainConfig) Validate() error {
	if _, err := KindByName(c.Kind); err != nil {
		return err
	}
	switch {
	case c.Hidden.E < 1 || c.Hidden.I < 1:
		return fmt.Errorf("ratenet: hidden size %+v: want E >= 1 and I >= 1", c.Hidden)
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return fmt.Errorf("ratenet: learning rate %v: want a finite number > 0", c.LearningRate)
	case c.BatchSize < 1 || c.Epochs < 1:
		return fmt.Errorf("ratenet: batch size %d, epochs %d: want both >= 1", c.BatchSize, c.Epochs)
	}
	return nil
}

// Result is a run's record: validation accuracy after each epoch, the final test accuracy (the weights
// of the last epoch: no early stopping), the mean training loss per epoch, and whether the loss became
// NaN or infinite (then the run stops, and its accuracies are 0).
type Result struct {
	Config      TrainConfig
	ValAccuracy []float64
	TrainLoss   []float64
	Test        float64
	Diverged    bool
	Seconds     float64
	// Numerics names the numerics the run trained with (Numerics; absent from runs cached before
	// 2026-12-04, which are trained again).
	Numerics string `json:",omitempty"`
}

// evalBatch is the batch size of the accuracy passes.
const evalBatch = 1000

// Train runs one configuration on data with backend.
func Train(ctx context.Context, cfg TrainConfig, data *Data, backend compute.Backend) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	if data.Train.Len() < cfg.BatchSize || data.Validation.Len()%evalBatch != 0 || data.Test.Len()%evalBatch != 0 {
		return Result{}, fmt.Errorf("ratenet: %d training images for batches of %d, %d validation and %d test images (want multiples of %d)",
			data.Train.Len(), cfg.BatchSize, data.Validation.Len(), data.Test.Len(), evalBatch)
	}
	start := time.Now()
	kind, _ := KindByName(cfg.Kind)
	ps := kind.params(cfg.Hidden, rand.New(rand.NewPCG(cfg.Seed, 1)))
	store := model.NewStore()
	scope := store.RootScope()
	vars := make([]*model.Variable, len(ps))
	for i, p := range ps {
		v, err := scope.CreateVariable(p.name, tensors.FromFlatDataAndDimensions(append([]float32(nil), p.init...), p.rows, p.cols))
		if err != nil {
			return Result{}, err
		}
		vars[i] = v
	}
	nodes := func(g *Graph) []*Node {
		out := make([]*Node, len(vars))
		for i, v := range vars {
			out[i] = v.NodeValue(g)
		}
		return out
	}
	step, err := model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		x, y := in[0], in[1]
		p := nodes(x.Graph())
		loss := crossEntropy(kind.logits(cfg.Hidden, p, x), y)
		grads := Gradient(loss, p...)
		for i, v := range vars {
			next := Sub(p[i], MulScalar(grads[i], cfg.LearningRate*ps[i].factor))
			if ps[i].clamp {
				next = relu(next)
			}
			v.SetNodeValue(next)
		}
		return []*Node{loss}
	})
	if err != nil {
		return Result{}, fmt.Errorf("ratenet: build training step: %w", err)
	}
	eval, err := model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		x, y := in[0], in[1]
		pred := ArgMax(kind.logits(cfg.Hidden, nodes(x.Graph()), x), 1, dtypes.Int32)
		return []*Node{ReduceAllSum(ConvertDType(Equal(pred, y), dtypes.Float32))}
	})
	if err != nil {
		return Result{}, fmt.Errorf("ratenet: build evaluation: %w", err)
	}
	accuracy := func(s *Set) (float64, error) {
		correct := 0.0
		for i := 0; i < s.Len(); i += evalBatch {
			x := tensors.FromFlatDataAndDimensions(s.X[i*Pixels:(i+evalBatch)*Pixels], evalBatch, Pixels) // copies
			y := tensors.FromFlatDataAndDimensions(s.Y[i:i+evalBatch], evalBatch)
			out, err := eval.Call(x, y)
			x.FinalizeAll()
			y.FinalizeAll()
			if err != nil {
				return 0, err
			}
			correct += float64(tensors.ToScalar[float32](out[0]))
			out[0].FinalizeAll()
		}
		return correct / float64(s.Len()), nil
	}
	res := Result{Config: cfg, Numerics: Numerics(backend)}
	shuffle := rand.New(rand.NewPCG(cfg.Seed, 2))
	B := cfg.BatchSize
	xb, yb := make([]float32, B*Pixels), make([]int32, B)
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		perm := shuffle.Perm(data.Train.Len())
		sum, n := 0.0, 0
		for b := 0; b+B <= len(perm); b += B {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			for j, i := range perm[b : b+B] {
				copy(xb[j*Pixels:(j+1)*Pixels], data.Train.X[i*Pixels:(i+1)*Pixels])
				yb[j] = data.Train.Y[i]
			}
			x := tensors.FromFlatDataAndDimensions(xb, B, Pixels) // copies xb
			y := tensors.FromFlatDataAndDimensions(yb, B)
			out, err := step.Call(x, y)
			x.FinalizeAll()
			y.FinalizeAll()
			if err != nil {
				return Result{}, err
			}
			loss := float64(tensors.ToScalar[float32](out[0]))
			out[0].FinalizeAll()
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				res.Diverged, res.ValAccuracy, res.Test = true, nil, 0
				res.Seconds = time.Since(start).Seconds()
				return res, nil
			}
			sum += loss
			n++
		}
		res.TrainLoss = append(res.TrainLoss, sum/float64(n))
		acc, err := accuracy(data.Validation)
		if err != nil {
			return Result{}, err
		}
		res.ValAccuracy = append(res.ValAccuracy, acc)
	}
	if res.Test, err = accuracy(data.Test); err != nil {
		return Result{}, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// crossEntropy is the mean negative log-likelihood of labels y [batch] under logits [batch, Classes].
func crossEntropy(logits, y *Node) *Node {
	logp := LogSoftmax(logits, 1)
	return Neg(ReduceAllMean(ReduceSum(Mul(logp, OneHot(y, Classes, logp.DType())), 1)))
}
