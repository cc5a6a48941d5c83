package probe

import (
	"fmt"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// ConfoundReport says how the input layer's excitatory and inhibitory fibres are spread over the two
// ears and over the phase delays. The notebook's blocked mask at fraction 0.5 makes every left-ear fibre
// inhibitory and every right-ear fibre excitatory, so "inhibitory" and "left ear" cannot be told apart.
type ConfoundReport struct {
	// Ear[c][e] counts fibres of sign class c (0 inhibitory, 1 excitatory) in ear e (0 left, 1 right).
	Ear [2][2]int
	// Quarter[c][q] counts fibres of class c whose phase delay lies in quarter q of [0, pi/2] (both ears).
	Quarter [2][4]int
	// Warnings lists each sign class that covers one ear only.
	Warnings []string
}

// AssignmentReport computes the ConfoundReport of m's input mask.
func AssignmentReport(m *snn.Model) ConfoundReport {
	var r ConfoundReport
	A := m.Config.ANFPerEar
	for i, s := range m.Mask1.Signs {
		c := 1
		if s < 0 {
			c = 0
		}
		ear, j := i/A, i%A
		r.Ear[c][ear]++
		r.Quarter[c][min(4*j/A, 3)]++
	}
	names := [2]string{"inhibitory", "excitatory"}
	for c := range 2 {
		total := r.Ear[c][0] + r.Ear[c][1]
		if total > 0 && (r.Ear[c][0] == 0 || r.Ear[c][1] == 0) {
			ear := "left"
			if r.Ear[c][0] == 0 {
				ear = "right"
			}
			r.Warnings = append(r.Warnings, fmt.Sprintf("all %d %s input fibres come from the %s ear: "+
				"sign and ear are confounded (use MaskRandom to separate them)", total, names[c], ear))
		}
	}
	return r
}

// String formats the report as a small table followed by its warnings.
func (r ConfoundReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-11s %5s %5s   %s\n", "class", "left", "right", "phase-delay quarters (Q1..Q4)")
	for c, name := range [2]string{"inhibitory", "excitatory"} {
		fmt.Fprintf(&b, "%-11s %5d %5d   %d %d %d %d\n", name, r.Ear[c][0], r.Ear[c][1],
			r.Quarter[c][0], r.Quarter[c][1], r.Quarter[c][2], r.Quarter[c][3])
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}
