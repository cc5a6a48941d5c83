package snn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// HiddenDrive and InhibitoryRate on the hand-worked example of TestLIFInhibitionForwardByHand:
// excitatory currents (1.2, 0.6), (0, 0.5), (-1, 0.25), (-1, -0.25) at steps 0-3; unit 0 spikes in
// record 2 (after step 1), unit 1 in record 4 (after step 3); the inhibitory unit in records 2 and 3,
// so 2 of its 4 records: rate 0.5.
func TestHiddenDriveLIFInhibitionByHand(t *testing.T) {
	m, d := handLIFInhibitionModel(t)
	cur, sp, err := HiddenDrive(m, d)
	if err != nil {
		t.Fatal(err)
	}
	wantCur := []float32{1.2, 0.6, 0, 0.5, -1, 0.25, -1, -0.25}
	wantSp := []float32{0, 0, 1, 0, 0, 0, 0, 1}
	for i := range wantCur {
		if math.Abs(float64(cur[i]-wantCur[i])) > 1e-6 || sp[i] != wantSp[i] {
			t.Fatalf("currents %v spikes %v, by hand %v and %v", cur, sp, wantCur, wantSp)
		}
	}
	rate, err := InhibitoryRate(m, d)
	if err != nil {
		t.Fatal(err)
	}
	if rate != 0.5 {
		t.Errorf("inhibitory rate %v, by hand 0.5", rate)
	}
	lin := m.Clone()
	lin.Config.InhibitoryUnits = InhibitoryLinear
	if _, err := InhibitoryRate(lin, d); err == nil {
		t.Error("InhibitoryRate accepted a network with linear inhibitory units")
	}
}

// HiddenDrive's currents with delayed inhibitory units (InhibitoryDelayed) are x_k f(W_EE) -
// x_{k-d} f(W_IE) f(W_EI), summed here in float64 from the two projections, for delays 1, 2 and 5: the
// first d steps uninhibited, every later one inhibited by the input d steps before it.
func TestHiddenDriveDelayedInhibition(t *testing.T) {
	for _, delay := range []int{1, 2, 5} {
		cfg := DefaultConfig()
		cfg.Architecture, cfg.InhibitoryUnits, cfg.InhibitoryDelay, cfg.NumHidden, cfg.BatchSize = ArchPopulations, InhibitoryDelayed, delay, 27, 8
		S, ni := cfg.NumSteps()-1, cfg.NumInhibitory
		worst, inhibition := hiddenDriveDeviation(t, cfg, 13, func(pI []float32, samples int) []float64 {
			s := make([]float64, samples*S*ni)
			for n := 0; n < samples; n++ {
				for k := delay; k < S; k++ {
					for j := 0; j < ni; j++ {
						s[(n*S+k)*ni+j] = float64(pI[(n*S+k-delay)*ni+j])
					}
				}
			}
			return s
		})
		if worst > 1e-5 {
			t.Errorf("delay %d: currents differ from x_k W_EE - x_{k-d} W_IE W_EI by up to %g", delay, worst)
		}
		if inhibition == 0 {
			t.Fatalf("delay %d: no inhibition: the comparison would be vacuous", delay)
		}
	}
}

