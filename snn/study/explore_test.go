package study

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// committedAccuracies reads, straight from the committed cache files named by pattern (a glob under
// notebooks/results), the test accuracy of each seed: what the panel must show for a selection whose
// runs those files hold.
func committedAccuracies(t *testing.T, pattern string) map[uint64]float64 {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "notebooks", "results", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: no files (%v)", pattern, err)
	}
	out := map[uint64]float64{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Seed uint64  `json:"seed"`
			Acc  float64 `json:"test_accuracy"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		out[r.Seed] = r.Acc
	}
	return out
}

func samePoint(t *testing.T, what string, p Point, want map[uint64]float64) {
	t.Helper()
	if len(p.Seeds) != len(want) {
		t.Fatalf("%s: seeds %v, want %d seeds %v", what, p.Seeds, len(want), want)
	}
	for i, s := range p.Seeds {
		if w, ok := want[s]; !ok || p.Accuracies[i] != w {
			t.Errorf("%s seed %d: accuracy %v, the cache file says %v", what, s, p.Accuracies[i], w)
		}
	}
}

// TestSameCuts checks which of the ablation's cuts remove the same rows, on the masks of the committed
// ablation study (seed 1): with the blocked mask the notebook's rows 0..k-1 are the inhibitory rows; at
// 0.5, k = 100 is every excitatory row, so the first k, the matched and each random draw of k excitatory
// rows are one set; at 0.2 with a random mask every cut differs.
func TestSameCuts(t *testing.T) {
	for _, c := range []struct {
		layout snn.MaskLayout
		f      float64
		want   []int // per ablationCuts entry: notebook, inhibitory, excitatory, matched, random-excitatory, random
	}{
		{snn.MaskBlocked, 0.5, []int{0, 0, 2, 2, 2, 5}},
		{snn.MaskBlocked, 0.2, []int{0, 0, 2, 3, 4, 5}},
		{snn.MaskRandom, 0.5, []int{0, 1, 2, 2, 2, 5}},
		{snn.MaskRandom, 0.2, []int{0, 1, 2, 3, 4, 5}},
	} {
		cfg := snn.DefaultConfig()
		cfg.Layout, cfg.InhibitoryFraction, cfg.Seed = c.layout, c.f, 1
		got, err := sameCuts(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s mask at %.1f: same cuts %v, want %v", c.layout, c.f, got, c.want)
		}
	}
}

// The panel's view of a selection is read from the committed caches by configuration: the notebook's
// network from the fraction sweep (11 fractions, seeds 1-5) with the ablation study's metrics (its
// "blocked" runs are the same configuration), a random mask from the ablation study (fractions 0.2 and
// 0.5 only), a sign rule from the sign study, a population network from the population study (one point:
// the fraction does not apply), and a configuration no study ran shows nothing and says so. Expected
// accuracies are read from the cache files directly.
func TestExplorerView(t *testing.T) {
	e, err := OpenExplorer(filepath.Join("..", "..", "notebooks", "results"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Notes) > 0 {
		t.Errorf("committed caches: notes %v", e.Notes)
	}
	v, err := e.View(DefaultSelection())
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Curve) != 11 {
		t.Errorf("default selection: %d curve points, want 11 (the sweep's tenths)", len(v.Curve))
	}
	samePoint(t, "both 0.5", v.Selected, committedAccuracies(t, "sweep/both_f0.500_s*_*.json"))
	samePoint(t, "both 0.2 on the curve", v.Curve[2], committedAccuracies(t, "sweep/both_f0.200_s*_*.json"))
	samePoint(t, "reference", v.Reference, committedAccuracies(t, "sweep/unconstrained_f0.500_s*_*.json"))
	// At 0.5 with the blocked mask the six cuts remove three sets of rows: the notebook's cut is the
	// inhibitory rows, and k = 100 is every excitatory row, whichever way they are chosen.
	wantBars := [][]string{{"notebook", "inhibitory"}, {"excitatory", "matched", "random-excitatory"}, {"random"}}
	if len(v.Ablation) != 1+len(wantBars) || v.Ablation[0].Label != "intact" {
		t.Fatalf("default selection: ablation bars %+v, want intact and %d bars", v.Ablation, len(wantBars))
	}
	// Every bar holds, seed by seed, the metric of each cut drawn in it as the ablation study cached it
	// (read here by name): the cuts drawn as one bar must have cached the same accuracies.
	files, _ := filepath.Glob(filepath.Join("..", "..", "notebooks", "results", "ablation", "blocked_f0.500_s*_*.json"))
	for i, bar := range v.Ablation[1:] {
		for _, cut := range wantBars[i] {
			var want []float64
			for _, f := range files { // seeds 1-5 in file order, as the view's seeds
				data, _ := os.ReadFile(f)
				var r struct {
					Extra map[string]float64 `json:"extra"`
				}
				if err := json.Unmarshal(data, &r); err != nil {
					t.Fatal(err)
				}
				want = append(want, r.Extra["ablate_"+cut])
			}
			if !slices.Equal(bar.Accuracies, want) {
				t.Errorf("bar %q: %v, the cache's ablate_%s %v", bar.Label, bar.Accuracies, cut, want)
			}
		}
	}
	if !strings.Contains(strings.Join(v.Notes, " "), "each cut removes k = 100 input rows") || v.CutRows != 100 {
		t.Errorf("default selection: notes %q do not state k (CutRows %d)", v.Notes, v.CutRows)
	}
	// The merged bars say which cuts they are, and a note names them.
	if v.Ablation[1].Label != "notebook's cut =\ninhibitory rows" || v.Ablation[2].Label != "first k exc. =\nmatched exc. =\nrandom exc." ||
		!strings.Contains(strings.Join(v.Notes, " "), "drawn as one bar (notebook's cut, inhibitory rows; first k exc., matched exc., random exc.)") {
		t.Errorf("default selection: merged bars %q, %q; notes %q", v.Ablation[1].Label, v.Ablation[2].Label, v.Notes)
	}
	if v.Model == "" {
		t.Errorf("default selection: no model, but notebooks/results/models holds the notebook's network (artefact_blocked.ckpt)")
	}
	// The model's seed is one of the point's, and its accuracy that seed's run's.
	if i := slices.Index(v.Selected.Seeds, v.ModelSeed); i < 0 || v.ModelAccuracy != v.Selected.Accuracies[i] {
		t.Errorf("default selection: model of seed %d with accuracy %v; the point's seeds %v, accuracies %v", v.ModelSeed, v.ModelAccuracy, v.Selected.Seeds, v.Selected.Accuracies)
	}
	notes := strings.Join(v.Notes, " | ")
	if !strings.Contains(notes, "descriptive: means and SDs over the cached seeds") || strings.Contains(notes, "no reference is drawn") {
		t.Errorf("default selection: notes %q; want the descriptive note and no missing reference", notes)
	}

	sel := DefaultSelection()
	sel.Layout = snn.MaskRandom
	if v, err = e.View(sel); err != nil {
		t.Fatal(err)
	}
	if len(v.Curve) != 2 || v.Curve[0].Fraction != 0.2 || v.Curve[1].Fraction != 0.5 {
		t.Errorf("random mask: curve at %v, want fractions 0.2 and 0.5 (the ablation study)", v.Curve)
	}
	samePoint(t, "random 0.5", v.Selected, committedAccuracies(t, "ablation/random_f0.500_s*_*.json"))

	sel = DefaultSelection()
	sel.Rule = snn.SignReLU
	if v, err = e.View(sel); err != nil {
		t.Fatal(err)
	}
	samePoint(t, "relu 0.5", v.Selected, committedAccuracies(t, "signs/relu_f0.500_s*_*.json"))

	sel = DefaultSelection()
	sel.Rule = snn.SignExpGrad
	if v, err = e.View(sel); err != nil {
		t.Fatal(err)
	}
	samePoint(t, "expgrad 0.5", v.Selected, committedAccuracies(t, "populations/expgrad_f0.500_s*_*.json"))

	sel = Selection{Condition: "pop-abs", Fraction: 0.9, Layout: snn.MaskRandom, Rule: snn.SignClip}
	if v, err = e.View(sel); err != nil {
		t.Fatal(err)
	}
	if len(v.Curve) != 1 || v.Selection.Key() != "pop-abs f=0.50 blocked abs full" {
		t.Errorf("pop-abs: %d points, selection %q; want one point and the controls that do not apply reset", len(v.Curve), v.Selection.Key())
	}
	samePoint(t, "pop-abs", v.Selected, committedAccuracies(t, "populations/pop-abs_f0.500_s*_*.json"))
	if !strings.HasPrefix(v.Notes[0], "E/I populations, |w|: the inhibitory fraction, mask layout and sign rule do not apply") {
		t.Errorf("pop-abs: first note %q; want it to name the network as the selector does", v.Notes[0])
	}

	// No cached run under the quick protocol: no curve, no reference, and both said.
	sel = DefaultSelection()
	sel.Quick = true
	if v, err = e.View(sel); err != nil {
		t.Fatal(err)
	}
	notes = strings.Join(v.Notes, " | ")
	if len(v.Curve) != 0 || len(v.Reference.Seeds) != 0 || !strings.Contains(notes, "no run of the unconstrained network is cached under this protocol") ||
		strings.Contains(notes, "descriptive:") {
		t.Errorf("quick protocol: curve %v, reference %v, notes %q", v.Curve, v.Reference.Seeds, notes)
	}

	sel = Selection{Condition: "input", Fraction: 0.3, Layout: snn.MaskRandom, Rule: snn.SignSoftplus}
	if v, err = e.View(sel); err != nil {
		t.Fatal(err)
	}
	if len(v.Curve) != 0 || len(v.Selected.Seeds) != 0 || v.Model != "" ||
		!slices.ContainsFunc(v.Notes, func(n string) bool {
			return strings.Contains(n, "no run of input f=0.30 random softplus full is cached")
		}) {
		t.Errorf("a configuration no study ran: curve %v, model %q, notes %q", v.Curve, v.Model, v.Notes)
	}
}

// A selection's controls are checked against the selectors, naming the bad value and what is allowed.
func TestSelectionValidate(t *testing.T) {
	for _, c := range []struct {
		edit func(*Selection)
		want string
	}{
		{func(s *Selection) { s.Condition = "bogus" }, `panel condition "bogus": want one of both, input`},
		{func(s *Selection) { s.Fraction = 0.25 }, "panel fraction 0.25: want one of 0, 0.1"},
		{func(s *Selection) { s.Layout = "striped" }, `panel mask layout "striped": want one of [blocked random]`},
		{func(s *Selection) { s.Rule = "tanh" }, `panel sign rule "tanh": want one of [abs relu softplus clip expgrad wiggle]`},
	} {
		s := DefaultSelection()
		c.edit(&s)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", s, err, c.want)
		}
	}
	if err := DefaultSelection().Validate(); err != nil {
		t.Errorf("default selection: %v", err)
	}
}

// The panel's button trains the selection on its next uncached seed into the panel's own cache (and keeps
// the model), and the view shows it at once; without an own folder nothing trains.
func TestExplorerTrain(t *testing.T) {
	own := t.TempDir()
	e, err := OpenExplorer(filepath.Join("..", "..", "notebooks", "results"), own)
	if err != nil {
		t.Fatal(err)
	}
	sel := Selection{Condition: "hidden", Fraction: 0.3, Layout: snn.MaskRandom, Rule: snn.SignClip, Quick: true}
	if seed, err := e.NextSeed(sel); err != nil || seed != 1 {
		t.Fatalf("next seed %d (%v), want 1", seed, err)
	}
	epochs := 0
	r, err := e.Train(context.Background(), sel, func(snn.EpochInfo) { epochs++ })
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := sel.Config(1)
	if epochs != cfg.Epochs || r.Seed != 1 || r.ConfigHash != snn.ConfigKey(cfg) {
		t.Errorf("trained run %+v after %d epoch reports; want seed 1 of %s, %d epochs", r.RunKey, epochs, snn.ConfigKey(cfg), cfg.Epochs)
	}
	files, _ := filepath.Glob(filepath.Join(own, ExploreOwnCache, "hidden+random+clip_f0.300_s1_*.json"))
	models, _ := filepath.Glob(filepath.Join(own, ExploreOwnCache, "models", "*.ckpt"))
	if len(files) != 1 || len(models) != 1 {
		t.Fatalf("own cache: entries %v, models %v; want one each", files, models)
	}
	v, err := e.View(sel)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Selected.Seeds) != 1 || v.Selected.Accuracies[0] != r.TestAccuracy || v.Model != models[0] || v.Selected.Own != 1 ||
		!slices.ContainsFunc(v.Notes, func(n string) bool {
			return strings.Contains(n, "1 of the selected point's 1 seeds were trained by this panel")
		}) {
		t.Errorf("view after training: %+v, model %q, notes %q", v.Selected, v.Model, v.Notes)
	}
	if seed, _ := e.NextSeed(sel); seed != 2 {
		t.Errorf("next seed after training seed 1: %d", seed)
	}
	e.Own = ""
	if _, err := e.Train(context.Background(), sel, nil); err == nil || !strings.Contains(err.Error(), "nothing was trained") {
		t.Errorf("training without an own folder: %v", err)
	}
}

// Like a sweep, the panel leaves out runs of another revision of the numbers and runs that diverged (and
// says so), and says when a point mixes runs of several numerics of the same revision, or holds runs the
// panel trained.
func TestExplorerSkipsAndNotes(t *testing.T) {
	results := t.TempDir()
	src, _ := filepath.Glob(filepath.Join("..", "..", "notebooks", "results", "sweep", "both_f0.500_s*_*.json"))
	if len(src) != 5 {
		t.Fatalf("%d committed runs of both at 0.5", len(src))
	}
	if err := os.MkdirAll(filepath.Join(results, "sweep"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, f := range src {
		data, _ := os.ReadFile(f)
		var r map[string]any
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		switch i {
		case 0:
			r["numerics"] = "go-kernels/0" // another revision: left out
		case 1:
			r["diverged"], r["test_accuracy"], r["train_accuracy"] = true, 0.0, 0.0 // diverged: left out
		case 2:
			r["numerics"] = "graph/1+xla-cuda" // same revision, other numerics: used, and noted
		}
		out, _ := json.Marshal(r)
		if err := os.WriteFile(filepath.Join(results, "sweep", filepath.Base(f)), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The notebook's model twice: as trained by another revision (left out) and as committed (used).
	m, err := snn.LoadCheckpoint(filepath.Join("..", "..", "notebooks", "results", "models", "artefact_blocked.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	m.Config.Seed = 4 // a seed whose run is used (the index finds models by the seeds of its runs)
	if err := os.MkdirAll(filepath.Join(results, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := snn.SaveCheckpoint(filepath.Join(results, "models", "current.ckpt"), m); err != nil {
		t.Fatal(err)
	}
	m.History.Numerics = "go-kernels/0"
	if err := snn.SaveCheckpoint(filepath.Join(results, "models", "another-revision.ckpt"), m); err != nil {
		t.Fatal(err)
	}
	e, err := OpenExplorer(results, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Notes) != 3 || !strings.Contains(e.Notes[0], `another revision than the current`) || !strings.Contains(e.Notes[1], "diverged") ||
		!strings.Contains(e.Notes[2], `another-revision.ckpt: a model trained by numerics "go-kernels/0", another revision`) {
		t.Errorf("notes %q; want the other revision, the diverged run and the other revision's model named", e.Notes)
	}
	v, err := e.View(DefaultSelection())
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(v.Model) != "current.ckpt" {
		t.Errorf("model %q; want current.ckpt, the other revision's left out", v.Model)
	}
	if len(v.Selected.Seeds) != 3 || !slices.ContainsFunc(v.Notes, func(n string) bool {
		return strings.Contains(n, "computed by 2 numerics (graph/1+xla-cuda, go-kernels/1")
	}) {
		t.Errorf("seeds %v, notes %q; want 3 seeds and the two numerics named", v.Selected.Seeds, v.Notes)
	}
}

// Runs the panel trained are counted where they are drawn: at the selected point (and its ablation bars,
// which such runs lack metrics for, count the seeds that have them) and at the curve's other points. The
// panel's runs here are copies of the ablation study's seed-1 entries as seed 6, without metrics.
func TestExplorerPanelRunNotes(t *testing.T) {
	results, own := t.TempDir(), t.TempDir()
	for _, dir := range []string{filepath.Join(results, "ablation"), filepath.Join(own, ExploreOwnCache)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []float64{0.5, 0.2} {
		src, _ := filepath.Glob(filepath.Join("..", "..", "notebooks", "results", "ablation", fmt.Sprintf("blocked_f%.3f_s*_*.json", f)))
		if len(src) != 5 {
			t.Fatalf("%d committed ablation runs at %v", len(src), f)
		}
		for i, file := range src {
			data, _ := os.ReadFile(file)
			if err := os.WriteFile(filepath.Join(results, "ablation", filepath.Base(file)), data, 0o644); err != nil {
				t.Fatal(err)
			}
			if i > 0 {
				continue
			}
			var r map[string]any
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			sel := DefaultSelection()
			sel.Fraction = f
			cfg, err := sel.Config(6)
			if err != nil {
				t.Fatal(err)
			}
			r["seed"], r["config_hash"] = 6, snn.ConfigKey(cfg)
			delete(r, "extra")
			delete(r, "extra_version")
			out, _ := json.Marshal(r)
			if err := os.WriteFile(filepath.Join(own, ExploreOwnCache, fmt.Sprintf("panel_f%.3f_s6.json", f)), out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	e, err := OpenExplorer(results, own)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.View(DefaultSelection())
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(v.Notes, " | ")
	for _, want := range []string{
		"1 of the selected point's 6 seeds were trained by this panel",
		"1 of the other points' 6 runs were trained by this panel",
		"the bars count the 5 of the selected point's 6 seeds whose runs carry ablation metrics",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if len(v.Ablation[0].Accuracies) != 5 {
		t.Errorf("intact bar over %d seeds, want the 5 with ablation metrics", len(v.Ablation[0].Accuracies))
	}
}

// sameCutsOverSeeds keeps a merge that holds in every seed's network even where another does not, and
// merges nothing without runs. (Random masks at 0.2 differ by seed: nothing merges; at 0.5 the three
// excitatory cuts are every excitatory row in every seed's network.)
func TestSameCutsOverSeeds(t *testing.T) {
	sel := DefaultSelection()
	sel.Layout = snn.MaskRandom
	runs := []RunResult{{RunKey: RunKey{Seed: 1}}, {RunKey: RunKey{Seed: 2}}, {RunKey: RunKey{Seed: 3}}}
	got, err := sameCutsOverSeeds(sel, runs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 2, 2, 5}; !slices.Equal(got, want) {
		t.Errorf("random mask at 0.5, seeds 1-3: %v, want %v", got, want)
	}
	if got, _ := sameCutsOverSeeds(sel, nil); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("no runs: %v, want no merge", got)
	}
}
