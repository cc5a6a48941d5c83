package study

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
	"gonum.org/v1/gonum/floats"
)

// FidelityPlan is the mirror notebook's check of the port against the seed notebook's own code: every
// number the original prints (train and test accuracy and absolute error at inhibitory fractions 0.5 and
// 0.2, and after its ablation of the 0.2 network's inhibitory inputs), from our Go implementation and from
// a PyTorch re-implementation of the seed's code and protocol (snn/bench/torch_fidelity.py, one process per seed),
// over the same number of seeds, set beside the original's single printed value. It is fixed in a commit
// before its runs (its PlanRecord; TestPlanRecords).
//
// The two implementations draw their stimuli and weights from different generators, so their seeds are
// not paired: each row compares them by Welch's two-sample t test (unequal variances), Holm-adjusted
// over the rows (one family: "do the implementations differ"), and by Welch's two one-sided tests at the
// row's margin (equivalence). The original's value is one run: it is placed inside or outside each
// implementation's range of seeds, not tested.
type FidelityPlan struct {
	Name      string        `json:"name"`
	Condition string        `json:"condition"`      // our condition: the notebook's network and protocol
	Keys      []string      `json:"condition_keys"` // snn.ConfigKey of it at each fraction (what it meant)
	Fractions []float64     `json:"fractions"`
	Seeds     []uint64      `json:"seeds"` // ours and PyTorch's alike
	Rows      []FidelityRow `json:"rows"`
	// AccuracyMargin (points) and ErrorMargin (degrees) are the equivalence margins of the rows.
	AccuracyMargin float64 `json:"accuracy_margin"`
	ErrorMargin    float64 `json:"error_margin"`
	Alpha          float64 `json:"alpha"`
	Cache          string  `json:"cache"`       // our runs, under the results folder
	TorchCache     string  `json:"torch_cache"` // PyTorch's records torch_s<seed>.json, under the results folder
	TorchCommand   string  `json:"torch_command"`
	Source         string  `json:"source"` // where the original's values are printed
	Tests          string  `json:"tests"`
}

// FidelityRow is one number the original prints.
type FidelityRow struct {
	Label    string  `json:"label"`
	Fraction float64 `json:"fraction"`
	Ablated  bool    `json:"ablated"` // after the notebook's ablation (inhibitory input rows set to 0)
	Metric   string  `json:"metric"`  // train_accuracy, train_error_deg, test_accuracy or test_error_deg
	Original float64 `json:"original"`
	// Floor marks rows at chance level (8.3%) in the original, fixed before the runs: a comparison there
	// says little about the implementations (both sit at the floor).
	Floor bool `json:"floor"`
}

// fidelityMetrics are the per-run numbers a FidelityRow can read.
var fidelityMetrics = []string{"train_accuracy", "train_error_deg", "test_accuracy", "test_error_deg"}

