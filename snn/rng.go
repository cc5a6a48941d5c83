package snn

import (
	"math/bits"
	"math/rand/v2"
)

// Streams of the package's random draws. Each is a PCG generator seeded with (Config.Seed, stream), so
// changing one use of randomness (say, the test set) never shifts another (say, the weights).
const (
	streamWeights uint64 = 0x57e1_0000 + iota
	streamMasks
	streamTrainData
	streamValidationData
	streamTestData
	streamShuffle
	streamAblation
	streamExamples
	streamEvalShuffle
	streamPopWeights
	streamWiggle
	streamPopAblation
	streamPhaseIPD
	streamPhaseSpikes
)

// newRand returns the generator for one stream of a seed.
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// Streams the probes of a trained network draw from (package probe), exported so that they stay apart
// from the model's own streams.
const (
	StreamAblation    = streamAblation    // random cuts and their matched controls
	StreamPopAblation = streamPopAblation // shuffled inhibitory pathways, random excitatory units
	StreamPhaseIPD    = streamPhaseIPD    // the IPDs of the sets scored at shifted phase offsets
	StreamPhaseSpikes = streamPhaseSpikes // their spikes' uniforms (StimulusAtPhase)
)

// NewRand returns the generator of one stream of a seed: PCG seeded with (seed, stream).
func NewRand(seed, stream uint64) *rand.Rand { return newRand(seed, stream) }

// pcgState is math/rand/v2's PCG generator as two words a loop keeps in registers: rand.NewPCG(seed1,
// seed2) starts at {hi: seed1, lo: seed2}, and next gives the draws its Uint64 gives, in the same order
// (TestPCGStateMatchesRand). The stimulus's inner loop calls it about 10^8 times a run's data sets: through
// a *rand.PCG the state went to memory and back on every draw.
type pcgState struct{ hi, lo uint64 }

// next advances the state by PCG's 128-bit linear congruential step, state = state*mul + inc (mod 2^128),
// and returns the DXSM output of the new state (math/rand/v2's constants).
func (p pcgState) next() (pcgState, uint64) {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	hi, lo := bits.Mul64(p.lo, mulLo)
	hi += p.hi*mulLo + p.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	x := hi ^ hi>>32
	x *= cheapMul
	x ^= x >> 48
	return pcgState{hi, lo}, x * (lo | 1)
}
