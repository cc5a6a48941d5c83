package plots

import (
	"reflect"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn/study"
)

// Groups gathers each named condition's runs at one fraction, test accuracy or a metric, and refuses a
// name without runs or a run without the metric.
func TestGroups(t *testing.T) {
	run := func(c string, f float64, seed uint64, acc, m float64) study.RunResult {
		return study.RunResult{RunKey: study.RunKey{Condition: c, Fraction: f, Seed: seed}, TestAccuracy: acc,
			Extra: map[string]float64{"m": m}}
	}
	res := []study.RunResult{run("a", 0.5, 1, 0.7, 1), run("b", 0.5, 1, 0.6, 2), run("a", 0.2, 1, 0.1, 3), run("a", 0.5, 2, 0.8, 4)}
	got, err := Groups(res, 0.5, "", "b", "a")
	want := []AblationGroup{{"b", []float64{0.6}}, {"a", []float64{0.7, 0.8}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Groups accuracy = %v, %v; want %v", got, err, want)
	}
	got, err = Groups(res, 0.5, "m", "a")
	if want := []AblationGroup{{"a", []float64{1, 4}}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Groups metric = %v, %v; want %v", got, err, want)
	}
	if _, err := Groups(res, 0.5, "", "c"); err == nil || !strings.Contains(err.Error(), `"c"`) {
		t.Errorf("a condition without runs: err %v", err)
	}
	if _, err := Groups(res, 0.5, "missing", "a"); err == nil || !strings.Contains(err.Error(), `"missing"`) {
		t.Errorf("a run without the metric: err %v", err)
	}
}