// Fidelity returns the mirror notebook's fidelity plan. The original's values are those the seed notebook
// prints (../shared/seed, "Train classifier accuracy: 92.7%" and the seven lines after it in order).
func Fidelity() FidelityPlan {
	p := FidelityPlan{Name: "fidelity", Condition: "both", Fractions: []float64{0.5, 0.2},
		Seeds: []uint64{1, 2, 3, 4, 5}, AccuracyMargin: 3, ErrorMargin: 1, Alpha: 0.05,
		Cache: "fidelity", TorchCache: "fidelity", TorchCommand: "snn/bench/fidelity.sh",
		Source: "the seed notebook's printed output (Analysing Dale's law ..., cells Train Network, the 80:20 run and Testing relevance of inhibitory neurons)",
		Tests: "per row: ours against PyTorch by Welch's t test (seeds unpaired), Holm over the 12 rows at alpha; Welch TOST at " +
			"the row's margin at alpha; the smallest difference detected with 80% power; the original's value inside or outside " +
			"each implementation's range over the seeds (not tested: one run); rows marked floor are at chance in the original"}
	orig := []struct {
		f       float64
		ablated bool
		vals    [4]float64 // train acc %, train error deg, test acc %, test error deg
	}{{0.5, false, [4]float64{92.7, 4.0, 83.7, 4.4}}, {0.2, false, [4]float64{78.1, 5.3, 70.6, 6.2}},
		{0.2, true, [4]float64{8.6, 70.0, 10.0, 68.0}}}
	for _, o := range orig {
		for i, m := range fidelityMetrics {
			what := strings.ReplaceAll(m, "_", " ")
			what = strings.Replace(what, "error deg", "absolute error (deg)", 1)
			what = strings.Replace(what, "accuracy", "accuracy (%)", 1)
			label := fmt.Sprintf("%.1f %s", o.f, what)
			if o.ablated {
				label = fmt.Sprintf("%.1f ablated, %s", o.f, what)
			}
			p.Rows = append(p.Rows, FidelityRow{Label: label, Fraction: o.f, Ablated: o.ablated, Metric: m,
				Original: o.vals[i], Floor: o.ablated})
		}
	}
	c, err := ConditionByName(p.Condition)
	if err != nil { // "both" is a built-in condition
		panic(err)
	}
	for _, f := range p.Fractions {
		p.Keys = append(p.Keys, snn.ConfigKey(c.Apply(snn.DefaultConfig(), f)))
	}
	return p
}

// Frozen is the plan's content as canonical JSON (every field is data).
func (p FidelityPlan) Frozen() (string, error) {
	b, err := json.Marshal(p)
	return string(b), err
}

// Record returns the plan's record; ok is false for a plan that has none.
func (p FidelityPlan) Record() (PlanRecord, bool) { return recordOf(p.Name) }

// margin is the equivalence margin of row r.
func (p FidelityPlan) margin(r FidelityRow) float64 {
	if strings.HasSuffix(r.Metric, "_error_deg") {
		return p.ErrorMargin
	}
	return p.AccuracyMargin
}

// FidelitySet's metrics: the train set's absolute error, and the notebook's ablation (CutNotebook) scored
// on the train and the test set.
const FidelityMetricsVersion = "1"

// FidelityMetricNames are the metrics FidelityMetrics returns (Sweep.ExtraMetrics).
func FidelityMetricNames() []string {
	return []string{"train_error_deg", "ablated_train_accuracy", "ablated_train_error_deg", "ablated_test_accuracy",
		"ablated_test_error_deg"}
}

// FidelityMetrics returns what the seed notebook prints beyond a run's test accuracy and error: the train
// set's absolute error ("train_error_deg"), and after its ablation (probe.CutNotebook: the first
// InhibitoryFraction*NumInputs input rows set to 0 in the trained weights) the accuracy and absolute error
// on the train and the test set ("ablated_train_accuracy", ...). For Sweep.Extra.
func FidelityMetrics(x *snn.Experiment) (map[string]float64, error) {
	a, _, err := probe.AblateCut(x.Trained, probe.CutNotebook, 0)
	if err != nil {
		return nil, err
	}
	ev, err := snn.NewEvaluator(x.Config, nil)
	if err != nil {
		return nil, err
	}
	tr, err := ev.Evaluate(a, x.Train)
	if err != nil {
		return nil, err
	}
	te, err := ev.Evaluate(a, x.Test)
	if err != nil {
		return nil, err
	}
	return map[string]float64{"train_error_deg": x.TrainEval.AbsErrorDeg,
		"ablated_train_accuracy": tr.Accuracy, "ablated_train_error_deg": tr.AbsErrorDeg,
		"ablated_test_accuracy": te.Accuracy, "ablated_test_error_deg": te.AbsErrorDeg}, nil
}

// ourValue reads row r's number from our run at r.Fraction (accuracies in percent).
func ourValue(r FidelityRow, run RunResult) (float64, error) {
	key := r.Metric
	if r.Ablated {
		key = "ablated_" + key
	}
	var v float64
	switch {
	case key == "train_accuracy":
		v = run.TrainAccuracy
	case key == "test_accuracy":
		v = run.TestAccuracy
	case key == "test_error_deg":
		v = run.TestErrorDeg
	default:
		x, ok := run.Extra[key]
		if !ok {
			return 0, fmt.Errorf("study: run %+v lacks the metric %q", run.RunKey, key)
		}
		v = x
	}
	if strings.HasSuffix(key, "accuracy") {
		v *= 100
	}
	return v, nil
}

