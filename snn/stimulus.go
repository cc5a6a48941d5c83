package snn

import (
	"fmt"
	"math"
	"math/bits"
	"sync"
)

// Dataset holds IPDs and the Poisson spike trains they evoke, stored as bits (one bit per time step and
// input fibre, 2.5 KB per sample for the defaults). Input fibre i < ANFPerEar belongs to the left ear,
// the others to the right ear, whose phase is shifted by the IPD.
type Dataset struct {
	IPD       []float64 // interaural phase difference of each sample, radians
	NumSteps  int       // time steps per sample
	NumInputs int       // input fibres (both ears)
	// PhaseOffset is the random phase offset of each sample, in cycles in [0, 1). Under the notebook's
	// PhasePerDataset all entries are equal.
	PhaseOffset []float64

	words int      // uint64 words per sample
	bits  []uint64 // spike bits, sample-major, bit index t*NumInputs+i within a sample; never modified
	index *lazySpikeIndex
}

// Len is the number of samples.
func (d *Dataset) Len() int { return len(d.IPD) }

// complete reports whether d holds the spike storage of its samples (a generator made it), not only the
// exported fields a literal Dataset{...} can set.
func (d *Dataset) complete() bool {
	return d.NumSteps > 0 && d.NumInputs > 0 && d.words == (d.NumSteps*d.NumInputs+63)/64 && len(d.bits) == d.Len()*d.words &&
		d.index != nil
}

// Spike reports whether input fibre i spiked at step t of sample n.
func (d *Dataset) Spike(n, t, i int) bool {
	k := t*d.NumInputs + i
	return d.bits[n*d.words+k/64]>>(k%64)&1 == 1
}

// Count is the total number of spikes in the dataset.
func (d *Dataset) Count() int {
	c := 0
	for _, w := range d.bits {
		c += bits.OnesCount64(w)
	}
	return c
}

// Raster returns sample n as a dense [time][input] 0/1 matrix (for plotting).
func (d *Dataset) Raster(n int) [][]float64 {
	r := make([][]float64, d.NumSteps)
	for t := range r {
		r[t] = make([]float64, d.NumInputs)
		for i := range r[t] {
			if d.Spike(n, t, i) {
				r[t][i] = 1
			}
		}
	}
	return r
}

// Subset returns a new Dataset with the samples at idx (in that order); spike bits are shared by copy.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := &Dataset{NumSteps: d.NumSteps, NumInputs: d.NumInputs, words: d.words,
		IPD: make([]float64, len(idx)), PhaseOffset: make([]float64, len(idx)),
		bits: make([]uint64, len(idx)*d.words), index: &lazySpikeIndex{}}
	for j, n := range idx {
		s.IPD[j] = d.IPD[n]
		s.PhaseOffset[j] = d.PhaseOffset[n]
		copy(s.bits[j*d.words:(j+1)*d.words], d.bits[n*d.words:(n+1)*d.words])
	}
	return s
}

// GenerateStimulus draws n IPDs uniformly in [-pi/2, pi/2) (the notebook's rand*pi - pi/2) and their spike
// trains, as the notebook's random_ipd_input_signal. stream separates independent datasets of one seed.
func GenerateStimulus(cfg Config, n int, seed, stream uint64) (*Dataset, error) {
	if n <= 0 {
		return nil, fmt.Errorf("snn: GenerateStimulus: number of samples %d must be > 0", n)
	}
	rng := newRand(seed, stream)
	ipd := make([]float64, n)
	for k := range ipd {
		ipd[k] = rng.Float64()*math.Pi - math.Pi/2
	}
	return stimulus(cfg, ipd, seed, rng.Uint64(), phaseOffsets(cfg, n, seed, stream))
}

// StimulusForIPDs generates spike trains for given IPDs (radians, each in [-pi/2, pi/2]), as the
// notebook's spikes_from_fixed_idp_input_signal.
func StimulusForIPDs(cfg Config, ipd []float64, seed, stream uint64) (*Dataset, error) {
	return StimulusForIPDsSamples(cfg, ipd, seed, stream, 0, len(ipd))
}

// StimulusForIPDsSamples returns samples lo..hi-1 of StimulusForIPDs(cfg, ipd, seed, stream), bit for bit
// (every sample draws its uniforms from its own stream and its offset from the set's draws), without
// generating the others.
func StimulusForIPDsSamples(cfg Config, ipd []float64, seed, stream uint64, lo, hi int) (*Dataset, error) {
	if err := checkIPDs("StimulusForIPDs", ipd, lo, hi); err != nil {
		return nil, err
	}
	rng := newRand(seed, stream)
	// Sample k draws from (seed, base+k): the piece's first sample is k = lo.
	return stimulus(cfg, append([]float64(nil), ipd[lo:hi]...), seed, rng.Uint64()+uint64(lo),
		phaseOffsets(cfg, len(ipd), seed, stream)[lo:hi])
}

