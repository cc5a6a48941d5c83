package snn

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/core/graph"
)

// The rate cap is an upper bound on the LIF inhibitory units' firing, added to the training loss as a
// penalty (Config.InhibitoryRateCap theta, Config.InhibitoryRateWeight lambda; the form of Zenke and
// Vogels' upper-bound activity regulariser, per unit). For a batch of B samples with S = T-1 steps fed,
//
//	nu_i = (1/(B S)) sum_{b,k} s^I_{b,k,i}                  unit i's mean spikes per step (records 0..S-1)
//	P    = lambda sum_i max(0, nu_i - theta)^2
//	dP/ds^I_{b,k,i} = 2 lambda max(0, nu_i - theta) / (B S)
//
// The training step minimises the readout's loss plus P, and reports that sum as its loss; evaluation
// (validation and test losses and accuracies) does not include P. Below the cap the penalty and its
// gradient are exactly 0, so a network that never reaches it trains as without it. Both formulations
// compute it: the Go kernels in lifInhLayer.backward (rateCapGrad), the single graph from the records'
// sums (rateCapPenaltyNode).

// rateCapOn reports whether the training loss includes the rate cap's penalty.
func (c Config) rateCapOn() bool { return c.InhibitoryRateWeight != 0 }

// validateRateCap checks the rate cap's two fields: both 0 (no cap), or theta in (0, 1) and lambda a
// finite number > 0 with LIF inhibitory units in ArchPopulations.
func validateRateCap(c Config, bad func(string, any, string)) {
	if c.InhibitoryRateCap == 0 && c.InhibitoryRateWeight == 0 {
		return
	}
	if !c.LIFInhibition() {
		field, v := "InhibitoryRateWeight", c.InhibitoryRateWeight
		if v == 0 {
			field, v = "InhibitoryRateCap", c.InhibitoryRateCap
		}
		bad(field, v, fmt.Sprintf("0 (both rate cap fields) unless Architecture is %q with InhibitoryUnits %q (the cap bounds the LIF inhibitory units' spikes)", ArchPopulations, InhibitoryLIF))
		return
	}
	if !(c.InhibitoryRateCap > 0 && c.InhibitoryRateCap < 1) {
		bad("InhibitoryRateCap", c.InhibitoryRateCap, "a rate in spikes per unit and step, > 0 and < 1, when InhibitoryRateWeight is set")
	}
	if !(c.InhibitoryRateWeight > 0) || math.IsInf(c.InhibitoryRateWeight, 0) {
		bad("InhibitoryRateWeight", c.InhibitoryRateWeight, "a finite number > 0 when InhibitoryRateCap is set")
	}
}

// rateCapGrad adds the penalty's gradient to gRec [B, S, n] for the records rec [B, S, n] and returns the
// penalty P. Each unit's spikes are counted in float64 in sample order, so the result does not depend on
// the cores.
func rateCapGrad(cfg Config, rec, gRec []float32, B, S, n int) float64 {
	counts := make([]float64, n)
	for c := 0; c < B*S; c++ {
		for i, s := range rec[c*n:][:n] {
			counts[i] += float64(s)
		}
	}
	lambda, theta := cfg.InhibitoryRateWeight, cfg.InhibitoryRateCap
	var p float64
	g := make([]float32, n)
	for i, x := range counts {
		if e := x/float64(B*S) - theta; e > 0 {
			p += lambda * e * e
			g[i] = float32(2 * lambda * e / float64(B*S))
		}
	}
	if p == 0 {
		return 0 // gRec as it is, bit for bit
	}
	for c := 0; c < B*S; c++ {
		for i, x := range g {
			if x != 0 { // a unit below the cap keeps its gradients bit for bit (adding +0 would turn -0 into +0)
				gRec[c*n+i] += x
			}
		}
	}
	return p
}

// rateCapPenaltyNode is P of the units' records, from recSum [n, batch], the sum over the S records of
// each unit and sample, as the single graph accumulates it.
func rateCapPenaltyNode(cfg Config, recSum *Node, batch int) *Node {
	steps := float64(cfg.NumSteps() - 1)
	nu := MulScalar(ReduceSum(recSum, 1), 1/(steps*float64(batch)))
	excess := Max(AddScalar(nu, -cfg.InhibitoryRateCap), ZerosLike(nu))
	return MulScalar(ReduceAllSum(Mul(excess, excess)), cfg.InhibitoryRateWeight)
}
