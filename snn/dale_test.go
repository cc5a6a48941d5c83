package snn

import (
	"math"
	"slices"
	"testing"
)

func TestNumInhibitory(t *testing.T) {
	// Expected values: len(torch.arange(fraction*n, dtype=int)), the notebook's call, printed by Debian's
	// python3-torch 1.13.1 (2026-12-05) for each case: it truncates the float64 product (0.25*30 = 7.5 -> 7,
	// 0.15*30 = 4.5 -> 4, 0.0045*200 = 0.8999999999999999 -> 0, 0.58*50 = 28.999999999999996 -> 28).
	cases := []struct {
		n        int
		fraction float64
		want     int
	}{
		{200, 0.5, 100}, {200, 0.2, 40}, {30, 0.5, 15}, {30, 0.2, 6}, {30, 0.7, 21}, {30, 0.1, 3}, {30, 0.3, 9},
		{200, 0, 0}, {200, 1, 200}, {30, 0.25, 7}, {30, 0.15, 4}, {200, 0.0045, 0}, {50, 0.58, 28}, {12, 1.0 / 3, 4},
	}
	for _, c := range cases {
		if got := NumInhibitory(c.n, c.fraction); got != c.want {
			t.Errorf("NumInhibitory(%d, %v) = %d, want %d", c.n, c.fraction, got, c.want)
		}
	}
}

func TestMaskLayouts(t *testing.T) {
	cases := []struct {
		n        int
		fraction float64
		layout   MaskLayout
		wantInh  int
	}{
		{200, 0.5, MaskBlocked, 100}, {200, 0.2, MaskBlocked, 40}, {30, 0.5, MaskBlocked, 15},
		{30, 0.2, MaskBlocked, 6}, {200, 0.5, MaskRandom, 100}, {200, 0.2, MaskRandom, 40},
		{30, 0.2, MaskRandom, 6}, {200, 0, MaskRandom, 0}, {200, 1, MaskBlocked, 200},
	}
	for _, c := range cases {
		m, err := NewMask(c.n, c.fraction, c.layout, newRand(3, streamMasks))
		if err != nil {
			t.Fatal(err)
		}
		inh, exc := m.Inhibitory(), m.Excitatory()
		if len(inh) != c.wantInh || len(exc) != c.n-c.wantInh {
			t.Errorf("%v: %d inhibitory and %d excitatory, want %d and %d", c, len(inh), len(exc), c.wantInh, c.n-c.wantInh)
		}
		for i, s := range m.Signs {
			if s != 1 && s != -1 {
				t.Fatalf("%v: sign[%d] = %v", c, i, s)
			}
			if c.layout == MaskBlocked {
				want := float32(1)
				if i < c.wantInh {
					want = -1 // the notebook: rows 0..k-1 inhibitory
				}
				if s != want {
					t.Errorf("%v: blocked sign[%d] = %v, want %v", c, i, s, want)
				}
			}
		}
	}
	// Random layout: not the blocked one, reproducible from its seed, different for another seed.
	a, _ := NewMask(200, 0.2, MaskRandom, newRand(3, streamMasks))
	b, _ := NewMask(200, 0.2, MaskRandom, newRand(3, streamMasks))
	c, _ := NewMask(200, 0.2, MaskRandom, newRand(4, streamMasks))
	if !slices.Equal(a.Signs, b.Signs) {
		t.Error("same seed gave different random masks")
	}
	if slices.Equal(a.Signs, c.Signs) {
		t.Error("different seeds gave the same random mask")
	}
	if slices.Equal(a.Inhibitory(), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
		21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39}) {
		t.Error("random mask is the blocked one")
	}
}

func TestMaskErrors(t *testing.T) {
	for _, c := range []struct {
		n        int
		fraction float64
		layout   MaskLayout
	}{{0, 0.5, MaskBlocked}, {10, -0.1, MaskBlocked}, {10, math.NaN(), MaskBlocked}, {10, 0.5, "stripes"}} {
		if _, err := NewMask(c.n, c.fraction, c.layout, newRand(1, 1)); err == nil {
			t.Errorf("NewMask%v: no error", c)
		}
	}
	if _, err := NewMask(10, 0.5, MaskRandom, nil); err == nil {
		t.Error("random mask without a random source: no error")
	}
}

func TestEffectiveWeights(t *testing.T) {
	w := Matrix{Rows: 2, Cols: 3, Data: []float32{-0.5, 0, 0.25, 0.75, -0.125, 0}}
	mask := Mask{Signs: []float32{-1, 1}}
	got := Effective(w, mask, true)
	want := []float32{-0.5, 0, -0.25, 0.75, 0.125, 0} // |w| * sign(row), by hand
	if !slices.Equal(got.Data, want) {
		t.Errorf("Effective = %v, want %v", got.Data, want)
	}
	if raw := Effective(w, mask, false); !slices.Equal(raw.Data, w.Data) {
		t.Errorf("Dale off: %v, want the raw weights %v", raw.Data, w.Data)
	}
	if w.Data[0] != -0.5 {
		t.Error("Effective modified its input")
	}
}

// torch's fan_in for a 2-D (a, b) tensor is b: bounds 1/sqrt(30) for w1 and 1/sqrt(12) for w2.
func TestInitUniformBounds(t *testing.T) {
	m, err := NewModel(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		w     Matrix
		bound float64
	}{{"W1", m.W1, 1 / math.Sqrt(30)}, {"W2", m.W2, 1 / math.Sqrt(12)}} {
		lo, hi := 0.0, 0.0
		for _, v := range c.w.Data {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
		// All inside the bound, and the extremes reach within 2% of it (6000 and 360 uniform draws).
		if lo < -c.bound || hi > c.bound || lo > -0.98*c.bound || hi < 0.98*c.bound {
			t.Errorf("%s in [%v, %v], want spread over [-%v, %v]", c.name, lo, hi, c.bound, c.bound)
		}
	}
}
