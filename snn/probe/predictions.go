package probe

import (
	"fmt"

	"github.com/snn-dales/dales/snn"
)

// PredictionSpread says which classes a network's estimates fall in on one set: how many of the
// numClasses classes it ever predicts, and the narrowest run of adjacent classes holding at least 95% of
// its predictions, with their IPD bins in degrees (class k covers [-90 + k*180/C, -90 + (k+1)*180/C)).
// The data sets draw true IPDs uniformly over [-90, 90) degrees, so a network that used the stimulus
// would spread its predictions over all of them, e.g. "predicts 3 of 12 classes on the test set; 95% or
// more of its 2048 predictions fall in 2 adjacent classes, IPDs -90 to -60 degrees".
func PredictionSpread(ev *snn.Evaluation, numClasses int, set string) (string, error) {
	if numClasses < 1 || len(ev.Classes) == 0 {
		return "", fmt.Errorf("probe: PredictionSpread: %d classes and %d predictions: want at least 1 of each", numClasses,
			len(ev.Classes))
	}
	count := make([]int, numClasses)
	for _, c := range ev.Classes {
		if c < 0 || c >= numClasses {
			return "", fmt.Errorf("probe: PredictionSpread: predicted class %d outside [0, %d)", c, numClasses)
		}
		count[c]++
	}
	used := 0
	for _, n := range count {
		if n > 0 {
			used++
		}
	}
	n := len(ev.Classes)
	need := (95*n + 99) / 100 // at least 95%, rounded up
	bestLo, bestHi := 0, numClasses-1
	for lo := range numClasses { // the narrowest window [lo, hi] holding need; the lowest lo among ties
		sum := 0
		for hi := lo; hi < numClasses; hi++ {
			sum += count[hi]
			if sum >= need {
				if hi-lo < bestHi-bestLo {
					bestLo, bestHi = lo, hi
				}
				break
			}
		}
	}
	width := 180 / float64(numClasses)
	return fmt.Sprintf("predicts %d of %d classes on the %s set; 95%% or more of its %d predictions fall in %d adjacent "+
		"class(es), IPDs %g to %g degrees", used, numClasses, set, n, bestHi-bestLo+1, -90+float64(bestLo)*width,
		-90+float64(bestHi+1)*width), nil
}
