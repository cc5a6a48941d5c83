package study

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// ArtefactConclusion compares the notebook's "After learning" sign image with the Dale mask for models
// trained with the blocked and with a random mask (section 1), and says how far training moved the
// effective input weights (relative Frobenius norm of the change).
func ArtefactConclusion(blocked, random *snn.Model) Conclusion {
	type row struct {
		name   string
		s      probe.SignImageStats
		moved  float64
		layout snn.MaskLayout
	}
	var rows []row
	for _, m := range []*snn.Model{blocked, random} {
		w, w0 := m.EffectiveW1(), m.InitialEffectiveW1()
		var diff, norm float64
		for k := range w.Data {
			d := float64(w.Data[k] - w0.Data[k])
			diff, norm = diff+d*d, norm+float64(w0.Data[k])*float64(w0.Data[k])
		}
		rows = append(rows, row{string(m.Config.Layout), probe.SignImage(m), math.Sqrt(diff / norm), m.Config.Layout})
	}
	var notes []string
	all := true
	for _, r := range rows {
		notes = append(notes, fmt.Sprintf("With the %s mask the \"After learning\" image equals the Dale mask in %d of %d entries, "+
			"while %d raw parameters changed sign and the effective input weights moved by %.0f%% of their initial norm.",
			r.name, r.s.AfterEqualsMask, r.s.Total, r.s.RawFlipped, 100*r.moved))
		all = all && r.s.AfterEqualsMask == r.s.Total
	}
	if all {
		notes = append(notes, "So the image draws the sign constraint whatever the layout: the \"phase separation\" is the mask, not something learned; the signed view shows what training changed.")
	} else {
		notes = append(notes, "Where the image differs from the mask, the entries are effective weights that are exactly 0 (drawn as \"not > 0\").")
	}
	return Conclusion{Notes: notes}
}

// AssignmentConclusion says which sign classes of the given masks are confined to one ear or to part of
// the phase delays (section 2). labels name the reports, e.g. "blocked 0.5".
func AssignmentConclusion(labels []string, reports []probe.ConfoundReport) Conclusion {
	var narrow []string
	for i, r := range reports {
		for k, name := range []string{"inhibitory", "excitatory"} {
			if r.Ear[k][0]+r.Ear[k][1] == 0 {
				continue
			}
			var gaps []string
			if r.Ear[k][0] == 0 || r.Ear[k][1] == 0 {
				gaps = append(gaps, "one ear only")
			}
			empty := 0
			for q := range 4 {
				if r.Quarter[k][q] == 0 {
					empty++
				}
			}
			if empty > 0 {
				gaps = append(gaps, fmt.Sprintf("%d of 4 phase-delay quarters empty", empty))
			}
			if len(gaps) > 0 {
				narrow = append(narrow, fmt.Sprintf("%s %s (%s)", labels[i], name, strings.Join(gaps, ", ")))
			}
		}
	}
	if len(narrow) == 0 {
		return Conclusion{Notes: []string{fmt.Sprintf("None of the %d masks has a sign class confined to one ear or to part of the phase delays.", len(reports))}}
	}
	return Conclusion{Notes: []string{fmt.Sprintf("%d of the %d sign classes of the %d masks are confined to part of the inputs: %s. "+
		"Such a class cannot be told apart from the ear or the delays it covers, which is why the ablation below is repeated "+
		"with a random mask and compared with position-matched controls.", len(narrow), 2*len(reports), len(reports), strings.Join(narrow, "; "))}}
}

// PeakBins returns, for each curve, the index of its largest finite value (the first on ties; -1 for a
// curve with none).
func PeakBins(curves [][]float64) []int {
	out := make([]int, len(curves))
	for u, c := range curves {
		out[u] = -1
		for b, v := range c {
			if !math.IsNaN(v) && (out[u] < 0 || v > c[out[u]]) {
				out[u] = b
			}
		}
	}
	return out
}

