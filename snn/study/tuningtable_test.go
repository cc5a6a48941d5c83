package study

import "testing"

// TuningTable against a table written by hand for two conditions on different grids (one extended below the
// other's), with the selected rates marked and a rate one of them was not run at shown as "-".
func TestTuningTable(t *testing.T) {
	tuned := []Tuned{
		{Condition: "a", Selected: 0.01, Curve: []TuningPoint{{LearningRate: 0.01, Mean: 0.5612}, {LearningRate: 0.0316228, Mean: 0.463}}},
		{Condition: "longer-name", Selected: 0.001, Curve: []TuningPoint{{LearningRate: 0.001, Mean: 0.75}, {LearningRate: 0.01, Mean: 0.382}, {LearningRate: 0.0316228, Mean: 0.47249}}},
	}
	want := "condition        0.001       0.01  0.0316228\n" +
		"a                    -      56.1*       46.3\n" +
		"longer-name      75.0*       38.2       47.2\n" +
		"(mean validation accuracy over the tuning seeds, %, by learning rate; *: the rate the tuning selected; -: not run)\n"
	if got := TuningTable(tuned); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
