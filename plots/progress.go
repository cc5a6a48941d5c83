package plots

import (
	"fmt"
	"html"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// Progress returns training callbacks (for snn.TrainOptions) that show a live progress bar with the
// current loss in a GoNB notebook (its final state is saved in the .ipynb), or print one line per epoch
// to stderr outside a notebook.
func Progress(label string) (onStep func(snn.StepInfo), onEpoch func(snn.EpochInfo)) {
	if !gonbui.IsNotebook {
		return func(snn.StepInfo) {}, func(e snn.EpochInfo) {
			fmt.Fprintf(os.Stderr, "%s: epoch %d/%d  train loss %.4f  val loss %.4f  %s\n",
				label, e.Epoch, e.Epochs, e.TrainLoss, e.ValLoss, e.Elapsed.Round(time.Second))
		}
	}
	id := gonbui.UniqueId()
	var last time.Time
	valLoss, steps := "-", 1
	render := func(done, total int, text string) { gonbui.UpdateHTML(id, progressHTML(label, done, total, text)) }
	onStep = func(s snn.StepInfo) {
		if time.Since(last) < 250*time.Millisecond && s.Step != s.Steps {
			return
		}
		last, steps = time.Now(), s.Steps
		render((s.Epoch-1)*s.Steps+s.Step, s.Epochs*s.Steps, fmt.Sprintf("epoch %d/%d, step %d/%d, loss %.4f, val loss %s, %s",
			s.Epoch, s.Epochs, s.Step, s.Steps, s.Loss, valLoss, s.Elapsed.Round(time.Second)))
	}
	onEpoch = func(e snn.EpochInfo) {
		valLoss = fmt.Sprintf("%.4f", e.ValLoss)
		render(e.Epoch*steps, e.Epochs*steps, fmt.Sprintf("epoch %d/%d, train loss %.4f, val loss %.4f, %s",
			e.Epoch, e.Epochs, e.TrainLoss, e.ValLoss, e.Elapsed.Round(time.Second)))
	}
	return onStep, onEpoch
}

// RunBar returns a study.Notebook.OnRun (or Sweep.OnRun) that shows a sweep's runs as they come: in a
// notebook a progress bar with the runs done, trained and cached, and the time left (study.RunProgress),
// from the first run that trains (a cell that only reads the cache shows none); elsewhere one line per run
// on stderr.
func RunBar(label string) func(done, total int, r study.RunResult, cached bool) {
	id := ""
	trained := false
	return study.OnRun(func(done, total int, r study.RunResult, cached bool, status string) {
		if trained = trained || !cached; !trained && gonbui.IsNotebook {
			return
		}
		if !gonbui.IsNotebook {
			fmt.Fprintf(os.Stderr, "%s: %s fraction %.2f seed %d: %s\n", label, r.Condition, r.Fraction, r.Seed, status)
			return
		}
		if id == "" {
			id = gonbui.UniqueId()
		}
		gonbui.UpdateHTML(id, progressHTML(label, done, total, status))
	})
}

// progressHTML is a progress bar: label, done of total, and a line of text.
func progressHTML(label string, done, total int, text string) string {
	return fmt.Sprintf(`<div style="font-family:monospace">%s <progress value="%d" max="%d" style="width:40%%"></progress> %s</div>`,
		html.EscapeString(label), done, total, html.EscapeString(text))
}
