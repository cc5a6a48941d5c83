package plots

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// HeadlessEnv, set to 1, says that a notebook runs without a browser (notebooks/execute.py sets it):
// the panel then draws its default state instead of waiting for widgets that nobody can move.
const HeadlessEnv = "SNN_HEADLESS"

// PanelOutEnv names the folder of the runs the panel trains (default "out/panel", relative to the
// working directory: beside the notebook in a GoNB cell).
const PanelOutEnv = "SNN_PANEL_OUT"

// Live reports whether a cell runs in a GoNB kernel with a browser to draw widgets in.
// A value of $SNN_HEADLESS other than 1, 0 or empty reads as not live here, and OpenExplorePanel refuses it.
func Live() bool {
	headless, err := snn.EnvSwitch(HeadlessEnv)
	return gonbui.IsNotebook && !headless && err == nil
}

// Control is one of the panel's controls; Choices lists its values and ExplorePanel.Set moves it.
type Control int

// The panel's controls, in the order it shows them.
const (
	ControlFraction Control = iota
	ControlCondition
	ControlLayout
	ControlRule
	ControlProtocol
)

// controlNames name the controls in messages, by Control.
var controlNames = []string{"inhibitory fraction slider", "network selector", "mask layout selector", "sign rule selector", "protocol selector"}

// String names the control as its messages do ("network selector").
func (c Control) String() string {
	if c < 0 || int(c) >= len(controlNames) {
		return fmt.Sprintf("control %d", int(c))
	}
	return controlNames[c]
}

// protocols are the protocol selector's values: the notebook's (50 epochs) and snn.Quick's.
var protocols = []string{"full protocol (the notebook's)", "quick protocol (snn.Quick)"}

// Choices are the labels of a control's values: the fractions 0 to 1, the conditions, layouts, rules
// and protocols (study.ExploreConditions and friends), indexed as the widgets report them.
func Choices(c Control) []string {
	var out []string
	switch c {
	case ControlFraction:
		for _, f := range study.ExploreFractions() {
			out = append(out, fmt.Sprintf("%.1f", f))
		}
	case ControlCondition:
		for _, ec := range study.ExploreConditions() {
			out = append(out, ec.Label)
		}
	case ControlLayout:
		for _, l := range study.ExploreLayouts() {
			out = append(out, string(l)+" mask")
		}
	case ControlRule:
		for _, r := range study.ExploreRules() {
			out = append(out, "sign rule "+string(r))
		}
	case ControlProtocol:
		out = append(out, protocols...)
	}
	return out
}

// ExplorePanel is the exploration panel's state behind the widgets: the explorer over the caches, the
// selection, and the ids of the HTML it updates. A cell builds the widgets and passes their moves to Set,
// Draw and Train.
type ExplorePanel struct {
	Explorer  *study.Explorer
	Selection study.Selection
	// ViewID and ProgressID are the display ids the panel updates (gonbui.UpdateHTML).
	ViewID, ProgressID string
	// Progress is the HTML last written to the progress line ("" when cleared).
	Progress string
}

// setProgress writes h to the progress line.
func (p *ExplorePanel) setProgress(h string) {
	p.Progress = h
	gonbui.UpdateHTML(p.ProgressID, h)
}

// OpenExplorePanel opens the panel over the caches in results (the committed ones: "results" beside the
// notebook) and its own runs in $SNN_PANEL_OUT (default "out/panel"), at study.DefaultSelection. Executed
// without a browser ($SNN_HEADLESS=1) it reads the committed caches only, so that what a headless run
// saves in the notebook never depends on the runs a user trained with the panel.
func OpenExplorePanel(results string) (*ExplorePanel, error) {
	own := os.Getenv(PanelOutEnv)
	if own == "" {
		own = "out/panel"
	}
	headless, err := snn.EnvSwitch(HeadlessEnv)
	if err != nil {
		return nil, err
	}
	if headless {
		own = ""
	}
	e, err := study.OpenExplorer(results, own)
	if err != nil {
		return nil, err
	}
	return &ExplorePanel{Explorer: e, Selection: study.DefaultSelection(), ViewID: "snn-panel-view-" + gonbui.UniqueId(),
		ProgressID: "snn-panel-progress-" + gonbui.UniqueId()}, nil
}

// Index is the position of the selection's value among a control's Choices (for a widget's start).
func (p *ExplorePanel) Index(c Control) int {
	s := p.Selection
	switch c {
	case ControlFraction:
		return int(s.Fraction*10 + 0.5)
	case ControlCondition:
		for i, ec := range study.ExploreConditions() {
			if ec.Name == s.Condition {
				return i
			}
		}
	case ControlLayout:
		for i, l := range study.ExploreLayouts() {
			if l == s.Layout {
				return i
			}
		}
	case ControlRule:
		for i, r := range study.ExploreRules() {
			if r == s.Rule {
				return i
			}
		}
	case ControlProtocol:
		if s.Quick {
			return 1
		}
	}
	return 0
}