// TuningConclusion counts the hidden units of each sign whose tuning curve peaks at a negative IPD, and
// the readout units whose peak lies in their own class's IPD range (section 6). centres are the bin
// centres in degrees, as probe.TuningCurves returns them. It describes one network.
func TuningConclusion(m *snn.Model, centres []float64, hidden, readout [][]float64) Conclusion {
	var leftE, leftI, nE, nI int
	for u, b := range PeakBins(hidden) {
		left := b >= 0 && centres[b] < 0
		if m.Mask2.Signs[u] < 0 {
			nI++
			if left {
				leftI++
			}
		} else {
			nE++
			if left {
				leftE++
			}
		}
	}
	own := 0
	for k, b := range PeakBins(readout) {
		if b >= 0 && snn.Discretise(centres[b]*math.Pi/180, m.Config.NumClasses) == k {
			own++
		}
	}
	return Conclusion{Notes: []string{fmt.Sprintf("In this network (seed %d), %d of %d excitatory and %d of %d inhibitory hidden units respond most "+
		"to negative IPDs; %d of the %d readout units peak inside their own class's IPD range.",
		m.Config.Seed, leftE, nE, leftI, nI, own, len(readout))}}
}

// LedgerNote describes the end-of-training weight ledger of a sign parametrisation (input weights W1 and readout
// weights W2, from the hidden units to the readout) with the columns that
// mean something for it: raw sign flips for abs (a raw weight crosses 0 while its effective weight keeps
// its sign); weights at exactly 0 for relu (culled: no gradient flows back) and clip (held at the bound);
// weights below 1e-4 for softplus (never exactly 0, and its raw sign carries no meaning); for wiggle the
// weights restarted during the epoch and those at 0 at its end; for expgrad weights below 1e-4 and at 0.
func LedgerNote(p snn.SignParam, e snn.LedgerEntry) string {
	switch p {
	case snn.SignAbs:
		return fmt.Sprintf("abs: %d raw weights changed sign (%d input, %d readout), %d effective weights exactly 0",
			e.W1.Flipped+e.W2.Flipped, e.W1.Flipped, e.W2.Flipped, e.W1.Zero+e.W2.Zero)
	case snn.SignReLU:
		return fmt.Sprintf("relu: %d input and %d readout weights exactly 0 (culled)", e.W1.Zero, e.W2.Zero)
	case snn.SignSoftplus:
		return fmt.Sprintf("softplus: %d effective weights below 1e-4 (none can be 0)", e.W1.Tiny+e.W2.Tiny+e.W1.Zero+e.W2.Zero)
	case snn.SignClip:
		return fmt.Sprintf("clip: %d input and %d readout weights held at 0 by the projection", e.W1.Zero, e.W2.Zero)
	case snn.SignWiggle:
		return fmt.Sprintf("wiggle: %d restarts from 0 during the epoch (a weight can restart many times), %d input and %d readout weights at 0 at its end",
			e.Restarts, e.W1.Zero, e.W2.Zero)
	case snn.SignExpGrad:
		return fmt.Sprintf("expgrad: %d effective weights below 1e-4, %d at 0 (none can be)", e.W1.Tiny+e.W2.Tiny, e.W1.Zero+e.W2.Zero)
	}
	return fmt.Sprintf("%s: %d at 0, %d below 1e-4, %d raw weights off their initial side of 0", p, e.W1.Zero+e.W2.Zero, e.W1.Tiny+e.W2.Tiny, e.W1.Flipped+e.W2.Flipped)
}

