package probe

import (
	"fmt"
	"math"

	"github.com/snn-dales/dales/snn"
)

// TuningCurves averages responses over IPD bins: curves[unit][bin] is the mean activity of a unit over
// the samples whose IPD falls in bin (bins equal over [-90, 90) degrees); centres are the bin centres in
// degrees. Empty bins are NaN.
func TuningCurves(ipd []float64, activity [][]float64, bins int) (centres []float64, curves [][]float64, err error) {
	if bins <= 0 {
		return nil, nil, fmt.Errorf("probe: TuningCurves: %d bins, want > 0", bins)
	}
	if len(ipd) == 0 || len(ipd) != len(activity) {
		return nil, nil, fmt.Errorf("probe: TuningCurves: %d IPDs and %d activity rows", len(ipd), len(activity))
	}
	units := len(activity[0])
	sums := make([][]float64, units)
	for u := range sums {
		sums[u] = make([]float64, bins)
	}
	counts := make([]float64, bins)
	for n, x := range ipd {
		b := snn.Discretise(x, bins)
		counts[b]++
		for u := 0; u < units; u++ {
			sums[u][b] += activity[n][u]
		}
	}
	centres = make([]float64, bins)
	for b := range centres {
		centres[b] = snn.Degrees(snn.Continuise(b, bins))
	}
	for u := range sums {
		for b := range sums[u] {
			if counts[b] == 0 {
				sums[u][b] = math.NaN()
			} else {
				sums[u][b] /= counts[b]
			}
		}
	}
	return centres, sums, nil
}
