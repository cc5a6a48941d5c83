package plots

import (
	"fmt"
	"html"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// NotebookDPI is the resolution of figures shown by Show: matplotlib's notebook default.
const NotebookDPI = 100

// Every display below waits (gonbui.Sync) until GoNB has received it: GoNB does not flush the display
// pipe when a cell's program exits, and a cell's last output was seen lost without it.

// Show displays the figure inline in a GoNB notebook as a PNG at NotebookDPI (saved in the .ipynb as
// image/png, which renders wherever notebooks are shown); outside a notebook it does nothing. Errors
// are returned.
func Show(f *Figure) error {
	png, err := f.PNG(NotebookDPI)
	if err != nil {
		return err
	}
	gonbui.DisplayPNG(png)
	gonbui.Sync()
	return nil
}

// ShowSVG displays the figure inline in a GoNB notebook as SVG (GoNB embeds it as HTML).
func ShowSVG(f *Figure) error {
	svg, err := f.SVG()
	if err != nil {
		return err
	}
	gonbui.DisplaySVG(string(svg))
	gonbui.Sync()
	return nil
}

// Must returns f, or panics with err: for notebook cells, e.g. plots.Show(plots.Must(plots.LossCurves(h))).
func Must(f *Figure, err error) *Figure {
	if err != nil {
		panic(fmt.Sprintf("plots: %v", err))
	}
	return f
}

// Printf prints text, the one way the notebooks print. In a GoNB notebook it goes out through the same
// channel as the figures, so text and figures keep their order in the saved notebook (GoNB forwards
// stdout separately, and a line printed before a figure can otherwise land after it), as one output with
// two forms: text/plain, which every renderer shows (nbconvert to Markdown or text, terminal viewers),
// and a preformatted HTML block. Outside a notebook it writes to stdout.
func Printf(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if !gonbui.IsNotebook {
		fmt.Print(text)
		return
	}
	gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextPlain: text,
		protocol.MIMETextHTML:  `<pre style="margin:0">` + html.EscapeString(text) + `</pre>`,
	}})
	gonbui.Sync()
}

// Markdown shows a paragraph of Markdown in a GoNB notebook (in order with figures, like Printf, with
// the same text as text/plain for renderers without Markdown), or prints it to stdout outside a notebook.
func Markdown(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if !gonbui.IsNotebook {
		fmt.Println(text)
		return
	}
	gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextPlain:    text,
		protocol.MIMETextMarkdown: text,
	}})
	gonbui.Sync()
}