// SeedNote compares the original notebook's single-run test accuracies (original, by inhibitory fraction)
// with the mean and standard deviation over seeds of the same protocol in runs (condition "both" of
// DaleConditions). notDone are the planned runs the cache lacks; their fractions are said to be missing.
func SeedNote(runs []RunResult, notDone []RunState, original map[float64]float64, fractions []float64) string {
	var b strings.Builder
	for _, f := range fractions {
		var acc []float64
		for _, r := range runs {
			if r.Condition == "both" && r.Fraction == f {
				acc = append(acc, r.TestAccuracy)
			}
		}
		missing := 0
		for _, st := range notDone {
			if st.Key.Condition == "both" && st.Key.Fraction == f {
				missing++
			}
		}
		orig := fmt.Sprintf("the original's single run: %.1f%%", 100*original[f])
		if len(acc) < 2 || missing > 0 {
			fmt.Fprintf(&b, "IE_RATIO %g: %d seeds in the cache, %d missing: run dales_law_controls.ipynb or make results (%s)\n", f, len(acc), missing, orig)
			continue
		}
		mean, sd := stat.MeanStdDev(acc, nil)
		lo, hi := floats.Min(acc), floats.Max(acc)
		fmt.Fprintf(&b, "IE_RATIO %g: test accuracy %.1f%% ± %.1f (mean ± sd over %d seeds, range %.1f to %.1f; %s)\n",
			f, 100*mean, 100*sd, len(acc), 100*lo, 100*hi, orig)
	}
	return b.String()
}

// SeedRankNote places one seed's runs (the single runs a notebook prints) among the seeds of runs
// (condition "both"), at two inhibitory fractions a and b: its rank by test accuracy at each (the highest,
// the lowest, or the k-th highest), whether its order of the two fractions is that of the means over seeds
// or the reverse, and whether that order is established: the paired difference a - b over the seeds run
// at both (its 95% interval and paired t test, PairedDiff) and how many of them go the other way from the
// paired mean (orderEvidence). A seed
// missing at either fraction, or fewer than two seeds at one, is said instead. numerics names what
// trained the notebook's single runs (snn.NumericsVersion; "" when not known). Only where both cached
// runs of the seed record those numerics are they the single runs; otherwise (numerics not known, a
// cached run of other or unrecorded numerics: another CPU's or build's float32 rounding moves a run as
// another seed would) the note ranks the cached runs, names the numerics of each, and says the single
// runs' numbers may differ.
func SeedRankNote(runs []RunResult, seed uint64, a, b float64, numerics string) string {
	type summary struct {
		mine, mean      float64
		above, equal, n int // seeds scoring more than, and as much as (itself included), the seed
		found           bool
		numerics        string
	}
	at := func(f float64) summary {
		var s summary
		var acc []float64
		for _, r := range runs {
			if r.Condition == "both" && r.Fraction == f {
				acc = append(acc, r.TestAccuracy)
				if r.Seed == seed {
					s.mine, s.found, s.numerics = r.TestAccuracy, true, r.Numerics
				}
			}
		}
		s.n, s.mean = len(acc), stat.Mean(acc, nil)
		for _, v := range acc {
			if v > s.mine {
				s.above++
			}
			if v == s.mine {
				s.equal++
			}
		}
		return s
	}
	sa, sb := at(a), at(b)
	switch {
	case !sa.found || !sb.found:
		return fmt.Sprintf("seed %d is not among the cached seeds at both IE_RATIO %g and %g: no rank to give\n", seed, a, b)
	case sa.n < 2 || sb.n < 2:
		return fmt.Sprintf("fewer than 2 cached seeds at IE_RATIO %g or %g (%d and %d): no rank to give\n", a, b, sa.n, sb.n)
	}
	order := func(x, y float64) string {
		switch {
		case x > y:
			return "above"
		case x < y:
			return "below"
		}
		return "equal to"
	}
	mine, means := order(sa.mine, sb.mine), order(sa.mean, sb.mean)
	relation := "the same as the means'"
	if mine != means {
		relation = "not the means'"
		if mine != "equal to" && means != "equal to" {
			relation = "the reverse of the means'"
		}
	}
	who, verb, after := fmt.Sprintf("seed %d (this notebook's single runs)", seed), "is", ""
	if numerics == "" || sa.numerics != numerics || sb.numerics != numerics {
		who, verb = fmt.Sprintf("seed %d's cached runs", seed), "are"
		named := func(n string) string {
			if n == "" {
				return "unrecorded numerics"
			}
			return fmt.Sprintf("numerics %q", n)
		}
		trained := "numerics not known here"
		if numerics != "" {
			trained = named(numerics)
		}
		after = fmt.Sprintf("; this notebook's single runs were trained by %s, the cached run at %g by %s and at %g by %s: "+
			"where they differ (another float32 rounding, which moves a run as another seed would), so may the single runs' "+
			"numbers, and the ranks are the cached runs'", trained, a, named(sa.numerics), b, named(sb.numerics))
	}
	return fmt.Sprintf("%s %s %s at IE_RATIO %g (%.1f%%) and %s at %g (%.1f%%); "+
		"the order, %g %s %g, is %s (%.1f%% %s %.1f%%)%s%s\n",
		who, verb, rankWords(sa.above, sa.equal, sa.n), a, 100*sa.mine, rankWords(sb.above, sb.equal, sb.n), b, 100*sb.mine, a, mine, b, relation,
		100*sa.mean, means, 100*sb.mean, orderEvidence(runs, a, b), after)
}

