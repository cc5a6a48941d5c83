package study

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
)

// TunedPlan fixes, before any of its runs, how a notebook's comparisons are tuned and tested (issue 21):
// the conditions, one equal tuning budget for all (the learning-rate grid, its tuning seeds, the
// selection rule), the fresh test seeds, the questions (one Holm family each, every comparison named),
// the equivalence margin and the protocol every run shares. It is committed before the runs it governs;
// git log shows the order.
type TunedPlan struct {
	Name       string
	Notebook   string
	Cache      string // cache folder under the results folder (tuning and test runs)
	Conditions []string
	Fraction   float64
	// Tuning is the budget every condition gets (its Conditions and Fraction are this plan's).
	Tuning Tuning
	// TestSeeds are fresh seeds, disjoint from the tuning seeds and from the 5-seed studies' 1-5.
	TestSeeds []uint64
	// Questions are the plan's Holm families: each compares conditions pairwise, paired by test seed.
	Questions []PlannedQuestion
	// Margin is the equivalence margin in accuracy points (TOST).
	Margin float64
	// Protocol states what every run shares beyond snn.DefaultConfig.
	Protocol string
	// Base returns the configuration every run starts from.
	Base func() snn.Config
	// Reuse names tuned plans whose conditions this plan's questions may also compare: their tuning and
	// test runs are read from their own caches (run where missing), under their own records. They must
	// share this plan's fraction, tuning budget, test seeds and protocol, and reuse no plan themselves.
	Reuse []string
	// SeedRule, when set, is how the number of test seeds was set before any test run (issue 21 item 3):
	// from another plan's tuning spread by Outcome.SeedsFromSpread. TestSeedRule holds len(TestSeeds) to it.
	SeedRule *SeedRule
}

// SeedRule sets a plan's number of test seeds from the tuning runs of an earlier plan (From): the seeds
// TOST needs to show Pair equivalent within the plan's margin with 80% power at Holm's most stringent
// level of Pair's family in this plan (Outcome.SeedsFromSpread, at least 10).
type SeedRule struct {
	From string    `json:"from"`
	Pair [2]string `json:"pair"`
}

// PlannedQuestion is one Holm family of a TunedPlan: pairs (condition, reference), each compared at its
// tuned learning rate on the test seeds.
type PlannedQuestion struct {
	Title string
	Pairs [][2]string
}

// tunedBase is the protocol of the tuned studies: the notebook's network and data, 50 epochs, and no early
// stopping (every run trains all 50 epochs and keeps its last weights, so the selection reads the same
// epoch for every condition).
func tunedBase() snn.Config { return TunedProtocol(snn.DefaultConfig()) }

// TunedProtocol is base under the tuned plans' protocol: no early stopping, each run keeps its last weights.
func TunedProtocol(base snn.Config) snn.Config {
	base.EarlyStop = snn.EarlyStopOff
	return base
}

// fiveLR is the Adam grid: 5 learning rates log-spaced over 100x around the notebook's 0.01.
var fiveLR = []float64{0.001, 0.00316228, 0.01, 0.0316228, 0.1}

