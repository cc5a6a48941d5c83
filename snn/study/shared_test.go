package study

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
)

// TestSweepSharedCaches checks the copying of runs between plans' caches (Sweep.Shared): a run another
// cache holds under another condition name but the same configuration, fraction and seed is copied
// under this sweep's key (ReusedFrom naming its source) instead of trained, and its numbers are those
// that training it gives; runs the other cache lacks are trained; an entry that this sweep's rules
// reject (lacking a metric it needs), one of other numerics (even of the same revision, which a sweep's
// own cache would use as it is) and a damaged one are not copied, and a sweep that keeps models copies
// nothing (a copy brings no model).
func TestSweepSharedCaches(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	results := t.TempDir()
	dirA, dirB := filepath.Join(results, "a"), filepath.Join(results, "b")
	both := DaleConditions()[0]
	a := &Sweep{Base: base, Conditions: []Condition{both}, Fractions: []float64{0.5}, Seeds: []uint64{1, 2},
		CacheDir: dirA, Backend: gobackend.GetBackend(), Workers: 1}
	resA, err := a.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Sweep b: the same network under a tuned plan's name (its learning rate is the base's), seeds 1-3.
	renamed := WithLearningRate(both, base.LearningRate)
	newB := func(dir string, shared []string) (*Sweep, *int) {
		trained := new(int)
		s := &Sweep{Base: base, Conditions: []Condition{renamed}, Fractions: []float64{0.5}, Seeds: []uint64{1, 2, 3},
			CacheDir: dir, Backend: gobackend.GetBackend(), Workers: 1, Shared: shared,
			OnRun: func(done, total int, r RunResult, cached bool) {
				if !cached {
					*trained++
				}
			}}
		return s, trained
	}
	b, trainedB := newB(dirB, []string{dirB, dirA})
	resB, err := b.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *trainedB != 1 {
		t.Fatalf("sweep b trained %d runs; want 1 (seed 3), seeds 1 and 2 copied from a", *trainedB)
	}
	if len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "2 runs copied from other caches") {
		t.Errorf("sweep b's warnings %q; want one saying 2 runs were copied", b.Warnings)
	}
	for i, r := range resB {
		if r.Condition != renamed.Name || r.Seed != uint64(i+1) {
			t.Fatalf("sweep b's run %d has key %+v", i, r.RunKey)
		}
		if _, err := os.Stat(filepath.Join(dirB, entryName(r.RunKey, r.ConfigHash)+".json")); err != nil {
			t.Errorf("sweep b's run %d is not in its cache under its own name: %v", i, err)
		}
		if i < 2 {
			want := "a/" + entryName(resA[i].RunKey, resA[i].ConfigHash) + ".json"
			if r.ReusedFrom != want || r.TestAccuracy != resA[i].TestAccuracy || r.ConfigHash != resA[i].ConfigHash {
				t.Errorf("sweep b's seed %d: reused from %q (want %q), test accuracy %v (a's %v)", r.Seed, r.ReusedFrom, want,
					r.TestAccuracy, resA[i].TestAccuracy)
			}
		} else if r.ReusedFrom != "" {
			t.Errorf("sweep b's seed 3 was trained, yet records ReusedFrom %q", r.ReusedFrom)
		}
	}
	// The copies are the runs: trained afresh for b's own cache, they give the same numbers.
	fresh, trainedFresh := newB(filepath.Join(results, "fresh"), nil)
	resFresh, err := fresh.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *trainedFresh != 3 {
		t.Fatalf("a sweep without shared caches trained %d runs, want 3", *trainedFresh)
	}
	for i := range resFresh {
		f, c := resFresh[i], resB[i]
		if f.TestAccuracy != c.TestAccuracy || f.TrainAccuracy != c.TrainAccuracy || f.TestErrorDeg != c.TestErrorDeg {
			t.Errorf("seed %d: trained %v/%v/%v, copied %v/%v/%v", f.Seed, f.TrainAccuracy, f.TestAccuracy, f.TestErrorDeg,
				c.TrainAccuracy, c.TestAccuracy, c.TestErrorDeg)
		}
	}
	// A sweep that needs metrics a's runs lack trains its runs; a damaged entry of the right name is skipped.
	damaged := filepath.Join(results, "damaged")
	if err := os.MkdirAll(damaged, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(damaged, "x_"+resA[0].ConfigHash+".json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, trainedC := newB(filepath.Join(results, "c"), []string{damaged, dirA})
	c.Seeds, c.Extra, c.ExtraMetrics = []uint64{1}, AblationMetrics, AblationMetricNames()
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if *trainedC != 1 || len(c.Warnings) != 0 {
		t.Errorf("a sweep needing the ablation metrics trained %d runs (want 1), warnings %q", *trainedC, c.Warnings)
	}
	// An entry of other numerics of the same revision is not copied; nor is anything into a sweep with models.
	other := filepath.Join(results, "other-numerics")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	name := entryName(resA[0].RunKey, resA[0].ConfigHash) + ".json"
	data, err := os.ReadFile(filepath.Join(dirA, name))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `"numerics": "`+resA[0].Numerics+`"`, `"numerics": "`+resA[0].Numerics+`+another-build"`, 1)
	if edited == string(data) {
		t.Fatalf("the entry %s holds no numerics %q to edit", name, resA[0].Numerics)
	}
	if err := os.WriteFile(filepath.Join(other, name), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	d, trainedD := newB(filepath.Join(results, "d"), []string{other})
	d.Seeds = []uint64{1}
	if _, err := d.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	e, trainedE := newB(filepath.Join(results, "e"), []string{dirA})
	e.Seeds, e.ModelDir = []uint64{1}, filepath.Join(results, "e-models")
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if *trainedD != 1 || *trainedE != 1 {
		t.Errorf("trained %d runs with only an entry of other numerics to copy and %d keeping models; want 1 and 1", *trainedD, *trainedE)
	}
	// A copy holds what its own sweep computes: the ablation metrics of c's entry stay behind, in the result
	// and in the copy's cache entry.
	g, trainedG := newB(filepath.Join(results, "g"), []string{filepath.Join(results, "c")})
	g.Seeds = []uint64{1}
	resG, err := g.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile(filepath.Join(results, "g", entryName(resG[0].RunKey, resG[0].ConfigHash)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	saved, err := DecodeRunResult(data)
	if err != nil {
		t.Fatal(err)
	}
	if *trainedG != 0 || !strings.HasPrefix(resG[0].ReusedFrom, "c/") {
		t.Fatalf("sweep g trained %d runs, its run reused from %q; want a copy of c's", *trainedG, resG[0].ReusedFrom)
	}
	for _, r := range []RunResult{resG[0], saved} {
		if r.Extra != nil || r.ExtraVersion != "" {
			t.Errorf("a copy into a sweep without metrics carries %d metrics of version %q; want none", len(r.Extra), r.ExtraVersion)
		}
	}
}

// TestSharedCaches checks that SharedCaches lists the other plans' cache folders that exist, and not the
// sweep's own.
func TestSharedCaches(t *testing.T) {
	results := t.TempDir()
	for _, d := range []string{"sweep", "populations-tuned", "signs-tuned", "not-a-plan"} {
		if err := os.MkdirAll(filepath.Join(results, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got := SharedCaches(results, "signs-tuned")
	want := []string{filepath.Join(results, "sweep"), filepath.Join(results, "populations-tuned")}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("SharedCaches = %q, want %q", got, want)
	}
}

// TestSweepModelStore checks the rebuilding of runs from the models other sweeps trained (Sweep.Models):
// a sweep whose metrics the other plan's cache lacks rebuilds those runs from the stored models instead
// of training them (ReusedFrom naming the model, counted as read and reported in Warnings), trains the
// run no model is stored for, and every entry it writes equals, field for field but time and source,
// the entry of a sweep that trains every run with the same metrics (sets whose metrics read the
// trained and the initial model: ablation, populations). The runs stop early and restore their best
// epoch (so the kept epoch comes from the stored model's history). A damaged model is trained instead,
// with a warning; a model trained by other numerics is not used.
func TestSweepModelStore(t *testing.T) {
	base := tinyConfig()
	base.Epochs, base.EarlyStop, base.Patience = 6, snn.EarlyStopPatience, 1
	results := t.TempDir()
	store := filepath.Join(results, ".models")
	both := DaleConditions()[0]
	a := &Sweep{Base: base, Conditions: []Condition{both}, Fractions: []float64{0.5}, Seeds: []uint64{1, 2},
		CacheDir: filepath.Join(results, "a"), Backend: gobackend.GetBackend(), Workers: 1, Models: store}
	if _, err := a.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	renamed := WithLearningRate(both, base.LearningRate)
	// The first set's sweep b trains seed 3 and leaves its model too: the second's rebuilds all three.
	for k, set := range []Metrics{AblationSet, PopulationSet} {
		newSweep := func(dir string, shared []string, models string) (*Sweep, *int) {
			trained := new(int)
			s := &Sweep{Base: base, Conditions: []Condition{renamed}, Fractions: []float64{0.5}, Seeds: []uint64{1, 2, 3},
				CacheDir: filepath.Join(results, string(set), dir), Backend: gobackend.GetBackend(), Workers: 1, Shared: shared,
				Models: models, OnRun: func(done, total int, r RunResult, cached bool) {
					if !cached {
						*trained++
					}
				}}
			if err := set.Apply(s); err != nil {
				t.Fatal(err)
			}
			return s, trained
		}
		b, trainedB := newSweep("b", []string{a.CacheDir}, store)
		resB, err := b.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		restored := 0
		for _, r := range resB {
			if r.KeptEpoch < r.Epochs {
				restored++
			}
		}
		if restored == 0 {
			t.Errorf("%s: no run restored an earlier epoch (kept epochs %v): the test does not check KeptEpoch", set,
				[]int{resB[0].KeptEpoch, resB[1].KeptEpoch, resB[2].KeptEpoch})
		}
		wantTrained, wantRebuilt := 1-k, 2+k
		if *trainedB != wantTrained || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], fmt.Sprintf("%d runs rebuilt from the models", wantRebuilt)) {
			t.Errorf("%s: sweep b trained %d runs (want %d), warnings %q (want one saying %d were rebuilt)", set, *trainedB, wantTrained,
				b.Warnings, wantRebuilt)
		}
		fresh, trainedFresh := newSweep("fresh", nil, "")
		resFresh, err := fresh.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if *trainedFresh != 3 {
			t.Fatalf("%s: a sweep without shared caches or models trained %d runs, want 3", set, *trainedFresh)
		}
		for i, r := range resB {
			wantFrom := ""
			if i < wantRebuilt {
				wantFrom = filepath.Join(".models", StoreFile(r.ConfigHash, r.Numerics))
			}
			if r.ReusedFrom != wantFrom {
				t.Errorf("%s: seed %d records ReusedFrom %q, want %q", set, r.Seed, r.ReusedFrom, wantFrom)
			}
			f := resFresh[i]
			r.Seconds, f.Seconds, r.ReusedFrom = 0, 0, ""
			if !reflect.DeepEqual(r, f) {
				t.Errorf("%s: seed %d rebuilt\n%+v\ntrained\n%+v", set, r.Seed, r, f)
			}
		}
	}
	// A model of other numerics under the run's name is not used (the run is trained, without a warning);
	// a damaged one is not used either (the run is trained, with a warning); each is replaced.
	cfg1 := both.Apply(base, 0.5)
	cfg1.Seed = 1
	numerics, err := a.numerics(PlannedRun{Config: cfg1}, gobackend.GetBackend())
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(store, StoreFile(snn.ConfigKey(cfg1), numerics))
	m, err := snn.LoadCheckpoint(name)
	if err != nil {
		t.Fatal(err)
	}
	m.History.Numerics += "+another-build"
	for _, c := range []struct {
		what        string
		write       func() error
		wantWarning bool
	}{
		{"a model of other numerics", func() error { return snn.SaveCheckpoint(name, m) }, false},
		{"a damaged model", func() error { return os.WriteFile(name, []byte("not a checkpoint"), 0o644) }, true},
	} {
		if err := c.write(); err != nil {
			t.Fatal(err)
		}
		sw := &Sweep{Base: base, Conditions: []Condition{renamed}, Fractions: []float64{0.5}, Seeds: []uint64{1},
			CacheDir: filepath.Join(results, "c", c.what), Backend: gobackend.GetBackend(), Workers: 1, Models: store}
		if err := AblationSet.Apply(sw); err != nil {
			t.Fatal(err)
		}
		res, err := sw.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		warned := len(sw.Warnings) == 1 && strings.Contains(sw.Warnings[0], "model store")
		if res[0].ReusedFrom != "" || warned != c.wantWarning || len(sw.Warnings) > 1 {
			t.Errorf("with %s: ReusedFrom %q, warnings %q; want the run trained, warning about the store %v", c.what, res[0].ReusedFrom,
				sw.Warnings, c.wantWarning)
		}
		if got, err := snn.LoadCheckpoint(name); err != nil || got.History.Numerics != numerics {
			t.Errorf("with %s: the stored model was not replaced by the trained one: %v", c.what, err)
		}
	}
}

// TestSweepModelStoreUnwritable checks that a model store that cannot be written does not stop a sweep:
// its runs are trained and cached, and a warning says the store was not written.
func TestSweepModelStoreUnwritable(t *testing.T) {
	results := t.TempDir()
	store := filepath.Join(results, "store-is-a-file")
	if err := os.WriteFile(store, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Sweep{Base: tinyConfig(), Conditions: DaleConditions()[:1], Fractions: []float64{0.5}, Seeds: []uint64{1},
		CacheDir: filepath.Join(results, "a"), Backend: gobackend.GetBackend(), Workers: 1, Models: store}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatalf("a sweep with an unwritable model store: %v", err)
	}
	if len(res) != 1 || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "cannot be written") {
		t.Errorf("%d results, warnings %q; want 1 and one saying the store cannot be written", len(res), s.Warnings)
	}
}