// Set moves control c to the value of index i (as a widget reports it), refusing an index outside its
// Choices; the selection is unchanged then.
func (p *ExplorePanel) Set(c Control, i int) error {
	choices := Choices(c)
	n := len(choices)
	if n == 0 {
		return fmt.Errorf("plots: panel control %d is unknown: want 0 to %d (%s)", int(c), len(controlNames)-1, strings.Join(controlNames, ", "))
	}
	if i < 0 || i >= n {
		return fmt.Errorf("plots: panel's %s: index %d is outside [0, %d) (its choices: %s)", c, i, n, strings.Join(choices, "; "))
	}
	s := p.Selection
	switch c {
	case ControlFraction:
		s.Fraction = study.ExploreFractions()[i]
	case ControlCondition:
		s.Condition = study.ExploreConditions()[i].Name
	case ControlLayout:
		s.Layout = study.ExploreLayouts()[i]
	case ControlRule:
		s.Rule = study.ExploreRules()[i]
	case ControlProtocol:
		s.Quick = i == 1
	}
	if err := s.Validate(); err != nil {
		return err
	}
	p.Selection = s
	return nil
}

// HTML is the drawing of the current selection (ExploreHTML of its View).
func (p *ExplorePanel) HTML() (string, error) {
	v, err := p.Explorer.View(p.Selection)
	if err != nil {
		return "", err
	}
	return ExploreHTML(v)
}

// Draw redraws the current selection in the panel's view (in a notebook; elsewhere it only checks that
// the drawing can be made).
func (p *ExplorePanel) Draw() error {
	h, err := p.HTML()
	if err != nil {
		return err
	}
	gonbui.UpdateHTML(p.ViewID, h)
	return nil
}

// Train trains the current selection once (study.Explorer.Train: its next uncached seed, into the
// panel's own cache) with a progress bar and the time left, then redraws.
func (p *ExplorePanel) Train(ctx context.Context) (study.RunResult, error) {
	cfg, err := p.Selection.Config(1)
	if err != nil {
		return study.RunResult{}, err
	}
	label := "training " + p.Selection.Title()
	p.setProgress(progressHTML(label, 0, cfg.Epochs, "starting"))
	r, err := p.Explorer.Train(ctx, p.Selection, func(e snn.EpochInfo) {
		left := time.Duration(float64(e.Elapsed) / float64(e.Epoch) * float64(e.Epochs-e.Epoch))
		p.setProgress(progressHTML(label, e.Epoch, e.Epochs,
			fmt.Sprintf("epoch %d/%d, val loss %.4f, %s so far, about %s left", e.Epoch, e.Epochs, e.ValLoss,
				e.Elapsed.Round(time.Second), left.Round(time.Second))))
	})
	if err != nil {
		p.setProgress(fmt.Sprintf(`<div style="color:#b00">%s</div>`, html.EscapeString(err.Error())))
		return r, err
	}
	p.setProgress(progressHTML(label, cfg.Epochs, cfg.Epochs, "done") + fmt.Sprintf(
		`<div class="snn-panel-trained" data-seed="%d" data-epochs="%d" style="font-family:monospace">trained %s, seed %d: test accuracy %.1f%% (%.1f s); added to %s</div>`,
		r.Seed, cfg.Epochs, html.EscapeString(p.Selection.Title()), r.Seed, 100*r.TestAccuracy, r.Seconds,
		html.EscapeString(filepath.Join(p.Explorer.Own, study.ExploreOwnCache))))
	return r, p.Draw()
}

