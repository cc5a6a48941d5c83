package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"github.com/snn-dales/dales/snn"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Panel is one cell of a Figure's grid.
type Panel interface {
	// Draw renders the panel into the canvas.
	Draw(c draw.Canvas)
}

// PlotPanel wraps a gonum plot as a Panel.
type PlotPanel struct{ Plot *plot.Plot }

// Draw implements Panel; a title wider than the panel is wrapped onto several lines.
func (p PlotPanel) Draw(c draw.Canvas) {
	p.Plot.Title.Text = wrapTitle(p.Plot.Title.TextStyle, p.Plot.Title.Text, c.Max.X-c.Min.X)
	p.Plot.Draw(c)
}

// wrapTitle breaks text at spaces so that no line is wider than width in sty (a word longer than width
// stays whole); existing line breaks are kept.
func wrapTitle(sty text.Style, s string, width vg.Length) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case sty.Width(line+" "+w) <= width:
				line += " " + w
			default:
				out = append(out, line)
				line = w
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// Figure is a grid of panels (rows x cols, row-major; nil cells stay empty) of a given size.
type Figure struct {
	Width, Height vg.Length
	Rows, Cols    int
	Panels        []Panel
	// Title, if set, is drawn centred above the grid.
	Title string
}

// NewFigure returns an empty rows x cols figure of the given size in inches (matplotlib's figsize).
func NewFigure(rows, cols int, widthIn, heightIn float64) *Figure {
	return &Figure{Width: vg.Length(widthIn) * vg.Inch, Height: vg.Length(heightIn) * vg.Inch,
		Rows: rows, Cols: cols, Panels: make([]Panel, rows*cols)}
}

// Set puts p at (row, col).
func (f *Figure) Set(row, col int, p Panel) *Figure {
	f.Panels[row*f.Cols+col] = p
	return f
}

func (f *Figure) draw(c vg.CanvasSizer) error {
	if f.Rows <= 0 || f.Cols <= 0 || len(f.Panels) != f.Rows*f.Cols {
		return fmt.Errorf("plots: figure grid %dx%d has %d panels", f.Rows, f.Cols, len(f.Panels))
	}
	dc := draw.New(c)
	// White background, as matplotlib's default.
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if f.Title != "" {
		sty := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, 13), Handler: plot.DefaultTextHandler,
			XAlign: draw.XCenter, YAlign: draw.YTop}
		title := wrapTitle(sty, f.Title, dc.Max.X-dc.Min.X-16)
		dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y - 4}, title)
		dc.Max.Y -= sty.Height(title) + 8
	}
	tiles := draw.Tiles{Rows: f.Rows, Cols: f.Cols, PadX: vg.Points(8), PadY: vg.Points(8),
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4)}
	for r := 0; r < f.Rows; r++ {
		for col := 0; col < f.Cols; col++ {
			if p := f.Panels[r*f.Cols+col]; p != nil {
				p.Draw(tiles.At(dc, col, r))
			}
		}
	}
	return nil
}

// SVG renders the figure as an SVG document.
func (f *Figure) SVG() ([]byte, error) {
	c := vgsvg.New(f.Width, f.Height)
	if err := f.draw(c); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("plots: write SVG: %w", err)
	}
	return b.Bytes(), nil
}

// DefaultDPI is the PNG resolution used by PNG(0): matplotlib's notebook figures use 100 dpi; 150 gives
// crisper text at the same layout.
const DefaultDPI = 150

// PNG renders the figure as a PNG image at dpi dots per inch (0 means DefaultDPI); the image is
// Width*dpi/72 x Height*dpi/72 pixels.
func (f *Figure) PNG(dpi int) ([]byte, error) {
	if dpi == 0 {
		dpi = DefaultDPI
	}
	if dpi < 10 || dpi > 1200 {
		return nil, fmt.Errorf("plots: PNG resolution %d dpi is outside [10, 1200]", dpi)
	}
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi))
	if err := f.draw(c); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil, fmt.Errorf("plots: write PNG: %w", err)
	}
	return b.Bytes(), nil
}

// Save writes the figure to path, as SVG or PNG (DefaultDPI) by the extension (.svg or .png). The file
// is written atomically (snn.WriteFileAtomic), so a failure never leaves half a file or a temporary one.
func (f *Figure) Save(path string) error {
	var data []byte
	var err error
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".svg":
		data, err = f.SVG()
	case ".png":
		data, err = f.PNG(0)
	default:
		return fmt.Errorf("plots: cannot save %q: extension %q is not .svg or .png", path, ext)
	}
	if err != nil {
		return err
	}
	if err := snn.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("plots: save %q: %w", path, err)
	}
	return nil
}
