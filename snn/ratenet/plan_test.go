package ratenet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
)

// A plan's run on a small subset (1 epoch): every model tuned over the grid (extended where its best
// rate sits at an edge), the selection the highest mean final validation accuracy, the test runs at
// it, everything cached: a second run trains nothing and returns the same numbers.
func TestPlanRunTunesSelectsAndCaches(t *testing.T) {
	p := testPlan()
	d := smallData(t)
	dir := t.TempDir()
	trained := 0
	onRun := func(r Result, cached bool) {
		if !cached {
			trained++
		}
	}
	opts := RunOptions{Results: dir, Data: func() (*Data, error) { return d, nil }, Workers: 2, Backend: gobackend.GetBackend(), OnRun: onRun}
	if _, _, err := p.Run(t.Context(), RunOptions{Results: dir, CacheOnly: true}); err == nil || !strings.Contains(err.Error(), "CacheOnly") {
		t.Errorf("CacheOnly on an empty cache: %v", err)
	}
	if _, _, err := p.Run(t.Context(), RunOptions{Results: dir, Workers: -1}); err == nil || !strings.Contains(err.Error(), "Workers = -1") {
		t.Errorf("Workers -1: %v", err)
	}
	tuned, notes, err := p.Run(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tu := range tuned {
		best := tu.Curve[0]
		for _, pt := range tu.Curve {
			if pt.Mean > best.Mean {
				best = pt
			}
		}
		if tu.Selected != best.LearningRate {
			t.Errorf("%s selected %g, its curve's best is %g", tu.Kind, tu.Selected, best.LearningRate)
		}
		edge := tu.Selected == tu.Curve[0].LearningRate || tu.Selected == tu.Curve[len(tu.Curve)-1].LearningRate
		if edge && tu.Extended < p.MaxExtensions {
			t.Errorf("%s: selection %g at the edge of %d points after %d extensions (limit %d)", tu.Kind, tu.Selected, len(tu.Curve), tu.Extended, p.MaxExtensions)
		}
		if len(tu.Curve) != len(p.Grid)+tu.Extended || len(tu.Test) != 3 || tu.Test[0].Config.LearningRate != tu.Selected {
			t.Errorf("%s: %d curve points, %d test runs at %g", tu.Kind, len(tu.Curve), len(tu.Test), tu.Test[0].Config.LearningRate)
		}
	}
	files, _ := os.ReadDir(dir + "/" + p.Cache)
	if trained == 0 || len(files) != trained {
		t.Errorf("%d runs trained, %d cache files", trained, len(files))
	}
	trained = 0
	opts.CacheOnly, opts.Workers = true, 0 // 0: one worker per core
	again, _, err := p.Run(t.Context(), opts)
	if err != nil || trained != 0 || again[2].Test[1].Test != tuned[2].Test[1].Test {
		t.Errorf("second run: %d trained, error %v, test %v against %v", trained, err, again[2].Test[1].Test, tuned[2].Test[1].Test)
	}
	if got, want := tuned[0].Test[0].Numerics, Numerics(opts.Backend); got != want || !strings.HasPrefix(got, fmt.Sprintf("ratenet/%d", numericsRevision)) {
		t.Errorf("a trained run records numerics %q, want %q", got, want)
	}
	if len(notes) != 0 {
		t.Errorf("runs of this build's numerics get notes: %q", notes)
	}
	bad := p
	bad.TestSeeds = []uint64{101, 12, 13}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "seed 101") {
		t.Errorf("a tuning seed used for testing: %v", err)
	}
}

