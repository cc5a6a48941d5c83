package probe

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
)

// The sets PhaseShift scores (PhaseOffsets, PhaseSet) are what its documentation says: one per shift k/12 at the training set's
// offset plus k/12 cycles, and one at the test set's offset, all with the same IPDs (drawn from the probe's
// own stream, not the test set's) and the same uniforms; the scores are the evaluator's on those sets.
func TestPhaseSets(t *testing.T) {
	cfg := tinyConfig()
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	const n = 2*phasePiece + 88 // three pieces, the last partial
	shifted, testOffset, err := PhaseOffsets(x)
	if err != nil {
		t.Fatal(err)
	}
	if len(shifted) != PhaseShifts {
		t.Fatalf("%d offsets, want %d", len(shifted), PhaseShifts)
	}
	train, test := x.Train.PhaseOffset[0], x.Test.PhaseOffset[0]
	if testOffset != test {
		t.Errorf("test offset %v, want the test set's %v", testOffset, test)
	}
	var sets []*snn.Dataset
	for k, u := range append(slices.Clone(shifted), testOffset) {
		want := test
		if k < PhaseShifts {
			want = math.Mod(train+float64(k)/PhaseShifts, 1)
		}
		if u != want {
			t.Fatalf("offset %d: %v, want %v", k, u, want)
		}
		d, err := PhaseSet(x, n, u)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, d)
		if d.Len() != n {
			t.Fatalf("set %d has %d samples, want %d", k, d.Len(), n)
		}
		for _, v := range d.PhaseOffset {
			if v != want {
				t.Fatalf("set %d: offset %v, want %v", k, v, want)
			}
		}
		if !slices.Equal(d.IPD, sets[0].IPD) {
			t.Errorf("set %d: IPDs differ from set 0's", k)
		}
		if m := min(n, x.Test.Len()); slices.Equal(d.IPD[:m], x.Test.IPD[:m]) {
			t.Errorf("set %d: the test set's IPDs, want the probe's own draw", k)
		}
		same, err := snn.StimulusAtPhase(cfg, d.IPD, want, cfg.Seed, snn.StreamPhaseSpikes)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if !slices.Equal(same.Raster(i)[3], d.Raster(i)[3]) {
				t.Fatalf("set %d sample %d: spikes are not StimulusAtPhase's at its offset", k, i)
			}
		}
	}
	atTest := sets[PhaseShifts]
	sets = sets[:PhaseShifts]
	ev, err := snn.NewEvaluator(cfg, gobackend.GetBackend())
	if err != nil {
		t.Fatal(err)
	}
	s, err := PhaseShift(ev, x, n)
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range sets {
		e, err := ev.Evaluate(x.Trained, d)
		if err != nil {
			t.Fatal(err)
		}
		if s.Accuracy[k] != e.Accuracy || s.Shifts[k] != float64(k)/PhaseShifts {
			t.Errorf("shift %d: %v at %v, want %v at %v", k, s.Accuracy[k], s.Shifts[k], e.Accuracy, float64(k)/PhaseShifts)
		}
	}
	e, err := ev.Evaluate(x.Trained, atTest)
	if err != nil {
		t.Fatal(err)
	}
	if s.TestAccuracy != e.Accuracy {
		t.Errorf("at the test offset %v, want %v", s.TestAccuracy, e.Accuracy)
	}
	if got := math.Mod(train+s.TestShift, 1); math.Abs(got-test) > 1e-12 {
		t.Errorf("train %v + test shift %v = %v, want the test offset %v", train, s.TestShift, got, test)
	}

	perSample := *x
	perSample.Config.Phase = snn.PhasePerSample
	if _, err := PhaseShift(ev, &perSample, n); err == nil || !strings.Contains(err.Error(), `"per-sample"`) {
		t.Errorf("per-sample phase: error %v, want one naming the mode", err)
	}
	if _, err := PhaseShift(ev, x, 0); err == nil || !strings.Contains(err.Error(), "0 samples") {
		t.Errorf("0 samples: error %v, want one naming the count", err)
	}
}

// Golden values by hand: differences in cycles wrap into [0, 1).
func TestPhaseDifference(t *testing.T) {
	for _, c := range []struct{ u, v, want float64 }{
		{0.75, 0.25, 0.5}, {0.25, 0.75, 0.5}, {0.1, 0.9, 0.2}, {0.9, 0.1, 0.8}, {0.3, 0.3, 0}, {0, 1e-17, 0},
	} {
		if got := PhaseDifference(c.u, c.v); math.Abs(got-c.want) > 1e-12 || got < 0 || got >= 1 {
			t.Errorf("PhaseDifference(%v, %v) = %v, want %v", c.u, c.v, got, c.want)
		}
	}
}

