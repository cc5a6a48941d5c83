package snn

import (
	"fmt"
	"math"
)

// Model is the notebook's network: input fibres -> LIF hidden layer -> leaky membrane-only readout.
//
// W1 [NumInputs, NumHidden] and W2 [NumHidden, NumClasses] are the raw trainable parameters. With
// Config.DalesLaw the constrained layers (Config.DaleLayers) apply f(W) * sign(row), f the sign
// parametrisation's (Config.SignParam: |W| by default, the notebook's); EffectiveW1 and EffectiveW2 return
// what a model applies (Effective is the |W| case only). Mask1 signs the input fibres (rows of W1) and
// Mask2 the hidden units (rows of W2).
type Model struct {
	Config       Config
	W1, W2       Matrix
	Mask1, Mask2 Mask
	// InitW1 and InitW2 are the raw parameters before training (kept for before/after comparisons).
	InitW1, InitW2 Matrix
	// History is filled by Train.
	History History
	// Ablated lists what an ablation (probe.AblateInputs, probe.AblateHidden) removed from this model (empty
	// for a trained model).
	Ablated []string
	// Pop holds the inhibitory pathways of an ArchPopulations model (nil for ArchColumnEI); W1 and W2 are
	// then its excitatory matrices W_EE and W_EE' (see Populations).
	Pop *Populations
}

// History records a training run.
type History struct {
	TrainLoss []float64 // mean training loss per epoch (the loss the steps minimised: with a rate cap, Config.InhibitoryRateCap, it includes the penalty)
	ValLoss   []float64 // mean validation loss per epoch
	// ValAccuracy is the validation accuracy per epoch (over the full batches meanLoss reads); empty for
	// checkpoints written before it was recorded.
	ValAccuracy []float64 `json:",omitempty"`
	// BestEpoch is the 0-based epoch with the smallest validation loss.
	BestEpoch int
	// StoppedEarly is true when the early-stopping rule ended training before Config.Epochs.
	StoppedEarly bool
	// RestoredBest is true when the weights are those of BestEpoch: always under EarlyStopPatience, and under
	// EarlyStopNotebook when its rule fired.
	RestoredBest bool
	// Steps is the number of optimiser steps taken.
	Steps int
	// Ledger has one entry per epoch: the state of the weights at its end.
	Ledger []LedgerEntry
	// Numerics names the numerical formulation that trained the model (NumericsVersion); empty for
	// checkpoints written before it was recorded.
	Numerics string `json:",omitempty"`
}

// LedgerEntry counts, at the end of an epoch, what happened to the weights of each layer.
type LedgerEntry struct {
	W1, W2 WeightLedger
	// Restarts counts the weights SignWiggle restarted from 0 during the epoch (all matrices).
	Restarts int `json:",omitempty"`
}

// WeightLedger counts effective weights that are exactly 0, and those with 0 < |w| < 1e-4, and (Flipped)
// raw parameters on the other side of 0 than at initialisation: w > 0 then and not now, or the reverse
// (under |w| a raw weight can cross 0 without the effective weight changing sign; under relu it dies
// there; under clip, whose weights start > 0 and stop at 0, a weight held at 0 counts).
type WeightLedger struct {
	Zero, Tiny, Flipped int
}

// ledger computes the WeightLedger of a layer.
func ledger(raw, init, eff Matrix) WeightLedger {
	var l WeightLedger
	for i, v := range eff.Data {
		switch a := math.Abs(float64(v)); {
		case a == 0:
			l.Zero++
		case a < 1e-4:
			l.Tiny++
		}
		if (raw.Data[i] > 0) != (init.Data[i] > 0) {
			l.Flipped++
		}
	}
	return l
}

// NewModel validates cfg and returns an untrained model. ArchColumnEI: raw weights uniform in +-b, b =
// 1/sqrt(the matrix's number of columns) (torch's fan-in of a 2-D tensor, the notebook's quirk: 1/sqrt(30)
// for W1 [200, 30]; see InitUniform), drawn from the seed's weight stream (W1 first, then W2), and Dale
// masks from its mask stream. ArchPopulations: Config.PopInit's draws (DANN's by default).
func NewModel(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a, _ := cfg.arch()
	return a.newModel(cfg)
}

// newColumnEIModel draws an untrained ArchColumnEI model of a validated cfg.
func newColumnEIModel(cfg Config) (*Model, error) {
	I, H, C := cfg.NumInputs(), cfg.NumHidden, cfg.NumClasses
	wr := newRand(cfg.Seed, streamWeights)
	w1 := InitUniform(I, H, wr)
	w2 := InitUniform(H, C, wr)
	mr := newRand(cfg.Seed, streamMasks)
	m1, err := NewMask(I, cfg.InhibitoryFraction, cfg.Layout, mr)
	if err != nil {
		return nil, err
	}
	m2, err := NewMask(H, cfg.InhibitoryFraction, cfg.Layout, mr)
	if err != nil {
		return nil, err
	}
	if cfg.DaleOnInput() {
		w1 = initialRaw(w1, cfg)
	}
	if cfg.DaleOnHidden() {
		w2 = initialRaw(w2, cfg)
	}
	return &Model{Config: cfg, W1: w1, W2: w2, Mask1: m1, Mask2: m2, InitW1: w1.Clone(), InitW2: w2.Clone()}, nil
}

