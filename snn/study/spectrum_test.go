package study

import (
	"math"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// Goldens: numpy 1.24 (Debian bookworm), s = np.linalg.svd(m, compute_uv=False); p = s/s.sum();
// -(p*np.log(p)).sum()/np.log(len(s)).
func TestNSE(t *testing.T) {
	for _, c := range []struct {
		rows, cols int
		data       []float32
		want       float64
	}{
		{2, 2, []float32{3, 0, 0, 1}, 0.8112781244591328},
		{4, 3, []float32{1, 2, 3, 4, 5, 6, 7, 8, 10, 1, 0, 1}, 0.3261275568382608},
		{4, 4, []float32{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 1},
		{2, 2, []float32{1, 2, 2, 4}, 0}, // rank one
	} {
		got, err := NSE(snn.Matrix{Rows: c.rows, Cols: c.cols, Data: c.data})
		if err != nil || math.Abs(got-c.want) > 1e-6 {
			t.Errorf("NSE(%v) = %v, %v; want %v", c.data, got, err, c.want)
		}
	}
	if _, err := NSE(snn.Matrix{Rows: 1, Cols: 3, Data: []float32{1, 2, 3}}); err == nil {
		t.Error("a 1x3 matrix accepted")
	}
}

// Goldens: scipy.stats.spearmanr(x, y) (correlation, pvalue), without and with ties.
func TestSpearman(t *testing.T) {
	rho, p, err := Spearman([]float64{0.5, 0.61, 0.7, 0.66, 0.8, 0.9, 0.85}, []float64{0.6, 0.55, 0.72, 0.7, 0.71, 0.9, 0.8})
	if err != nil || math.Abs(rho-0.9285714285714288) > 1e-12 || math.Abs(p-0.0025194724037946874) > 1e-9 {
		t.Errorf("Spearman: %v %v %v", rho, p, err)
	}
	rho, p, _ = Spearman([]float64{1, 2, 3, 4, 5, 5, 6}, []float64{2, 1, 4, 3, 6, 5, 5})
	if math.Abs(rho-0.8454545454545456) > 1e-12 || math.Abs(p-0.016563691746220813) > 1e-9 {
		t.Errorf("Spearman with ties: %v %v", rho, p)
	}
	if _, _, err := Spearman([]float64{1, 1, 1}, []float64{1, 2, 3}); err == nil {
		t.Error("a constant sample accepted")
	}
}