// torchRecord is one seed's record of torch_fidelity.py.
type torchRecord struct {
	Seed     uint64                        `json:"seed"`
	Epochs   int                           `json:"epochs"`
	Command  string                        `json:"command"`
	Torch    string                        `json:"torch"`
	Threads  int                           `json:"threads"`
	Sections map[string]map[string]float64 `json:"-"`
}

// readTorchRecord reads and checks torch_s<seed>.json in dir.
func readTorchRecord(dir string, seed uint64) (torchRecord, error) {
	path := filepath.Join(dir, fmt.Sprintf("torch_s%d.json", seed))
	data, err := os.ReadFile(path)
	if err != nil {
		return torchRecord{}, fmt.Errorf("study: PyTorch's record of seed %d: %w (snn/bench/fidelity.sh writes it)", seed, err)
	}
	var rec torchRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("study: %s: %w", path, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return rec, fmt.Errorf("study: %s: %w", path, err)
	}
	rec.Sections = map[string]map[string]float64{}
	for _, sec := range []string{"0.5", "0.2", "ablation_0.2"} {
		var m map[string]any
		if err := json.Unmarshal(raw[sec], &m); err != nil {
			return rec, fmt.Errorf("study: %s: section %q: %v", path, sec, err)
		}
		rec.Sections[sec] = map[string]float64{}
		for _, k := range fidelityMetrics {
			x, ok := m[k].(float64)
			if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
				return rec, fmt.Errorf("study: %s: section %q: %s is %v: want a finite number", path, sec, k, m[k])
			}
			rec.Sections[sec][k] = x
		}
	}
	if rec.Seed != seed || rec.Epochs != 50 {
		return rec, fmt.Errorf("study: %s holds seed %d over %d epochs: want seed %d over the notebook's 50", path, rec.Seed, rec.Epochs, seed)
	}
	return rec, nil
}

// torchValue reads row r's number from a PyTorch record (accuracies in percent).
func torchValue(r FidelityRow, rec torchRecord) float64 {
	sec := fmt.Sprintf("%.1f", r.Fraction)
	if r.Ablated {
		sec = "ablation_" + sec
	}
	v := rec.Sections[sec][r.Metric]
	if strings.HasSuffix(r.Metric, "accuracy") {
		v *= 100
	}
	return v
}

// FidelityRowOutcome is one row of the fidelity table: both implementations' values by seed and how they
// compare.
type FidelityRowOutcome struct {
	Row             FidelityRow
	Ours, Torch     []float64 // by seed, in the plan's order
	Welch           Unpaired  // ours - PyTorch
	Holm            float64   // Welch's p, Holm-adjusted over the rows
	TOST            Equivalence
	Detectable      float64 // difference detected with 80% power at the plan's alpha (unadjusted)
	InOurs, InTorch bool    // the original's value within [min, max] of each implementation's seeds
}

// Verdict is "differ" (Holm p < alpha), "equivalent" (TOST p < alpha at the row's margin) or "not
// distinguishable".
func (o FidelityRowOutcome) Verdict(alpha float64) string {
	switch {
	case o.Holm < alpha:
		return "differ"
	case o.TOST.Equivalent(alpha):
		return "equivalent"
	}
	return "not distinguishable"
}

// FidelityOutcome is the fidelity plan's outcome.
type FidelityOutcome struct {
	Plan   FidelityPlan
	Rows   []FidelityRowOutcome
	Torch  string // PyTorch's version and threads, from its records
	Epochs int
}

