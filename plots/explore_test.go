package plots

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// The panel's drawing carries what it shows: the selection's key, the runs read, the ablation bars and
// the model, and one image per figure the caches allow (the notebook's network: curve, ablation bars and
// weights; a configuration no study ran: the curve alone, saying so).
func TestExploreHTML(t *testing.T) {
	e, err := study.OpenExplorer(filepath.Join("..", "notebooks", "results"), "")
	if err != nil {
		t.Fatal(err)
	}
	img := regexp.MustCompile(`<img class="snn-explore-(\w+)"`)
	for _, c := range []struct {
		sel              study.Selection
		key              string
		runs, ablation   int
		images, mustShow []string
	}{
		{study.DefaultSelection(), "both f=0.50 blocked abs full", 60, 4, []string{"curve", "ablation", "weights"},
			[]string{"Dale&#39;s law on both layers, inhibitory fraction 0.5, blocked mask, sign rule abs", "mean ± SD over 5 seeds", `data-model="artefact_blocked.ckpt"`}},
		{study.Selection{Condition: "input", Fraction: 0.3, Layout: snn.MaskRandom, Rule: snn.SignSoftplus}, "input f=0.30 random softplus full", 5, 0,
			[]string{"curve"}, []string{"selected point: no cached run", "train it with the button", `data-model=""`}},
	} {
		v, err := e.View(c.sel)
		if err != nil {
			t.Fatal(err)
		}
		h, err := ExploreHTML(v)
		if err != nil {
			t.Fatal(err)
		}
		head := h[:strings.Index(h, ">")]
		for _, want := range []string{`data-selection="` + c.key + `"`, `data-runs="` + itoa(c.runs) + `"`, `data-ablation="` + itoa(c.ablation) + `"`} {
			if !strings.Contains(head, want) {
				t.Errorf("%s: %q lacks %s", c.key, head, want)
			}
		}
		var got []string
		for _, m := range img.FindAllStringSubmatch(h, -1) {
			got = append(got, m[1])
		}
		if strings.Join(got, ",") != strings.Join(c.images, ",") {
			t.Errorf("%s: images %v, want %v", c.key, got, c.images)
		}
		for _, want := range c.mustShow {
			if !strings.Contains(h, want) {
				t.Errorf("%s: the drawing lacks %q", c.key, want)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The weight images' caption says what the effective weight is for each kind of network (snn.Model.
// EffectiveW1's definitions): the rule's map times the input's sign under Dale's law on the input layer,
// the raw weight where the input layer is unconstrained, the net excitatory-minus-inhibitory weight for E/I
// populations (its linear part with LIF units, the numerator with shunting inhibition).
func TestEffectiveWeightText(t *testing.T) {
	config := func(name string) snn.Config {
		c, err := study.ConditionByName(name)
		if err != nil {
			t.Fatal(err)
		}
		return c.Apply(snn.DefaultConfig(), 0.5)
	}
	relu := config("both")
	relu.SignParam = snn.SignReLU
	for _, c := range []struct {
		name string
		cfg  snn.Config
		want string
	}{
		{"both", config("both"), "effective weight: f(w) times the input's sign, f(w) = |w|"},
		{"both, relu", relu, "effective weight: f(w) times the input's sign, f(w) = max(w, 0)"},
		{"hidden", config("hidden"), "effective weight: the raw weight w (the input layer has no sign constraint)"},
		{"unconstrained", config("unconstrained"), "effective weight: the raw weight w (the input layer has no sign constraint)"},
		{"pop-clip", config("pop-clip"), "effective weight: the net f(W_EE) - f(W_IE) f(W_EI) onto each excitatory unit (every input is excitatory; the net has either sign); f(w) = w, projected onto w ≥ 0 after every step"},
		{"pop-lif-bal", config("pop-lif-bal"), "effective weight: the linear part f(W_EE) - f(W_IE) f(W_EI), which the network does not apply as one matrix (its lif inhibitory units have a state); f(w) = |w|"},
		{"pop-shunt", config("pop-shunt"), "effective weight: the numerator's f(W_EE) - f(W_IE) f(W_EI), which the network divides by each step's shunting term; f(w) = |w|"},
	} {
		if got := effectiveWeightText(c.cfg); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// The panel's weight images are of a model of the selected configuration, titled with its seed, that
// seed's cached accuracy at the point and what its effective weight is.
func TestExploreWeights(t *testing.T) {
	e, err := study.OpenExplorer(filepath.Join("..", "notebooks", "results"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sel  study.Selection
		want string
	}{
		{study.DefaultSelection(), "f(w) = |w|"},
		{study.Selection{Condition: "pop-abs", Fraction: 0.5, Layout: snn.MaskBlocked, Rule: snn.SignAbs}, "the net f(W_EE) - f(W_IE) f(W_EI)"},
	} {
		v, err := e.View(c.sel)
		if err != nil {
			t.Fatal(err)
		}
		f, err := ExploreWeights(v)
		if err != nil || f == nil {
			t.Fatalf("%s: figure %v, error %v", c.sel.Key(), f, err)
		}
		i := slices.Index(v.Selected.Seeds, v.ModelSeed)
		if i < 0 {
			t.Fatalf("%s: the model's seed %d has no run at the point (seeds %v)", c.sel.Key(), v.ModelSeed, v.Selected.Seeds)
		}
		run := fmt.Sprintf("seed %d, whose cached run scored %.1f%%", v.ModelSeed, 100*v.Selected.Accuracies[i])
		if !strings.Contains(f.Title, run) || !strings.Contains(f.Title, c.want) {
			t.Errorf("%s: title %q; want %q and %q", c.sel.Key(), f.Title, run, c.want)
		}
	}
}

// Each control's widget index maps to the selection and back, an index outside a control's choices is
// refused naming it (the selection unchanged), and the panel without a kernel says it is live in Jupyter
// and shows its controls disabled at the selection, above the selection's drawing.
func TestExplorePanelControls(t *testing.T) {
	p, err := OpenExplorePanel(filepath.Join("..", "notebooks", "results"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Control{ControlFraction, ControlCondition, ControlLayout, ControlRule, ControlProtocol} {
		n := len(Choices(c))
		if n < 2 {
			t.Fatalf("control %d: %d choices", c, n)
		}
		for i := n - 1; i >= 0; i-- {
			if err := p.Set(c, i); err != nil {
				t.Fatalf("control %d index %d: %v", c, i, err)
			}
			if got := p.Index(c); got != i {
				t.Errorf("control %d: set to %d, reads %d (selection %+v)", c, i, got, p.Selection)
			}
		}
		before := p.Selection
		if err := p.Set(c, n); err == nil || !strings.Contains(err.Error(), "panel's "+c.String()+": index "+strconv.Itoa(n)+" is outside [0, "+strconv.Itoa(n)+") (its choices: "+strings.Join(Choices(c), "; ")+")") ||
			p.Selection != before {
			t.Errorf("control %d index %d: error %v, selection %+v (was %+v)", c, n, err, p.Selection, before)
		}
	}
	p.Selection = study.DefaultSelection()
	if err := p.Set(ControlFraction, 2); err != nil {
		t.Fatal(err)
	}
	if err := p.Set(ControlRule, 1); err != nil {
		t.Fatal(err)
	}
	h, err := p.StaticHTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"This panel is live in Jupyter", `value="2" disabled/> 0.2`, "<option selected>sign rule relu</option>",
		`data-selection="both f=0.20 blocked relu full"`} {
		if !strings.Contains(h, want) {
			t.Errorf("static panel lacks %q", want)
		}
	}
}

// Serve follows the widgets' moves: a control's move changes the selection, a refused move changes
// nothing, the train button trains the selection (quick protocol, into the panel's own folder) and the
// close button ends it.
func TestExplorePanelServe(t *testing.T) {
	t.Setenv(PanelOutEnv, t.TempDir())
	p, err := OpenExplorePanel(filepath.Join("..", "notebooks", "results"))
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan PanelEvent, 16)
	events <- PanelEvent{Control: ControlCondition, Index: 2} // hidden
	events <- PanelEvent{Control: ControlFraction, Index: 3}  // 0.3
	events <- PanelEvent{Control: ControlLayout, Index: 7}    // refused
	events <- PanelEvent{Control: ControlProtocol, Index: 1}  // quick
	events <- PanelEvent{Train: true}
	events <- PanelEvent{Train: true}                      // pressed again during the run: dropped
	events <- PanelEvent{Control: ControlLayout, Index: 0} // a move during the run (blocked again): applied
	events <- PanelEvent{Train: true}                      // pressed after that move, still during the run: dropped
	events <- PanelEvent{Close: true}
	events <- PanelEvent{Control: ControlFraction, Index: 9} // after close: never read
	if err := p.Serve(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if got := p.Selection.Key(); got != "hidden f=0.30 blocked abs quick" {
		t.Errorf("selection after the moves: %q", got)
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv(PanelOutEnv), study.ExploreOwnCache, "hidden+blocked+abs_f0.*_s*_*.json"))
	if len(files) != 1 || !strings.Contains(files[0], "f0.300_s1_") {
		t.Errorf("the train button's runs: %v, want one entry (seed 1 at 0.3; the presses during its run dropped)", files)
	}
	if len(events) != 1 {
		t.Errorf("%d events left, want the one after close", len(events))
	}

	// A cell that finds no browser shows the committed caches only: the run trained above is not drawn.
	trained := p.Selection
	if v, _ := p.Explorer.View(trained); len(v.Selected.Seeds) != 1 {
		t.Fatalf("before ShowCommitted: %d seeds of %s, want the trained one", len(v.Selected.Seeds), trained.Key())
	}
	if err := p.ShowCommitted(); err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Explorer.View(trained); len(v.Selected.Seeds) != 0 || p.Explorer.Own != "" {
		t.Errorf("after ShowCommitted: %d seeds of %s, own cache %q; want none", len(v.Selected.Seeds), trained.Key(), p.Explorer.Own)
	}

	// A refused move's message stays until a move draws; a batch of moves with a refused one keeps it.
	for _, c := range []struct {
		moves []PanelEvent
		want  string
	}{
		{[]PanelEvent{{Control: ControlLayout, Index: 7}}, "mask layout selector: index 7"},
		{[]PanelEvent{{Control: ControlLayout, Index: 7}, {Control: ControlFraction, Index: 2}}, ""},
		{[]PanelEvent{{Control: ControlFraction, Index: 4}, {Control: ControlLayout, Index: 7}}, "mask layout selector: index 7"},
	} {
		p.Progress = "an earlier message"
		events := make(chan PanelEvent, len(c.moves))
		for _, m := range c.moves {
			events <- m
		}
		close(events)
		if err := p.Serve(context.Background(), events); err != nil {
			t.Fatal(err)
		}
		if c.want == "" && p.Progress != "" || c.want != "" && !strings.Contains(p.Progress, c.want) {
			t.Errorf("moves %v: progress line %q, want %q", c.moves, p.Progress, c.want)
		}
	}
}

// A network whose inhibitory fraction is not a control has no fraction axis: its accuracy and the
// unconstrained network's are bars. A checkpoint damaged after indexing costs the weight images, with a
// line saying why, not the drawing. Executed without a browser the panel reads no runs of its own.
func TestExploreWithoutFractionAndDamagedModel(t *testing.T) {
	e, err := study.OpenExplorer(filepath.Join("..", "notebooks", "results"), "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.View(study.Selection{Condition: "pop-abs", Fraction: 0.5, Layout: snn.MaskBlocked, Rule: snn.SignAbs})
	if err != nil {
		t.Fatal(err)
	}
	f, err := FractionCurve(v)
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Panels[0].(PlotPanel).Plot; p.X.Label.Text == "Inhibitory fraction" || v.FractionApplies {
		t.Errorf("pop-abs drawn against the inhibitory fraction (x label %q)", p.X.Label.Text)
	}
	v, _ = e.View(study.DefaultSelection())
	if f, _ := FractionCurve(v); f.Panels[0].(PlotPanel).Plot.X.Label.Text != "Inhibitory fraction" {
		t.Error("the notebook's network drawn without its fraction axis")
	}
	broken := filepath.Join(t.TempDir(), "damaged.ckpt")
	if err := os.WriteFile(broken, []byte("not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	v.Model = broken
	h, err := ExploreHTML(v)
	if err != nil || !strings.Contains(h, "weights not drawn:") || strings.Contains(h, "snn-explore-weights") {
		t.Errorf("damaged checkpoint: error %v, drawing has the note %v", err, strings.Contains(h, "weights not drawn:"))
	}
	t.Setenv(HeadlessEnv, "1")
	t.Setenv(PanelOutEnv, t.TempDir())
	if p, err := OpenExplorePanel(filepath.Join("..", "notebooks", "results")); err != nil || p.Explorer.Own != "" {
		t.Errorf("headless panel: own cache %q (%v), want none", p.Explorer.Own, err)
	}
	t.Setenv(HeadlessEnv, "true") // not read as off in silence: the panel would save runs a user trained
	if _, err := OpenExplorePanel(filepath.Join("..", "notebooks", "results")); err == nil || !strings.Contains(err.Error(), `$SNN_HEADLESS = "true" is invalid`) {
		t.Errorf("SNN_HEADLESS=true: %v, want an error naming the value", err)
	}
}

// AwaitFrontEnd returns a widget the browser answered for, and gives up on one it never answers for.
func TestAwaitFrontEnd(t *testing.T) {
	if w, ok := AwaitFrontEnd(time.Second, func() int { return 7 }); !ok || w != 7 {
		t.Errorf("answered widget: %v, %v", w, ok)
	}
	block := make(chan struct{})
	defer close(block)
	start := time.Now()
	if _, ok := AwaitFrontEnd(50*time.Millisecond, func() int { <-block; return 1 }); ok || time.Since(start) > 2*time.Second {
		t.Errorf("a widget nobody answers: ok %v after %v", ok, time.Since(start))
	}
}
