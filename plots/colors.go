package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// Matplotlib's default colour cycle (tab10), so figures look like the notebook's.
var (
	Blue   = color.RGBA{0x1f, 0x77, 0xb4, 0xff} // C0
	Orange = color.RGBA{0xff, 0x7f, 0x0e, 0xff} // C1
	Green  = color.RGBA{0x2c, 0xa0, 0x2c, 0xff} // C2
	Red    = color.RGBA{0xd6, 0x27, 0x28, 0xff} // C3
	Purple = color.RGBA{0x94, 0x67, 0xbd, 0xff} // C4
	Grey   = color.RGBA{0x7f, 0x7f, 0x7f, 0xff} // C7
)

// Linear is a colour map that interpolates linearly in sRGB between evenly spaced anchor colours.
// It implements palette.ColorMap.
type Linear struct {
	Anchors  []color.RGBA
	min, max float64
	alpha    float64
}

// NewLinear returns a Linear map over [min, max].
func NewLinear(min, max float64, anchors ...color.RGBA) *Linear {
	return &Linear{Anchors: anchors, min: min, max: max, alpha: 1}
}

// Viridis approximates matplotlib's default colour map (purple at the minimum, yellow at the maximum)
// from nine of its samples.
func Viridis(min, max float64) *Linear {
	return NewLinear(min, max,
		color.RGBA{0x44, 0x01, 0x54, 0xff}, color.RGBA{0x47, 0x2d, 0x7b, 0xff}, color.RGBA{0x3b, 0x52, 0x8b, 0xff},
		color.RGBA{0x2c, 0x72, 0x8e, 0xff}, color.RGBA{0x21, 0x91, 0x8c, 0xff}, color.RGBA{0x28, 0xae, 0x80, 0xff},
		color.RGBA{0x5e, 0xc9, 0x62, 0xff}, color.RGBA{0xad, 0xdc, 0x30, 0xff}, color.RGBA{0xfd, 0xe7, 0x25, 0xff})
}

// GrayR is matplotlib's gray_r: white at the minimum, black at the maximum (the notebook's rasters).
func GrayR(min, max float64) *Linear {
	return NewLinear(min, max, color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0, 0, 0, 0xff})
}

// Diverging returns Moreland's smooth blue-red map over [-limit, limit]: blue negative (inhibitory),
// red positive (excitatory) and its neutral grey exactly at 0.
func Diverging(limit float64) palette.ColorMap {
	if limit <= 0 || math.IsNaN(limit) || math.IsInf(limit, 0) {
		limit = 1
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(-limit)
	cm.SetMax(limit)
	return cm
}

// At implements palette.ColorMap; values outside [min, max] are an error, as in gonum's maps.
func (l *Linear) At(v float64) (color.Color, error) {
	if math.IsNaN(v) || v < l.min || v > l.max {
		return nil, fmt.Errorf("plots: value %v outside the colour map range [%v, %v]", v, l.min, l.max)
	}
	if len(l.Anchors) == 0 {
		return nil, fmt.Errorf("plots: colour map has no anchors")
	}
	if len(l.Anchors) == 1 || l.max == l.min {
		return l.Anchors[0], nil
	}
	x := (v - l.min) / (l.max - l.min) * float64(len(l.Anchors)-1)
	i := min(int(x), len(l.Anchors)-2)
	f := x - float64(i)
	a, b := l.Anchors[i], l.Anchors[i+1]
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + f*(float64(q)-float64(p)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), uint8(math.Round(255 * l.alpha))}, nil
}

// Max implements palette.ColorMap.
func (l *Linear) Max() float64 { return l.max }

// Min implements palette.ColorMap.
func (l *Linear) Min() float64 { return l.min }

// SetMax implements palette.ColorMap.
func (l *Linear) SetMax(v float64) { l.max = v }

// SetMin implements palette.ColorMap.
func (l *Linear) SetMin(v float64) { l.min = v }

// Alpha implements palette.ColorMap.
func (l *Linear) Alpha() float64 { return l.alpha }

// SetAlpha implements palette.ColorMap.
func (l *Linear) SetAlpha(a float64) { l.alpha = a }

// Palette implements palette.ColorMap: n colours evenly spaced over [min, max].
func (l *Linear) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		v := l.min
		if n > 1 {
			v += float64(i) / float64(n-1) * (l.max - l.min)
		}
		cs[i], _ = l.At(v)
	}
	return colors(cs)
}

type colors []color.Color

func (c colors) Colors() []color.Color { return c }