// FidelityOf computes the fidelity plan's outcome from the caches under results (the committed
// notebooks/results): our runs from the mirror plan's "fidelity" sweep (read only: a missing run is an
// error that says how to make it) and PyTorch's records.
func FidelityOf(results string) (FidelityOutcome, error) {
	p := Fidelity()
	mirror, err := PlanByName("mirror", false)
	if err != nil {
		return FidelityOutcome{}, err
	}
	done, notDone, _, err := mirror.Collect("fidelity", snn.DefaultConfig(), results)
	if err != nil {
		return FidelityOutcome{}, err
	}
	if len(notDone) > 0 {
		return FidelityOutcome{}, fmt.Errorf("study: the fidelity table needs %d runs that %s lacks (first: %+v, %s); "+
			"make them with: go run ./snn/cmd/sweep -plan mirror -results %s", len(notDone), results, notDone[0].Key, notDone[0].State, results)
	}
	byKey := map[RunKey]RunResult{}
	for _, r := range done {
		byKey[r.RunKey] = r
	}
	out := FidelityOutcome{Plan: p}
	var recs []torchRecord
	for _, seed := range p.Seeds {
		rec, err := readTorchRecord(filepath.Join(results, p.TorchCache), seed)
		if err != nil {
			return out, err
		}
		recs = append(recs, rec)
	}
	out.Torch, out.Epochs = fmt.Sprintf("PyTorch %s, %d thread(s) per process", recs[0].Torch, recs[0].Threads), recs[0].Epochs
	var ps []float64
	for _, row := range p.Rows {
		o := FidelityRowOutcome{Row: row}
		for i, seed := range p.Seeds {
			run, ok := byKey[RunKey{p.Condition, row.Fraction, seed}]
			if !ok {
				return out, fmt.Errorf("study: no run %s at %v, seed %d in the fidelity sweep", p.Condition, row.Fraction, seed)
			}
			v, err := ourValue(row, run)
			if err != nil {
				return out, err
			}
			o.Ours = append(o.Ours, v)
			o.Torch = append(o.Torch, torchValue(row, recs[i]))
		}
		if o.Welch, err = WelchDiff(o.Ours, o.Torch, 1-p.Alpha); err != nil {
			return out, err
		}
		if o.TOST, err = WelchTOST(o.Ours, o.Torch, p.margin(row)); err != nil {
			return out, err
		}
		o.Detectable = WelchDetectable(o.Welch.SE, o.Welch.DF, p.Alpha, 0.8)
		o.InOurs, o.InTorch = within(row.Original, o.Ours), within(row.Original, o.Torch)
		out.Rows = append(out.Rows, o)
		ps = append(ps, o.Welch.P)
	}
	adj, err := Holm(ps)
	if err != nil {
		return out, err
	}
	for i := range out.Rows {
		out.Rows[i].Holm = adj[i]
	}
	return out, nil
}

// within reports whether v lies in [min(xs), max(xs)] after rounding both to the original's printed
// precision (one decimal).
func within(v float64, xs []float64) bool {
	r := func(x float64) float64 { return math.Round(x*10) / 10 }
	return r(v) >= r(floats.Min(xs)) && r(v) <= r(floats.Max(xs))
}

