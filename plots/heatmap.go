package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap is a Panel that draws a matrix as coloured cells, like matplotlib's imshow with
// interpolation='nearest', optionally with a colour bar on its right.
type Heatmap struct {
	Data                  [][]float64 // [row][col]
	Title, XLabel, YLabel string
	// Extent is (xmin, xmax, ymin, ymax) of the image's outer edges in axis units; nil means cell
	// centres at 0..cols-1 and 0..rows-1, as imshow without extent.
	Extent *[4]float64
	// OriginLower puts row 0 at the bottom (imshow origin='lower'); by default row 0 is at the top and the
	// y axis counts rows downwards, as imshow's default.
	OriginLower bool
	// ColorMap maps values to colours; nil means Viridis over the data range.
	ColorMap palette.ColorMap
	// ColorBar draws the colour map's scale beside the image, labelled ColorBarLabel (what the colours
	// measure).
	ColorBar      bool
	ColorBarLabel string
	// XTicks and YTicks, if set, replace the axes' ticks (values in axis units: column and row positions
	// without an Extent).
	XTicks, YTicks []plot.Tick
	// HLines draws horizontal separator lines at these y positions (axis units).
	HLines []float64
	// Square draws the image's data area as a square (matplotlib's aspect='equal' for an image with equal
	// x and y extents), centred in the panel.
	Square bool
}

// NewHeatmap returns a Heatmap of data with Viridis over the data range.
func NewHeatmap(data [][]float64, title, xlabel, ylabel string) *Heatmap {
	return &Heatmap{Data: data, Title: title, XLabel: xlabel, YLabel: ylabel}
}

func (h *Heatmap) dims() (rows, cols int) {
	rows = len(h.Data)
	if rows > 0 {
		cols = len(h.Data[0])
	}
	return
}

// colorMap returns the map in use (Viridis over the finite data range when none is set).
func (h *Heatmap) colorMap() palette.ColorMap {
	if h.ColorMap != nil {
		return h.ColorMap
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range h.Data {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		lo, hi = 0, 1
	}
	if lo == hi {
		hi = lo + 1
	}
	h.ColorMap = Viridis(lo, hi)
	return h.ColorMap
}

// Colour returns the colour a value is drawn with: values outside the map's range are clamped to it and
// NaN is drawn white.
func (h *Heatmap) Colour(v float64) color.Color {
	cm := h.colorMap()
	if math.IsNaN(v) {
		return color.White
	}
	v = math.Max(cm.Min(), math.Min(cm.Max(), v))
	c, err := cm.At(v)
	if err != nil {
		return color.White
	}
	return c
}

// extent returns the image's edges in axis units.
func (h *Heatmap) extent() (xmin, xmax, ymin, ymax float64) {
	rows, cols := h.dims()
	if h.Extent != nil {
		return h.Extent[0], h.Extent[1], h.Extent[2], h.Extent[3]
	}
	return -0.5, float64(cols) - 0.5, -0.5, float64(rows) - 0.5
}

// image renders the cells, each as a block of k x k pixels so that viewers that smooth scaled images
// still show sharp cells.
func (h *Heatmap) image() image.Image {
	rows, cols := h.dims()
	k := max(1, int(math.Ceil(600/float64(max(rows, cols)))))
	img := image.NewRGBA(image.Rect(0, 0, cols*k, rows*k))
	for r := 0; r < rows; r++ {
		y := r // image row 0 is the top
		if h.OriginLower {
			y = rows - 1 - r
		}
		for c := 0; c < cols; c++ {
			col := h.Colour(h.Data[r][c])
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					img.Set(c*k+dx, y*k+dy, col)
				}
			}
		}
	}
	return img
}

// Plot returns the heat map as a gonum plot (without the colour bar).
func (h *Heatmap) Plot() (*plot.Plot, error) {
	rows, cols := h.dims()
	if rows == 0 || cols == 0 {
		return nil, fmt.Errorf("plots: heat map %q has no data", h.Title)
	}
	for r, row := range h.Data {
		if len(row) != cols {
			return nil, fmt.Errorf("plots: heat map %q row %d has %d columns, row 0 has %d", h.Title, r, len(row), cols)
		}
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = h.Title, h.XLabel, h.YLabel
	xmin, xmax, ymin, ymax := h.extent()
	p.Add(plotter.NewImage(h.image(), xmin, ymin, xmax, ymax))
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	if h.Extent == nil {
		p.X.Tick.Marker = intTicks{}
		p.Y.Tick.Marker = intTicks{}
		if !h.OriginLower {
			// imshow's default: the y axis counts rows from the top.
			p.Y.Tick.Marker = flippedTicks{rows: rows}
		}
	}
	if h.XTicks != nil {
		p.X.Tick.Marker = plot.ConstantTicks(h.XTicks)
	}
	if h.YTicks != nil {
		p.Y.Tick.Marker = plot.ConstantTicks(h.YTicks)
	}
	// Each line is black on a wider white one, so that it shows on dark and light cells alike.
	for _, y := range h.HLines {
		for _, style := range []struct {
			c color.Color
			w vg.Length
		}{{color.White, vg.Points(3)}, {color.Black, vg.Points(1.2)}} {
			l, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: y}, {X: xmax, Y: y}})
			if err != nil {
				return nil, err
			}
			l.Color, l.Width = style.c, style.w
			p.Add(l)
		}
	}
	return p, nil
}

