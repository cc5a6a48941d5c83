package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Matrix is a dense row-major float32 matrix of shape [Rows, Cols].
type Matrix struct {
	Rows, Cols int
	Data       []float32
}

// NewMatrix returns a zero matrix [rows, cols].
func NewMatrix(rows, cols int) Matrix {
	return Matrix{Rows: rows, Cols: cols, Data: make([]float32, rows*cols)}
}

// At returns element (r, c).
func (m Matrix) At(r, c int) float32 { return m.Data[r*m.Cols+c] }

// Set sets element (r, c).
func (m Matrix) Set(r, c int, v float32) { m.Data[r*m.Cols+c] = v }

// Clone returns a deep copy.
func (m Matrix) Clone() Matrix {
	return Matrix{Rows: m.Rows, Cols: m.Cols, Data: append([]float32(nil), m.Data...)}
}

// Float64 returns the matrix as [Rows][Cols]float64 (for plotting).
func (m Matrix) Float64() [][]float64 {
	out := make([][]float64, m.Rows)
	for r := range out {
		out[r] = make([]float64, m.Cols)
		for c := range out[r] {
			out[r][c] = float64(m.At(r, c))
		}
	}
	return out
}

// InitUniform returns a [rows, cols] matrix with entries uniform in [-b, b), b = 1/sqrt(fanIn), where
// fanIn = cols: PyTorch's _calculate_fan_in_and_fan_out takes size(1) of a 2-D tensor as its fan-in,
// so the notebook's w1 [200, 30] uses b = 1/sqrt(30) and w2 [30, 12] uses b = 1/sqrt(12).
func InitUniform(rows, cols int, rng *rand.Rand) Matrix {
	m := NewMatrix(rows, cols)
	b := 1 / math.Sqrt(float64(cols))
	for i := range m.Data {
		m.Data[i] = float32((2*rng.Float64() - 1) * b)
	}
	return m
}

// Effective returns the weights a layer applies under the |w| parametrisation (SignAbs, the notebook's).
// With Dale's law on, each row r is |w[r, :]| * sign[r] (the notebook's get_signed_weights), so every
// outgoing weight of a presynaptic unit has that unit's sign; with Dale's law off it returns a copy of w.
// For a model of any parametrisation use Model.EffectiveW1 and EffectiveW2 (or EffectiveParam).
func Effective(w Matrix, mask Mask, dalesLaw bool) Matrix {
	return EffectiveParam(w, mask, dalesLaw, SignAbs)
}

// EffectiveParam is Effective with a choice of sign parametrisation: each row r is f(w[r, :]) * sign[r]
// with f = |.| (SignAbs), max(., 0) (SignReLU), softplus (SignSoftplus) or the identity (SignClip, whose
// raw weights are kept >= 0 by projection).
func EffectiveParam(w Matrix, mask Mask, dalesLaw bool, param SignParam) Matrix {
	e := w.Clone()
	if !dalesLaw {
		return e
	}
	f := SignMap(param)
	for r := 0; r < e.Rows; r++ {
		s := mask.Signs[r]
		for c := 0; c < e.Cols; c++ {
			i := r*e.Cols + c
			e.Data[i] = f(e.Data[i]) * s
		}
	}
	return e
}

// checkShape returns an error unless m is [rows, cols] with matching data.
func checkShape(name string, m Matrix, rows, cols int) error {
	if m.Rows != rows || m.Cols != cols || len(m.Data) != rows*cols {
		return fmt.Errorf("snn: %s has shape [%d, %d] with %d values, want [%d, %d]", name, m.Rows, m.Cols, len(m.Data), rows, cols)
	}
	return nil
}