// Table is the fidelity table as text: one row per printed number, the original's value, each
// implementation's mean ± sd and range over the seeds, the difference ours - PyTorch with its 95%
// interval, Holm's p and the verdict.
func (f FidelityOutcome) Table() string {
	rows := [][]string{{"number the original prints", "original", "ours", "PyTorch re-implementation", "ours - PyTorch [95% CI]",
		"Holm p", "verdict"}}
	for _, o := range f.Rows {
		m1, s1 := MeanSD(o.Ours)
		m2, s2 := MeanSD(o.Torch)
		verdict := o.Verdict(f.Plan.Alpha)
		if o.Row.Floor {
			verdict += " (marked floor)"
		}
		rows = append(rows, []string{o.Row.Label, fmt.Sprintf("%.1f", o.Row.Original),
			fmt.Sprintf("%.1f ± %.1f [%.1f, %.1f]", m1, s1, floats.Min(o.Ours), floats.Max(o.Ours)),
			fmt.Sprintf("%.1f ± %.1f [%.1f, %.1f]", m2, s2, floats.Min(o.Torch), floats.Max(o.Torch)),
			fmt.Sprintf("%+.1f [%+.1f, %+.1f]", o.Welch.Diff, o.Welch.Low, o.Welch.High), formatP(o.Holm), verdict})
	}
	var b strings.Builder
	b.WriteString(alignColumns(rows, map[int]bool{1: true, 5: true}))
	fmt.Fprintf(&b, "\n± is one standard deviation over seeds %s of each implementation; [a, b] after it is the range. "+
		"The difference's interval is Welch's 95%% confidence interval (seeds unpaired: the implementations draw from different "+
		"generators); Holm's p is adjusted over the %d rows. Verdicts: differ (Holm p < %g), equivalent (unadjusted Welch TOST p < %g "+
		"within ±%g points or ±%g deg: TOST at level %g holds when the %g%% interval lies inside the margin, so the 95%% "+
		"interval printed may cross it), else not distinguishable. %s, %d epochs.\n",
		seedList(f.Plan.Seeds), len(f.Rows), f.Plan.Alpha, f.Plan.Alpha, f.Plan.AccuracyMargin, f.Plan.ErrorMargin,
		f.Plan.Alpha, 100*(1-2*f.Plan.Alpha), f.Torch, f.Epochs)
	if slices.ContainsFunc(f.Rows, func(o FidelityRowOutcome) bool { return o.Row.Floor }) {
		b.WriteString("(marked floor): a row the plan marked a floor before the runs, because the original's ablated network " +
			"scored near chance; the sentences below say where each implementation's ablated networks are against chance.\n")
	}
	if n, held, err := f.HolmEquivalences(); err == nil && n > 0 {
		what := "none holds"
		if len(held) > 0 {
			what = fmt.Sprintf("%d hold: %s", len(held), strings.Join(held, "; "))
		}
		fmt.Fprintf(&b, "The plan tests equivalence unadjusted; with Holm's correction over the %d rows' TOST p-values, as the "+
			"difference tests have, of the %d equivalences %s.\n", len(f.Rows), n, what)
	}
	return b.String()
}

// HolmEquivalences returns how many rows are judged equivalent (Verdict, unadjusted TOST as the plan
// fixed) and the labels of those whose TOST p stays below the plan's alpha after Holm's adjustment over
// every row's TOST p (as the difference tests are adjusted), in row order.
func (f FidelityOutcome) HolmEquivalences() (equivalent int, held []string, err error) {
	ps := make([]float64, len(f.Rows))
	for i, o := range f.Rows {
		ps[i] = o.TOST.P
	}
	adj, err := Holm(ps)
	if err != nil {
		return 0, nil, err
	}
	for i, o := range f.Rows {
		if o.Verdict(f.Plan.Alpha) != "equivalent" {
			continue
		}
		equivalent++
		if adj[i] < f.Plan.Alpha {
			held = append(held, o.Row.Label)
		}
	}
	return equivalent, held, nil
}