// TunedPlans returns the plans of issue 21, each fixed before its runs: "populations-tuned" (the
// E/I-population networks, the update rules and their references at fraction 0.5), "signs-tuned" (the
// controls notebook's sign parametrisations) and "populations-shunt" (the paper's recipe and its
// shunting layer, compared with populations-tuned's conditions), "populations-lif" (LIF inhibitory
// units from a balanced start, with and without the step correction, compared likewise) and
// "populations-sgd" (the paper's SGD recipe on an SGD grid of its own) and "populations-power" (the
// step correction against pop-abs again, on the test seeds populations-tuned's tuning spread says an
// equivalence test needs), "populations-sgd-power" (the paper's recipe against pop-abs on the seeds its
// spread asks for), "populations-lif-linear" (linear inhibitory units from the balanced LIF start: the
// control of populations-lif) and "populations-lif-lag" (those linear units inhibiting with the LIF
// units' lag: which part of the LIF units' deficit the lag makes) and "populations-lif-filter" (those units
// filtering with the LIF membrane's decay: the next part), "populations-wiggle" (restarting culled synapses
// against letting the projection hold them at 0: wiggle against clip on both networks, on fresh seeds),
// "populations-lif-cap" (the LIF networks trained with an upper bound on their inhibitory units' rate: whether
// their saturation costs them accuracy).
func TunedPlans() []TunedPlan {
	popConds := []string{"unconstrained", "both", "pop-abs", "pop-clip", "pop-expgrad", "pop-wiggle", "pop-abs-seedscale",
		"pop-abs-stepcorr", "clip", "expgrad", "wiggle"}
	signConds := []string{"abs", "relu", "softplus", "clip"}
	tuningSeeds := []uint64{101, 102, 103}
	testSeeds := []uint64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	protocol := "the notebook's network and data (snn.DefaultConfig), 50 epochs, Adam, no early stopping (each run keeps " +
		"its last weights); each condition's learning rate is the one of 5 (0.001 to 0.1, log-spaced, extended past an " +
		"edge at most twice) with the highest mean validation accuracy over tuning seeds 101-103; then test seeds 11-20 " +
		"at that rate, compared pairwise by seed (paired t, Holm within each question, TOST at the margin)"
	return []TunedPlan{
		{Name: "populations-tuned", Notebook: "dales_law_populations.ipynb", Cache: "populations-tuned", Conditions: popConds,
			Fraction: 0.5, Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Questions: []PlannedQuestion{
				{"the E/I-population network against ColumnEI and the unconstrained network", [][2]string{
					{"pop-abs", "both"}, {"pop-abs", "unconstrained"}, {"pop-abs-stepcorr", "both"},
					{"pop-abs-stepcorr", "unconstrained"}, {"pop-clip", "both"}, {"pop-wiggle", "both"}}},
				{"update rules on the E/I-population network", [][2]string{
					{"pop-clip", "pop-abs"}, {"pop-expgrad", "pop-abs"}, {"pop-wiggle", "pop-abs"}}},
				{"update rules on ColumnEI", [][2]string{{"clip", "both"}, {"expgrad", "both"}, {"wiggle", "both"}}},
				{"controls of the E/I-population network", [][2]string{
					{"pop-abs-seedscale", "pop-abs"}, {"pop-abs-stepcorr", "pop-abs"}}},
			},
			Margin: 3, Protocol: protocol, Base: tunedBase},
		{Name: "signs-tuned", Notebook: "dales_law_controls.ipynb", Cache: "signs-tuned", Conditions: signConds, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Questions: []PlannedQuestion{
				{"sign parametrisations against |w|", [][2]string{{"relu", "abs"}, {"softplus", "abs"}, {"clip", "abs"}}},
			},
			Margin: 3, Protocol: protocol, Base: tunedBase},
		{Name: "populations-shunt", Notebook: "dales_law_populations.ipynb", Cache: "populations-shunt",
			Conditions: []string{"pop-sgd", "pop-shunt", "pop-shunt-sgd"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Reuse: []string{"populations-tuned"},
			Questions: []PlannedQuestion{
				{"the paper's DANN (shunting inhibition, its recipe) and shunting under Adam, against ColumnEI and the unconstrained network",
					[][2]string{{"pop-shunt-sgd", "both"}, {"pop-shunt-sgd", "unconstrained"}, {"pop-shunt", "both"}, {"pop-shunt", "unconstrained"}}},
				{"shunting against subtractive inhibition", [][2]string{{"pop-shunt", "pop-abs"}, {"pop-shunt-sgd", "pop-sgd"}}},
				{"the paper's recipe against Adam with |w|", [][2]string{{"pop-sgd", "pop-abs"}, {"pop-shunt-sgd", "pop-shunt"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-tuned (the notebook's network and data, 50 epochs, no early stopping, each run keeps " +
				"its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation " +
				"accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin), " +
				"whose conditions it compares with; the SGD conditions (pop-sgd, pop-shunt-sgd: the paper's recipe) get the same " +
				"grid and extension rule (no SGD grid of their own: the extensions reach 0.0001 and 1)"},
		{Name: "populations-lif", Notebook: "dales_law_populations.ipynb", Cache: "populations-lif",
			Conditions: []string{"pop-lif-bal", "pop-lif-bal-stepcorr"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Reuse: []string{"populations-tuned"},
			Questions: []PlannedQuestion{
				{"LIF against linear inhibitory units (balanced start, same update rule)",
					[][2]string{{"pop-lif-bal", "pop-abs"}, {"pop-lif-bal-stepcorr", "pop-abs-stepcorr"}}},
				{"LIF inhibitory units against ColumnEI and the unconstrained network", [][2]string{
					{"pop-lif-bal", "both"}, {"pop-lif-bal", "unconstrained"}, {"pop-lif-bal-stepcorr", "both"},
					{"pop-lif-bal-stepcorr", "unconstrained"}}},
				{"the step correction on LIF inhibitory units", [][2]string{{"pop-lif-bal-stepcorr", "pop-lif-bal"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-tuned (the notebook's network and data, 50 epochs, no early stopping, each run keeps " +
				"its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation " +
				"accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin), " +
				"whose conditions it compares with; the LIF inhibitory units start balanced (snn.LIFInitBalanced: W_EE, W_IE and " +
				"W_EI rescaled so that both populations fire at the excitatory rate of the same weights with linear inhibitory " +
				"units, with the same mean inhibition-to-excitation ratio, on the first 8 training batches); the Go kernels train " +
				"them (snn.FormulationGoKernels, the pure-Go backend's formulation for every condition)"},
		{Name: "populations-sgd", Notebook: "dales_law_populations.ipynb", Cache: "populations-sgd",
			Conditions: []string{"pop-sgd", "pop-shunt-sgd"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, SGDGrid: sgdLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Reuse: []string{"populations-tuned"},
			Questions: []PlannedQuestion{
				{"the paper's DANN (shunting inhibition, its SGD recipe on an SGD grid) against ColumnEI and the unconstrained network",
					[][2]string{{"pop-shunt-sgd", "both"}, {"pop-shunt-sgd", "unconstrained"}}},
				{"shunting against subtractive inhibition under the paper's recipe", [][2]string{{"pop-shunt-sgd", "pop-sgd"}}},
				{"the paper's recipe (SGD grid) against Adam with |w|", [][2]string{{"pop-sgd", "pop-abs"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-tuned (the notebook's network and data, 50 epochs, no early stopping, each run keeps " +
				"its last weights; selected on mean validation accuracy over tuning seeds 101-103, extended past an edge at most " +
				"twice; test seeds 11-20; paired t, Holm within each question, TOST at the margin), whose conditions it compares " +
				"with, except that the SGD conditions (pop-sgd, pop-shunt-sgd: the paper's recipe) get an SGD grid of their own, " +
				"5 rates 0.1 to 10 log-spaced (the same size and span as Adam's 0.001 to 0.1): plan populations-shunt gave them " +
				"Adam's grid, on which pop-shunt-sgd stayed at chance at every rate and pop-sgd selected 0.316 after extending " +
				"past the top edge"},
		{Name: "populations-power", Notebook: "dales_law_populations.ipynb", Cache: "populations-power",
			Conditions: []string{"pop-abs", "pop-abs-stepcorr"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: seedsFrom(201, 123),
			SeedRule: &SeedRule{From: "populations-tuned", Pair: [2]string{"pop-abs-stepcorr", "pop-abs"}},
			Questions: []PlannedQuestion{
				{"the step correction on the E/I-population network, with test seeds set from the tuning spread",
					[][2]string{{"pop-abs-stepcorr", "pop-abs"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-tuned (the notebook's network and data, 50 epochs, Adam, no early stopping, each run " +
				"keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean " +
				"validation accuracy over tuning seeds 101-103; paired t, TOST at the margin), its two conditions tuned again " +
				"in this plan's own cache, but with 123 fresh test seeds, 201-323: the number TOST needs to show equivalence " +
				"within ±3 points with 80% power at level 0.05 (a family of one), from the 80% upper bound of the paired sd of " +
				"populations-tuned's tuning runs (study.Outcome.SeedsFromSpread); populations-tuned's 10 seeds could not " +
				"show it (they would need about 151 in its family of two)"},
		{Name: "populations-sgd-power", Notebook: "dales_law_populations.ipynb", Cache: "populations-sgd-power",
			Conditions: []string{"pop-sgd", "pop-abs"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, SGDGrid: sgdLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: seedsFrom(401, 35),
			SeedRule: &SeedRule{From: "populations-sgd", Pair: [2]string{"pop-sgd", "pop-abs"}},
			Questions: []PlannedQuestion{
				{"the paper's recipe (SGD grid) against Adam with |w|, with test seeds set from the tuning spread",
					[][2]string{{"pop-sgd", "pop-abs"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-sgd (the notebook's network and data, 50 epochs, no early stopping, each run keeps its " +
				"last weights; pop-sgd on the SGD grid 0.1 to 10, pop-abs on Adam's grid 0.001 to 0.1, each extended past an edge " +
				"at most twice, selected on mean validation accuracy over tuning seeds 101-103; paired t, TOST at the margin), " +
				"both conditions tuned again in this plan's own cache, with 35 fresh test seeds, 401-435: the number TOST needs to " +
				"show equivalence within ±3 points with 80% power at level 0.05 (a family of one), from the 80% upper bound of " +
				"the paired sd of populations-sgd's tuning runs (study.Outcome.SeedsFromSpread); a follow-up chosen after " +
				"populations-sgd left this comparison inconclusive on 10 seeds (−1.9 points, equivalence not shown), the last " +
				"comparison of issue 21's plans left so"},
		{Name: "populations-lif-linear", Notebook: "dales_law_populations.ipynb", Cache: "populations-lif-linear",
			Conditions: []string{"pop-abs-bal", "pop-abs-bal-stepcorr"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Reuse: []string{"populations-tuned", "populations-lif"},
			Questions: []PlannedQuestion{
				{"LIF against linear inhibitory units from the same balanced start (same update rule)",
					[][2]string{{"pop-lif-bal", "pop-abs-bal"}, {"pop-lif-bal-stepcorr", "pop-abs-bal-stepcorr"}}},
				{"the balanced start on linear inhibitory units",
					[][2]string{{"pop-abs-bal", "pop-abs"}, {"pop-abs-bal-stepcorr", "pop-abs-stepcorr"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-lif (the notebook's network and data, 50 epochs, no early stopping, each run keeps " +
				"its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation " +
				"accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin; " +
				"the Go kernels), whose conditions and populations-tuned's it compares with; pop-abs-bal and pop-abs-bal-stepcorr " +
				"have linear inhibitory units and start from exactly the weights of pop-lif-bal and pop-lif-bal-stepcorr of the " +
				"same seed (snn.LIFInitBalanced with linear units: the balance's three factors on W_EE, W_IE and W_EI, computed " +
				"for LIF units on the same first 8 training batches), so each pair differs only in its inhibitory units; a control " +
				"fixed after populations-lif's runs, which could not tell the LIF units' effect from that of the rescaled start"},
		{Name: "populations-lif-lag", Notebook: "dales_law_populations.ipynb", Cache: "populations-lif-lag",
			Conditions: []string{"pop-abs-bal-delay", "pop-abs-bal-delay-stepcorr"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Reuse: []string{"populations-tuned", "populations-lif", "populations-lif-linear"},
			Questions: []PlannedQuestion{
				{"the LIF units' lag on linear inhibitory units (same balanced start, same update rule)",
					[][2]string{{"pop-abs-bal-delay", "pop-abs-bal"}, {"pop-abs-bal-delay-stepcorr", "pop-abs-bal-stepcorr"}}},
				{"LIF against linear inhibitory units with the same lag (same balanced start, same update rule)",
					[][2]string{{"pop-lif-bal", "pop-abs-bal-delay"}, {"pop-lif-bal-stepcorr", "pop-abs-bal-delay-stepcorr"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-lif-linear (the notebook's network and data, 50 epochs, no early stopping, each run " +
				"keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean " +
				"validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at " +
				"the margin; the Go kernels), whose conditions and those of populations-lif it compares with, each condition at " +
				"its own tuned rate; pop-abs-bal-delay and pop-abs-bal-delay-stepcorr are pop-abs-bal and pop-abs-bal-stepcorr " +
				"(the same initial weights as pop-lif-bal and pop-lif-bal-stepcorr of the same seed) whose linear inhibitory " +
				"units inhibit 2 steps late (snn.InhibitoryDelayed with snn.LIFInhibitoryLag: the input of step k inhibits step " +
				"k+2, the earliest an input inhibits through the LIF units), so that the first question asks what the LIF units' " +
				"lag alone costs linear units and the second what their integration and spiking cost beyond it; a control fixed " +
				"after populations-lif-linear's runs, which left the LIF units 25-26 points below linear units from the same weights"},
		{Name: "populations-lif-filter", Notebook: "dales_law_populations.ipynb", Cache: "populations-lif-filter",
			Conditions: []string{"pop-abs-bal-filter", "pop-abs-bal-filter-stepcorr"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Reuse: []string{"populations-tuned", "populations-lif", "populations-lif-linear", "populations-lif-lag"},
			Questions: []PlannedQuestion{
				{"the LIF membrane's filter on top of the 2-step lag (linear inhibitory units, same balanced start, same update rule)",
					[][2]string{{"pop-abs-bal-filter", "pop-abs-bal-delay"}, {"pop-abs-bal-filter-stepcorr", "pop-abs-bal-delay-stepcorr"}}},
				{"LIF against filtered linear inhibitory units (same start, same update rule)",
					[][2]string{{"pop-lif-bal", "pop-abs-bal-filter"}, {"pop-lif-bal-stepcorr", "pop-abs-bal-filter-stepcorr"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-lif-lag (the notebook's network and data, 50 epochs, no early stopping, each run keeps " +
				"its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation " +
				"accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin; " +
				"the Go kernels), whose conditions and those of populations-lif it compares with, each condition at its own tuned " +
				"rate; pop-abs-bal-filter and pop-abs-bal-filter-stepcorr are pop-abs-bal and pop-abs-bal-stepcorr (the same initial " +
				"weights as pop-lif-bal of the same seed) whose linear inhibitory units pass on their input low-pass filtered with " +
				"the LIF membrane's decay at unit gain (snn.InhibitoryFiltered: step k is inhibited by r_{k-1}, r_{j+1} = alpha r_j + " +
				"(1 - alpha) x_j W_IE: the LIF units' earliest lag of 2 steps and their membrane's spread-out delay, without " +
				"threshold, reset or spikes), so that the first question asks what that integration costs beyond the 2-step delay " +
				"and the second what the LIF units' threshold, reset and spikes cost beyond it; a control fixed after " +
				"populations-lif-lag's runs and a review noting that its 2-step delay matches only the LIF units' earliest lag"},
		{Name: "populations-wiggle", Notebook: "dales_law_populations.ipynb", Cache: "populations-wiggle",
			Conditions: []string{"wiggle", "clip", "pop-wiggle", "pop-clip"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: seedsFrom(501, 20),
			Questions: []PlannedQuestion{
				{"restarting culled synapses: wiggle against clip (same initial weights and data, each at its tuned rate)",
					[][2]string{{"wiggle", "clip"}, {"pop-wiggle", "pop-clip"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-tuned (the notebook's network and data, 50 epochs, Adam, no early stopping, each run " +
				"keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean " +
				"validation accuracy over tuning seeds 101-103; paired t, Holm within the question, TOST at the margin; the Go " +
				"kernels), its four conditions tuned again in this plan's own cache on the same grid and tuning seeds (so on the " +
				"same runs as populations-tuned's selection), with 20 fresh test seeds, 501-520. wiggle is clip (the projected " +
				"gradient: Adam's step, then w <- max(w, 0)) whose weights held at exactly 0 after a step restart at 0.01 u, u " +
				"uniform in (0, 1], from a stream of their own; each pair shares its initial weights and data, so on the " +
				"E/I-population network, where populations-tuned's tuning selected 0.001 for both rules, a pair differs only in " +
				"the restarts, and on ColumnEI, where it selected 0.00316 for clip and 0.001 for wiggle, also in the rate each " +
				"rule was tuned to. A follow-up fixed after populations-tuned's runs, on a review noting that wiggle had been " +
				"compared with |w| only, not with clip, the control that differs from it only in its restarts. populations-tuned's " +
				"test runs of the same pairs (seeds 11-20) are a pilot, not part of this test: paired differences -1.4 points " +
				"(sd 1.7) on ColumnEI and 0.0 (sd 0.8) on the E/I-population network; the seed rule (study.Outcome.SeedsFromSpread " +
				"on populations-tuned's tuning runs, family of 2) gives its floor of 10 for either pair, and the plan takes 20 " +
				"because the pilot's ColumnEI difference is not 0, which that rule's count assumes"},
		{Name: "populations-lif-cap", Notebook: "dales_law_populations.ipynb", Cache: "populations-lif-cap",
			Conditions: []string{"pop-lif-bal-cap", "pop-lif-bal-cap-stepcorr"}, Fraction: 0.5,
			Tuning: Tuning{Grid: fiveLR, Seeds: tuningSeeds, MaxExtensions: 2}, TestSeeds: testSeeds,
			Reuse: []string{"populations-tuned", "populations-lif", "populations-lif-linear"},
			Questions: []PlannedQuestion{
				{"an upper bound on the LIF inhibitory units' rate (same start, same update rule)",
					[][2]string{{"pop-lif-bal-cap", "pop-lif-bal"}, {"pop-lif-bal-cap-stepcorr", "pop-lif-bal-stepcorr"}}},
				{"capped LIF against linear inhibitory units from the same start (same update rule)",
					[][2]string{{"pop-lif-bal-cap", "pop-abs-bal"}, {"pop-lif-bal-cap-stepcorr", "pop-abs-bal-stepcorr"}}},
			},
			Margin: 3, Base: tunedBase,
			Protocol: "as plan populations-lif-filter (the notebook's network and data, 50 epochs, no early stopping, each run keeps " +
				"its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation " +
				"accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin; the " +
				"Go kernels), whose conditions and those of populations-lif and populations-lif-linear it compares with, each " +
				"condition at its own tuned rate; pop-lif-bal-cap and pop-lif-bal-cap-stepcorr are pop-lif-bal and " +
				"pop-lif-bal-stepcorr (the same initial weights and data at each seed) trained with an upper bound on their LIF " +
				"inhibitory units' rate, the penalty lambda sum_i max(0, nu_i - theta)^2 added to the training loss, nu_i unit i's " +
				"mean spikes per step over a batch's samples and steps (snn.Config.InhibitoryRateCap, InhibitoryRateWeight), with " +
				"theta = 0.25 (half the units' ceiling of 0.5, chosen before any run) and lambda = 100, the smallest of 1, 10, 100 " +
				"and 1000 that held both conditions' trained units within 0.01 of theta in a pilot on tuning seed 101 at " +
				"populations-lif's selected rate 0.0316 (trained rates 0.484, 0.432, 0.250, 0.242 with |w| and 0.435, 0.278, 0.253, " +
				"0.247 with the step correction; 0.494 and 0.478 without the cap; the pilot also printed validation accuracies, " +
				"which did not enter the choice); the first question asks whether the trained units' saturation (0.459 to 0.495 " +
				"spikes per unit and step in populations-lif's test networks, ceiling 0.5) costs them accuracy, the second how much " +
				"of the gap to linear units from the same weights remains with the cap; the cap is checked by the trained test " +
				"networks' inhibitory rates on the validation set (study.Notebook.PlanInhibitoryRates), printed beside the verdicts; " +
				"a control fixed after populations-lif-filter's and populations-wiggle's runs and the measurement of the trained LIF " +
				"units' rates, which suggested saturation as a cause without testing it"},
		lifCapAt(0.01, tuningSeeds, testSeeds), lifCapAt(0.0316228, tuningSeeds, testSeeds),
		lifCapReplicationAt(0.01, tuningSeeds), lifCapReplicationAt(0.0316228, tuningSeeds),
	}
}

// lifCapReplicationSeeds are the replication's fresh test seeds: 20, the fewest with which a paired t test
// at level 0.025 (Holm over the two update rules) detects half the |w| interaction of the fixed-rate plans
// (10 of its 20.5 points) with 80% power if the sd of its per-seed differences of differences is the 13.5
// points estimated there (DetectableDifference; TestLIFCapReplicationSeeds): a point estimate from 10 seeds,
// not the 80% upper bound the tuned plans' seed rule plans from, which would have asked for more.
var lifCapReplicationSeeds = seedsFrom(601, 20)

// lifCapReplicationAt is plan "populations-lif-cap-rep-lr<rate>": lifCapAt's plan at rate again on fresh
// test seeds (lifCapReplicationSeeds), none of whose runs existed when it was fixed, so that the rate
// interaction it and its sibling give (RateInteraction) replicates the first pair's, half of whose test runs
// had been seen before they were fixed.
func lifCapReplicationAt(rate float64, tuningSeeds []uint64) TunedPlan {
	p := lifCapAt(rate, tuningSeeds, lifCapReplicationSeeds)
	p.Name = fmt.Sprintf("populations-lif-cap-rep-lr%g", rate)
	p.Cache = p.Name
	p.Questions[0].Title = fmt.Sprintf("the cap on the LIF inhibitory units' rate at the fixed learning rate %g, replicated on fresh seeds "+
		"(same start, same update rule)", rate)
	p.Protocol = "as plans populations-lif-cap-lr0.01 and -lr0.0316228 (the notebook's network and data, 50 epochs, no early stopping, " +
		"each run keeps its last weights; the capped and uncapped LIF networks, both update rules, at one learning rate fixed with the " +
		"plan, no tuning, its runs on tuning seeds 101-103 copied from those plans' caches and serving only the design's sensitivity; " +
		"paired t, Holm within the question, TOST at the margin; the Go kernels; theta 0.25, lambda 100), in two plans again, 0.01 and " +
		"0.0316228, but on 20 fresh test seeds, 601-620, none of whose runs existed when the plans were fixed: a replication of " +
		"those plans' rate interaction (study.RateInteraction: per test seed, the capped minus uncapped difference at 0.01 against " +
		"that at 0.0316228, paired t, Holm over the two update rules), half of whose test runs had been seen before they were " +
		"fixed. 20 seeds are the fewest with which the paired t test at level 0.025 detects half the |w| interaction found there " +
		"(10 of 20.5 points) with 80% power, from the sd of its per-seed differences of differences, 13.5 points " +
		"(study.DetectableDifference); the interaction is replicated where it is again higher with |w| at 0.01 at Holm p < 0.05; a " +
		"follow-up fixed after the fixed-rate plans' runs, on a review noting that they were not an independent replication"
	return p
}

// lifCapAt is plan "populations-lif-cap-lr<rate>": the LIF networks with and without the cap on their
// inhibitory units' rate, all four at one fixed learning rate (no tuning), so that the cap is compared at
// equal rates; the two plans (0.01, the capped networks' tuned rate, and 0.0316228, the uncapped ones')
// together ask whether the cap's effect depends on the rate (RateInteraction).
func lifCapAt(rate float64, tuningSeeds, testSeeds []uint64) TunedPlan {
	name := fmt.Sprintf("populations-lif-cap-lr%g", rate)
	return TunedPlan{Name: name, Notebook: "dales_law_populations.ipynb", Cache: name,
		Conditions: []string{"pop-lif-bal-cap", "pop-lif-bal-cap-stepcorr", "pop-lif-bal", "pop-lif-bal-stepcorr"}, Fraction: 0.5,
		Tuning: Tuning{Grid: []float64{rate}, Seeds: tuningSeeds, MaxExtensions: 0}, TestSeeds: testSeeds,
		Questions: []PlannedQuestion{
			{fmt.Sprintf("the cap on the LIF inhibitory units' rate at the fixed learning rate %g (same start, same update rule)", rate),
				[][2]string{{"pop-lif-bal-cap", "pop-lif-bal"}, {"pop-lif-bal-cap-stepcorr", "pop-lif-bal-stepcorr"}}},
		},
		Margin: 3, Base: tunedBase,
		Protocol: "as plan populations-lif-cap (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last " +
			"weights; test seeds 11-20; paired t, Holm within the question, TOST at the margin; the Go kernels; theta 0.25, lambda 100), " +
			"but with no tuning: the capped and uncapped LIF networks all run at one learning rate fixed with the plan, in two plans, " +
			"0.01 (the capped networks' tuned rate) and 0.0316228 (the uncapped ones'), whose runs at those rates on tuning seeds " +
			"101-103 and test seeds 11-20 are the same configurations as populations-lif-cap's and populations-lif's and are copied " +
			"from their caches where they exist (the capped networks at 0.01 and the uncapped at 0.0316228 on the test seeds, every " +
			"tuning run); so half of each plan's test runs were seen before it was fixed, and the rates were chosen after the tuning " +
			"seeds showed the capped networks no better at 0.0316228 and better at 0.01; the new runs are the capped networks at " +
			"0.0316228 and the uncapped at 0.01 on the test seeds. Each plan asks whether the cap changes test accuracy at its rate; " +
			"together they ask whether the cap's effect differs between the two rates (study.RateInteraction: per test seed, the " +
			"capped minus uncapped difference at 0.01 against that at 0.0316228, paired t, Holm over the two update rules, TOST at " +
			"the margin); a control fixed after populations-lif-cap's runs and a review noting that its gain came with a lower " +
			"tuned learning rate"}
}

// seedsFrom returns n consecutive seeds from first.
func seedsFrom(first uint64, n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = first + uint64(i)
	}
	return s
}

// sgdLR is the SGD conditions' own grid: 5 rates log-spaced over 100x. Under SGD this network's gradients
// are small (the readout's 0.01 scale), so the paper's recipe learns at rates far above Adam's.
var sgdLR = []float64{0.1, 0.316228, 1, 3.16228, 10}

// Validate checks a plan before any run: known conditions, a tuning budget of at least 5 learning rates
// over at least 100x, at least 10 test seeds disjoint from the tuning seeds and from seeds 1-5, every
// compared condition in the plan, no pair twice, a margin > 0.
func (p TunedPlan) Validate() error {
	if _, err := ConditionsByName(p.Conditions); err != nil {
		return fmt.Errorf("study: plan %s: %w", p.Name, err)
	}
	t := p.tuning()
	if err := t.Validate(p.Base()); err != nil {
		return fmt.Errorf("study: plan %s: %w", p.Name, err)
	}
	if g := t.Grid; !t.Fixed() && (len(g) < 5 || g[len(g)-1]/g[0] < 100*(1-1e-6)) {
		return fmt.Errorf("study: plan %s: tuning grid %v: want at least 5 learning rates over at least 100x, or one fixed rate "+
			"(MaxExtensions 0)", p.Name, g)
	}
	if len(p.TestSeeds) < 10 {
		return fmt.Errorf("study: plan %s: %d test seeds, want at least 10", p.Name, len(p.TestSeeds))
	}
	used := map[uint64]string{1: "the 5-seed studies", 2: "the 5-seed studies", 3: "the 5-seed studies", 4: "the 5-seed studies",
		5: "the 5-seed studies"}
	for _, s := range t.Seeds {
		used[s] = "tuning"
	}
	for _, s := range p.TestSeeds {
		if by, ok := used[s]; ok {
			return fmt.Errorf("study: plan %s: test seed %d is also used by %s", p.Name, s, by)
		}
		used[s] = "testing"
	}
	in := map[string]bool{}
	for _, c := range p.Conditions {
		in[c] = true
	}
	reused, err := p.reused()
	if err != nil {
		return err
	}
	for _, r := range reused {
		for _, c := range r.Conditions {
			if in[c] {
				return fmt.Errorf("study: plan %s: condition %s is both its own and plan %s's", p.Name, c, r.Name)
			}
			in[c] = true
		}
	}
	seen := map[[2]string]bool{}
	for _, q := range p.Questions {
		if len(q.Pairs) == 0 {
			return fmt.Errorf("study: plan %s: question %q compares nothing", p.Name, q.Title)
		}
		for _, pr := range q.Pairs {
			for _, c := range pr {
				if !in[c] {
					return fmt.Errorf("study: plan %s: question %q compares %q, which neither the plan nor a plan it reuses runs", p.Name, q.Title, c)
				}
			}
			if seen[pr] || seen[[2]string{pr[1], pr[0]}] || pr[0] == pr[1] {
				return fmt.Errorf("study: plan %s: the comparison %s against %s is listed twice (in either order) or against itself", p.Name, pr[0], pr[1])
			}
			seen[pr] = true
		}
	}
	if !(p.Margin > 0) || math.IsInf(p.Margin, 0) {
		return fmt.Errorf("study: plan %s: margin %v, want a finite number > 0", p.Name, p.Margin)
	}
	if r := p.SeedRule; r != nil {
		from, err := TunedPlanByName(r.From)
		if err != nil || from.Name == p.Name {
			return fmt.Errorf("study: plan %s: its seed rule reads plan %q: want another known tuned plan", p.Name, r.From)
		}
		if !seen[r.Pair] {
			return fmt.Errorf("study: plan %s: its seed rule sets seeds for %s against %s, which the plan does not compare", p.Name, r.Pair[0], r.Pair[1])
		}
		if compared, _ := from.compared(); !slices.Contains(compared, r.Pair[0]) || !slices.Contains(compared, r.Pair[1]) {
			return fmt.Errorf("study: plan %s: its seed rule reads %s against %s from plan %s, which does not tune both", p.Name, r.Pair[0], r.Pair[1], r.From)
		}
		// SeedsFromSpread sizes for the margin and level of the plan it reads: they must be this plan's.
		if from.Margin != p.Margin || from.Rules().Alpha != p.Rules().Alpha {
			return fmt.Errorf("study: plan %s: its seed rule reads plan %s, whose margin (%g) or level (%g) differ from this plan's (%g, %g)",
				p.Name, r.From, from.Margin, from.Rules().Alpha, p.Margin, p.Rules().Alpha)
		}
	}
	return nil
}

// family returns the size of the question (Holm family) that compares pr, 0 when none does.
func (p TunedPlan) family(pr [2]string) int {
	for _, q := range p.Questions {
		if slices.Contains(q.Pairs, pr) {
			return len(q.Pairs)
		}
	}
	return 0
}

// RuledSeeds is the number of test seeds the plan's SeedRule gives: Outcome.SeedsFromSpread of the rule's
// pair, in the family that compares it here, from the rule's plan's tuning runs read from the committed
// cache under results (nothing is trained). It is an error for a plan without a rule.
func (p TunedPlan) RuledSeeds(ctx context.Context, results string) (int, error) {
	r := p.SeedRule
	if r == nil {
		return 0, fmt.Errorf("study: plan %s sets its test seeds by no rule", p.Name)
	}
	if err := p.Validate(); err != nil {
		return 0, err
	}
	from, _ := TunedPlanByName(r.From)
	tuned, test, _, err := from.Run(ctx, results, RunOptions{CacheOnly: true})
	if err != nil {
		return 0, fmt.Errorf("study: plan %s's seed rule: %w", p.Name, err)
	}
	o, err := from.Outcome(tuned, test)
	if err != nil {
		return 0, fmt.Errorf("study: plan %s's seed rule: %w", p.Name, err)
	}
	return o.SeedsFromSpread(r.Pair, p.family(r.Pair))
}

// reused returns the plans of Reuse, checked against p: known, not p, each listed once, each reusing only
// plans listed in Reuse before it (so that every plan's own conditions are tuned and tested once, in
// order), and sharing p's fraction, tuning budget, test seeds and protocol.
func (p TunedPlan) reused() ([]TunedPlan, error) {
	var out []TunedPlan
	for i, name := range p.Reuse {
		r, err := TunedPlanByName(name)
		if err != nil {
			return nil, fmt.Errorf("study: plan %s reuses: %w", p.Name, err)
		}
		same := func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
		unlisted := slices.IndexFunc(r.Reuse, func(n string) bool { return !slices.Contains(p.Reuse[:i], n) })
		switch {
		case r.Name == p.Name || slices.Contains(p.Reuse[:i], name):
			return nil, fmt.Errorf("study: plan %s reuses plan %s, which is itself or listed twice in Reuse", p.Name, name)
		case unlisted >= 0:
			return nil, fmt.Errorf("study: plan %s reuses plan %s, which reuses plan %s: list %s in Reuse before %s",
				p.Name, name, r.Reuse[unlisted], r.Reuse[unlisted], name)
		case r.Fraction != p.Fraction || !same(r.TestSeeds, p.TestSeeds) || !same(r.Tuning.Seeds, p.Tuning.Seeds) ||
			!same(r.Tuning.Grid, p.Tuning.Grid) || r.Tuning.MaxExtensions != p.Tuning.MaxExtensions ||
			snn.ConfigKey(r.Base()) != snn.ConfigKey(p.Base()):
			return nil, fmt.Errorf("study: plan %s reuses plan %s, whose fraction, tuning budget, test seeds or protocol differ", p.Name, name)
		}
		out = append(out, r)
	}
	return out, nil
}

// compared lists the conditions the plan's outcome reports: its own, then those of the plans it reuses
// that its questions compare (in the reused plans' order), with the plan each comes from.
func (p TunedPlan) compared() (names []string, from map[string]string) {
	from = map[string]string{}
	names = append(names, p.Conditions...)
	for _, c := range p.Conditions {
		from[c] = p.Name
	}
	asked := map[string]bool{}
	for _, q := range p.Questions {
		for _, pr := range q.Pairs {
			asked[pr[0]], asked[pr[1]] = true, true
		}
	}
	reused, _ := p.reused()
	for _, r := range reused {
		for _, c := range r.Conditions {
			if asked[c] {
				names = append(names, c)
				from[c] = r.Name
			}
		}
	}
	return names, from
}

// Run tunes and tests the plans it reuses, then itself (each from its own cache under results, run
// where missing), and returns every tuning and test run the outcome reads.
func (p TunedPlan) Run(ctx context.Context, results string, opts RunOptions) ([]Tuned, []RunResult, []string, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, nil, err
	}
	reused, _ := p.reused()
	var tuned []Tuned
	var test []RunResult
	var notes []string
	for _, q := range append(reused, p) {
		t, n, err := q.Tune(ctx, results, opts)
		notes = append(notes, n...)
		if err != nil {
			return nil, nil, notes, err
		}
		r, n, err := q.Test(ctx, results, t, opts)
		notes = append(notes, n...)
		if err != nil {
			return nil, nil, notes, err
		}
		tuned, test = append(tuned, t...), append(test, r...)
	}
	return tuned, test, notes, nil
}

// tuning is the plan's Tuning with its conditions and fraction.
func (p TunedPlan) tuning() Tuning {
	t := p.Tuning
	t.Conditions, t.Fraction = p.Conditions, p.Fraction
	return t
}

// sharing returns opts with the other plans' caches under results to copy runs from (SharedCaches)
// where opts names none.
func (p TunedPlan) sharing(results string, opts RunOptions) RunOptions {
	if opts.Shared == nil {
		opts.Shared = SharedCaches(results, p.Cache)
	}
	return opts
}

// Tune runs (or reads from results/Cache) the plan's tuning runs and returns each condition's tuning.
func (p TunedPlan) Tune(ctx context.Context, results string, opts RunOptions) ([]Tuned, []string, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	return p.tuning().Run(ctx, p.Base(), filepath.Join(results, p.Cache), p.sharing(results, opts))
}

// Test runs (or reads from results/Cache) the plan's test runs: every condition at the learning rate its
// tuning selected, on the test seeds. tuned must hold every condition of the plan (from Tune).
func (p TunedPlan) Test(ctx context.Context, results string, tuned []Tuned, opts RunOptions) ([]RunResult, []string, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	selected := map[string]float64{}
	for _, t := range tuned {
		selected[t.Condition] = t.Selected
	}
	var conds []Condition
	for _, name := range p.Conditions {
		lr, ok := selected[name]
		if !ok {
			return nil, nil, fmt.Errorf("study: plan %s: condition %s has no tuned learning rate", p.Name, name)
		}
		c, err := ConditionByName(name)
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, WithLearningRate(c, lr))
	}
	s := &Sweep{Base: p.Base(), Conditions: conds, Fractions: []float64{p.Fraction}, Seeds: p.TestSeeds,
		CacheDir: filepath.Join(results, p.Cache), RecordDivergence: true}
	p.sharing(results, opts).apply(s)
	res, err := s.Run(ctx)
	return res, s.Warnings, err
}

// SeedRange writes seeds as "11-20" when they are consecutive and ascending, else as "3,5,9".
func SeedRange(s []uint64) string {
	consecutive := len(s) > 1
	for i := 1; i < len(s); i++ {
		consecutive = consecutive && s[i] == s[i-1]+1
	}
	if consecutive {
		return fmt.Sprintf("%d-%d", s[0], s[len(s)-1])
	}
	return seedList(s)
}

// Describe states the plan as fixed: its conditions, the tuning budget, the test seeds, the questions
// with their comparisons, the margin and the protocol.
func (p TunedPlan) Describe() string {
	var b strings.Builder
	t := p.Tuning
	grids := fmt.Sprintf("every condition at each of %d learning rates %s", len(t.Grid), floatList(t.Grid))
	if t.SGDGrid != nil {
		var adam, sgd []string
		for _, name := range p.Conditions {
			c, err := ConditionByName(name)
			if err == nil && c.Apply(p.Base(), p.Fraction).Optimizer == snn.OptimizerSGD {
				sgd = append(sgd, name)
			} else {
				adam = append(adam, name)
			}
		}
		grids = ""
		if len(adam) > 0 {
			grids = fmt.Sprintf("%s at each of %d learning rates %s; ", strings.Join(adam, ", "), len(t.Grid), floatList(t.Grid))
		}
		grids += fmt.Sprintf("the SGD conditions (%s) at each of %d rates %s", strings.Join(sgd, ", "), len(t.SGDGrid), floatList(t.SGDGrid))
	}
	if p.tuning().Fixed() {
		fmt.Fprintf(&b, "**Plan %s** (%d conditions at inhibitory fraction %g). No tuning: every condition at the fixed learning "+
			"rate %g, fixed with the plan (its runs on tuning seeds %s serve only the design's sensitivity). Test: seeds %s at "+
			"that rate. Protocol: %s. Equivalence margin ±%g points.\n\n", p.Name, len(p.Conditions), p.Fraction, t.Grid[0],
			SeedRange(t.Seeds), SeedRange(p.TestSeeds), p.Protocol, p.Margin)
	} else {
		fmt.Fprintf(&b, "**Plan %s** (%d conditions at inhibitory fraction %g). Tuning: %s "+
			"(extended past an edge at most %d times), tuning seeds %s, selected on mean validation accuracy. Test: seeds %s at the "+
			"selected rate. Protocol: %s. Equivalence margin ±%g points.\n\n", p.Name, len(p.Conditions), p.Fraction, grids,
			t.MaxExtensions, SeedRange(t.Seeds), SeedRange(p.TestSeeds), p.Protocol, p.Margin)
	}
	if r := p.SeedRule; r != nil {
		fmt.Fprintf(&b, "Its %d test seeds were set before any test run from plan %s's tuning runs: the seeds an equivalence test of %s "+
			"against %s within ±%g points needs (study.Outcome.SeedsFromSpread, family of %d).\n\n", len(p.TestSeeds), r.From, r.Pair[0], r.Pair[1],
			p.Margin, p.family(r.Pair))
	}
	if len(p.Reuse) > 0 {
		fmt.Fprintf(&b, "It also compares conditions of plan %s (their runs, tuned and tested under that plan's record).\n\n", strings.Join(p.Reuse, ", "))
	}
	for i, q := range p.Questions {
		var pairs []string
		for _, pr := range q.Pairs {
			pairs = append(pairs, pr[0]+" vs "+pr[1])
		}
		fmt.Fprintf(&b, "%d. %s: %s\n", i+1, q.Title, strings.Join(pairs, "; "))
	}
	return b.String()
}

func floatList(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%g", x)
	}
	return strings.Join(parts, ", ")
}