// TestPlanRunNumerics checks the numerics a plan's cache records: runs of other numerics of the same
// revision (another backend) are used as they are, with one note counting each run once (the plan below,
// whose rates are too small, extends every grid and reads its runs again at each extension), unless
// Recompute; runs of another revision or without numerics are not used.
func TestPlanRunNumerics(t *testing.T) {
	p := testPlan()
	p.Grid = []float64{1e-5, 3.16228e-5, 1e-4, 3.16228e-4, 1e-3}
	d := smallData(t)
	dir := t.TempDir()
	opts := RunOptions{Results: dir, Data: func() (*Data, error) { return d, nil }, Workers: 2, Backend: gobackend.GetBackend()}
	tuned, _, err := p.Run(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if tuned[0].Extended == 0 {
		t.Fatalf("no grid was extended (%s selected %g): this test needs runs read again", tuned[0].Kind, tuned[0].Selected)
	}
	current := Numerics(opts.Backend)
	files, err := filepath.Glob(filepath.Join(dir, p.Cache, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("cache files: %v, %v", files, err)
	}
	originals := map[string][]byte{}
	for _, f := range files {
		if originals[f], err = os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	rev := fmt.Sprintf("ratenet/%d", numericsRevision)
	opts.CacheOnly = true // a run that would be trained is an error
	for _, c := range []struct {
		numerics  string
		recompute bool
		used      bool
	}{
		{rev + "+xla-cuda", false, true},
		{rev + "+xla-cuda", true, false},
		{fmt.Sprintf("ratenet/%d+gomlx-avx512", numericsRevision+1), false, false},
		{"", false, false},
	} {
		for _, f := range files {
			entry := strings.Replace(string(originals[f]), `"Numerics": "`+current+`"`, `"Numerics": "`+c.numerics+`"`, 1)
			if entry == string(originals[f]) {
				t.Fatalf("the entry %s does not record numerics %q", f, current)
			}
			if err := os.WriteFile(f, []byte(entry), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		o := opts
		o.Recompute = c.recompute
		_, notes, err := p.Run(t.Context(), o)
		if c.used != (err == nil) {
			t.Errorf("cached runs of numerics %q (Recompute %v): used %v, want %v (error %v)", c.numerics, c.recompute, err == nil, c.used, err)
		}
		want := fmt.Sprintf(`%d cached run(s) were computed by numerics %q`, len(files), c.numerics)
		if err == nil && (len(notes) != 1 || !strings.Contains(notes[0], want) || !strings.Contains(notes[0], current)) {
			t.Errorf("notes for the %d runs of numerics %q: %q, want one saying %s", len(files), c.numerics, notes, want)
		}
	}
	// Unmixed: with every entry another build's, a run to add (one entry deleted) is refused before any
	// trains, naming both numerics; with the entry back the plan runs from the cache.
	foreign := rev + "+xla-cuda"
	for _, f := range files {
		entry := strings.Replace(string(originals[f]), `"Numerics": "`+current+`"`, `"Numerics": "`+foreign+`"`, 1)
		if err := os.WriteFile(f, []byte(entry), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(files[0]); err != nil {
		t.Fatal(err)
	}
	o := opts
	o.CacheOnly, o.Unmixed = false, true
	_, _, err = p.Run(t.Context(), o)
	want := fmt.Sprintf("holds runs that other numerics of the same revision computed (%d computed by numerics %q), and 1 run(s) would be added to it by "+
		"this build's numerics %q", len(files)-1, foreign, current)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Unmixed with one run to add: error %v, want one saying %s", err, want)
	}
	if _, err := os.Stat(files[0]); !os.IsNotExist(err) {
		t.Errorf("the refused run's entry %s: %v, want none", files[0], err)
	}
	if err := os.WriteFile(files[0], []byte(strings.Replace(string(originals[files[0]]), `"Numerics": "`+current+`"`,
		`"Numerics": "`+foreign+`"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.Run(t.Context(), o); err != nil {
		t.Errorf("Unmixed with every run cached: %v", err)
	}
}

// testPlan is a plan of the real plan's form, shortened to one epoch, one tuning seed and three test
// seeds.
func testPlan() Plan {
	return Plan{Name: "test", Kinds: []string{"mlp", "columnei", "dann"}, Hidden: Hidden{E: 100, I: 10},
		Grid: []float64{0.01, 0.0316228, 0.1, 0.316228, 1}, MaxExtensions: 2, TuningSeeds: []uint64{101},
		TestSeeds: []uint64{11, 12, 13}, Epochs: 1, BatchSize: 32, Validation: 10000,
		Pairs: [][2]string{{"dann", "mlp"}, {"columnei", "mlp"}, {"dann", "columnei"}}, Margin: 1, Cache: "test"}
}
