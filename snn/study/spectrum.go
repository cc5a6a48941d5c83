package study

import (
	"fmt"
	"math"
	"sort"

	"github.com/snn-dales/dales/snn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// NSE is the normalised SVD entropy of a weight matrix (Li, Cornford, Ghosh and Richards, NeurIPS 2023,
// "Learning better with Dale's Law: A Spectral Perspective"):
//
//	NSE = -(1 / ln N) sum_i s_i ln s_i,   s_i = sigma_i / sum_j sigma_j,
//
// over its N = min(rows, cols) singular values sigma_i: 1 when all are equal, 0 for a rank-one matrix.
func NSE(w snn.Matrix) (float64, error) {
	sv, err := SingularValues(w)
	if err != nil {
		return 0, fmt.Errorf("study: NSE: %w", err)
	}
	total := 0.0
	for _, s := range sv {
		total += s
	}
	if total == 0 {
		return 0, fmt.Errorf("study: NSE of an all-zero matrix is undefined")
	}
	h := 0.0
	for _, s := range sv {
		if p := s / total; p > 0 {
			h -= p * math.Log(p)
		}
	}
	return h / math.Log(float64(len(sv))), nil
}

// SingularValues returns the min(rows, cols) singular values of w in descending order (float64 SVD).
func SingularValues(w snn.Matrix) ([]float64, error) {
	n := min(w.Rows, w.Cols)
	if n < 2 || len(w.Data) != w.Rows*w.Cols {
		return nil, fmt.Errorf("study: singular values of a %dx%d matrix: want at least 2 rows and 2 columns", w.Rows, w.Cols)
	}
	data := make([]float64, len(w.Data))
	for i, v := range w.Data {
		data[i] = float64(v)
	}
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(w.Rows, w.Cols, data), mat.SVDNone) {
		return nil, fmt.Errorf("study: the SVD did not converge")
	}
	return svd.Values(nil), nil
}

// Spearman is Spearman's rank correlation of x and y (average ranks for ties) and its two-sided p-value
// from the t approximation with n-2 degrees of freedom, as scipy.stats.spearmanr computes them.
func Spearman(x, y []float64) (rho, p float64, err error) {
	if len(x) != len(y) || len(x) < 3 {
		return 0, 0, fmt.Errorf("study: Spearman needs two equally long samples of at least 3 values, got %d and %d", len(x), len(y))
	}
	rho = stat.Correlation(ranks(x), ranks(y), nil)
	if math.IsNaN(rho) {
		return 0, 0, fmt.Errorf("study: Spearman: a sample is constant (x from %v to %v, y from %v to %v); want both samples to vary",
			floats.Min(x), floats.Max(x), floats.Min(y), floats.Max(y))
	}
	df := len(x) - 2
	if math.Abs(rho) >= 1 {
		return rho, 0, nil
	}
	t := rho * math.Sqrt(float64(df)/(1-rho*rho))
	return rho, 2 * tSurvival(math.Abs(t), df), nil
}

// ranks returns the ranks of v (1-based; ties get the mean of their ranks).
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}