// alignColumns lays rows out in columns two spaces apart, each as wide as its widest cell (counted in
// runes), the columns in right right-aligned and the last column unpadded.
func alignColumns(rows [][]string, right map[int]bool) string {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == len(r)-1:
				b.WriteString(c)
			case right[i]:
				b.WriteString(pad + c + "  ")
			default:
				b.WriteString(c + pad + "  ")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Sentences says per row whether the original's value lies inside both implementations' spreads and
// whether the implementations agree, with the difference the design could detect.
func (f FidelityOutcome) Sentences() string {
	var b strings.Builder
	for _, o := range f.Rows {
		unit, margin := "points", f.Plan.AccuracyMargin
		if strings.HasSuffix(o.Row.Metric, "_error_deg") {
			unit, margin = "deg", f.Plan.ErrorMargin
		}
		fmt.Fprintf(&b, "- %s: the original's %.1f is %s and %s. ", capitalise(o.Row.Label), o.Row.Original,
			placeIn(o.Row.Original, o.Ours, o.InOurs, "our"), placeIn(o.Row.Original, o.Torch, o.InTorch, "PyTorch's"))
		switch o.Verdict(f.Plan.Alpha) {
		case "differ":
			fmt.Fprintf(&b, "The implementations differ: ours is %.1f %s %s PyTorch's (95%% CI %+.1f to %+.1f, Holm-adjusted %s).",
				math.Abs(o.Welch.Diff), unit, aboveBelow(o.Welch.Diff), o.Welch.Low, o.Welch.High, pString(o.Holm))
		case "equivalent":
			fmt.Fprintf(&b, "The implementations agree within ±%g %s (difference %+.1f, unadjusted TOST %s).", margin, unit,
				o.Welch.Diff, pString(o.TOST.P))
		default:
			fmt.Fprintf(&b, "The implementations are not distinguishable (difference %+.1f, 95%% CI %+.1f to %+.1f, Holm-adjusted %s), "+
				"and agreement within ±%g %s is not shown (unadjusted TOST %s): from the observed spread, %d seeds each "+
				"detect about %.1f %s with 80%% power at the unadjusted level.",
				o.Welch.Diff, o.Welch.Low, o.Welch.High, pString(o.Holm), margin, unit, pString(o.TOST.P), len(o.Ours), o.Detectable, unit)
		}
		if o.Row.Floor {
			b.WriteString(" " + f.floorNote(o.Row))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// floorNote says, for a row the plan marked a floor (the original's ablated network scored near chance),
// where each implementation's ablated networks actually are: on an accuracy row, their mean accuracy on
// the row's set against chance, whether that is within 2 points of it (AccuracyRules' slack), and what
// agreement near a floor is worth; on an error row, a pointer to the accuracy row of its set.
func (f FidelityOutcome) floorNote(row FidelityRow) string {
	set := strings.SplitN(row.Metric, "_", 2)[0] // train or test
	chance := 100.0 / 12
	if row.Metric != set+"_accuracy" {
		return fmt.Sprintf("The plan marked this row a floor before the runs (where the ablated networks are against chance: "+
			"the %s accuracy row).", set)
	}
	for _, o := range f.Rows {
		if o.Row.Ablated != row.Ablated || o.Row.Fraction != row.Fraction || o.Row.Metric != set+"_accuracy" {
			continue
		}
		m1, _ := MeanSD(o.Ours)
		m2, _ := MeanSD(o.Torch)
		near := func(m float64) string {
			if math.Abs(m-chance) <= 2 {
				return "at chance"
			}
			return fmt.Sprintf("%.1f points above chance", m-chance)
		}
		return fmt.Sprintf("The plan marked this row a floor before the runs (the original's ablated network scored near "+
			"chance, which is %.1f%%); on the %s set the ablated networks average %.1f%% here (%s) and %.1f%% in PyTorch (%s). "+
			"Near a floor both spreads shrink, so agreement there says little about the networks before the cut.",
			chance, set, m1, near(m1), m2, near(m2))
	}
	return ""
}

// placeIn says where v lies against xs: inside their range, or above or below all of them. inside is
// judged at the original's one printed decimal (within): a value outside the range that rounds onto its
// end is said to be so.
func placeIn(v float64, xs []float64, inside bool, whose string) string {
	lo, hi := floats.Min(xs), floats.Max(xs)
	switch {
	case inside && (v < lo || v > hi):
		return fmt.Sprintf("at an end of %s range (%.1f to %.1f: equal to it at the original's one decimal, counted inside)",
			whose, lo, hi)
	case inside:
		return fmt.Sprintf("inside %s range (%.1f to %.1f)", whose, lo, hi)
	case v > floats.Max(xs):
		return fmt.Sprintf("above all %d of %s seeds (up to %.1f)", len(xs), whose, floats.Max(xs))
	}
	return fmt.Sprintf("below all %d of %s seeds (from %.1f)", len(xs), whose, floats.Min(xs))
}

func aboveBelow(d float64) string {
	if d > 0 {
		return "above"
	}
	return "below"
}

// formatP is pString without its "p = " (a table column): "0.0491" or "< 0.001".
func formatP(p float64) string {
	s := pString(p)
	if strings.HasPrefix(s, "p = ") {
		return s[4:]
	}
	return s[2:]
}