// A network trained with an offset per sample is scored at the absolute offsets k/12 and on the same
// samples with an offset each (as its test set draws them); the scores are whole-set evaluations of those
// sets, computed piece by piece. A network of one offset per data set is refused (PhaseShift scores it).
func TestPhaseShiftPerSample(t *testing.T) {
	cfg := tinyConfig()
	cfg.Phase = snn.PhasePerSample
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := snn.NewEvaluator(cfg, gobackend.GetBackend())
	if err != nil {
		t.Fatal(err)
	}
	const n = phasePiece + 40 // two pieces, the last partial
	s, err := PhaseShiftPerSample(ev, x, n)
	if err != nil {
		t.Fatal(err)
	}
	// Not vacuous: the trained network's accuracy does depend on the offset, so wrong sets would show.
	if slices.Min(s.Accuracy) == slices.Max(s.Accuracy) {
		t.Fatalf("the same accuracy %v at every offset: the test cannot tell the sets apart", s.Accuracy[0])
	}
	ipd := phaseIPDs(x, n)
	for k := 0; k < PhaseShifts; k++ {
		d, err := snn.StimulusAtPhase(cfg, ipd, float64(k)/PhaseShifts, cfg.Seed, snn.StreamPhaseSpikes)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ev.Evaluate(x.Trained, d)
		if err != nil {
			t.Fatal(err)
		}
		if s.Shifts[k] != float64(k)/PhaseShifts || s.Accuracy[k] != e.Accuracy {
			t.Errorf("offset %d: %v at %v, want %v at %v", k, s.Accuracy[k], s.Shifts[k], e.Accuracy, float64(k)/PhaseShifts)
		}
	}
	own, err := snn.StimulusForIPDs(cfg, ipd, cfg.Seed, snn.StreamPhaseSpikes)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Min(own.PhaseOffset) == slices.Max(own.PhaseOffset) {
		t.Fatal("the per-sample set has one offset")
	}
	e, err := ev.Evaluate(x.Trained, own)
	if err != nil {
		t.Fatal(err)
	}
	if s.TestAccuracy != e.Accuracy || !math.IsNaN(s.TestShift) {
		t.Errorf("per-sample set %v (shift %v), want %v (NaN)", s.TestAccuracy, s.TestShift, e.Accuracy)
	}
	dataset := *x
	dataset.Config.Phase = snn.PhasePerDataset
	if _, err := PhaseShiftPerSample(ev, &dataset, n); err == nil || !strings.Contains(err.Error(), `"per-dataset"`) {
		t.Errorf("one offset per data set: %v, want an error naming it", err)
	}
}

// PhaseShiftPerSampleFrom scores the same samples as PhaseShiftPerSample at base + k/12 cycles, wrapped into
// [0, 1): each accuracy is that of StimulusAtPhase's set at its offset. Base 0 is PhaseShiftPerSample less its
// test-set check, which it leaves unscored (NaN); a base outside [0, 1) is refused before any work.
func TestPhaseShiftPerSampleFrom(t *testing.T) {
	cfg := tinyConfig()
	cfg.Phase = snn.PhasePerSample
	x, err := snn.RunExperiment(context.Background(), cfg, snn.TrainOptions{Backend: gobackend.GetBackend()})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := snn.NewEvaluator(cfg, gobackend.GetBackend())
	if err != nil {
		t.Fatal(err)
	}
	const n, base = 100, 0.9 // offsets from 0.9 wrap past 1
	s, err := PhaseShiftPerSampleFrom(ev, x, n, base)
	if err != nil {
		t.Fatal(err)
	}
	ipd := phaseIPDs(x, n)
	differ := false
	for k := 0; k < PhaseShifts; k++ {
		u := math.Mod(base+float64(k)/PhaseShifts, 1)
		d, err := snn.StimulusAtPhase(cfg, ipd, u, cfg.Seed, snn.StreamPhaseSpikes)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ev.Evaluate(x.Trained, d)
		if err != nil {
			t.Fatal(err)
		}
		if s.Shifts[k] != u || s.Accuracy[k] != e.Accuracy {
			t.Errorf("offset %d: %v at %v, want %v at %v", k, s.Accuracy[k], s.Shifts[k], e.Accuracy, u)
		}
		differ = differ || s.Accuracy[k] != s.Accuracy[0]
	}
	if !differ {
		t.Fatal("the same accuracy at every offset: the test cannot tell the sets apart")
	}
	zero, err := PhaseShiftPerSampleFrom(ev, x, n, 0)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := PhaseShiftPerSample(ev, x, n)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(zero.Accuracy, plain.Accuracy) || !slices.Equal(zero.Shifts, plain.Shifts) {
		t.Errorf("base 0: %v, want PhaseShiftPerSample's %v", zero, plain)
	}
	if !math.IsNaN(s.TestAccuracy) || !math.IsNaN(zero.TestAccuracy) || math.IsNaN(plain.TestAccuracy) {
		t.Errorf("test-set checks %v, %v and PhaseShiftPerSample's %v: want NaN (not scored) from PhaseShiftPerSampleFrom only",
			s.TestAccuracy, zero.TestAccuracy, plain.TestAccuracy)
	}
	for _, b := range []float64{-0.1, 1, math.NaN()} {
		if _, err := PhaseShiftPerSampleFrom(ev, x, n, b); err == nil || !strings.Contains(err.Error(), fmt.Sprint(b)) {
			t.Errorf("base %v: %v, want an error naming it", b, err)
		}
	}
}
