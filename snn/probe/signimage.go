package probe

import (
	"fmt"

	"github.com/snn-dales/dales/snn"
)

// SignImageStats compares the notebook's weight-sign images with the Dale mask.
//
// The notebook draws imshow(w1 > 0) "Before learning" and imshow(w1_trained > 0) "After learning". By
// then w1 is the raw parameter that Adam has updated in place, and w1_trained is the effective weight
// |w1|*sign, whose sign is the mask by construction. So "Before" shows the sign of the raw trained
// parameter (meaningless under |w|) and "After" shows the mask, not something learned.
type SignImageStats struct {
	Total int // entries in W1
	// AfterEqualsMask counts entries where (effective trained W1 > 0) equals (row sign > 0).
	AfterEqualsMask int
	// ExactZeros counts effective trained weights that are exactly 0 (they draw as "not > 0").
	ExactZeros int
	// RawFlipped counts raw parameters whose sign changed between initialisation and the end of training.
	RawFlipped int
	// InitialEqualsMask counts entries where (initial effective W1 > 0) equals (row sign > 0).
	InitialEqualsMask int
}

// SignImage computes SignImageStats for a trained model.
func SignImage(m *snn.Model) SignImageStats {
	eff, init := m.EffectiveW1(), m.InitialEffectiveW1()
	s := SignImageStats{Total: len(eff.Data)}
	for r := 0; r < eff.Rows; r++ {
		maskPos := m.Mask1.Signs[r] > 0
		for c := 0; c < eff.Cols; c++ {
			if (eff.At(r, c) > 0) == maskPos {
				s.AfterEqualsMask++
			}
			if eff.At(r, c) == 0 {
				s.ExactZeros++
			}
			if (init.At(r, c) > 0) == maskPos {
				s.InitialEqualsMask++
			}
			if (m.W1.At(r, c) > 0) != (m.InitW1.At(r, c) > 0) {
				s.RawFlipped++
			}
		}
	}
	return s
}

// Caption is a caption-ready sentence on what the notebook's sign images show.
func (s SignImageStats) Caption(dalesLaw bool) string {
	if !dalesLaw {
		return fmt.Sprintf("Dale's law is off: the images show the sign of learned weights; %d of %d raw weights changed sign in training.",
			s.RawFlipped, s.Total)
	}
	if s.AfterEqualsMask == s.Total {
		return fmt.Sprintf("The notebook's \"After learning\" image equals the Dale mask in all %d entries: it shows the sign "+
			"constraint, not a learned \"phase separation\". Its \"Before learning\" image is the raw trained parameter, "+
			"whose sign is irrelevant under |w| (%d of %d raw weights changed sign during training).",
			s.Total, s.RawFlipped, s.Total)
	}
	return fmt.Sprintf("The notebook's \"After learning\" image equals the Dale mask in %d of %d entries; the other %d are "+
		"weights at exactly 0, drawn as \"not positive\". %d of %d raw weights changed sign during training.",
		s.AfterEqualsMask, s.Total, s.Total-s.AfterEqualsMask, s.RawFlipped, s.Total)
}
