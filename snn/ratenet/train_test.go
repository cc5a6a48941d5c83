package ratenet

import (
	"math"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// smallData is 2000 training, 1000 validation and 1000 test images of the real data set.
func smallData(t *testing.T) *Data {
	t.Helper()
	d, err := LoadFashionMNIST(DefaultDataDir, 10000, 0)
	if err != nil {
		t.Fatal(err)
	}
	cut := func(s *Set, n int) *Set { return &Set{X: s.X[:n*Pixels], Y: s.Y[:n]} }
	return &Data{Train: cut(d.Train, 2000), Validation: cut(d.Validation, 1000), Test: cut(d.Test, 1000)}
}

// Every model learns on a small subset in two epochs (validation accuracy above 30%, three times
// chance), and the same seed gives the same numbers.
func TestTrainLearnsAndRepeats(t *testing.T) {
	d := smallData(t)
	for _, c := range []TrainConfig{
		{Kind: "mlp", Hidden: Hidden{100, 10}, LearningRate: 0.1, BatchSize: 32, Epochs: 2, Seed: 5},
		{Kind: "columnei", Hidden: Hidden{100, 10}, LearningRate: 0.05, BatchSize: 32, Epochs: 2, Seed: 5},
		{Kind: "dann", Hidden: Hidden{100, 10}, LearningRate: 0.1, BatchSize: 32, Epochs: 2, Seed: 5},
	} {
		a, err := Train(t.Context(), c, d, gobackend.GetBackend())
		if err != nil {
			t.Fatal(err)
		}
		if a.Diverged || len(a.ValAccuracy) != 2 || a.ValAccuracy[1] < 0.3 || a.Test < 0.3 {
			t.Errorf("%s: %+v: want two epochs above 30%% validation and test accuracy (chance: 10%%)", c.Kind, a)
		}
		b, err := Train(t.Context(), c, d, gobackend.GetBackend())
		if err != nil {
			t.Fatal(err)
		}
		if a.Test != b.Test || a.TrainLoss[1] != b.TrainLoss[1] {
			t.Errorf("%s: the same seed gave test %v and %v, loss %v and %v", c.Kind, a.Test, b.Test, a.TrainLoss[1], b.TrainLoss[1])
		}
	}
}

// The parameters as the paper draws them: ColumnEI's first-layer bias centres the mean pixel
// (-784 sqrt(1/784) 0.2860 = -8.008), DANN's alpha is log sqrt((2 pi - 1)/784) on the hidden layer and
// its W_EI 1/10, and the update treats each array as the paper's policies do (clamped weights and
// gains; DANN's correction factors).
func TestKindParameters(t *testing.T) {
	h := Hidden{100, 10}
	k, _ := KindByName("columnei")
	ps := k.params(h, nil2())
	if b := ps[1].init[0]; math.Abs(float64(b)-(-8.008)) > 1e-3 {
		t.Errorf("ColumnEI b1 = %v, want -8.008", b)
	}
	k, _ = KindByName("dann")
	ps = k.params(h, nil2())
	byName := map[string]param{}
	for _, p := range ps {
		byName[p.name] = p
	}
	if a := byName["alpha1"].init[0]; math.Abs(float64(a)-math.Log(math.Sqrt((2*math.Pi-1)/784))) > 1e-6 {
		t.Errorf("alpha1 = %v", a)
	}
	if w := byName["ei1"].init[0]; w != 0.1 {
		t.Errorf("W_EI of the hidden layer starts at %v, want 1/10", w)
	}
	for name, want := range map[string]struct {
		factor float64
		clamp  bool
	}{"ee1": {1, true}, "ie1": {1 / math.Sqrt(100), true}, "ei1": {1.0 / 784, true}, "alpha1": {1 / (10 * 784.0), false},
		"gain1": {1, true}, "bias1": {1, false}, "ie2": {1 / math.Sqrt(10), true}, "ei2": {1.0 / 100, true}} {
		p := byName[name]
		if math.Abs(p.factor-want.factor) > 1e-12 || p.clamp != want.clamp {
			t.Errorf("%s: factor %v clamp %v, want %v %v", name, p.factor, p.clamp, want.factor, want.clamp)
		}
	}
	if _, err := KindByName("cnn"); err == nil {
		t.Error("an unknown model was accepted")
	}
	if err := (TrainConfig{Kind: "mlp", Hidden: h, LearningRate: math.NaN(), BatchSize: 32, Epochs: 1}).Validate(); err == nil {
		t.Error("a NaN learning rate was accepted")
	}
}