// HiddenDrive's currents with filtered inhibitory units (InhibitoryFiltered) are x_k f(W_EE) - r_{k-1}
// f(W_EI), r_0 = 0, r_{j+1} = alpha r_j + (1 - alpha) x_j f(W_IE), the filter run here in float64 from the
// inhibitory projection: within 1e-4 (float32 against float64 over 99 steps).
func TestHiddenDriveFilteredInhibition(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Architecture, cfg.InhibitoryUnits, cfg.NumHidden, cfg.BatchSize = ArchPopulations, InhibitoryFiltered, 27, 8
	S, ni, alpha := cfg.NumSteps()-1, cfg.NumInhibitory, cfg.Alpha()
	worst, inhibition := hiddenDriveDeviation(t, cfg, 17, func(pI []float32, samples int) []float64 {
		s := make([]float64, samples*S*ni) // step k's r_{k-1}; step 0's r_{-1} and step 1's r_0 are 0
		for n := 0; n < samples; n++ {
			for k := 2; k < S; k++ {
				for j := 0; j < ni; j++ {
					s[(n*S+k)*ni+j] = alpha*s[(n*S+k-1)*ni+j] + (1-alpha)*float64(pI[(n*S+k-2)*ni+j])
				}
			}
		}
		return s
	})
	if worst > 1e-4 {
		t.Errorf("currents differ from x_k W_EE - r_{k-1} W_EI by up to %g", worst)
	}
	if inhibition == 0 {
		t.Fatal("no inhibition: the comparison would be vacuous")
	}
}

// hiddenDriveDeviation runs HiddenDrive on a network of cfg over 10 samples drawn from seed and returns the
// largest difference of its currents from x_k f(W_EE) - s_k f(W_EI), computed in float64 with s [samples,
// steps, n_i] from stepInhibition on the inhibitory projection x f(W_IE), and the total inhibition s_k f(W_EI).
func hiddenDriveDeviation(t *testing.T, cfg Config, seed uint64, stepInhibition func(pI []float32, samples int) []float64) (worst, inhibition float64) {
	t.Helper()
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := GenerateStimulus(cfg, 10, seed, 1)
	if err != nil {
		t.Fatal(err)
	}
	cur, _, err := HiddenDrive(m, d)
	if err != nil {
		t.Fatal(err)
	}
	w := m.inputWeights()
	pE := projectAll(cfg, w.ee, d)
	s := stepInhibition(projectAll(cfg, w.ie, d), d.Len())
	S, H, ni := cfg.NumSteps()-1, cfg.NumHidden, cfg.NumInhibitory
	for n := 0; n < d.Len(); n++ {
		for k := 0; k < S; k++ {
			for h := 0; h < H; h++ {
				want := float64(pE[(n*S+k)*H+h])
				for j := 0; j < ni; j++ {
					x := s[(n*S+k)*ni+j] * float64(w.ei.At(j, h))
					want -= x
					inhibition += x
				}
				worst = math.Max(worst, math.Abs(float64(cur[(n*S+k)*H+h])-want))
			}
		}
	}
	return worst, inhibition
}

// On generated data, HiddenDrive's excitatory spikes (float32 kernels) count as Simulate's (float64, a
// separate loop) for every sample and unit, with both populations firing (LIF inhibitory units), and so
// with delayed and filtered linear ones.
func TestHiddenDriveLIFMatchesSimulate(t *testing.T) {
	for _, units := range []InhibitoryUnits{InhibitoryLIF, InhibitoryDelayed, InhibitoryFiltered} {
		t.Run(string(units), func(t *testing.T) { hiddenDriveMatchesSimulate(t, units) })
	}
}

