package snn

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

func TestMeanCI95(t *testing.T) {
	// By hand: mean 2, sd 1; t(0.975, 2) = 4.302652729911275 from a t table; half = t/sqrt(3).
	m, h := MeanCI95([]float64{1, 2, 3})
	if m != 2 || math.Abs(h-4.302652729911275/math.Sqrt(3)) > 1e-9 {
		t.Errorf("MeanCI95(1,2,3) = %v +- %v", m, h)
	}
	// Five values 0.7..0.74: mean 0.72, sd 0.0158114, t(0.975, 4) = 2.7764451051977987.
	m, h = MeanCI95([]float64{0.70, 0.71, 0.72, 0.73, 0.74})
	if math.Abs(m-0.72) > 1e-12 || math.Abs(h-2.7764451051977987*0.015811388300841896/math.Sqrt(5)) > 1e-9 {
		t.Errorf("MeanCI95 of five = %v +- %v", m, h)
	}
	if m, h := MeanCI95([]float64{0.5}); m != 0.5 || !math.IsNaN(h) {
		t.Errorf("one value: %v +- %v, want 0.5 +- NaN", m, h)
	}
}

// A small sweep runs every (condition, fraction, seed), caches each run, and a second call resumes from
// the cache with identical numbers and no training.
func TestSweepCachesAndResumes(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	dir := t.TempDir()
	s := &Sweep{Base: base, Conditions: append(DaleConditions()[:2], Unconstrained), Fractions: []float64{0, 0.5},
		Seeds: []uint64{1, 2}, CacheDir: dir, Backend: gobackend.GetBackend(), Workers: 2}
	trained := 0
	s.OnRun = func(done, total int, r RunResult, cached bool) {
		if !cached {
			trained++
		}
	}
	first, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 12 || trained != 12 {
		t.Fatalf("%d results, %d trained; want 12 and 12", len(first), trained)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 12 {
		t.Fatalf("%d cache files, want 12", len(files))
	}
	trained = 0
	second, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if trained != 0 {
		t.Errorf("the second run trained %d runs instead of reading the cache", trained)
	}
	for i := range first {
		if !reflect.DeepEqual(first[i], second[i]) {
			t.Errorf("run %d: %+v, then from the cache %+v", i, first[i], second[i])
		}
	}
	rows := Summarise(first)
	if len(rows) != 6 || rows[0].Condition != "both" || rows[0].Fraction != 0 || len(rows[0].Accuracies) != 2 {
		t.Fatalf("summary rows: %+v", rows)
	}
	// A damaged cache file is reported, not silently retrained.
	if err := os.WriteFile(files[0], []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged cache file: %v", err)
	}
}

func TestConfigKey(t *testing.T) {
	a, b := DefaultConfig(), DefaultConfig()
	if configKey(a) != configKey(b) {
		t.Error("equal configs, different keys")
	}
	b.Seed = 2
	c := DefaultConfig()
	c.InhibitoryFraction = 0.2
	if configKey(a) == configKey(b) || configKey(a) == configKey(c) || configKey(b) == configKey(c) {
		t.Error("different configs share a key")
	}
}

// Extra metrics (here the ablation accuracies) are computed per run, cached and summarised.
func TestSweepExtra(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	s := &Sweep{Base: base, Conditions: DaleConditions()[:1], Fractions: []float64{0.2}, Seeds: []uint64{1, 2},
		CacheDir: t.TempDir(), Backend: gobackend.GetBackend(), Extra: AblationMetrics}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		for _, c := range Cuts {
			if v, ok := r.Extra["ablate_"+string(c)]; !ok || v < 0 || v > 1 {
				t.Errorf("run %+v: ablate_%s = %v, %v", r.RunKey, c, v, ok)
			}
		}
	}
	again, _ := s.Run(context.Background())
	if again[0].Extra["ablate_notebook"] != res[0].Extra["ablate_notebook"] {
		t.Error("cached extra metrics differ")
	}
	rows := SummariseMetric(res, "ablate_excitatory")
	if len(rows) != 1 || len(rows[0].Accuracies) != 2 {
		t.Errorf("summary of ablate_excitatory: %+v", rows)
	}
}
