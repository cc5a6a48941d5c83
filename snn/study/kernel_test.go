package study

import (
	"math"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// InitialKernels reads each condition's own untrained network (quick sizes, 30 lags): the delayed control's
// kernel is its delay (1 at delay 2) and the filtered control's first value (1 - α) at delay 2 (within
// 2e-3: the fit truncates the filter's tail at 30 lags), the LIF
// units' mean record their own InhibitoryRate; a condition with linear inhibitory units is refused with
// its name. KernelTable's layout is held to a table written by hand for two rows.
func TestInitialKernels(t *testing.T) {
	base := snn.Quick(snn.DefaultConfig())
	rows, err := InitialKernels(base, 0.5, 1, 30, "pop-abs-bal-delay", "pop-abs-bal-filter", "pop-lif-bal")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Kernel.Units != snn.InhibitoryDelayed || rows[2].Kernel.Units != snn.InhibitoryLIF {
		t.Fatalf("rows %+v", rows)
	}
	if h := rows[0].Kernel.Kernel; math.Abs(h[1]-1) > 1e-6 || math.Abs(h[0]) > 1e-6 || math.Abs(h[2]) > 1e-6 {
		t.Errorf("delayed control's kernel %v, want 1 at delay 2 only", h[:3])
	}
	a := base.Alpha()
	if h := rows[1].Kernel.Kernel; math.Abs(h[1]-(1-a)) > 2e-3 {
		t.Errorf("filtered control's value at delay 2: %v, want about 1 - alpha = %v", h[1], 1-a)
	}
	m, val, err := initialModel(base, 0.5, 1, "pop-lif-bal")
	if err != nil {
		t.Fatal(err)
	}
	if rate, err := snn.InhibitoryRate(m, val); err != nil || math.Abs(rate-rows[2].Kernel.Rate) > 1e-12 || rows[2].Samples != val.Len() {
		t.Errorf("LIF row: rate %v, %d samples; InhibitoryRate %v (%v), %d samples", rows[2].Kernel.Rate, rows[2].Samples, rate, err, val.Len())
	}
	if _, err := InitialKernels(base, 0.5, 1, 10, "pop-abs"); err == nil || !strings.Contains(err.Error(), "pop-abs") {
		t.Errorf("linear units: error %v", err)
	}
	hand := []KernelRow{
		{Condition: "a", Samples: 7, Kernel: snn.InhibitoryKernel{Units: snn.InhibitoryLIF, Rate: 0.125, R2: 0.5, Intercept: -0.5,
			Kernel: []float64{0, 0.5, 0.25, -0.125, 1, 0, 0, 0, 0.75}}},
		{Condition: "b", Samples: 7, Kernel: snn.InhibitoryKernel{Units: snn.InhibitoryDelayed, Rate: 2, R2: math.NaN(),
			Kernel: []float64{0, 1, 0}}},
	}
	golden := "condition            units      lags   rate       c  total  peak   sum 1-4     R²   h by delay (steps from input to inhibited step):\n" +
		strings.Repeat(" ", 84) + "      1      2      3      4      5      6      7      8\n" +
		"a                    lif           8  0.125  -0.500  2.375     5     0.625  0.500     0.000  0.500  0.250 -0.125  1.000  0.000  0.000  0.000\n" +
		"b                    delayed       2  2.000   0.000  1.000     2     1.000      -     0.000  1.000  0.000\n"
	got := KernelTable(hand)
	if !strings.HasPrefix(got, golden) || !strings.Contains(got, "7 validation samples") {
		t.Errorf("KernelTable:\n%s\nwant it to start:\n%s", got, golden)
	}
}

// InitialResponses reads each condition's own untrained network (quick sizes) at each δ: the delayed
// control responds 1 at delay 2 only, the LIF units not at delay 1; a δ that is not > 0 is refused.
// ResponseTable's layout is held to a table written by hand for one row.
func TestInitialResponses(t *testing.T) {
	base := snn.Quick(snn.DefaultConfig())
	rows, err := InitialResponses(base, 0.5, 1, 10, []float64{0.5, 1}, "pop-abs-bal-delay", "pop-lif-bal")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0].Response.Delta != 0.5 || rows[1].Response.Delta != 1 || rows[3].Response.Units != snn.InhibitoryLIF {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows[:2] {
		if x := r.Response.Response; math.Abs(x[1]-1) > 1e-6 || math.Abs(x[0]) > 1e-6 || math.Abs(x[2]) > 1e-6 {
			t.Errorf("delayed control at δ = %v: %v, want 1 at delay 2 only", r.Response.Delta, x[:3])
		}
	}
	if rows[2].Response.Response[0] != 0 {
		t.Errorf("LIF units respond at delay 1: %v", rows[2].Response.Response[0])
	}
	if _, err := InitialResponses(base, 0.5, 1, 10, []float64{0}, "pop-lif-bal"); err == nil || !strings.Contains(err.Error(), "pop-lif-bal") {
		t.Errorf("δ = 0: error %v", err)
	}
	hand := []ResponseRow{{Condition: "a", Samples: 9, Response: snn.InhibitoryResponse{Units: snn.InhibitoryLIF, Delta: 0.1,
		Rate: 0.25, Response: []float64{0, 0.5, 0.25, -0.5, 0.125}}}}
	golden := "condition            units       rate     δ  lags    sum  peak   response by delay, per unit of δ:\n" +
		strings.Repeat(" ", 65) + "      1      2      3      4      5      6      7      8\n" +
		"a                    lif        0.250   0.1     4  0.375     2     0.000  0.500  0.250 -0.500  0.125\n"
	if got := ResponseTable(hand); !strings.HasPrefix(got, golden) || !strings.Contains(got, "9 validation samples") {
		t.Errorf("ResponseTable:\n%s\nwant it to start:\n%s", got, golden)
	}
}