// initialRaw turns a symmetric uniform draw w into the raw initial weights of a constrained layer under
// cfg.SignParam and cfg.SignInit (see SignInit): abs keeps w; clip always starts from |w| (inside its
// feasible set w >= 0); relu and softplus start from f^-1(|w|) when matched, from w when symmetric.
func initialRaw(w Matrix, cfg Config) Matrix {
	r, _ := cfg.SignParam.rule()
	out := w.Clone()
	for i, v := range out.Data {
		out.Data[i] = r.init(v, cfg.SignInit == SignInitMatched)
	}
	return out
}

// EffectiveW1 is the input-to-hidden weight matrix the network applies, [NumInputs, NumHidden]:
// f(W1) * sign(row) (ArchColumnEI) or f(W_EE) - f(W_IE) f(W_EI) (ArchPopulations; with LIF inhibitory
// units, the weights' linear part, which the network does not apply as one matrix; with shunting
// inhibition, the numerator's weights, which the network divides by each step's γ: see Shunt).
func (m *Model) EffectiveW1() Matrix { return m.effective(1, false) }

// EffectiveW2 is the hidden-to-readout weight matrix the network applies, [NumHidden, NumClasses].
func (m *Model) EffectiveW2() Matrix { return m.effective(2, false) }

// InitialEffectiveW1 is the effective input weights before training.
func (m *Model) InitialEffectiveW1() Matrix { return m.effective(1, true) }

// InitialEffectiveW2 is the effective readout weights before training.
func (m *Model) InitialEffectiveW2() Matrix { return m.effective(2, true) }

// effective computes the effective weights of layer 1 or 2 from the trained or the initial raw
// parameters: EffectiveParam of the layer's matrix under its mask, or composeEI of its three population
// matrices.
func (m *Model) effective(layer int, initial bool) Matrix {
	w, ie, ei := m.raw(layer, initial)
	if m.Pop != nil {
		return composeEI(w, ie, ei, m.Config.SignParam)
	}
	if layer == 1 {
		return EffectiveParam(w, m.Mask1, m.Config.DaleOnInput(), m.Config.SignParam)
	}
	return EffectiveParam(w, m.Mask2, m.Config.DaleOnHidden(), m.Config.SignParam)
}

// raw returns the raw parameters of layer 1 or 2, trained or initial: W, and W_IE and W_EI for the E/I
// populations (empty otherwise).
func (m *Model) raw(layer int, initial bool) (w, ie, ei Matrix) {
	p := m.Pop
	if p == nil {
		p = &Populations{}
	}
	switch {
	case layer == 1 && !initial:
		return m.W1, p.IE1, p.EI1
	case layer == 1:
		return m.InitW1, p.InitIE1, p.InitEI1
	case !initial:
		return m.W2, p.IE2, p.EI2
	}
	return m.InitW2, p.InitIE2, p.InitEI2
}

// Clone returns a deep copy.
func (m *Model) Clone() *Model {
	c := *m
	c.W1, c.W2, c.InitW1, c.InitW2 = m.W1.Clone(), m.W2.Clone(), m.InitW1.Clone(), m.InitW2.Clone()
	c.Mask1 = Mask{Signs: append([]float32(nil), m.Mask1.Signs...), Layout: m.Mask1.Layout}
	c.Mask2 = Mask{Signs: append([]float32(nil), m.Mask2.Signs...), Layout: m.Mask2.Layout}
	c.History = History{TrainLoss: append([]float64(nil), m.History.TrainLoss...),
		ValLoss: append([]float64(nil), m.History.ValLoss...), ValAccuracy: append([]float64(nil), m.History.ValAccuracy...), BestEpoch: m.History.BestEpoch,
		StoppedEarly: m.History.StoppedEarly, RestoredBest: m.History.RestoredBest, Steps: m.History.Steps,
		Ledger: append([]LedgerEntry(nil), m.History.Ledger...), Numerics: m.History.Numerics}
	c.Ablated = append([]string(nil), m.Ablated...)
	c.Pop = m.Pop.Clone()
	return &c
}

// check verifies that the model's arrays agree with its Config.
func (m *Model) check() error {
	if err := m.Config.Validate(); err != nil {
		return err
	}
	I, H, C := m.Config.NumInputs(), m.Config.NumHidden, m.Config.NumClasses
	for _, c := range []struct {
		name       string
		w          Matrix
		rows, cols int
	}{{"W1", m.W1, I, H}, {"W2", m.W2, H, C}, {"InitW1", m.InitW1, I, H}, {"InitW2", m.InitW2, H, C}} {
		if err := checkShape(c.name, c.w, c.rows, c.cols); err != nil {
			return err
		}
	}
	if len(m.Mask1.Signs) != I || len(m.Mask2.Signs) != H {
		return fmt.Errorf("snn: masks have %d and %d signs, want %d and %d", len(m.Mask1.Signs), len(m.Mask2.Signs), I, H)
	}
	if err := m.checkPopulations(); err != nil {
		return err
	}
	for _, mk := range []Mask{m.Mask1, m.Mask2} {
		for i, s := range mk.Signs {
			if s != 1 && s != -1 {
				return fmt.Errorf("snn: mask sign %d is %v, want +1 or -1", i, s)
			}
		}
	}
	return nil
}

func ones(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = 1
	}
	return s
}
