package study

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/snn-dales/dales/snn"
)

// TestTablesWidenForLongNames checks that a condition name longer than a table's default first column
// (the populations notebook prints pop-lif-bal-cap-stepcorr and "pop-lif-bal-stepcorr, trained") widens the
// column for every row, so that each row's values stay under the header's (before, such rows were pushed
// right by the overflow).
func TestTablesWidenForLongNames(t *testing.T) {
	long := "pop-lif-bal-cap-stepcorr, trained"
	// ends returns the rune offset just past the first occurrence of sub in line (-1 if absent).
	ends := func(line, sub string) int {
		i := strings.Index(line, sub)
		if i < 0 {
			return -1
		}
		return utf8.RuneCountInString(line[:i+len(sub)])
	}
	// starts returns the rune offset of the first occurrence of sub in line (-1 if absent).
	starts := func(line, sub string) int {
		i := strings.Index(line, sub)
		if i < 0 {
			return -1
		}
		return utf8.RuneCountInString(line[:i])
	}
	eight := []float64{0, 0.5, 0.25, -0.5, 0.125, 0, 0, 0}
	resp := strings.Split(ResponseTable([]ResponseRow{
		{Condition: "a", Samples: 9, Response: snn.InhibitoryResponse{Units: snn.InhibitoryLIF, Delta: 0.1, Rate: 0.25, Response: eight}},
		{Condition: long, Samples: 9, Response: snn.InhibitoryResponse{Units: snn.InhibitoryLIF, Delta: 0.1, Rate: 0.25, Response: eight}},
	}), "\n")
	if h, a, l := starts(resp[0], " units "), starts(resp[2], " lif "), starts(resp[3], " lif "); h != a || a != l {
		t.Errorf("ResponseTable: the units column starts at %d (header), %d and %d (rows):\n%s", h+1, a+1, l+1, strings.Join(resp, "\n"))
	}
	if d, a, l := utf8.RuneCountInString(resp[1]), utf8.RuneCountInString(resp[2]), utf8.RuneCountInString(resp[3]); d != a || a != l {
		t.Errorf("ResponseTable: the delay header ends at %d, the rows' 8th values at %d and %d:\n%s", d, a, l, strings.Join(resp, "\n"))
	}

	kern := strings.Split(KernelTable([]KernelRow{
		{Condition: "a", Samples: 7, Kernel: snn.InhibitoryKernel{Units: snn.InhibitoryLIF, Rate: 0.125, R2: 0.5, Kernel: append([]float64{0}, eight...)}},
		{Condition: long, Samples: 7, Kernel: snn.InhibitoryKernel{Units: snn.InhibitoryLIF, Rate: 0.125, R2: 0.5, Kernel: append([]float64{0}, eight...)}},
	}), "\n")
	if h, a, l := starts(kern[0], " units "), starts(kern[2], " lif "), starts(kern[3], " lif "); h != a || a != l {
		t.Errorf("KernelTable: the units column starts at %d (header), %d and %d (rows):\n%s", h+1, a+1, l+1, strings.Join(kern, "\n"))
	}
	if d, a, l := utf8.RuneCountInString(kern[1]), utf8.RuneCountInString(kern[2]), utf8.RuneCountInString(kern[3]); d != a || a != l {
		t.Errorf("KernelTable: the delay header ends at %d, the rows' 8th values at %d and %d:\n%s", d, a, l, strings.Join(kern, "\n"))
	}

	rates := strings.Split(InhibitoryRateTable([]InhibitoryRateRow{{Condition: "a", Seed: 11}, {Condition: long, Seed: 11}}), "\n")
	if h, a, l := ends(rates[0], "seed"), ends(rates[1], " 11"), ends(rates[2], " 11"); h != a || a != l {
		t.Errorf("InhibitoryRateTable: the seed column ends at %d (header), %d and %d (rows):\n%s", h, a, l, strings.Join(rates, "\n"))
	}

	pilot := strings.Split(RateCapPilotTable(RateCapPilot{}, []RateCapPilotRow{{Condition: "a", Weight: 100}, {Condition: long, Weight: 100}}), "\n")
	if h, a, l := ends(pilot[0], "lambda"), ends(pilot[1], " 100"), ends(pilot[2], " 100"); h != a || a != l {
		t.Errorf("RateCapPilotTable: the lambda column ends at %d (header), %d and %d (rows):\n%s", h, a, l, strings.Join(pilot, "\n"))
	}

	drive := strings.Split(DriveTable([]DriveRow{{Condition: "a", Median: 1.5}, {Condition: long, Median: 1.5}}), "\n")
	if h, a, l := ends(drive[0], "median |input|"), ends(drive[1], " 1.500"), ends(drive[2], " 1.500"); h != a || a != l {
		t.Errorf("DriveTable: the median column ends at %d (header), %d and %d (rows):\n%s", h, a, l, strings.Join(drive, "\n"))
	}

	o := Outcome{Plan: TunedPlan{Name: "p", TestSeeds: []uint64{11, 12}}, Rules: AccuracyRules(),
		Tuned: []Tuned{{Condition: "a", Selected: 0.01}, {Condition: long, Selected: 0.01}},
		Test:  map[string][]float64{"a": {0.5, 0.6}, long: {0.5, 0.6}}}
	tuned := strings.Split(o.Table(), "\n")
	if h, a, l := ends(tuned[0], "learning rate"), ends(tuned[1], " 0.01"), ends(tuned[2], " 0.01"); h != a || a != l {
		t.Errorf("Outcome.Table: the learning rate column ends at %d (header), %d and %d (rows):\n%s", h, a, l, strings.Join(tuned, "\n"))
	}

	// Names that fit keep the default width (the golden tables elsewhere hold it): "a" rows start their second column
	// at 21 in the response table.
	short := ResponseTable([]ResponseRow{{Condition: "a", Samples: 9, Response: snn.InhibitoryResponse{Units: snn.InhibitoryLIF, Delta: 0.1, Rate: 0.25, Response: eight}}})
	if i := strings.Index(strings.Split(short, "\n")[2], "lif"); i != 21 {
		t.Errorf("ResponseTable with short names: units column at %d, want 21 (the default width 20 and a space)", i)
	}
}