// rankWords places a seed among n by test accuracy, from the seeds scoring more (above) and as much
// (equal, itself included): "the highest of 5" (none above), "the lowest of 5" (none below), else "the
// 2nd highest of 5" (rank above+1); with another seed at the same value, "tied for" before it.
func rankWords(above, equal, n int) string {
	tied := ""
	if equal > 1 {
		tied = "tied for "
	}
	switch {
	case above == 0:
		return fmt.Sprintf("%sthe highest of %d", tied, n)
	case above+equal == n:
		return fmt.Sprintf("%sthe lowest of %d", tied, n)
	}
	k := above + 1
	suffix := "th"
	if k%100 < 11 || k%100 > 13 {
		suffix = map[int]string{1: "st", 2: "nd", 3: "rd"}[k%10]
		if suffix == "" {
			suffix = "th"
		}
	}
	return fmt.Sprintf("%sthe %d%s highest of %d", tied, k, suffix, n)
}

// orderEvidence is the paired difference of test accuracy between fractions a and b (condition "both")
// over the seeds run at both: "; paired over the 5 seeds, 0.5 - 0.2 is +6.4 points (95% CI -3.9 to +16.8,
// paired t test p = 0.161: the order is not established by these seeds), and 2 of 5 seeds go the other
// way" (the order "holds at the 5% level" when p < 0.05; against the paired mean's sign, and no count
// when that mean prints as 0.0). Empty with fewer than 2 such seeds.
func orderEvidence(runs []RunResult, a, b float64) string {
	ma, errA := BySeed(runs, Select{"both", a}, TestAccuracy)
	mb, errB := BySeed(runs, Select{"both", b}, TestAccuracy)
	if errA != nil || errB != nil {
		return ""
	}
	// Over the seeds run at both (Pair would refuse seed sets that differ), in seed order: the same sums each time.
	var xa, xb []float64
	for _, seed := range slices.Sorted(maps.Keys(ma)) {
		if w, ok := mb[seed]; ok {
			xa, xb = append(xa, ma[seed]), append(xb, w)
		}
	}
	if len(xa) < 2 {
		return ""
	}
	d, err := PairedDiff(xa, xb, 0.95)
	if err != nil {
		return ""
	}
	verdict := "the order is not established by these seeds"
	if d.P < 0.05 {
		verdict = "the order holds at the 5% level"
	}
	head := fmt.Sprintf("; paired over the %d seeds, %g - %g is %s points (95%% CI %s to %s, paired t test %s: %s)", len(xa), a, b,
		signed(100*d.CI.Mean), signed(100*d.CI.Low), signed(100*d.CI.High), pString(d.P), verdict)
	if math.Round(1000*d.CI.Mean) == 0 { // +0.0 or -0.0 points as printed: no order to go against
		return head + ", no order at the printed precision"
	}
	against := 0 // seeds whose difference has the other sign than the paired mean
	for _, v := range d.Diff {
		if v != 0 && (v > 0) != (d.CI.Mean > 0) {
			against++
		}
	}
	return head + fmt.Sprintf(", and %d of %d seeds go the other way", against, len(xa))
}
