package ratenet

import (
	"os"
	"path/filepath"
	"strconv"
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
	if _, err := p.Run(t.Context(), RunOptions{Results: dir, CacheOnly: true}); err == nil || !strings.Contains(err.Error(), "CacheOnly") {
		t.Errorf("CacheOnly on an empty cache: %v", err)
	}
	tuned, err := p.Run(t.Context(), opts)
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
	opts.CacheOnly = true
	again, err := p.Run(t.Context(), opts)
	if err != nil || trained != 0 || again[2].Test[1].Test != tuned[2].Test[1].Test {
		t.Errorf("second run: %d trained, error %v, test %v against %v", trained, err, again[2].Test[1].Test, tuned[2].Test[1].Test)
	}
	// The numerics each entry records: a run of other numerics of the same revision (another backend) is
	// used as it is, with a note, unless Recompute; one of another revision or without numerics is not.
	if got, want := tuned[0].Test[0].Numerics, Numerics(opts.Backend); got != want || !strings.HasPrefix(got, "ratenet/1") {
		t.Errorf("a trained run records numerics %q, want %q", got, want)
	}
	file := filepath.Join(dir, p.Cache, "mlp@lr="+strconv.FormatFloat(tuned[0].Selected, 'g', -1, 64)+"_s11.json")
	original, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	current := Numerics(opts.Backend)
	for _, c := range []struct {
		numerics  string
		recompute bool
		used      bool
	}{
		{"ratenet/1+xla-cuda", false, true},
		{"ratenet/1+xla-cuda", true, false},
		{"ratenet/0+gomlx-avx512", false, false},
		{"", false, false},
	} {
		entry := strings.Replace(string(original), `"Numerics": "`+current+`"`, `"Numerics": "`+c.numerics+`"`, 1)
		if entry == string(original) {
			t.Fatalf("the entry %s does not record numerics %q", file, current)
		}
		if err := os.WriteFile(file, []byte(entry), 0o644); err != nil {
			t.Fatal(err)
		}
		var runs []Result
		o := opts
		o.Recompute = c.recompute
		o.OnRun = func(r Result, cached bool) { runs = append(runs, r) }
		_, err := p.Run(t.Context(), o)
		if c.used != (err == nil) {
			t.Errorf("a cached run of numerics %q (Recompute %v): used %v, want %v (error %v)", c.numerics, c.recompute, err == nil, c.used, err)
		}
		if err == nil {
			note := ForeignNote(runs, current)
			if !strings.Contains(note, `1 cached rate-network run(s) were computed by numerics "`+c.numerics+`"`) || !strings.Contains(note, current) {
				t.Errorf("note for one run of numerics %q: %q", c.numerics, note)
			}
		}
	}
	if note := ForeignNote(tuned[0].Test, current); note != "" {
		t.Errorf("runs of this build's numerics get a note: %q", note)
	}
	bad := p
	bad.TestSeeds = []uint64{101, 12, 13}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "seed 101") {
		t.Errorf("a tuning seed used for testing: %v", err)
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
