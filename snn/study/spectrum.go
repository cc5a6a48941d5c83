package study

import (
	"fmt"
	"math"
	"sort"

	"github.com/snn-dales/dales/snn"
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
		return 0, 0, fmt.Errorf("study: Spearman: a sample is constant")
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

// InitialNSE is the NSE of the initial effective input weights of the model cfg builds (its seed's draw
// and Dale mask): no training is needed.
func InitialNSE(cfg snn.Config) (float64, error) {
	m, err := snn.NewModel(cfg)
	if err != nil {
		return 0, err
	}
	return NSE(m.InitialEffectiveW1())
}

// NSEConclusion relates the NSE of the initial effective input weights to test accuracy over the runs of
// one condition (e.g. "both" of DaleConditions, the seed's ColumnEI network), as Li et al. (2023) do for
// their networks: per run the initial NSE (from the run's configuration: base at the run's fraction and
// seed, through cond), then Spearman's correlation across runs. It describes; it does not control for the
// fraction, which moves both.
func NSEConclusion(runs []RunResult, base snn.Config, cond Condition) (Conclusion, error) {
	var nse, acc []float64
	byFrac := map[float64][]float64{}
	var fracs []float64
	for _, r := range runs {
		if r.Condition != cond.Name {
			continue
		}
		cfg := cond.Apply(base, r.Fraction)
		cfg.Seed = r.Seed
		v, err := InitialNSE(cfg)
		if err != nil {
			return Conclusion{}, err
		}
		nse, acc = append(nse, v), append(acc, r.TestAccuracy)
		if _, ok := byFrac[r.Fraction]; !ok {
			fracs = append(fracs, r.Fraction)
		}
		byFrac[r.Fraction] = append(byFrac[r.Fraction], v)
	}
	rho, p, err := Spearman(nse, acc)
	if err != nil {
		return Conclusion{}, err
	}
	sort.Float64s(fracs)
	minF, maxF := fracs[0], fracs[0] // the fractions of the lowest and highest mean NSE over seeds
	for _, f := range fracs {
		if stat.Mean(byFrac[f], nil) < stat.Mean(byFrac[minF], nil) {
			minF = f
		}
		if stat.Mean(byFrac[f], nil) > stat.Mean(byFrac[maxF], nil) {
			maxF = f
		}
	}
	spread := fmt.Sprintf("is lowest at fraction %.1f (%.3f) and highest at %.1f (%.3f)", minF, stat.Mean(byFrac[minF], nil), maxF, stat.Mean(byFrac[maxF], nil))
	if stat.Mean(byFrac[maxF], nil)-stat.Mean(byFrac[minF], nil) < 1e-6 {
		spread = fmt.Sprintf("is the same at every fraction (%.3f): the effective weights are sign(row) |W| for the same draw W, "+
			"and flipping the sign of rows leaves the singular values unchanged, so only the seed moves the NSE", stat.Mean(byFrac[minF], nil))
	}
	return Conclusion{Notes: []string{fmt.Sprintf("Over the %d runs of %s (fractions %.1f to %.1f), the mean NSE over seeds of the initial effective input "+
		"weights %s; the Spearman correlation of a run's initial NSE with its test accuracy is rho = %.2f (%s, %d runs).",
		len(nse), cond.Name, fracs[0], fracs[len(fracs)-1], spread, rho, pString(p), len(nse))}}, nil
}