func hiddenDriveMatchesSimulate(t *testing.T, units InhibitoryUnits) {
	cfg := DefaultConfig()
	cfg.Architecture, cfg.InhibitoryUnits, cfg.NumHidden, cfg.BatchSize = ArchPopulations, units, 27, 8
	if units == InhibitoryDelayed {
		cfg.InhibitoryDelay = 2
	}
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := GenerateStimulus(cfg, 20, 11, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, sp, err := HiddenDrive(m, d)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Simulate(m, d)
	if err != nil {
		t.Fatal(err)
	}
	S, H := cfg.NumSteps()-1, cfg.NumHidden
	total, mismatched := 0.0, 0
	for n := 0; n < d.Len(); n++ {
		for h := 0; h < H; h++ {
			c := 0.0
			for k := 0; k < S-1; k++ { // Simulate counts records 1..T-2
				c += float64(sp[(n*S+k)*H+h])
			}
			total += c
			if c != r.Hidden[n][h] {
				mismatched++
			}
		}
	}
	if mismatched > 0 {
		t.Errorf("%d of %d (sample, unit) spike counts differ from Simulate's", mismatched, d.Len()*H)
	}
	if units != InhibitoryLIF {
		if total == 0 {
			t.Fatal("no excitatory spikes: the comparison would be vacuous")
		}
		return
	}
	rate, err := InhibitoryRate(m, d)
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || rate == 0 {
		t.Fatalf("excitatory spikes %v, inhibitory rate %v: the comparison would be vacuous", total, rate)
	}
}

// LIFInitBalanced, read from the weights of the model NewModel returns, on the calibration data (the
// first 8 training batches): its inhibitory and its excitatory units both fire at the excitatory rate of
// the same initial weights with linear inhibitory units (within 2%), and inhibition cancels the same mean
// fraction of the excitation as there (within 1e-4 relative); the unbalanced network's units fire far
// above it. W_EE is scaled as a whole, the readout is the population initialisation's, and the same seed
// gives the same weights.
func TestLIFInitBalanced(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Architecture, cfg.InhibitoryUnits, cfg.NumHidden = ArchPopulations, InhibitoryLIF, 27
	cfg.LIFInhibitoryInit = LIFInitBalanced
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw := cfg
	raw.LIFInhibitoryInit = LIFInitPopulation
	m0, err := NewModel(raw)
	if err != nil {
		t.Fatal(err)
	}
	train, _, _, err := GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	calib := train.Subset(firstN(8 * cfg.BatchSize))
	lin := m0.Clone()
	lin.Config.InhibitoryUnits, lin.Config.LIFInhibitoryInit = InhibitoryLinear, LIFInitPopulation
	_, spLin, err := HiddenDrive(lin, calib)
	if err != nil {
		t.Fatal(err)
	}
	target := mean32(spLin)
	inh, err := InhibitoryRate(m, calib)
	if err != nil {
		t.Fatal(err)
	}
	_, sp, err := HiddenDrive(m, calib)
	if err != nil {
		t.Fatal(err)
	}
	exc := mean32(sp)
	inh0, _ := InhibitoryRate(m0, calib)
	_, sp0, _ := HiddenDrive(m0, calib)
	for _, r := range []struct {
		name     string
		got, raw float64
	}{{"inhibitory", inh, inh0}, {"excitatory", exc, mean32(sp0)}} {
		if math.Abs(r.got/target-1) > 0.02 {
			t.Errorf("balanced %s rate %.4f, want the linear network's excitatory rate %.4f", r.name, r.got, target)
		}
		if r.raw < 2*target {
			t.Errorf("unbalanced %s rate %.4f is not far above the target %.4f: the test would not tell", r.name, r.raw, target)
		}
	}
	// Mean inhibition over mean excitation: linear x W_IE W_EI / x W_EE against LIF s^I W_EI / x W_EE,
	// each from its model's applied weights.
	// The LIF network's inhibition is read from HiddenDrive's currents (x W_EE - s^I W_EI, checked by hand in
	// TestHiddenDriveLIFInhibitionByHand), not from the balance's own inhibitionMean.
	ratio := func(mm *Model, w inputWeights, lif bool) float64 {
		exc := mean32(projectAll(cfg, w.ee, calib))
		if lif {
			cur, _, err := HiddenDrive(mm, calib)
			if err != nil {
				t.Fatal(err)
			}
			return (exc - mean32(cur)) / exc
		}
		return -mean32(projectAll(cfg, composeEI(NewMatrix(w.ee.Rows, w.ee.Cols), w.ie, w.ei, SignAbs), calib)) / exc
	}
	if rl, rb := ratio(m0, m0.inputWeights(), false), ratio(m, m.inputWeights(), true); math.Abs(rb/rl-1) > 1e-4 {
		t.Errorf("inhibition / excitation %.6f with balanced LIF units, %.6f with linear ones", rb, rl)
	}
	f := float64(m.W1.Data[0]) / float64(m0.W1.Data[0])
	for i, v := range m.W1.Data {
		if math.Abs(float64(v)-f*float64(m0.W1.Data[i])) > 1e-6*math.Abs(float64(v)) {
			t.Fatalf("W_EE entry %d is %v, not the common factor %v times %v", i, v, f, m0.W1.Data[i])
		}
	}
	bal, err := LIFBalanceOf(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(bal.EE/f-1) > 1e-6 || bal.InhibitoryRate != inh || math.Abs(bal.ExcitatoryRate/exc-1) > 1e-9 || bal.TargetRate != target {
		t.Errorf("LIFBalanceOf gives %+v; the model applies W_EE x %v, rates %v (inhibitory), %v (excitatory), target %v", bal, f, inh, exc, target)
	}
	if !slices.Equal(m.W2.Data, m0.W2.Data) || !slices.Equal(m.Pop.IE2.Data, m0.Pop.IE2.Data) || !slices.Equal(m.Pop.EI2.Data, m0.Pop.EI2.Data) {
		t.Error("balancing changed the readout's weights")
	}
	again, _ := NewModel(cfg)
	if !slices.Equal(again.Pop.IE1.Data, m.Pop.IE1.Data) || !slices.Equal(again.Pop.EI1.Data, m.Pop.EI1.Data) || !slices.Equal(again.W1.Data, m.W1.Data) {
		t.Error("the same seed gave other balanced weights")
	}
	bad := DefaultConfig()
	bad.LIFInhibitoryInit = LIFInitBalanced
	if err := bad.Validate(); err == nil {
		t.Error("LIFInitBalanced accepted for a network without LIF inhibitory units")
	}
}

// LIFInitBalanced with linear inhibitory units, the matched control of the balanced LIF network, and with
// delayed linear ones (InhibitoryDelayed, the control for the LIF units' lag): NewModel gives exactly the
// weights (raw parameters of every matrix, both layers) the balanced LIF network of the same seed gets,
// with and without DANN's step correction, and not the population initialisation's; LIFBalanceOf gives it
// the LIF network's balance; with shunting inhibition the start is refused, naming the value and what is
// allowed.
func TestLIFInitBalancedLinear(t *testing.T) {
	for _, c := range []struct {
		step  bool
		units InhibitoryUnits
		delay int
	}{{false, InhibitoryLinear, 0}, {true, InhibitoryLinear, 0}, {false, InhibitoryDelayed, LIFInhibitoryLag}, {true, InhibitoryDelayed, LIFInhibitoryLag},
		{false, InhibitoryFiltered, 0}, {true, InhibitoryFiltered, 0}} {
		step := c.step
		lif := DefaultConfig()
		lif.Architecture, lif.InhibitoryUnits, lif.NumHidden = ArchPopulations, InhibitoryLIF, 27
		lif.LIFInhibitoryInit, lif.DANNCorrection, lif.DANNCorrectStep = LIFInitBalanced, step, step
		lin := lif
		lin.InhibitoryUnits, lin.InhibitoryDelay = c.units, c.delay
		ml, err := NewModel(lif)
		if err != nil {
			t.Fatal(err)
		}
		mc, err := NewModel(lin)
		if err != nil {
			t.Fatal(err)
		}
		if mc.Config.InhibitoryUnits != c.units {
			t.Fatalf("the control's model has %q inhibitory units, want %q", mc.Config.InhibitoryUnits, c.units)
		}
		raw := lin
		raw.LIFInhibitoryInit = LIFInitPopulation
		m0, err := NewModel(raw)
		if err != nil {
			t.Fatal(err)
		}
		pairs := []struct {
			name          string
			lif, lin, pop Matrix
		}{{"W_EE", ml.W1, mc.W1, m0.W1}, {"W_IE", ml.Pop.IE1, mc.Pop.IE1, m0.Pop.IE1}, {"W_EI", ml.Pop.EI1, mc.Pop.EI1, m0.Pop.EI1},
			{"W2", ml.W2, mc.W2, m0.W2}, {"W_IE2", ml.Pop.IE2, mc.Pop.IE2, m0.Pop.IE2}, {"W_EI2", ml.Pop.EI2, mc.Pop.EI2, m0.Pop.EI2}}
		for i, p := range pairs {
			if !slices.Equal(p.lif.Data, p.lin.Data) {
				t.Errorf("%s units, step correction %v: %s of the control differs from the balanced LIF network's", c.units, step, p.name)
			}
			if rescaled := !slices.Equal(p.lin.Data, p.pop.Data); rescaled != (i < 3) {
				t.Errorf("%s units, step correction %v: %s rescaled %v, want %v (the hidden layer's three matrices only)", c.units, step, p.name, rescaled, i < 3)
			}
		}
		bl, err := LIFBalanceOf(lif)
		if err != nil {
			t.Fatal(err)
		}
		bc, err := LIFBalanceOf(lin)
		if err != nil {
			t.Fatal(err)
		}
		if bl != bc {
			t.Errorf("LIFBalanceOf: %+v for the control, %+v for the LIF network", bc, bl)
		}
	}
	shunt := DefaultConfig()
	shunt.Architecture, shunt.NumHidden, shunt.Inhibition, shunt.LIFInhibitoryInit = ArchPopulations, 27, InhibitionShunting, LIFInitBalanced
	err := shunt.Validate()
	if err == nil || !strings.Contains(err.Error(), `"balanced"`) || !strings.Contains(err.Error(), `"subtractive"`) {
		t.Errorf("a balanced start with shunting inhibition: error %v, want one naming \"balanced\" and what is allowed", err)
	}
	plain := DefaultConfig()
	plain.Architecture, plain.NumHidden = ArchPopulations, 27
	if _, err := LIFBalanceOf(plain); err == nil {
		t.Error("LIFBalanceOf accepted linear inhibitory units with the population start")
	}
}

// InhibitoryUnitRates reads each LIF inhibitory unit on its own: their mean is InhibitoryRate (which it also
// returns, exactly), a unit whose
// input weights are all 0 never spikes, and silencing it leaves the other units' rates as they were (each
// unit's spikes depend only on its own input column). Linear units are refused.
func TestInhibitoryUnitRates(t *testing.T) {
	cfg := lifInhConfig()
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := GenerateStimulus(cfg, 64, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	rates, both, err := InhibitoryUnitRates(m, d)
	if err != nil {
		t.Fatal(err)
	}
	mean, err := InhibitoryRate(m, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != cfg.NumInhibitory || math.Abs(floats.Sum(rates)/float64(len(rates))-mean) > 1e-12 || both != mean {
		t.Fatalf("unit rates %v (mean %v, returned %v), InhibitoryRate %v", rates, floats.Sum(rates)/float64(len(rates)), both, mean)
	}
	if rates[0] == 0 {
		t.Fatalf("unit 0 does not fire (%v): silencing it would test nothing", rates)
	}
	silent := m.Clone()
	for i := 0; i < silent.Pop.IE1.Rows; i++ {
		silent.Pop.IE1.Data[i*silent.Pop.IE1.Cols] = 0
	}
	got, _, err := InhibitoryUnitRates(silent, d)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != 0 || !slices.Equal(got[1:], rates[1:]) {
		t.Errorf("unit 0 silenced: rates %v, want 0 then %v", got, rates[1:])
	}
	lin := m.Clone()
	lin.Config.InhibitoryUnits = InhibitoryLinear
	if _, _, err := InhibitoryUnitRates(lin, d); err == nil || !strings.Contains(err.Error(), "InhibitoryUnitRates") {
		t.Errorf("linear units: error %v", err)
	}
}