// checkIPDs refuses an empty or out-of-range IPD list, or a piece lo..hi-1 outside it, for function fn.
func checkIPDs(fn string, ipd []float64, lo, hi int) error {
	if len(ipd) == 0 {
		return fmt.Errorf("snn: %s: no IPDs given", fn)
	}
	if lo < 0 || hi > len(ipd) || lo >= hi {
		return fmt.Errorf("snn: %s: samples %d..%d of %d: want 0 <= lo < hi <= %d", fn, lo, hi-1, len(ipd), len(ipd))
	}
	for k, v := range ipd {
		if math.IsNaN(v) || v < -math.Pi/2 || v > math.Pi/2 {
			return fmt.Errorf("snn: %s: ipd[%d] = %v rad is outside [-pi/2, pi/2]", fn, k, v)
		}
	}
	return nil
}

// StimulusAtPhase is StimulusForIPDs with every sample's random phase offset u (the notebook's
// np.random.rand() in input_signal) fixed at offset, in cycles in [0, 1), whatever cfg.Phase says. The
// spikes' uniforms come from (seed, stream) exactly as in StimulusForIPDs, so calls that differ only in
// offset give spike trains that differ only through the phase, and at the offset StimulusForIPDs drew
// (its Dataset.PhaseOffset) they are the same spikes. It is how a trained network is scored on sets whose
// phase differs from its training set's (probe.PhaseShift).
func StimulusAtPhase(cfg Config, ipd []float64, offset float64, seed, stream uint64) (*Dataset, error) {
	return StimulusAtPhaseSamples(cfg, ipd, offset, seed, stream, 0, len(ipd))
}

// StimulusAtPhaseSamples returns samples lo..hi-1 of StimulusAtPhase(cfg, ipd, offset, seed, stream),
// bit for bit (every sample draws its uniforms from its own stream), without generating the others: a
// large set scored piece by piece never holds more than one piece.
func StimulusAtPhaseSamples(cfg Config, ipd []float64, offset float64, seed, stream uint64, lo, hi int) (*Dataset, error) {
	if !(offset >= 0 && offset < 1) {
		return nil, fmt.Errorf("snn: StimulusAtPhase: phase offset %v cycles is outside [0, 1)", offset)
	}
	if err := checkIPDs("StimulusAtPhase", ipd, lo, hi); err != nil {
		return nil, err
	}
	rng := newRand(seed, stream)
	offsets := make([]float64, hi-lo)
	for k := range offsets {
		offsets[k] = offset
	}
	// Sample k draws from (seed, base+k): the piece's first sample is k = lo.
	return stimulus(cfg, append([]float64(nil), ipd[lo:hi]...), seed, rng.Uint64()+uint64(lo), offsets)
}

// phaseOffsets are the offsets u, in cycles, of a set of n samples drawn from (seed, stream) as cfg.Phase
// says: one draw shared by every sample (PhasePerDataset), or, after that draw, one per sample.
func phaseOffsets(cfg Config, n int, seed, stream uint64) []float64 {
	offRng := newRand(seed, stream^0x9e3779b97f4a7c15)
	shared := offRng.Float64()
	out := make([]float64, n)
	for k := range out {
		if cfg.Phase == PhasePerSample {
			out[k] = offRng.Float64()
		} else {
			out[k] = shared
		}
	}
	return out
}

