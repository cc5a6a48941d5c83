package snn

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func smallConfig() Config {
	c := DefaultConfig()
	c.BatchSize, c.TrainBatches, c.ValidationBatches, c.TestBatches = 32, 8, 4, 4
	return c
}

func TestStimulusReproducible(t *testing.T) {
	cfg := smallConfig()
	a, err := GenerateStimulus(cfg, 50, 11, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateStimulus(cfg, 50, 11, 3)
	c, _ := GenerateStimulus(cfg, 50, 12, 3)
	if !slices.Equal(a.bits, b.bits) || !slices.Equal(a.IPD, b.IPD) {
		t.Error("same seed and stream gave different stimuli")
	}
	if slices.Equal(a.bits, c.bits) {
		t.Error("different seeds gave the same spikes")
	}
	for _, v := range a.IPD {
		if v < -math.Pi/2 || v >= math.Pi/2 {
			t.Errorf("IPD %v outside [-pi/2, pi/2)", v)
		}
	}
}

// The mean spike probability over a cycle is RateMax*DT*E[((1+sin)/2)^2] = 0.6 * 3/8 = 0.225 (by hand:
// E[(1+sin)^2]/4 = (1 + 1/2)/4). 200 samples x 100 steps x 200 fibres = 4e6 draws: sd ~ 2e-4 plus the
// phase sampling; 100 ms is two full 20 Hz cycles, so the time average equals the cycle average.
func TestStimulusRate(t *testing.T) {
	cfg := smallConfig()
	d, err := GenerateStimulus(cfg, 200, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	rate := float64(d.Count()) / float64(d.Len()*d.NumSteps*d.NumInputs)
	if math.Abs(rate-0.225) > 0.002 {
		t.Errorf("spike density %.4f, want 0.225 +- 0.002", rate)
	}
}

// Phase locking: with IPD = 0 both ears see the same rates, with IPD = pi/2 the right ear's fibre j
// follows the left ear's fibre j shifted by a quarter cycle. Check the spike-count profiles over time.
func TestStimulusIPDShift(t *testing.T) {
	cfg := smallConfig()
	n := 400
	ipd := make([]float64, n)
	d0, err := StimulusForIPDs(cfg, ipd, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	profile := func(d *Dataset, ear int) []float64 {
		p := make([]float64, d.NumSteps)
		for s := 0; s < d.Len(); s++ {
			for tt := 0; tt < d.NumSteps; tt++ {
				for i := ear * cfg.ANFPerEar; i < (ear+1)*cfg.ANFPerEar; i++ {
					if d.Spike(s, tt, i) {
						p[tt]++
					}
				}
			}
		}
		return p
	}
	corr := func(a, b []float64) float64 {
		ma, mb := 0.0, 0.0
		for i := range a {
			ma += a[i] / float64(len(a))
			mb += b[i] / float64(len(b))
		}
		sab, saa, sbb := 0.0, 0.0, 0.0
		for i := range a {
			sab += (a[i] - ma) * (b[i] - mb)
			saa += (a[i] - ma) * (a[i] - ma)
			sbb += (b[i] - mb) * (b[i] - mb)
		}
		return sab / math.Sqrt(saa*sbb)
	}
	if r := corr(profile(d0, 0), profile(d0, 1)); r < 0.95 {
		t.Errorf("IPD 0: left/right time profiles correlate %.3f, want > 0.95", r)
	}
	for i := range ipd {
		ipd[i] = math.Pi / 2
	}
	d1, _ := StimulusForIPDs(cfg, ipd, 1, 1)
	left, right := profile(d1, 0), profile(d1, 1)
	// A quarter of a 50-step cycle is 12.5 steps: right(t) ~ left(t + 12.5) (right leads by pi/2).
	shifted := right[:len(right)-13]
	if r0, r12 := corr(left[:len(left)-13], shifted), corr(left[13:], shifted); r12 < 0.9 || r12 < r0+0.3 {
		t.Errorf("IPD pi/2: right vs left shifted 13 steps correlates %.3f (unshifted %.3f), want > 0.9 and clearly better", r12, r0)
	}
}

func TestPhaseModes(t *testing.T) {
	cfg := smallConfig()
	d, _ := GenerateStimulus(cfg, 20, 1, 1)
	for _, p := range d.PhaseOffset {
		if p != d.PhaseOffset[0] {
			t.Fatal("per-dataset phase: samples have different offsets")
		}
	}
	cfg.Phase = PhasePerSample
	d, _ = GenerateStimulus(cfg, 20, 1, 1)
	distinct := map[float64]bool{}
	for _, p := range d.PhaseOffset {
		distinct[p] = true
	}
	if len(distinct) != 20 {
		t.Errorf("per-sample phase: %d distinct offsets among 20 samples", len(distinct))
	}
}

func TestStimulusErrors(t *testing.T) {
	cfg := smallConfig()
	if _, err := GenerateStimulus(cfg, 0, 1, 1); err == nil {
		t.Error("0 samples: no error")
	}
	if _, err := StimulusForIPDs(cfg, []float64{0, 2}, 1, 1); err == nil {
		t.Error("IPD 2 rad accepted")
	}
	bad := cfg
	bad.DT = -1
	if _, err := GenerateStimulus(bad, 10, 1, 1); err == nil {
		t.Error("invalid config accepted")
	}
}

func TestDiscretiseContinuise(t *testing.T) {
	// Bins of 15 degrees over [-90, 90): class = floor((deg + 90) / 15), midpoint = -82.5 + 15*class.
	cases := []struct {
		deg   float64
		class int
	}{{-90, 0}, {-75.01, 0}, {-74.99, 1}, {-0.01, 5}, {0, 6}, {44.9, 8}, {89.99, 11}, {90, 11}}
	for _, c := range cases {
		if got := Discretise(c.deg*math.Pi/180, 12); got != c.class {
			t.Errorf("Discretise(%v deg) = %d, want %d", c.deg, got, c.class)
		}
	}
	for class := 0; class < 12; class++ {
		want := -82.5 + 15*float64(class)
		if got := Degrees(Continuise(class, 12)); math.Abs(got-want) > 1e-9 {
			t.Errorf("Continuise(%d) = %v deg, want %v", class, got, want)
		}
	}
}

// TestStimulusGolden pins the spikes drawn for one seed and stream (37 samples at the notebook's sizes,
// both phase modes) to a SHA-256 of their bit words, recorded with the code of commit 87f3599
// (2026-12-04), which drew every cached run the notebooks read: a change to the draws (the generator, its
// seeding, the thresholds, the bit layout) would change all of them. The spike counts are recorded too,
// so that a failure says whether the rate moved.
func TestStimulusGolden(t *testing.T) {
	for _, c := range []struct {
		phase PhaseMode
		hash  string
		count int
	}{
		{PhasePerDataset, "fe0579cf5551c22c49468bb4cc6956d034e8e9c2eb1b30f2f7cae09bbd604f8b", 166088},
		{PhasePerSample, "d1407b9faced8a79b4551c0af309600e6061ab41920f83d080288c34a3881823", 166266},
	} {
		cfg := DefaultConfig()
		cfg.Phase = c.phase
		d, err := GenerateStimulus(cfg, 37, 7, 3)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, w := range d.bits {
			h.Write(binary.LittleEndian.AppendUint64(nil, w))
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != c.hash || d.Count() != c.count {
			t.Errorf("phase %s: spikes hash to %s (%d spikes), want %s (%d spikes)", c.phase, got, d.Count(), c.hash, c.count)
		}
	}
}

// StimulusAtPhase at the offset StimulusForIPDs drew gives the same spikes, bit for bit, under either
// phase mode; at another offset the spikes differ but not the IPDs; every sample carries the fixed offset;
// offsets outside [0, 1) and bad IPDs are refused before any work.
func TestStimulusAtPhase(t *testing.T) {
	ipd := []float64{-1.2, -0.3, 0, 0.4, 1.5, math.Pi / 2}
	for _, mode := range []PhaseMode{PhasePerDataset, PhasePerSample} {
		cfg := smallConfig()
		cfg.Phase = mode
		ref, err := StimulusForIPDs(cfg, ipd, 7, 3)
		if err != nil {
			t.Fatal(err)
		}
		for k := range ipd {
			one, err := StimulusForIPDs(cfg, ipd, 7, 3)
			if err != nil {
				t.Fatal(err)
			}
			at, err := StimulusAtPhase(cfg, ipd, ref.PhaseOffset[k], 7, 3)
			if err != nil {
				t.Fatal(err)
			}
			// Sample k of the reference was drawn at ref.PhaseOffset[k]: the fixed-offset set's sample k
			// must be it, bit for bit (per dataset every sample shares that offset).
			w := ref.words
			if !slices.Equal(at.bits[k*w:(k+1)*w], one.bits[k*w:(k+1)*w]) {
				t.Errorf("%s: sample %d at its own offset %v differs from StimulusForIPDs'", mode, k, ref.PhaseOffset[k])
			}
			if mode == PhasePerDataset && !slices.Equal(at.bits, ref.bits) {
				t.Errorf("%s: the set at the drawn offset differs from StimulusForIPDs'", mode)
			}
			for n, u := range at.PhaseOffset {
				if u != ref.PhaseOffset[k] {
					t.Fatalf("%s: sample %d has offset %v, want the fixed %v", mode, n, u, ref.PhaseOffset[k])
				}
			}
		}
	}
	cfg := smallConfig()
	a, err := StimulusAtPhase(cfg, ipd, 0.1, 7, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := StimulusAtPhase(cfg, ipd, 0.6, 7, 3)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.bits, b.bits) || !slices.Equal(a.IPD, b.IPD) {
		t.Error("offsets 0.1 and 0.6: want different spikes and the same IPDs")
	}
	for _, bad := range []float64{-0.01, 1, 1.5, math.NaN(), math.Inf(1)} {
		if _, err := StimulusAtPhase(cfg, ipd, bad, 7, 3); err == nil {
			t.Errorf("offset %v accepted, want an error", bad)
		}
	}
	// Pieces are the whole set's samples, bit for bit.
	for _, r := range [][2]int{{0, 6}, {0, 1}, {2, 5}, {5, 6}} {
		piece, err := StimulusAtPhaseSamples(cfg, ipd, 0.6, 7, 3, r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		w := b.words
		if !slices.Equal(piece.bits, b.bits[r[0]*w:r[1]*w]) || !slices.Equal(piece.IPD, b.IPD[r[0]:r[1]]) {
			t.Errorf("samples %d..%d differ from the whole set's", r[0], r[1]-1)
		}
	}
	for _, r := range [][2]int{{-1, 2}, {0, 7}, {3, 3}, {4, 2}} {
		if _, err := StimulusAtPhaseSamples(cfg, ipd, 0.6, 7, 3, r[0], r[1]); err == nil {
			t.Errorf("samples %d..%d of 6 accepted, want an error", r[0], r[1])
		}
	}
	if _, err := StimulusAtPhase(cfg, []float64{0, 2}, 0.5, 7, 3); err == nil {
		t.Error("ipd 2 rad accepted, want an error")
	}
	if _, err := StimulusAtPhase(cfg, nil, 0.5, 7, 3); err == nil {
		t.Error("no IPDs accepted, want an error")
	}
}

// Pieces of StimulusForIPDs are the whole set's samples, offsets included, in either phase mode.
func TestStimulusForIPDsSamples(t *testing.T) {
	ipd := []float64{-1.2, -0.3, 0, 0.4, 1.5, math.Pi / 2, -0.7}
	for _, mode := range []PhaseMode{PhasePerDataset, PhasePerSample} {
		cfg := smallConfig()
		cfg.Phase = mode
		whole, err := StimulusForIPDs(cfg, ipd, 9, 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range [][2]int{{0, 7}, {0, 1}, {2, 5}, {6, 7}} {
			piece, err := StimulusForIPDsSamples(cfg, ipd, 9, 4, r[0], r[1])
			if err != nil {
				t.Fatal(err)
			}
			w := whole.words
			if !slices.Equal(piece.bits, whole.bits[r[0]*w:r[1]*w]) || !slices.Equal(piece.IPD, whole.IPD[r[0]:r[1]]) ||
				!slices.Equal(piece.PhaseOffset, whole.PhaseOffset[r[0]:r[1]]) {
				t.Errorf("%s: samples %d..%d differ from the whole set's", mode, r[0], r[1]-1)
			}
		}
		if _, err := StimulusForIPDsSamples(cfg, ipd, 9, 4, 3, 9); err == nil {
			t.Errorf("%s: samples 3..8 of 7 accepted", mode)
		}
	}
}

// TrainingPhaseOffset is the offset of GenerateData's training set under one offset per data set.
func TestTrainingPhaseOffset(t *testing.T) {
	for _, seed := range []uint64{1, 5, 601} {
		cfg := smallConfig()
		cfg.Seed = seed
		train, _, _, err := GenerateData(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := TrainingPhaseOffset(seed); got != train.PhaseOffset[0] {
			t.Errorf("seed %d: %v, want the training set's %v", seed, got, train.PhaseOffset[0])
		}
	}
}

// StimulusForIPDs' spikes and offsets in both phase modes, pinned: the hashes were computed with the code of
// 6ab4ef1, before its internals took explicit offsets, and again after (the same values).
func TestStimulusForIPDsGolden(t *testing.T) {
	ipd := []float64{-1.2, -0.3, 0, 0.4, 1.5, math.Pi / 2, -0.7}
	for _, c := range []struct {
		phase PhaseMode
		hash  string
		count int
	}{
		{PhasePerDataset, "ef034175a40ad0c12c29c4032b070c0a665a5e1e2d82390b5c7fe2851d330a4c", 31585},
		{PhasePerSample, "951022724a411bc44ef2aa1718825c978eb6cc8d95ccc71c27960ede575e6d52", 31350},
	} {
		cfg := DefaultConfig()
		cfg.Phase = c.phase
		d, err := StimulusForIPDs(cfg, ipd, 9, 4)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, w := range d.bits {
			h.Write(binary.LittleEndian.AppendUint64(nil, w))
		}
		for _, u := range d.PhaseOffset {
			h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(u)))
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != c.hash || d.Count() != c.count {
			t.Errorf("phase %s: spikes and offsets hash to %s (%d spikes), want %s (%d)", c.phase, got, d.Count(), c.hash, c.count)
		}
	}
}

// TestPCGStateMatchesRand checks the stimulus's generator (pcgState) against math/rand/v2's PCG, which
// every other draw of the package uses: the same seeds give the same 100,000 draws, for seeds at the
// edges of both words (a carry out of the low word's increment, all ones) and the stimulus's own.
func TestPCGStateMatchesRand(t *testing.T) {
	for _, seed := range [][2]uint64{{0, 0}, {1, 2}, {^uint64(0), ^uint64(0)}, {1, 0x57e1_0000 + 2}, {42, 1<<63 + 12345}} {
		ref := rand.NewPCG(seed[0], seed[1])
		p := pcgState{seed[0], seed[1]}
		for i := 0; i < 100_000; i++ {
			var got uint64
			p, got = p.next()
			if want := ref.Uint64(); got != want {
				t.Fatalf("seeds %v, draw %d: pcgState gives %#x, rand.PCG %#x", seed, i, got, want)
			}
		}
	}
}
