package probe

import (
	"math"
	"testing"
)

func TestTuningCurves(t *testing.T) {
	deg := func(x float64) float64 { return x * math.Pi / 180 }
	// Two units; samples at -60, -50 (bin 0 of 3) and 10 (bin 1); bin 2 empty. Averages by hand.
	ipd := []float64{deg(-60), deg(-50), deg(10)}
	act := [][]float64{{1, 0}, {3, 2}, {5, 7}}
	centres, curves, err := TuningCurves(ipd, act, 3)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(centres[0]+60) > 1e-9 || math.Abs(centres[1]) > 1e-9 || math.Abs(centres[2]-60) > 1e-9 {
		t.Errorf("centres %v, want -60 0 60", centres)
	}
	if curves[0][0] != 2 || curves[1][0] != 1 || curves[0][1] != 5 || curves[1][1] != 7 || !math.IsNaN(curves[0][2]) {
		t.Errorf("curves %v", curves)
	}
	if _, _, err := TuningCurves(ipd, act[:2], 3); err == nil {
		t.Error("mismatched lengths accepted")
	}
}
