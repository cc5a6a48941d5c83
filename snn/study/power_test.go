package study

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SeedsFromSpread, on the committed tuning runs of plan populations-tuned, equals the rule computed here
// from the cache files directly: the last-epoch validation accuracies of pop-abs-stepcorr and pop-abs at
// their selected rate (the one their test seeds ran at) on tuning seeds 101-103, their paired sd, its 80%
// upper bound in closed form for 2 degrees of freedom (chi-square(2) quantile -2 ln 0.8), and the seeds
// TOST needs within ±3 points at level 0.05/m with 80% power, at least 10; a larger family needs more.
func TestSeedsFromSpread(t *testing.T) {
	p, _ := TunedPlanByName("populations-tuned")
	results := filepath.Join("..", "..", "notebooks", "results")
	tuned, test, _, err := p.Run(context.Background(), results, RunOptions{Workers: 1, CacheOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.Outcome(tuned, test)
	if err != nil {
		t.Fatal(err)
	}
	val := func(cond string, seed int) float64 {
		files, _ := filepath.Glob(filepath.Join(results, p.Cache, cond+"@lr=*_f0.500_s11_*.json"))
		if len(files) != 1 {
			t.Fatalf("%s: %d test-seed files", cond, len(files))
		}
		lr := strings.SplitN(strings.TrimPrefix(filepath.Base(files[0]), cond+"@lr="), "_", 2)[0]
		files, _ = filepath.Glob(filepath.Join(results, p.Cache, fmt.Sprintf("%s@lr=%s_f0.500_s%d_*.json", cond, lr, seed)))
		if len(files) != 1 {
			t.Fatalf("%s at %s, seed %d: %d files", cond, lr, seed, len(files))
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Val []float64 `json:"val_accuracy"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return r.Val[len(r.Val)-1]
	}
	var d []float64
	for _, s := range []int{101, 102, 103} {
		d = append(d, val("pop-abs-stepcorr", s)-val("pop-abs", s))
	}
	_, sd := MeanSD(d)
	upper := sd * math.Sqrt(2/(-2*math.Log(0.8)))
	prev := 0
	for _, m := range []int{1, 2, 4} {
		want, err := SeedsForEquivalence(upper, 0.03, 0.05/float64(m), 0.8)
		if err != nil || want == 0 {
			t.Fatalf("m=%d: %d, %v", m, want, err)
		}
		want = max(want, 10)
		got, err := o.SeedsFromSpread([2]string{"pop-abs-stepcorr", "pop-abs"}, m)
		if err != nil || got != want {
			t.Errorf("m=%d: SeedsFromSpread %d (%v), from the files %d", m, got, err, want)
		}
		if got < prev {
			t.Errorf("m=%d: %d seeds, fewer than for a smaller family (%d)", m, got, prev)
		}
		prev = got
	}
	if _, err := o.SeedsFromSpread([2]string{"pop-abs-stepcorr", "pop-abs"}, 0); err == nil {
		t.Error("a family of 0 comparisons: no error")
	}
}
