package study

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// tinyConfig is a configuration that trains in about a second.
func tinyConfig() snn.Config {
	c := snn.DefaultConfig()
	c.BatchSize, c.TrainBatches, c.ValidationBatches, c.TestBatches, c.Epochs = 16, 4, 2, 2, 2
	return c
}

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
	// A damaged entry, one of other numerics and one for another run are each reported and recomputed;
	// the others are read from the cache.
	if err := os.WriteFile(files[0], []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(files[1])
	if err := os.WriteFile(files[1], []byte(strings.Replace(string(old), `"numerics": "`+snn.NumericsVersion(snn.FormulationGoKernels)+`"`, `"numerics": "graph/0"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(files[2], old, 0o644); err != nil { // files[1]'s run under files[2]'s name
		t.Fatal(err)
	}
	trained = 0
	third, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if trained != 3 || len(s.Warnings) != 3 {
		t.Errorf("after damaging 3 entries: %d runs trained, warnings %q; want 3 and 3", trained, s.Warnings)
	}
	for i, want := range []string{"not a sweep cache entry", `numerics "graph/0"`, "holds run"} {
		if i < len(s.Warnings) && !strings.Contains(s.Warnings[i], want) {
			t.Errorf("warning %d %q lacks %q", i, s.Warnings[i], want)
		}
	}
	for i := range third {
		if third[i].TestAccuracy != first[i].TestAccuracy {
			t.Errorf("run %d recomputed to %v, first %v: the same seed must give the same numbers", i, third[i].TestAccuracy, first[i].TestAccuracy)
		}
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if r, err := DecodeRunResult(data); err != nil || r.Numerics != snn.NumericsVersion(snn.FormulationGoKernels) {
			t.Errorf("%s after the recompute: %v, numerics %q", f, err, r.Numerics)
		}
	}
}

func TestConfigKey(t *testing.T) {
	a, b := snn.DefaultConfig(), snn.DefaultConfig()
	if snn.ConfigKey(a) != snn.ConfigKey(b) {
		t.Error("equal configs, different keys")
	}
	b.Seed = 2
	c := snn.DefaultConfig()
	c.InhibitoryFraction = 0.2
	if snn.ConfigKey(a) == snn.ConfigKey(b) || snn.ConfigKey(a) == snn.ConfigKey(c) || snn.ConfigKey(b) == snn.ConfigKey(c) {
		t.Error("different configs share a key")
	}
}

// Extra metrics (here the ablation accuracies) are computed per run, cached and summarised.
func TestSweepExtra(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	dir := t.TempDir()
	s := &Sweep{Base: base, Conditions: DaleConditions()[:1], Fractions: []float64{0.2}, Seeds: []uint64{1, 2},
		CacheDir: dir, Backend: gobackend.GetBackend(), Extra: AblationMetrics}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		for _, name := range AblationMetricNames() {
			v, ok := r.Extra[name]
			if !ok || v < 0 || (v > 1 && !strings.HasPrefix(name, "matched_") && name != "cut_rows") {
				t.Errorf("run %+v: %s = %v, %v", r.RunKey, name, v, ok)
			}
		}
		if r.Extra["matched_other_ear"] != 37 || r.Extra["matched_max_delay_diff"] > probe.MatchDelayTolerance { // blocked 0.2: TestMatchedRows
			t.Errorf("run %+v: %v matched rows from the other ear (want 37), largest delay difference %v", r.RunKey,
				r.Extra["matched_other_ear"], r.Extra["matched_max_delay_diff"])
		}
	}
	// A cached run that lacks a metric now asked for is recomputed, not used without it.
	s2 := &Sweep{Base: base, Conditions: DaleConditions()[:1], Fractions: []float64{0.2}, Seeds: []uint64{1, 2},
		CacheDir: dir, Backend: gobackend.GetBackend(), Extra: func(x *snn.Experiment) (map[string]float64, error) {
			m, err := AblationMetrics(x)
			m["extra_new"] = 0.5
			return m, err
		}, ExtraMetrics: append(AblationMetricNames(), "extra_new")}
	res2, err := s2.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.Warnings) != 2 || !strings.Contains(s2.Warnings[0], `lacks the metric "extra_new"`) || res2[0].Extra["extra_new"] != 0.5 {
		t.Errorf("new metric: warnings %q, extra_new %v", s2.Warnings, res2[0].Extra["extra_new"])
	}
	// Metrics computed under another definition are recomputed too.
	s2.ExtraVersion, s2.Warnings = "v9", nil
	if _, err := s2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(s2.Warnings) != 2 || !strings.Contains(s2.Warnings[0], `definition "", not the current "v9"`) {
		t.Errorf("new metric definition: warnings %q", s2.Warnings)
	}
	// A definition per configuration (ExtraVersionOf) recomputes only the runs whose definition changed:
	// here seed 2's.
	s2.ExtraVersionOf, s2.Warnings = func(c snn.Config) string {
		if c.Seed == 2 {
			return "v10"
		}
		return "v9"
	}, nil
	if _, err := s2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(s2.Warnings) != 1 || !strings.Contains(s2.Warnings[0], "_s2_") || !strings.Contains(s2.Warnings[0], `not the current "v10"`) {
		t.Errorf("per-configuration definitions: warnings %q", s2.Warnings)
	}
	st, err := s2.Status()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range st {
		if r.State != Done {
			t.Errorf("after the per-configuration recompute, run %+v is %s (%s)", r.Key, r.State, r.Detail)
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

// Two sweeps writing one cache at once (as two cluster tasks given the same runs would) leave one good
// entry per run and no temporary files.
func TestSweepConcurrentWriters(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	dir := t.TempDir()
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		go func() {
			s := &Sweep{Base: base, Conditions: DaleConditions()[:1], Fractions: []float64{0.2, 0.5}, Seeds: []uint64{1, 2},
				CacheDir: dir, Backend: gobackend.GetBackend(), Workers: 1}
			_, err := s.Run(context.Background())
			errs <- err
		}()
	}
	for w := 0; w < 2; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	all, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(all) != 4 {
		t.Fatalf("cache holds %v, want 4 entries and nothing else", all)
	}
	for _, f := range all {
		data, _ := os.ReadFile(f)
		if _, err := DecodeRunResult(data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// The cache reader never panics and names what is wrong.
func FuzzDecodeRunResult(f *testing.F) {
	f.Add([]byte(`{"condition":"both","fraction":0.2,"seed":1,"train_accuracy":0.8,"test_accuracy":0.7,"config_hash":"ab","numerics":"go-kernels/1"}`))
	f.Add([]byte(`{not json`))
	f.Add([]byte(`{"condition":"both","config_hash":"ab","test_accuracy":7}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"condition":"both","fraction":0.5,"seed":1,"train_accuracy":0.9,"test_accuracy":0.8,"test_error_deg":4.5,"epochs":50,"kept_epoch":50,"config_hash":"ab"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeRunResult(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "study: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			return
		}
		if r.Condition == "" || r.ConfigHash == "" || !(r.TestAccuracy >= 0 && r.TestAccuracy <= 1) ||
			!(r.TrainAccuracy >= 0 && r.TrainAccuracy <= 1) || !(r.TestErrorDeg >= 0 && r.TestErrorDeg <= 180) {
			t.Errorf("accepted an entry without its fields in range: %+v", r)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil {
			t.Fatalf("accepted an entry that is not a JSON object: %v", err)
		}
		for _, k := range runRequired {
			if _, ok := fields[k]; !ok {
				t.Errorf("accepted an entry without %s", k)
			}
		}
	})
}

// Plan, run a subset, status and collect: the pieces a cluster's job array is built on.
func TestPlanRunStatusCollect(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	dir := t.TempDir()
	fail := true
	s := &Sweep{Base: base, Conditions: DaleConditions()[:2], Fractions: []float64{0.2, 0.5}, Seeds: []uint64{1, 2},
		CacheDir: dir, Backend: gobackend.GetBackend(), Workers: 1,
		Extra: func(x *snn.Experiment) (map[string]float64, error) {
			if fail && x.Config.Seed == 2 && x.Config.InhibitoryFraction == 0.5 {
				return nil, os.ErrDeadlineExceeded
			}
			return map[string]float64{"m": 0.5}, nil
		}, ExtraMetrics: []string{"m"}}
	plan, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 8 || plan[3].Key != (RunKey{"both", 0.5, 2}) || plan[4].Key != (RunKey{"input", 0.2, 1}) {
		t.Fatalf("plan order: %+v", plan)
	}
	// Shards cover the plan exactly once.
	seen := map[int]int{}
	for i := 0; i < 3; i++ {
		idx, err := Shard(i, 3, len(plan))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range idx {
			seen[k]++
		}
	}
	for k := range plan {
		if seen[k] != 1 {
			t.Errorf("index %d in %d shards", k, seen[k])
		}
	}
	if _, err := Shard(3, 3, 8); err == nil {
		t.Error("shard 3 of 3 accepted")
	}
	// Shard 0 of 2 runs indices 0-3; index 3 fails.
	idx, _ := Shard(0, 2, len(plan))
	if _, err := s.RunIndices(context.Background(), idx); err == nil {
		t.Fatal("the failing run did not fail the shard")
	}
	states, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	count := map[State]int{}
	for _, st := range states {
		count[st.State]++
	}
	if count[Done] != 3 || count[Failed] != 1 || count[Missing] != 4 || states[3].State != Failed ||
		!strings.Contains(states[3].Detail, "i/o timeout") {
		t.Errorf("status after shard 0: %v, run 3: %+v", count, states[3])
	}
	done, notDone, _ := s.Collect()
	if len(done) != 3 || len(notDone) != 5 {
		t.Errorf("collect: %d done, %d not", len(done), len(notDone))
	}
	// The retry succeeds, clears the failure, and completes only what is missing.
	fail = false
	res, err := s.RunIndices(context.Background(), nil)
	if err != nil || len(res) != 8 {
		t.Fatalf("retry: %d results, %v", len(res), err)
	}
	if _, err := os.Stat(plan[3].File + failedSuffix); !os.IsNotExist(err) {
		t.Errorf("failure marker left after success: %v", err)
	}
	if _, err := s.RunIndices(context.Background(), []int{8}); err == nil || !strings.Contains(err.Error(), "index 8") {
		t.Errorf("index outside the plan: %v", err)
	}
	// A temporary file left by a killed writer is removed once old, never while fresh.
	tmp := filepath.Join(dir, "x.json.tmp-123")
	os.WriteFile(tmp, []byte("{"), 0o644)
	if n, _ := s.RemoveStaleTemps(time.Minute); n != 0 {
		t.Error("a fresh temporary file was removed")
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(tmp, old, old)
	if n, _ := s.RemoveStaleTemps(time.Minute); n != 1 {
		t.Error("an old temporary file was kept")
	}
}

// A cached run computed by another backend's numerics of the same revision (here "single-graph/1+xla-cuda",
// as a CUDA machine would stamp it) is used as it is, and the sweep says how many and by which numerics;
// Status calls it done and says so. With Recompute it is retrained; a run of another revision ("go-kernels/0")
// is retrained either way.
func TestSweepUsesOtherBackendsCache(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	dir := t.TempDir()
	s := &Sweep{Base: base, Conditions: DaleConditions()[:1], Fractions: []float64{0.5}, Seeds: []uint64{1, 2, 3},
		CacheDir: dir, Backend: gobackend.GetBackend(), Workers: 1}
	first, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	current := first[0].Numerics
	rev := current[strings.Index(current, "/")+1:]
	if i := strings.Index(rev, "+"); i >= 0 {
		rev = rev[:i]
	}
	foreign := "single-graph/" + rev + "+xla-cuda"
	plan, _ := s.Plan()
	restamp := func(p PlannedRun, numerics string) {
		data, err := os.ReadFile(p.File)
		if err != nil {
			t.Fatal(err)
		}
		data = []byte(strings.Replace(string(data), `"numerics": "`+current+`"`, `"numerics": "`+numerics+`"`, 1))
		if err := os.WriteFile(p.File, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	restamp(plan[0], foreign)
	restamp(plan[1], foreign)
	restamp(plan[2], "go-kernels/0")
	trained := 0
	s.OnRun = func(done, total int, r RunResult, cached bool) {
		if !cached {
			trained++
		}
	}
	states, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	if states[0].State != Done || !strings.Contains(states[0].Detail, foreign) || states[2].State != Stale {
		t.Errorf("status: %s %q, %s %q; want done (naming %s), stale", states[0].State, states[0].Detail,
			states[2].State, states[2].Detail, foreign)
	}
	if fc, err := s.ForeignNumerics(states); err != nil || len(fc) != 1 ||
		fc[0] != (ForeignCount{Have: foreign, Current: current, Runs: 2}) {
		t.Errorf("ForeignNumerics: %+v, %v; want the 2 runs of %s against %s", fc, err, foreign, current)
	}
	second, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if trained != 1 {
		t.Errorf("%d runs retrained, want 1 (the other revision's)", trained)
	}
	if second[0].Numerics != foreign || second[1].Numerics != foreign || second[2].Numerics != current {
		t.Errorf("numerics after the run: %q %q %q; want %q %q %q", second[0].Numerics, second[1].Numerics,
			second[2].Numerics, foreign, foreign, current)
	}
	var note string
	for _, w := range s.Warnings {
		if strings.Contains(w, "used as they are") {
			note = w
		}
	}
	if !strings.HasPrefix(note, "2 cached run(s) were computed by numerics \""+foreign+"\"") || !strings.Contains(note, current) {
		t.Errorf("warnings %q: want a note on the 2 runs of %s", s.Warnings, foreign)
	}
	// Unmixed: adding a run to a cache that holds another build's refuses before any work, naming both
	// numerics; with every run cached, or with Recompute, it runs.
	s.Unmixed, s.Seeds, trained = true, []uint64{1, 2, 3, 4}, 0
	if _, err := s.Run(context.Background()); err == nil || trained != 0 ||
		!strings.Contains(err.Error(), fmt.Sprintf("2 computed by numerics %q", foreign)) ||
		!strings.Contains(err.Error(), "1 run(s) would be added to it by this build's numerics \""+current+"\"") {
		t.Errorf("Unmixed, a fourth seed to train: %d trained, error %v; want a refusal naming the 2 runs of %s and %s",
			trained, err, foreign, current)
	}
	if plan4, _ := s.Plan(); len(plan4) != 4 {
		t.Fatalf("a plan of %d runs, want 4", len(plan4))
	} else if _, err := os.Stat(plan4[3].File); !os.IsNotExist(err) {
		t.Errorf("the refused run's entry %s: %v, want none", plan4[3].File, err)
	}
	s.Seeds = []uint64{1, 2, 3}
	if _, err := s.Run(context.Background()); err != nil || trained != 0 {
		t.Errorf("Unmixed, every run cached: %d trained, error %v; want it to run", trained, err)
	}
	// Another sweep writing to the same folder (a tuned plan's test sweep beside its tuning runs), whose own
	// runs are all missing, is refused too: the other numerics are counted over the whole folder.
	other := &Sweep{Base: base, Conditions: DaleConditions()[:1], Fractions: []float64{0.5}, Seeds: []uint64{7},
		CacheDir: dir, Backend: gobackend.GetBackend(), Workers: 1, Unmixed: true}
	if _, err := other.Run(context.Background()); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("2 computed by numerics %q", foreign)) {
		t.Errorf("Unmixed, another sweep's runs of other numerics in the folder: error %v, want a refusal", err)
	}
	s.Recompute, s.Warnings, trained = true, nil, 0
	third, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if trained != 2 || third[0].Numerics != current || third[0].TestAccuracy != first[0].TestAccuracy {
		t.Errorf("with Recompute: %d retrained (want 2), numerics %q, accuracy %v (first %v)", trained,
			third[0].Numerics, third[0].TestAccuracy, first[0].TestAccuracy)
	}
}

// A run records the validation accuracy of every epoch and the epoch whose weights it kept (here under the
// patience rule, which always restores its best epoch); EarlyStopNote names the runs that trained fewer
// epochs than planned, with the epoch they kept where recorded.
func TestEarlyStopRecorded(t *testing.T) {
	base := tinyConfig()
	base.Epochs, base.EarlyStop, base.Patience = 3, snn.EarlyStopPatience, 1
	s := &Sweep{Base: base, Conditions: DaleConditions()[:1], Fractions: []float64{0.5}, Seeds: []uint64{1, 2},
		Backend: gobackend.GetBackend(), Workers: 1}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if len(r.ValAccuracy) != r.Epochs || r.KeptEpoch < 1 || r.KeptEpoch > r.Epochs {
			t.Errorf("seed %d: %d epochs, %d validation accuracies, kept epoch %d", r.Seed, r.Epochs, len(r.ValAccuracy), r.KeptEpoch)
		}
	}
	runs := []RunResult{
		{RunKey: RunKey{"pop-abs-seedscale", 0.5, 2}, Epochs: 12, TestAccuracy: 0.072265625}, // a cached entry: no kept epoch
		{RunKey: RunKey{"both", 1, 1}, Epochs: 12, KeptEpoch: 1, TestAccuracy: 0.0825},
		{RunKey: RunKey{"both", 0.5, 1}, Epochs: 50, KeptEpoch: 50, TestAccuracy: 0.72},
	}
	runs = append(runs, RunResult{RunKey: RunKey{"both", 1, 2}, Epochs: 14, KeptEpoch: 3, TestAccuracy: 0.0723})
	want := "Stopped early and kept the weights of their best validation epoch (the original notebook's early-stopping rule, the default protocol's): " +
		"pop-abs-seedscale at fraction 0.5, seed 2 (after 12 of 50 epochs; test 7.2%); " +
		"both at fraction 1, seeds 1, 2 (after 12 to 14 of 50 epochs, kept epoch 1 to 3; test 7.2 to 8.2%)."
	if got := EarlyStopNote(runs, 50); got != want {
		t.Errorf("EarlyStopNote:\n got %q\nwant %q", got, want)
	}
	if got := EarlyStopNote(runs[2:3], 50); got != "" {
		t.Errorf("no run stopped early, note %q", got)
	}
}

// A CacheOnly sweep trains nothing: on an empty cache it names the missing run and writes no file (nor
// the folder); on a filled cache it returns the cached runs.
func TestSweepCacheOnly(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	dir := filepath.Join(t.TempDir(), "cache")
	s := &Sweep{Base: base, Conditions: []Condition{Unconstrained}, Fractions: []float64{UnconstrainedFraction},
		Seeds: []uint64{1}, CacheDir: dir, Backend: gobackend.GetBackend(), Workers: 1, CacheOnly: true}
	if _, err := s.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "unconstrained") ||
		!strings.Contains(err.Error(), "trains nothing") {
		t.Fatalf("CacheOnly on an empty cache: error %v, want one naming the run and saying nothing is trained", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("CacheOnly created the cache folder %s (stat error %v)", dir, err)
	}
	// On an existing folder it writes nothing either (no failure marker).
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background()); err == nil {
		t.Fatal("CacheOnly on an empty cache folder succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("CacheOnly wrote %d files into the cache (%s)", len(entries), entries[0].Name())
	}
	s.CacheOnly = false
	first, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.CacheOnly = true
	again, err := s.Run(context.Background())
	if err != nil || len(again) != 1 || again[0].TestAccuracy != first[0].TestAccuracy {
		t.Fatalf("CacheOnly on the filled cache: %v, %v; want the cached run %v", again, err, first)
	}
}

// A cache entry must hold every required field, in range (issue 24: an entry with its key fields but no
// accuracies counted as a finished run at 0%; a hand-edited value printed as 750%).
func TestDecodeRunResultRequiresFieldsInRange(t *testing.T) {
	good := `{"condition": "both", "fraction": 0.5, "seed": 1, "train_accuracy": 0.9, "test_accuracy": 0.8,
		"test_error_deg": 4.5, "epochs": 50, "kept_epoch": 50, "config_hash": "ab"}`
	if _, err := DecodeRunResult([]byte(good)); err != nil {
		t.Fatalf("a good entry: %v", err)
	}
	for _, c := range []struct{ entry, want string }{
		{`{"condition": "both", "fraction": 0.5, "seed": 1, "epochs": 50, "config_hash": "ab"}`,
			"lacks train_accuracy, test_accuracy, test_error_deg"},
		{strings.Replace(good, `"test_accuracy": 0.8`, `"test_accuracy": 7.5`, 1), "test_accuracy = 7.5"},
		{strings.Replace(good, `"test_error_deg": 4.5`, `"test_error_deg": -1`, 1), "test_error_deg = -1"},
		{strings.Replace(good, `"epochs": 50`, `"epochs": 0`, 1), "epochs = 0"},
		{strings.Replace(good, `"kept_epoch": 50`, `"kept_epoch": 51`, 1), "kept_epoch = 51 of 50"},
		{strings.Replace(good, `"fraction": 0.5`, `"fraction": 2`, 1), "fraction = 2"},
		{strings.Replace(good, `"config_hash": "ab"`, `"config_hash": "ab", "val_accuracy": [0.5, 1.5]`, 1), "val_accuracy[1] = 1.5"},
		{strings.Replace(good, `"config_hash": "ab"`, `"config_hash": "ab", "extra": {"ablate_notebook": 7.5}`, 1),
			"extra metric ablate_notebook = 7.5, want an accuracy in [0, 1]"},
		{strings.Replace(good, `"config_hash": "ab"`, `"config_hash": "ab", "extra": {"silent_trained": -0.1}`, 1), "silent_trained = -0.1"},
		{strings.Replace(good, `"config_hash": "ab"`, `"config_hash": "ab", "extra": {"nse_init_w1": 1.2}`, 1), "nse_init_w1 = 1.2"},
		{strings.Replace(good, `"config_hash": "ab"`, `"config_hash": "ab", "extra": {"rate_init": -3}`, 1), "rate_init = -3"},
	} {
		if _, err := DecodeRunResult([]byte(c.entry)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("entry %s: error %v, want one containing %q", c.entry, err, c.want)
		}
	}
}

// Every Extra metric the committed caches hold is in its range (metricRanges), and every metric the
// package's metric sets compute has one.
func TestMetricRangesCoverTheMetrics(t *testing.T) {
	names := append(AblationMetricNames(), SpectrumMetricNames()...)
	names = append(names, "inh_share_init", "inh_share_trained", "exc_uniform", "inh_cut")
	for _, n := range names {
		if _, ok := rangeOf(n); !ok {
			t.Errorf("metric %s has no range", n)
		}
	}
	if _, ok := rangeOf("made_up"); ok {
		t.Error("an unknown metric has a range")
	}
}

// Status never blocks or calls an unreadable entry "missing" (issue 24: a FIFO in the cache made status
// hang): a FIFO and a folder where entries belong are Stale, each with the reason.
func TestStatusOfUnreadableEntries(t *testing.T) {
	base := tinyConfig()
	dir := t.TempDir()
	s := &Sweep{Base: base, Conditions: []Condition{Unconstrained}, Fractions: []float64{UnconstrainedFraction},
		Seeds: []uint64{1, 2}, CacheDir: dir, Backend: gobackend.GetBackend()}
	plan, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(plan[0].File, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(plan[1].File, 0o755); err != nil {
		t.Fatal(err)
	}
	done := make(chan []RunState, 1)
	go func() {
		st, err := s.Status()
		if err != nil {
			t.Error(err)
		}
		done <- st
	}()
	select {
	case st := <-done:
		for i, want := range []string{"is not a regular file (mode p", "is not a regular file (mode d"} {
			if st[i].State != Stale || !strings.Contains(st[i].Detail, want) {
				t.Errorf("run %d: %s %q, want stale with %q", i, st[i].State, st[i].Detail, want)
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Status blocked on a FIFO in the cache")
	}
}

// A grid that would count a run twice or print two rows as one is refused by Plan, before any run
// (issue 24): a repeated condition or seed, a repeated fraction, fractions that print alike at 2 decimals;
// so is a negative number of workers (it used to mean one per core, silently).
func TestSweepRefusesRepeats(t *testing.T) {
	both, _ := ConditionByName("both")
	for _, c := range []struct {
		s    Sweep
		want string
	}{
		{Sweep{Conditions: []Condition{both, both}, Fractions: []float64{0.5}, Seeds: []uint64{1}}, `condition "both" is listed twice`},
		{Sweep{Conditions: []Condition{both}, Fractions: []float64{0.5}, Seeds: []uint64{1, 2, 1}}, "seed 1 is listed twice"},
		{Sweep{Conditions: []Condition{both}, Fractions: []float64{0.2, 0.5, 0.2}, Seeds: []uint64{1}}, "fraction 0.2 is listed twice"},
		{Sweep{Conditions: []Condition{both}, Fractions: []float64{0.2, 0.204}, Seeds: []uint64{1}}, "fractions 0.2 and 0.204 both print as 0.20"},
		{Sweep{Conditions: []Condition{both}, Fractions: []float64{0.5}, Seeds: []uint64{1}, Workers: -1}, "Workers = -1 is invalid: want 0 (one per core) or more"},
	} {
		c.s.Base = tinyConfig()
		if _, err := c.s.Plan(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error containing %q", c.s.Fractions, err, c.want)
		}
	}
	ok := Sweep{Base: tinyConfig(), Conditions: []Condition{both}, Fractions: []float64{0.2, 0.21}, Seeds: []uint64{1, 2}}
	if _, err := ok.Plan(); err != nil {
		t.Errorf("fractions 0.2 and 0.21: %v", err)
	}
}

// A cache folder that cannot be written is found before a run trains: the sweep stops at once with an
// error that says nothing was trained (issue 24: it used to be found when the trained run was saved).
// /proc/1 is a folder in which even root cannot create a file.
func TestSweepRefusesUnwritableCacheBeforeTraining(t *testing.T) {
	if err := os.WriteFile("/proc/1/probe", nil, 0o644); err == nil {
		t.Fatal("/proc/1 is writable here: the test needs a folder that is not")
	}
	both, _ := ConditionByName("both")
	base := tinyConfig()
	base.Epochs = 50
	s := &Sweep{Base: base, Conditions: []Condition{both}, Fractions: []float64{0.5}, Seeds: []uint64{1}, CacheDir: "/proc/1", Workers: 1}
	trained := false
	s.OnRun = func(int, int, RunResult, bool) { trained = true }
	start := time.Now()
	_, err := s.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "nothing was trained") || !strings.Contains(err.Error(), "/proc/1") {
		t.Fatalf("unwritable cache: %v", err)
	}
	if trained || time.Since(start) > 5*time.Second {
		t.Errorf("a run trained (%v) or the refusal took %s", trained, time.Since(start))
	}
}

// A condition's own formulation decides how its runs are computed and the numerics they are cached
// under when the sweep leaves the choice to the backend: a network pinned to the single graph stays
// there, the LIF-inhibition conditions (pinned until plan populations-lif's amendment) and the same
// network unpinned go to the Go kernels, and a sweep that names a formulation overrides the pin.
func TestConditionFormulation(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	pinned := Condition{Name: "lif-pinned", Apply: PopulationLIF.Apply, Formulation: snn.FormulationGraph}
	for _, tc := range []struct {
		sweep snn.Formulation
		cond  Condition
		want  snn.Formulation
	}{
		{snn.FormulationAuto, pinned, snn.FormulationGraph},
		{snn.FormulationAuto, WithLearningRate(pinned, 0.01), snn.FormulationGraph},
		{snn.FormulationAuto, PopulationLIF, snn.FormulationGoKernels},
		{snn.FormulationAuto, WithLearningRate(PopulationLIFBalancedStepCorr, 0.01), snn.FormulationGoKernels},
		{snn.FormulationGoKernels, pinned, snn.FormulationGoKernels},
	} {
		s := &Sweep{Base: base, Conditions: []Condition{tc.cond}, Fractions: []float64{0.5}, Seeds: []uint64{1},
			CacheDir: t.TempDir(), Backend: gobackend.GetBackend(), Workers: 1, Formulation: tc.sweep}
		got, err := s.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := snn.NumericsVersion(tc.want); len(got) != 1 || got[0].Numerics != want {
			t.Errorf("sweep %q, condition %s: numerics %q, want %q", tc.sweep, tc.cond.Name, got[0].Numerics, want)
		}
		// The cached run is current for the same sweep (nothing retrained).
		s.CacheOnly = true
		if _, err := s.Run(context.Background()); err != nil {
			t.Errorf("sweep %q, condition %s: the cached run is not current: %v", tc.sweep, tc.cond.Name, err)
		}
	}
}

// A sweep's workers take its runs seed by seed (seedMajor: a permutation of the plan, seeds
// non-decreasing, plan order within a seed); its runs share their seed's data sets (snn.DataCache: one
// generation per seed) and give the numbers of runs that draw their own.
func TestSweepSharesDataBySeed(t *testing.T) {
	base := tinyConfig()
	base.Epochs = 1
	s := &Sweep{Base: base, Conditions: append(DaleConditions()[:2], Unconstrained), Fractions: []float64{0.5},
		Seeds: []uint64{3, 1, 2}, Backend: gobackend.GetBackend(), Workers: 2}
	plan, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	order := seedMajor(plan)
	seen := map[int]bool{}
	for k, i := range order {
		seen[i] = true
		if k > 0 {
			a, b := plan[order[k-1]], plan[i]
			if a.Config.Seed > b.Config.Seed || (a.Config.Seed == b.Config.Seed && order[k-1] > i) {
				t.Fatalf("seedMajor: run %d (seed %d) is taken after run %d (seed %d)", i, b.Config.Seed, order[k-1], a.Config.Seed)
			}
		}
	}
	if len(seen) != len(plan) || len(order) != len(plan) {
		t.Fatalf("seedMajor returned %d indices, %d distinct, for %d runs", len(order), len(seen), len(plan))
	}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.data != nil {
		t.Error("the sweep keeps its data sets after Run")
	}
	if s.dataGenerated != len(s.Seeds) {
		t.Errorf("the sweep's %d runs generated %d data configurations, want one per seed (%d)", len(plan), s.dataGenerated, len(s.Seeds))
	}
	for i, p := range plan {
		x, err := snn.RunExperiment(context.Background(), p.Config, snn.TrainOptions{Backend: gobackend.GetBackend()})
		if err != nil {
			t.Fatal(err)
		}
		r := res[i]
		if r.RunKey != p.Key || r.TrainAccuracy != x.TrainEval.Accuracy || r.TestAccuracy != x.TestEval.Accuracy ||
			!reflect.DeepEqual(r.ValAccuracy, x.Trained.History.ValAccuracy) {
			t.Errorf("run %v: train %v test %v val %v in the sweep; alone: train %v test %v val %v", p.Key, r.TrainAccuracy,
				r.TestAccuracy, r.ValAccuracy, x.TrainEval.Accuracy, x.TestEval.Accuracy, x.Trained.History.ValAccuracy)
		}
	}
}

// foreignEntries counts the entries of current's revision computed on another backend or vector path, by
// numerics; another formulation on the same path, another revision, and files without numerics are not.
func TestForeignEntries(t *testing.T) {
	dir := t.TempDir()
	for name, numerics := range map[string]string{"a": "go-kernels/1+gomlx-avx512", "b": "single-graph/1+gomlx-avx512",
		"c": "go-kernels/1+gomlx-avx2", "d": "single-graph/1+xla-cuda", "e": "go-kernels/1+xla-cuda", "f": "go-kernels/0+gomlx-avx2",
		"g": "go-kernels/1"} {
		if err := os.WriteFile(filepath.Join(dir, name+".json"), []byte(`{"numerics": "`+numerics+`"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "plan.json"), []byte(`{"name": "x"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"numer`), 0o644)
	got, err := foreignEntries(dir, "go-kernels/1+gomlx-avx512")
	want := map[string]int{"go-kernels/1+gomlx-avx2": 1, "single-graph/1+xla-cuda": 1, "go-kernels/1+xla-cuda": 1, "go-kernels/1": 1}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("foreignEntries = %v, %v; want %v", got, err, want)
	}
}
