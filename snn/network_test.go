package snn

import (
	"math"
	"testing"

	"github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Golden trace of the notebook's layer1 update for two units over six steps, alpha = exp(-1 ms / 5 ms).
// Worked out from the notebook's equations (new_v = (alpha*v + h)*(1 - s); s = spike(v - 1); v = new_v),
// step by step with a calculator in float64:
//
//	unit 0, h = 0.6, 0.6, 0.6, 0, 0, 0:
//	  v1 = 0.6
//	  v2 = alpha*0.6 + 0.6                  = 1.091238451846789
//	  v3 = alpha*v2 + 0.6                   = 1.4934304794681725   (s3 = H(v2-1) = 1: the spike uses v2)
//	  v4 = (alpha*v3 + 0)*(1 - s3)          = 0                    (s4 = H(v3-1) = 1: reset lags a step,
//	  v5 = v6 = 0, s5 = s6 = 0                                      so the unit spikes twice)
//	unit 1, h = 0.3 every step: v = 0.3, 0.5456192259233945, 0.7467152397340863, 0.9113587305622941,
//	  1.0461574197974606, 1.1565212521488932; the only spike is s6 = H(v5 - 1) = 1.
func TestLIFGoldenTrace(t *testing.T) {
	h := [][]float32{{0.6, 0.3}, {0.6, 0.3}, {0.6, 0.3}, {0, 0.3}, {0, 0.3}, {0, 0.3}}
	wantV := [][2]float64{{0, 0}, {0.6, 0.3}, {1.091238451846789, 0.5456192259233945},
		{1.4934304794681725, 0.7467152397340863}, {0, 0.9113587305622941}, {0, 1.0461574197974606},
		{0, 1.1565212521488932}}
	wantS := [][2]float32{{0, 0}, {0, 0}, {0, 0}, {1, 0}, {1, 0}, {0, 0}, {0, 1}}
	v, s, err := SimulateLIF(gobackend.GetBackend(), h, math.Exp(-0.2), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 7 || len(s) != 7 {
		t.Fatalf("got %d membrane and %d spike records, want 7", len(v), len(s))
	}
	for k := range wantV {
		for u := 0; u < 2; u++ {
			if math.Abs(float64(v[k][u])-wantV[k][u]) > 1e-6 {
				t.Errorf("v[%d][%d] = %.9f, want %.9f", k, u, v[k][u], wantV[k][u])
			}
			if s[k][u] != wantS[k][u] {
				t.Errorf("s[%d][%d] = %v, want %v", k, u, s[k][u], wantS[k][u])
			}
		}
	}
}

// Surrogate golden values: beta*sigmoid(beta*x)*(1-sigmoid(beta*x)) with beta = 5, evaluated by hand in
// float64 (sigmoid(0) = 1/2 gives 5/4; sigmoid(+-1) = 0.7310585786300049 gives 0.98305966620741;
// sigmoid(+-5) = 0.9933071490757153 gives 0.03324028335395). The forward pass must be exactly 0/1.
func TestSpikeForwardAndSurrogateGradient(t *testing.T) {
	xs := []float32{-1, -0.2, 0, 0.2, 1, 1e-7}
	wantFwd := []float32{0, 0, 0, 1, 1, 1}
	wantGrad := []float64{0.033240283353950774, 0.9830596662074093, 1.25, 0.9830596662074091, 0.03324028335395016,
		1.25} // at 1e-7 the surrogate equals its value at 0 to float32 precision
	exec := MustNewExec(gobackend.GetBackend(), func(x *Node) (*Node, *Node) {
		y := Spike(x, 5)
		return y, Gradient(ReduceAllSum(y), x)[0]
	})
	out, err := exec.Call(tensors.FromValue(xs))
	if err != nil {
		t.Fatal(err)
	}
	fwd := tensors.MustCopyFlatData[float32](out[0])
	grad := tensors.MustCopyFlatData[float32](out[1])
	for i := range xs {
		if fwd[i] != wantFwd[i] {
			t.Errorf("Spike(%v) = %v, want exactly %v", xs[i], fwd[i], wantFwd[i])
		}
		if math.Abs(float64(grad[i])-wantGrad[i]) > 1e-6 {
			t.Errorf("dSpike/dx at %v = %.9f, want %.9f", xs[i], grad[i], wantGrad[i])
		}
	}
}

// The readout's time sum equals the c_j-weighted spike sum; check c against a direct simulation of the
// notebook's membrane_only loop with one unit that emits a single spike at record j.
func TestReadoutWeights(t *testing.T) {
	const T = 7
	alpha := math.Exp(-0.2)
	c := ReadoutWeights(T, alpha)
	for j := 0; j < T; j++ {
		v, sum := 0.0, 0.0 // v_rec[0] = 0 contributes 0
		for step := 0; step < T-1; step++ {
			h := 0.0
			if step == j {
				h = 1
			}
			v = alpha*v + h
			sum += v
		}
		if math.Abs(c[j]-sum) > 1e-12 {
			t.Errorf("c[%d] = %v, direct simulation gives %v", j, c[j], sum)
		}
	}
	if c[T-1] != 0 {
		t.Errorf("c[T-1] = %v, want 0 (the last record is never read)", c[T-1])
	}
}