// stimulus implements the notebook's input_signal. For sample n, step t and fibre i (delay index j):
//
//	phi_t     = 2*pi*(f*t*DT + u)                         u: random phase offset in [0, 1)
//	theta     = phi_t + d_j           (left ear, j = i)    d_j = j*(pi/2)/(ANFPerEar-1)
//	theta     = phi_t + d_j + ipd_n   (right ear, j = i-ANFPerEar)
//	p         = RateMax*DT * (0.5*(1+sin(theta)))^EnvelopePower
//	spike     = U < p,  U ~ Uniform[0, 1) with 32-bit resolution (two per 64-bit PCG draw)
//
// Every sample's uniforms come from its own PCG stream (seed, base+n), so samples are generated in
// parallel and the result does not depend on the number of goroutines. Sample n's offset u is offsets[n].
func stimulus(cfg Config, ipd []float64, seed, base uint64, offsets []float64) (*Dataset, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	T, A := cfg.NumSteps(), cfg.ANFPerEar
	I := 2 * A
	n := len(ipd)
	words := (T*I + 63) / 64
	d := &Dataset{IPD: ipd, NumSteps: T, NumInputs: I, words: words,
		PhaseOffset: make([]float64, n), bits: make([]uint64, n*words), index: &lazySpikeIndex{}}
	copy(d.PhaseOffset, offsets)
	// sin and cos of a(t, j) = 2*pi*f*t*DT + d_j; theta = a + 2*pi*u (+ ipd) by the angle-addition rule.
	// Room for a whole vector past the last step's values: the vector sets' last loads stay inside the
	// slices' capacity (loadPart8f64) without copying.
	sinA := make([]float64, T*A, T*A+8)
	cosA := make([]float64, T*A, T*A+8)
	for t := 0; t < T; t++ {
		for j := 0; j < A; j++ {
			delay := 0.0
			if A > 1 {
				delay = float64(j) * (math.Pi / 2) / float64(A-1)
			}
			a := 2*math.Pi*cfg.StimulusFrequency*float64(t)*cfg.DT + delay
			sinA[t*A+j], cosA[t*A+j] = math.Sincos(a)
		}
	}
	scale := cfg.RateMax * cfg.DT
	power := cfg.EnvelopePower

	workers := kernelThreads(n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			thr := make([]uint64, T*I) // spike iff a 32-bit uniform is below thr (= p * 2^32)
			leftPhase := math.NaN()    // the phase the left-ear thresholds were computed for
			fill := func(lo, hi int, s, c float64) {
				for t := 0; t < T; t++ {
					row := thr[t*I : (t+1)*I]
					sa, ca := sinA[t*A:(t+1)*A], cosA[t*A:(t+1)*A]
					if power == 2 {
						kernels.spikeThresholds(row[lo:hi], sa, ca, s, c, scale, 1<<32)
						continue
					}
					for i := lo; i < hi; i++ {
						x := 0.5 * (1 + (float64(sa[i-lo]*c) + float64(ca[i-lo]*s)))
						row[i] = uint64(scale * math.Pow(x, power) * (1 << 32))
					}
				}
			}
			for k := w; k < n; k += workers {
				phase := 2 * math.Pi * d.PhaseOffset[k]
				if phase != leftPhase { // with one offset per data set, computed once per worker
					sl, cl := math.Sincos(phase)
					fill(0, A, sl, cl)
					leftPhase = phase
				}
				sr, cr := math.Sincos(phase + ipd[k])
				fill(A, I, sr, cr)
				// Each 64-bit draw gives two 32-bit uniforms U; fibre-step b spikes iff U < p * 2^32,
				// i.e. Bernoulli(p) to a resolution of 2^-32. The comparisons are branch-free
				// ((U - thr) >> 63 is 1 exactly when U < thr) because spikes are unpredictable.
				rng := pcgState{seed, base + uint64(k)} // newRand's source as a value: the same draws
				out := d.bits[k*words : (k+1)*words]
				for wi := range out {
					lo := wi * 64
					hi := min(lo+64, len(thr))
					var word uint64
					for b := lo; b < hi; b += 2 {
						var r uint64
						rng, r = rng.next()
						// b+1 < hi: T*I is even (two ears) and so is every word's bit count.
						word |= ((r&0xffffffff - thr[b]) >> 63) << (b - lo)
						word |= ((r>>32 - thr[b+1]) >> 63) << (b + 1 - lo)
					}
					out[wi] = word
				}
			}
		}(w)
	}
	wg.Wait()
	return d, nil
}

// spikeThresholdsScalar sets thr[i] = uint64(p_i * unit), with unit = 2^32 the threshold a 32-bit uniform
// is compared with, for the envelope power 2 (the notebook's):
//
//	p_i = (scale * x_i) * x_i,   x_i = 0.5 * (1 + (sa[i]*c + ca[i]*s))
//
// sa[i]*c + ca[i]*s being sin(a_i + phase) by the angle-addition rule (s, c = sin, cos of the phase), every
// product and sum rounded to float64 (no fused multiply-add) and the last conversion truncating. p_i * unit
// is at most about unit (Config.Validate keeps RateMax*DT <= 1; a hair more where the sum rounds above 1),
// and unit is a power of two no larger than 2^51. The kernel sets' spikeThresholds compute the same
// operations in the same order (TestSpikeThresholdSetsAgree compares them at a unit of 2^51, which keeps
// p_i's bits down to 2^-51).
func spikeThresholdsScalar(thr []uint64, sa, ca []float64, s, c, scale, unit float64) {
	for i := range thr {
		x := 0.5 * (1 + (float64(sa[i]*c) + float64(ca[i]*s)))
		thr[i] = uint64(scale * x * x * unit)
	}
}
