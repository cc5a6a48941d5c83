package study

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// FidelityPlan is the mirror notebook's check of the port against the seed notebook's own code: every
// number the original prints (train and test accuracy and absolute error at inhibitory fractions 0.5 and
// 0.2, and after its ablation of the 0.2 network's inhibitory inputs), from our Go implementation and from
// the seed's PyTorch code (snn/bench/torch_fidelity.py, the notebook's protocol in one process per seed),
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
func (p FidelityPlan) Record() (PlanRecord, bool) {
	for _, r := range planRecords {
		if r.Plan == p.Name {
			return r, true
		}
	}
	return PlanRecord{}, false
}

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
