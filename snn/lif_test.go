package snn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// exp64 against math.Exp on x <= 0, on a fine grid and at the ends of its argument reduction: relative
// error below 1e-15 (float64's unit roundoff is 1.1e-16).
func TestExp64(t *testing.T) {
	worst := 0.0
	check := func(x float64) {
		want := math.Exp(x)
		if rel := math.Abs(exp64(x)-want) / want; rel > worst {
			worst = rel
		}
	}
	for x := -708.0; x <= 0; x += 0.00713 {
		check(x)
	}
	for n := -1020; n <= 0; n++ { // x = n ln2 +- ln2/2, where |r| is largest
		for _, d := range []float64{-0.5, -0.4999999, 0, 0.4999999} {
			if x := (float64(n) + d) * math.Ln2; x <= 0 && x >= -708 {
				check(x)
			}
		}
	}
	if worst > 1e-15 {
		t.Errorf("exp64: worst relative error %.3g, want below 1e-15", worst)
	}
	if got := exp64(-800); got != 0 {
		t.Errorf("exp64(-800) = %v, want 0", got)
	}
	if got := exp64(0); got != 1 {
		t.Errorf("exp64(0) = %v, want 1", got)
	}
}

// surrogateGrad against the formula, golden values computed by hand (beta = 5):
// S'(0) = 5/4 = 1.25; S'(+-1) = 5 e^-5 / (1 + e^-5)^2 = 0.0332402833...; S'(-30) = 5 e^-150 / (1 + e^-150)^2.
// The float32 form sigma * (1 - sigma) loses digits to cancellation when sigma is near 1, as the graph's
// and PyTorch's float32 SurrogateGrad do: 1e-5 relative.
func TestSurrogateGradValues(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{{0, 1.25}, {1, 0.0332402833}, {-1, 0.0332402833}, {-30, 5 * math.Exp(-150)}} {
		got := float64(surrogateGrad(float32(c.x), 5))
		if c.want < 1e-40 { // below float32's smallest subnormal
			if got != 0 {
				t.Errorf("surrogateGrad(%v) = %v, want 0 (float32 underflow of %g)", c.x, got, c.want)
			}
			continue
		}
		if math.Abs(got-c.want) > 1e-5*c.want {
			t.Errorf("surrogateGrad(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

// TestLIFSpikeRecords checks lifKernel.spikes against its definition, s = 1 where v - Threshold > 0 and 0
// elsewhere (NaN included), bit for bit, on membranes at and around the threshold, ±0, ±Inf and NaN.
func TestLIFSpikeRecords(t *testing.T) {
	cfg := DefaultConfig()
	cfg.NumHidden, cfg.Duration = 7, 0.005 // 4 steps fed
	k := newLIFKernel(cfg)
	special := []float32{Threshold, math.Nextafter32(Threshold, 2), math.Nextafter32(Threshold, 0), 0,
		float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 2, -3, 1e-30}
	const batch = 3
	n := batch * k.steps * k.hidden
	k.v = make([]float32, n+k.steps*k.hidden) // room for a fourth sample, as forward leaves a larger batch's
	r := rand.New(rand.NewPCG(5, 6))
	for i := range k.v {
		switch {
		case i < len(special):
			k.v[i] = special[i]
		case i >= n:
			k.v[i] = 2 // past the batch's records: would spike if read
		default:
			k.v[i] = r.Float32()*2 - 0.5
		}
	}
	out := make([]float32, n+1)
	out[n] = 42 // past the records: left alone
	k.spikes(batch, out)
	ones := 0
	for i, v := range k.v[:n] {
		want := float32(0)
		if v-Threshold > 0 {
			want = 1
		}
		if math.Float32bits(out[i]) != math.Float32bits(want) {
			t.Fatalf("record %d of membrane %v is %v (bits %#x), want %v", i, v, out[i], math.Float32bits(out[i]), want)
		}
		if want == 1 {
			ones++
		}
	}
	if out[n] != 42 {
		t.Errorf("spikes wrote past the records: %v", out[n])
	}
	if ones == 0 || ones == n {
		t.Fatalf("the test's membranes gave %d spikes of %d: it checks nothing", ones, n)
	}
}
