package plots

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
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
		if err := p.Set(c, n); err == nil || !strings.Contains(err.Error(), "outside [0, "+strconv.Itoa(n)+")") || p.Selection != before {
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
	events := make(chan PanelEvent, 8)
	events <- PanelEvent{Control: ControlCondition, Index: 2} // hidden
	events <- PanelEvent{Control: ControlFraction, Index: 3}  // 0.3
	events <- PanelEvent{Control: ControlLayout, Index: 7}    // refused
	events <- PanelEvent{Control: ControlProtocol, Index: 1}  // quick
	events <- PanelEvent{Train: true}
	events <- PanelEvent{Close: true}
	events <- PanelEvent{Control: ControlFraction, Index: 9} // after close: never read
	if err := p.Serve(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if got := p.Selection.Key(); got != "hidden f=0.30 blocked abs quick" {
		t.Errorf("selection after the moves: %q", got)
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv(PanelOutEnv), study.ExploreOwnCache, "hidden+blocked+abs_f0.300_s1_*.json"))
	if len(files) != 1 {
		t.Errorf("the train button's run: %v, want one entry", files)
	}
	if len(events) != 1 {
		t.Errorf("%d events left, want the one after close", len(events))
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