// Draw implements Panel.
func (h *Heatmap) Draw(c draw.Canvas) {
	p, err := h.Plot()
	if err != nil {
		errorPanel(c, err)
		return
	}
	p.Title.Text = wrapTitle(p.Title.TextStyle, p.Title.Text, c.Max.X-c.Min.X)
	if !h.ColorBar {
		if h.Square {
			c = squareData(p, c)
		}
		p.Draw(c)
		return
	}
	barWidth := vg.Points(60)
	if h.ColorBarLabel != "" {
		barWidth = vg.Points(78)
	}
	left, right := c, c
	left.Max.X -= barWidth
	if h.Square {
		left = squareData(p, left)
	}
	right.Min.X = left.Max.X + vg.Points(12)
	right.Max.X = right.Min.X + barWidth - vg.Points(12)
	p.Draw(left)
	bar := plot.New()
	bar.HideX()
	bar.Title.Text = " " // keep the bar's top level with the image's
	cm := h.colorMap()
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	bar.Y.Min, bar.Y.Max = cm.Min(), cm.Max()
	bar.Y.Label.Text = h.ColorBarLabel
	bar.Draw(right)
}

// squareData returns the part of c, centred, in which p's data area is a square.
func squareData(p *plot.Plot, c draw.Canvas) draw.Canvas {
	da := p.DataCanvas(c)
	w, h := da.Max.X-da.Min.X, da.Max.Y-da.Min.Y
	if w > h {
		d := (w - h) / 2
		c.Min.X += d
		c.Max.X -= d
	} else {
		d := (h - w) / 2
		c.Min.Y += d
		c.Max.Y -= d
	}
	return c
}

// flippedTicks labels a y axis whose positions run rows-1..0 from bottom to top with row numbers, so
// that row 0 is at the top as in imshow.
type flippedTicks struct{ rows int }

func (f flippedTicks) Ticks(min, max float64) []plot.Tick {
	ticks := intTicks{}.Ticks(float64(f.rows-1)-max, float64(f.rows-1)-min)
	for i := range ticks {
		ticks[i].Value = float64(f.rows-1) - ticks[i].Value
	}
	return ticks
}

// intTicks label cell indices: whole numbers at the first step of 1, 2, 5, 10, 20, 25, 50, 100, 200, ...
// that gives at most 7 labels (30 hidden units: 0, 5, ..., 25; 200 inputs: 0, 50, ..., 150), each
// index a minor tick when there are at most 60 cells. gonum's default labelled only 0 and 25 of 30.
type intTicks struct{}

func (intTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := math.Ceil(min), math.Floor(max)
	if !(hi >= lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || hi-lo > 1e9 {
		return nil // NaN, infinite or absurd ranges: no ticks rather than an endless loop
	}
	step := tickStep(lo, hi)
	var out []plot.Tick
	for v := lo; v <= hi; v++ {
		switch {
		case math.Mod(v, step) == 0:
			out = append(out, plot.Tick{Value: v, Label: fmt.Sprintf("%d", int(v))})
		case hi-lo < 60:
			out = append(out, plot.Tick{Value: v})
		}
	}
	return out
}

// tickStep is the first of 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, ... whose multiples in [lo, hi]
// number at most 7.
func tickStep(lo, hi float64) float64 {
	for scale := 1.0; ; scale *= 10 {
		for _, base := range []float64{1, 2, 2.5, 5} {
			step := base * scale
			if step != math.Round(step) {
				continue // 2.5: only from 25 on
			}
			if math.Floor(hi/step)-math.Ceil(lo/step)+1 <= 7 {
				return step
			}
		}
	}
}

// errorPanel draws an error message in place of a panel that could not be built.
func errorPanel(c draw.Canvas, err error) {
	sty := draw.TextStyle{Color: color.RGBA{0xc0, 0, 0, 0xff}, Font: font.From(plot.DefaultFont, 9), Handler: plot.DefaultTextHandler}
	c.FillText(sty, vg.Point{X: c.Min.X + 4, Y: (c.Min.Y + c.Max.Y) / 2}, err.Error())
}
