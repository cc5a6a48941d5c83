package plots

import (
	"fmt"

	"github.com/janpfeifer/gonb/gonbui"
)

// Show displays the figure inline in a GoNB notebook as a PNG (saved in the .ipynb as image/png, which
// renders wherever notebooks are shown); outside a notebook it does nothing. Errors are returned.
func Show(f *Figure) error {
	png, err := f.PNG(0)
	if err != nil {
		return err
	}
	gonbui.DisplayPNG(png)
	return nil
}

// ShowSVG displays the figure inline in a GoNB notebook as SVG (GoNB embeds it as HTML).
func ShowSVG(f *Figure) error {
	svg, err := f.SVG()
	if err != nil {
		return err
	}
	gonbui.DisplaySVG(string(svg))
	return nil
}

// Must returns f, or panics with err: for notebook cells, e.g. plots.Show(plots.Must(plots.LossCurves(h))).
func Must(f *Figure, err error) *Figure {
	if err != nil {
		panic(fmt.Sprintf("plots: %v", err))
	}
	return f
}
