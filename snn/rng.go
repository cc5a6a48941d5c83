package snn

import "math/rand/v2"

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
