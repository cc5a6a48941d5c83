package study

import (
	"fmt"
	"math"
	"strings"

	"github.com/snn-dales/dales/snn"
	"gonum.org/v1/gonum/floats"
)

// KernelRow is the linear kernel of one condition's inhibitory units at initialisation (snn.FitInhibitoryKernel
// on the validation set of its configuration): from their input current to what they pass on.
type KernelRow struct {
	Condition string
	Kernel    snn.InhibitoryKernel
	Samples   int
}

// InitialKernels fits, for each named condition at fraction f and seed (conditions whose inhibitory
// units have a state of their own: LIF, delayed, filtered), the untrained network's inhibitory kernel
// with lags 0..lags on the validation set.
func InitialKernels(base snn.Config, f float64, seed uint64, lags int, names ...string) ([]KernelRow, error) {
	var rows []KernelRow
	for _, name := range names {
		m, val, err := initialModel(base, f, seed, name)
		if err != nil {
			return nil, err
		}
		k, err := snn.FitInhibitoryKernel(m, val, lags)
		if err != nil {
			return nil, fmt.Errorf("study: %s: %w", name, err)
		}
		rows = append(rows, KernelRow{Condition: name, Kernel: k, Samples: val.Len()})
	}
	return rows, nil
}

// kernelShown is how many of a kernel's first lags KernelTable prints, and kernelEarly how many it adds up.
const kernelShown, kernelEarly = 8, 4

// KernelTable prints the rows: the units, the lags fitted, their mean record, the fit's intercept, the
// kernel's sum over all lags (snn.InhibitoryKernel.Gain), the delay of its peak, the sum of its values at
// delays 1 to 4, R² and its first values by delay (m+1 steps from an input to the excitatory step it
// inhibits). Its mean lag (MeanLag) is not printed: for LIF units it depends on the fit's tail, which moves
// with the number of lags fitted (the stimulus's inputs are correlated over many steps).
func KernelTable(rows []KernelRow) string {
	var b strings.Builder
	w := nameWidth(20, rowConditions(rows, func(r KernelRow) string { return r.Condition })...)
	fmt.Fprintf(&b, "%-*s %-9s %5s %6s %7s %6s %5s %9s %6s   h by delay (steps from input to inhibited step):\n", w, "condition", "units",
		"lags", "rate", "c", "total", "peak", "sum 1-4", "R²")
	delayHeader(&b, 84+w-20)
	for _, r := range rows {
		k := r.Kernel
		r2 := "-"
		if !math.IsNaN(k.R2) {
			r2 = fmt.Sprintf("%.3f", k.R2)
		}
		early := floats.Sum(k.Kernel[:min(kernelEarly, len(k.Kernel))])
		fmt.Fprintf(&b, "%-*s %-9s %5d %6.3f %7.3f %6.3f %5d %9.3f %6s   ", w, r.Condition, k.Units, len(k.Kernel)-1, k.Rate, k.Intercept,
			k.Gain(), k.PeakLag(), early, r2)
		delayValues(&b, k.Kernel)
	}
	if len(rows) > 0 {
		fmt.Fprintf(&b, "(untrained networks, %d validation samples; the least-squares fit of each unit's record on its input current at "+
			"lags 0 to the number given, with an intercept c, pooled over units, samples and steps (snn.FitInhibitoryKernel); rate: the mean "+
			"record, spikes per unit and step for LIF units; total: the kernel's sum over all lags; peak: the delay of the largest value; "+
			"sum 1-4: the values at delays 1 to 4; R²: the share of one unit's records' variance the fit explains)\n", rows[0].Samples)
	}
	return b.String()
}

// ResponseRow is the impulse response of one condition's inhibitory units at initialisation
// (snn.ImpulseResponse on the validation set of its configuration) to an extra input current δ.
type ResponseRow struct {
	Condition string
	Response  snn.InhibitoryResponse
	Samples   int
}

// InitialResponses measures, for each named condition at fraction f and seed and each δ in deltas, the
// untrained network's inhibitory impulse response at lags 0..lags on the validation set.
func InitialResponses(base snn.Config, f float64, seed uint64, lags int, deltas []float64, names ...string) ([]ResponseRow, error) {
	var rows []ResponseRow
	for _, name := range names {
		m, val, err := initialModel(base, f, seed, name)
		if err != nil {
			return nil, err
		}
		for _, delta := range deltas {
			r, err := snn.ImpulseResponse(m, val, lags, delta)
			if err != nil {
				return nil, fmt.Errorf("study: %s: %w", name, err)
			}
			rows = append(rows, ResponseRow{Condition: name, Response: r, Samples: val.Len()})
		}
	}
	return rows, nil
}

// ResponseTable prints the rows: the units, their mean record, δ, the response's sum over the lags measured, the delay of
// its peak and its first values by delay (m+1 steps from the perturbed input to the excitatory step it
// inhibits).
func ResponseTable(rows []ResponseRow) string {
	var b strings.Builder
	w := nameWidth(20, rowConditions(rows, func(r ResponseRow) string { return r.Condition })...)
	fmt.Fprintf(&b, "%-*s %-9s %6s %5s %5s %6s %5s   response by delay, per unit of δ:\n", w, "condition", "units", "rate", "δ", "lags", "sum", "peak")
	delayHeader(&b, 65+w-20)
	for _, r := range rows {
		x := r.Response
		fmt.Fprintf(&b, "%-*s %-9s %6.3f %5g %5d %6.3f %5d   ", w, r.Condition, x.Units, x.Rate, x.Delta, len(x.Response)-1, x.Sum(), x.PeakLag())
		delayValues(&b, x.Response)
	}
	if len(rows) > 0 {
		fmt.Fprintf(&b, "(untrained networks unless the condition says trained, %d validation samples; each sample's input current to every inhibitory unit raised by δ at one "+
			"step (the sample's number modulo the steps), the units' records compared with those on the sample's own currents, averaged "+
			"over units and samples (snn.ImpulseResponse); rate: the mean record on the samples' own currents, spikes per unit and step "+
			"(a LIF unit's ceiling is 0.5); sum: over lags 0 to the number given)\n", rows[0].Samples)
	}
	return b.String()
}

// delayHeader writes the delays 1 to kernelShown, right-aligned above delayValues' columns after indent
// spaces, and ends the line.
func delayHeader(b *strings.Builder, indent int) {
	b.WriteString(strings.Repeat(" ", indent))
	for lag := 1; lag <= kernelShown; lag++ {
		fmt.Fprintf(b, " %6d", lag)
	}
	b.WriteString("\n")
}

// delayValues writes v's first kernelShown values (v[m] at delay m+1) and ends the line.
func delayValues(b *strings.Builder, v []float64) {
	for _, x := range v[:min(kernelShown, len(v))] {
		fmt.Fprintf(b, " %6.3f", x)
	}
	b.WriteString("\n")
}