// StaticHTML is the panel as a page without a kernel shows it: a note that it is live in Jupyter, the
// controls at the current selection (disabled), and the drawing of the selection.
func (p *ExplorePanel) StaticHTML() (string, error) {
	h, err := p.HTML()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<div class="snn-panel-static"><p style="font-family:sans-serif"><i>This panel is live in Jupyter with the GoNB kernel ` +
		`(<code>make panel</code>, open this notebook there and run its code cells in order): moving a control redraws the figures from the caches, and the button ` +
		`trains the selected configuration. Without a kernel it shows the state below, and the controls do nothing.</i></p>`)
	b.WriteString(`<div style="font-family:sans-serif;display:flex;flex-wrap:wrap;gap:12px;align-items:center">`)
	fmt.Fprintf(&b, `<label>inhibitory fraction in tenths <input type="range" min="0" max="10" value="%d" disabled/> %.1f</label>`,
		p.Index(ControlFraction), p.Selection.Fraction)
	for _, c := range []Control{ControlCondition, ControlLayout, ControlRule, ControlProtocol} {
		b.WriteString("<select disabled>")
		for i, o := range Choices(c) {
			sel := ""
			if i == p.Index(c) {
				sel = " selected"
			}
			fmt.Fprintf(&b, "<option%s>%s</option>", sel, html.EscapeString(o))
		}
		b.WriteString("</select>")
	}
	b.WriteString(`<button disabled>train this configuration now</button></div>`)
	b.WriteString(h)
	b.WriteString("</div>")
	return b.String(), nil
}

// ShowCommitted displays StaticHTML over the committed caches only (the panel's own runs dropped from its
// Explorer), as a headless execution draws it: for a cell that finds no browser although $SNN_HEADLESS is
// not set, so that what it saves does not depend on the runs a user trained with the panel.
func (p *ExplorePanel) ShowCommitted() error {
	if p.Explorer.Own != "" {
		p.Explorer.Own = ""
		if err := p.Explorer.Reload(); err != nil {
			return err
		}
	}
	return p.ShowStatic()
}

// ShowStatic displays StaticHTML in the cell's output (kept in the saved notebook and its HTML export).
func (p *ExplorePanel) ShowStatic() error {
	h, err := p.StaticHTML()
	if err != nil {
		return err
	}
	gonbui.DisplayHTML(h)
	gonbui.Sync()
	return nil
}

// PanelEvent is one move of a widget: a control set to an index, the train button or the close button.
type PanelEvent struct {
	Control Control
	Index   int
	Train   bool
	Close   bool
}

// Serve runs the panel until a Close event, ctx ends or events closes: it draws the selection, then
// redraws after the control moves (the moves queued meanwhile, e.g. a slider's drag, are applied
// together and drawn once) and trains on the train button (Train; the panel answers again when the run
// is done: presses of the button queued during the run are dropped, saying how many, and the moves queued
// meanwhile applied in order and drawn once; a press the widget has not yet queued when the run ends is
// a new press). A move the
// panel refuses, or a drawing or run that fails, is shown in the progress line and the panel goes on;
// the line is cleared by the next move that draws. On close the panel's last state is displayed as StaticHTML, so that the saved
// notebook keeps it.
func (p *ExplorePanel) Serve(ctx context.Context, events <-chan PanelEvent) error {
	showErr := func(err error) {
		p.setProgress(fmt.Sprintf(`<div class="snn-panel-error" style="color:#b00">%s</div>`, html.EscapeString(err.Error())))
	}
	if err := p.Draw(); err != nil {
		return err
	}
	var next *PanelEvent // a train or close event read while coalescing moves
	for {
		var ev PanelEvent
		if next != nil {
			ev, next = *next, nil
		} else {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case e, ok := <-events:
				if !ok {
					return nil
				}
				ev = e
			}
		}
		switch {
		case ev.Close:
			gonbui.UpdateHTML(p.ViewID, "")
			p.setProgress("")
			return p.ShowStatic()
		case ev.Train:
			_, err := p.Train(ctx)
			if err != nil && ctx.Err() != nil {
				return err
			}
			// Everything queued while the run trained: presses dropped (one press, one run), moves applied in
			// order and drawn once, a close kept for last.
			q := p.takeQueued(events, true)
			next = q.next
			switch {
			case err != nil:
				showErr(err)
			case q.refused != nil:
				showErr(q.refused)
			case q.dropped > 0:
				p.setProgress(p.Progress + fmt.Sprintf(`<div class="snn-panel-dropped" style="font-family:monospace">%d more %s of the button during the run ignored: press it again to train another seed</div>`,
					q.dropped, plural(q.dropped, "press", "presses")))
			}
			if q.moved {
				if err := p.Draw(); err != nil {
					showErr(err)
				}
			}
		default:
			if err := p.Set(ev.Control, ev.Index); err != nil {
				showErr(err)
				continue
			}
			q := p.takeQueued(events, false) // the moves queued behind this one (a slider's drag), up to a press or close
			next = q.next
			if q.refused != nil {
				showErr(q.refused) // its message stays
			}
			if err := p.Draw(); err != nil {
				showErr(err)
			} else if q.refused == nil {
				p.setProgress("") // the last message is about an earlier state
			}
		}
	}
}

// queued is what takeQueued found in the panel's event queue.
type queued struct {
	next    *PanelEvent // a close, or (without dropPresses) a press, to handle next
	moved   bool        // a move was applied
	dropped int         // presses dropped (dropPresses)
	refused error       // the last move refused
}

// takeQueued reads the events already queued, without waiting: moves are applied in order (Set), and it
// stops at a close, and at a press unless dropPresses, which drops and counts presses instead.
func (p *ExplorePanel) takeQueued(events <-chan PanelEvent, dropPresses bool) queued {
	var q queued
	for {
		select {
		case e, ok := <-events:
			switch {
			case !ok:
				return q
			case e.Close, e.Train && !dropPresses:
				q.next = &e
				return q
			case e.Train:
				q.dropped++
			default:
				if err := p.Set(e.Control, e.Index); err != nil {
					q.refused = err
				} else {
					q.moved = true
				}
			}
		default:
			return q
		}
	}
}

// FrontEndWait is how long AwaitFrontEnd waits for a browser to answer a widget.
const FrontEndWait = 30 * time.Second

// AwaitFrontEnd runs build (which makes a GoNB widget: its Done waits until the browser answers) and
// returns its result, or ok false when nothing answered within wait: the notebook is being executed
// without a browser although $SNN_HEADLESS is not set (e.g. by nbconvert directly), and the cell should
// draw the static panel instead of hanging.
func AwaitFrontEnd[T any](wait time.Duration, build func() T) (w T, ok bool) {
	done := make(chan T, 1)
	go func() { done <- build() }()
	select {
	case w = <-done:
		return w, true
	case <-time.After(wait):
		return w, false
	}
}
