package snn

import (
	"errors"
	"fmt"
	"math"
	"reflect"
)

// Physical units. Times are in seconds and rates in hertz throughout the package.
const (
	Second      = 1.0
	Millisecond = 1e-3
	Hertz       = 1.0
)

// MaxANFPerEar is the largest Config.ANFPerEar: fibre indices are stored in 16 bits.
const MaxANFPerEar = 32767

// Size limits of a Config, far above any network this package trains on one machine, so that a
// configuration (a user's, or a checkpoint's header) can never ask for an allocation that overflows or
// exhausts memory before anything checks it: units per layer (hidden, classes, inhibitory), simulation
// steps, batches and epochs, the bits of one data set (samples x steps x inputs: 2^34, 2 GiB) and the
// values of one batch's buffers (batch x steps x (hidden + inhibitory + inputs): 2^28, 1 GiB of float32).
const (
	MaxUnits       = 1 << 16
	MaxSteps       = 1 << 20
	MaxCount       = 1 << 20 // BatchSize, the batch counts, Epochs, Patience, NotebookWindow
	MaxDataBits    = 1 << 34
	MaxBatchValues = 1 << 28
)

// Threshold is the LIF firing threshold (dimensionless membrane units), fixed at 1 as in the notebook.
const Threshold = 1.0

// MaskLayout says which presynaptic units of a layer are inhibitory under Dale's law.
type MaskLayout string

const (
	// MaskBlocked makes rows 0..NumInhibitory(n, fraction)-1 inhibitory, as the notebook does. At fraction 0.5 on
	// the input layer this makes every left-ear fibre inhibitory and every right-ear fibre excitatory.
	MaskBlocked MaskLayout = "blocked"
	// MaskRandom picks the same number of inhibitory rows uniformly at random (seeded).
	MaskRandom MaskLayout = "random"
)

// PhaseMode says how the stimulus' random phase offset is drawn.
type PhaseMode string

const (
	// PhasePerDataset draws one offset per generated dataset and shares it by all samples (the notebook).
	PhasePerDataset PhaseMode = "per-dataset"
	// PhasePerSample draws an independent offset for each sample.
	PhasePerSample PhaseMode = "per-sample"
)

// DaleLayers says which layers Dale's law constrains when Config.DalesLaw is on.
type DaleLayers string

const (
	// DaleBoth constrains the input-to-hidden and the hidden-to-readout weights (the notebook).
	DaleBoth DaleLayers = "both"
	// DaleInput constrains only the input-to-hidden weights; the readout weights are unconstrained.
	DaleInput DaleLayers = "input"
	// DaleHidden constrains only the hidden-to-readout weights; the input weights are unconstrained.
	DaleHidden DaleLayers = "hidden"
)

// SignParam is how a sign-constrained layer maps its raw parameters w to effective weights.
type SignParam string

const (
	// SignAbs is |w| * sign, the notebook's get_signed_weights.
	SignAbs SignParam = "abs"
	// SignReLU is max(w, 0) * sign: raw weights below 0 give exactly 0 and get no gradient ("culled").
	SignReLU SignParam = "relu"
	// SignSoftplus is softplus(w) * sign = log(1 + e^w) * sign: smooth, never exactly 0.
	SignSoftplus SignParam = "softplus"
	// SignClip is w * sign with w projected onto w >= 0 after every optimiser step (projected gradient
	// descent); initial weights are |w|, as SignAbs starts.
	SignClip SignParam = "clip"
	// SignExpGrad keeps the raw weights as magnitudes w >= 0 (effective w * sign, as clip) and applies the
	// optimiser's step multiplicatively: w <- w * exp(-(w - w_step)/kappa), w_step the additive update.
	// With OptimizerSGD that is the exponentiated gradient of Cornford, Pogodin et al. 2024 (bioRxiv
	// 10.1101/2024.10.25.620272), w <- w * exp(-eta * sign(w_eff) * dL/dw_eff) with eta = LearningRate/kappa;
	// with Adam (the default) the gradient is replaced by Adam's normalised gradient m/(sqrt(v)+eps), as
	// Adam replaces it in the additive rules. kappa is ExpGradScale, or, when that is 0 (the default),
	// the mean initial magnitude of each matrix, so that a weight of typical size takes the same first
	// step as under clip. A weight can neither flip its sign nor reach 0 (the exponent is limited to
	// +-10 per step and the result kept above the smallest normal float32).
	SignExpGrad SignParam = "expgrad"
	// SignWiggle is clip (projected gradient) plus the seed's "wiggle": after every step each weight the
	// projection holds at exactly 0 restarts at WiggleScale * u, u uniform in (0, 1] (seeded), so culled
	// synapses can come back. WiggleScale is absolute (the same for every matrix) and the optimiser's
	// state (Adam's moments) of a restarted weight is kept, so a weight that Adam still pushes down keeps
	// being pushed down from its restart value (by about the learning rate per step, Adam's step size) and
	// can be held at 0 again; restarts are counted per epoch in History.Ledger.
	SignWiggle SignParam = "wiggle"
)

// Architecture is how the network realises Dale's law.
type Architecture string

const (
	// ArchColumnEI is the seed's network: one population of hidden units; each presynaptic unit (input
	// fibre, hidden unit) gets a fixed sign, its effective weights f(w) * sign (Cornford et al. 2021 call
	// this a ColumnEI network).
	ArchColumnEI Architecture = "column-ei"
	// ArchPopulations is the E/I-population network of Cornford et al. 2021 (DANN): every input fibre is
	// excitatory; the hidden layer has NumHidden excitatory LIF units and NumInhibitory linear inhibitory
	// units driven by the same inputs, which inhibit the excitatory units feed-forward and subtractively,
	// W1eff = W_EE - W_IE W_EI; the readout reads the excitatory units only, through a layer of the same
	// form with NumReadoutInhibitory linear inhibitory units. See Populations.
	ArchPopulations Architecture = "populations"
)

// InhibitoryUnits is the model of the hidden layer's inhibitory units in ArchPopulations.
type InhibitoryUnits string

const (
	// InhibitoryLinear units pass on their input current within the step, as the paper's (DANN): the
	// layer's effective input weights are W_EE - W_IE W_EI.
	InhibitoryLinear InhibitoryUnits = "linear"
	// InhibitoryLIF units are LIF neurons (same time constant, threshold and reset as the excitatory ones),
	// as in stork's DalianLayer: the excitatory current of step k is x_k W_EE - s^I_k W_EI, with s^I_k
	// the inhibitory spike record k, H(v^I_{k-1} - 1): the spikes of the membrane before step k-1's
	// input, so an input of step k-2 is the earliest to inhibit step k (two steps behind the excitation
	// it shares an input with). Both formulations compute it (the Go kernels in lifInhLayer). The
	// readout's inhibitory units stay linear.
	InhibitoryLIF InhibitoryUnits = "lif"
	// InhibitoryDelayed units are linear units whose output reaches the excitatory units
	// Config.InhibitoryDelay steps late: the excitatory current of step k is
	//
	//	h^E_k = x_k f(W_EE) - x_{k-d} f(W_IE) f(W_EI)        (x_{k-d} = 0 for k < d)
	//
	// With d = 2 inhibition lags as LIF inhibitory units' earliest does (LIFInhibitoryLag), but passes the
	// graded current on without integrating or thresholding it: the control for the LIF units' earliest
	// lag, not for the later, spread-out delay their integration adds. Both formulations compute it (the Go kernels in lifInhLayer). The readout's
	// inhibitory units stay linear and immediate.
	InhibitoryDelayed InhibitoryUnits = "delayed"
	// InhibitoryFiltered units are linear units that pass on their input low-pass filtered with the LIF
	// membrane's decay alpha, at unit gain, with the LIF units' timing: the excitatory current of step k is
	//
	//	h^E_k = x_k f(W_EE) - r_{k-1} f(W_EI),   r_0 = 0,  r_{j+1} = alpha r_j + (1 - alpha) x_j f(W_IE)
	//
	// so an input first inhibits two steps later (LIFInhibitoryLag) with weight 1 - alpha and then decays
	// by alpha a step (mean lag 2 + alpha/(1 - alpha), about 6.5 steps at the notebook's alpha), with the
	// same total weight as InhibitoryDelayed's single delayed copy over an infinitely long trial (the
	// weights sum to 1; within a trial the first steps' inhibition ramps up from r_0 = 0 and the last
	// inputs never arrive). A low-pass filter with the LIF membrane's time constant, not the LIF units'
	// input-to-spike kernel (which was not measured: a suprathreshold input makes a LIF unit spike exactly
	// two steps later and reset), and without their threshold, reset and binary output. Both formulations
	// compute it (the Go kernels in lifInhLayer). The readout's inhibitory units stay linear and immediate.
	InhibitoryFiltered InhibitoryUnits = "filtered"
)

// LIFInhibitoryLag is how many steps after an input the LIF inhibitory units (InhibitoryLIF) can first
// inhibit the excitatory units with it: the input of step k enters their membrane v_{k+1}, whose spike
// s^I_{k+2} = H(v_{k+1} - 1) (lifKernel.spikes' record k+1) inhibits step k+2 (TestLIFInhibitoryLag).
// That is their earliest lag: their membrane integrates inputs over several steps (alpha = exp(-1/5)), so
// most inhibition arrives later and spread out. InhibitoryDelayed units with this delay match the earliest
// lag only.
const LIFInhibitoryLag = 2

// LIFInhibitoryInit is how the hidden layer's inhibitory weights of an ArchPopulations network start: as
// the population initialisation, or balanced for LIF inhibitory units (InhibitoryLIF; with linear units,
// the same weights: LIFInitBalanced).
type LIFInhibitoryInit string

const (
	// LIFInitPopulation keeps the population initialisation (PopInit) unchanged. Its inhibitory units
	// then receive an excitatory unit's full drive with no inhibition of their own and fire near their
	// ceiling (0.5 spikes per step) from the first step.
	LIFInitPopulation LIFInhibitoryInit = "population"
	// LIFInitBalanced rescales W_EE, W_IE and W_EI of the hidden layer after the population
	// initialisation (see BalanceLIFInhibition): the inhibitory and the excitatory units' mean rates both
	// equal the excitatory units' rate of the same weights with linear inhibitory units, and inhibition
	// cancels the same mean fraction of the excitation as there, measured on the first 8 training
	// batches at initialisation. With linear inhibitory units (and subtractive inhibition) it applies the
	// same three factors, computed as for LIF units: the network starts from exactly the weights the
	// balanced LIF network of the same seed starts from, the control that differs from it only in the
	// inhibitory units.
	LIFInitBalanced LIFInhibitoryInit = "balanced"
)

// PopInit is how the E/I-population network's weights start.
type PopInit string

const (
	// PopInitDANN is the paper's initialisation (linclab/ltlwdp, ariamis/ei_models.py,
	// EiDense_MultipleInt_LayerNorm_WeightInitPolicy): W_EE and W_IE exponential with scale (= standard
	// deviation) sigma = sqrt(1/(2d)) on the first layer and sqrt(2 pi/(d (2 pi - 1))) on later ones (d
	// the fan-in), W_EI = 1/n_i; with a single inhibitory unit W_IE is the mean of W_EE over the
	// excitatory units. Inhibition then cancels excitation on average: E[W1eff] = 0.
	PopInitDANN PopInit = "dann"
	// PopInitSeedScale is PopInitDANN's distributions (exponential W_EE and W_IE, W_EI = 1/n_i) with
	// sigma chosen per layer so that the initial effective weights have the standard deviation of the
	// seed's uniform draw for a matrix of that shape, b/sqrt(3) with b = 1/sqrt(number of columns) (the
	// torch fan-in quirk): a control for the scale of DANN's initialisation, fixed by a formula rather
	// than tuned (see SeedScaleSigma).
	PopInitSeedScale PopInit = "seed-scale"
	// PopInitUniform starts every matrix from |u|, u uniform in +-1/sqrt(fan_in) as the seed's |w|
	// (not balanced: a comparison point, not the paper's).
	PopInitUniform PopInit = "uniform"
)

// Optimizer is the optimiser of the training step.
type Optimizer string

const (
	// OptimizerAdam is Adam (the notebook's), with Config.AdamEpsilon.
	OptimizerAdam Optimizer = "adam"
	// OptimizerSGD is plain stochastic gradient descent w <- w - LearningRate * g (the DANN paper's).
	OptimizerSGD Optimizer = "sgd"
)

// SignInit is how the raw weights of a sign-constrained layer start, for sign parametrisations other
// than abs (which starts from the notebook's symmetric uniform draw w, effective |w|).
type SignInit string

const (
	// SignInitMatched starts every parametrisation from the same effective weights as abs: raw weights
	// chosen so that f(raw) = |w| for the same uniform draw w (relu and clip: |w|; softplus:
	// log(e^|w| - 1)). Comparisons between parametrisations then differ only in the map f and its
	// gradient, not in where training starts.
	SignInitMatched SignInit = "matched"
	// SignInitSymmetric uses the symmetric uniform draw w as the raw weights whatever f is (the notebook's
	// init with f swapped in): relu then starts with about half its synapses at exactly 0, softplus near
	// log 2. Clip still starts from |w| (its raw weights must be >= 0).
	SignInitSymmetric SignInit = "symmetric"
)

// EarlyStopRule selects the early-stopping rule used by Train.
type EarlyStopRule string

const (
	// EarlyStopNotebook reproduces the notebook: stop when the first of the last NotebookWindow (100)
	// validation losses is the smallest and at least 12 epochs have run (the notebook's e > 10, e counted
	// from 0), and then return the best validation epoch's weights (the
	// notebook's best_weights); a run that ends without the rule firing keeps its last weights. With 50
	// epochs it fires only when no epoch after the first beats the first (see earlyStop).
	EarlyStopNotebook EarlyStopRule = "notebook"
	// EarlyStopPatience stops after Patience epochs without a new best validation loss and restores the
	// weights of the best epoch.
	EarlyStopPatience EarlyStopRule = "patience"
	// EarlyStopOff never stops early.
	EarlyStopOff EarlyStopRule = "off"
)

// Config holds every parameter of the stimulus, the network and its training. DefaultConfig returns the
// notebook's values; Validate checks a Config before use. A Config is a plain value: copy it to vary it.
type Config struct {
	// Stimulus.
	DT                float64   // simulation time step in seconds (notebook DT = 1 ms)
	Duration          float64   // stimulus duration in seconds (notebook DURATION = 100 ms)
	ANFPerEar         int       // auditory nerve fibres per ear (notebook ANF_PER_EAR = 100)
	RateMax           float64   // peak Poisson rate in Hz (600 Hz)
	StimulusFrequency float64   // stimulus frequency in Hz (20 Hz)
	EnvelopePower     float64   // exponent of the rate envelope (2; higher is sharper, easier)
	Phase             PhaseMode // how the random phase offset is drawn (notebook: per dataset)

	// Network.
	NumHidden     int     // hidden LIF units (notebook NUM_HIDDEN = 30)
	NumClasses    int     // IPD classes over (-90, 90) degrees (notebook NUM_CLASSES = 180/15 = 12)
	Tau           float64 // membrane time constant in seconds, hidden and readout (notebook TAU*MS = 5 ms)
	SurrogateBeta float64 // steepness of the sigmoid surrogate gradient (5)
	ReadoutScale  float64 // logits = ReadoutScale * sum over time of the readout membrane (0.01)

	// Dale's law.
	DalesLaw           bool       // sign-constrain each presynaptic unit (notebook DALES_LAW = True)
	InhibitoryFraction float64    // fraction of inhibitory presynaptic units, in [0, 1] (the notebook's IE_RATIO)
	Layout             MaskLayout // which units are inhibitory (notebook: blocked)
	DaleLayers         DaleLayers // which layers the law constrains (notebook: both)
	SignParam          SignParam  // how raw parameters become signed weights (notebook: abs)
	SignInit           SignInit   // raw initial weights of the other parametrisations (default: matched to abs)
	WiggleScale        float64    // restart size of culled weights under SignWiggle (0.01, absolute)
	ExpGradScale       float64    // kappa of SignExpGrad (0: each matrix's mean initial magnitude)

	// Architecture (ArchColumnEI, the seed's, or ArchPopulations). The fields below it apply to
	// ArchPopulations only, whose input fibres are all excitatory (InhibitoryFraction, Layout and
	// DaleLayers do not apply to it; SignParam and SignInit apply to each of its matrices).
	Architecture         Architecture
	NumInhibitory        int             // inhibitory units of the hidden layer, n_i (3; of the kind InhibitoryUnits says); not the function NumInhibitory, which counts a Dale mask's inhibitory rows
	NumReadoutInhibitory int             // linear inhibitory units of the readout (1, as the paper's output layer)
	InhibitoryUnits      InhibitoryUnits // linear (the paper's), LIF, delayed or filtered linear inhibitory units in the hidden layer
	InhibitoryDelay      int             // steps by which InhibitoryDelayed units inhibit late (>= 1; 0 for other units)
	// InhibitoryRateCap (theta, spikes per unit and step) and InhibitoryRateWeight (lambda) add an upper
	// bound on the LIF inhibitory units' mean rates to the training loss, lambda sum_i max(0, nu_i - theta)^2
	// (ratecap.go); both 0, the default, train without it.
	InhibitoryRateCap    float64
	InhibitoryRateWeight float64
	LIFInhibitoryInit    LIFInhibitoryInit // start of the inhibitory units' weights (population's, or balanced as LIF units)
	Inhibition           Inhibition        // subtractive (EiDense) or shunting (EiDenseWithShunt, see Shunt)
	PopInit              PopInit           // initialisation of the populations' weights (DANN's)
	PopInitGain          float64           // multiplies the initial scale sigma (1: the paper's)
	// DANNCorrection divides the gradient of W_IE by sqrt(n_e) and that of W_EI by the fan-in d, DANN's
	// corrected update (cSGD_Mixin in ariamis/ei_models.py), n_e the layer's excitatory units. Under Adam
	// a constant rescaling of a gradient cancels in m/sqrt(v) except through epsilon: use OptimizerSGD to
	// see its effect.
	DANNCorrection bool
	// DANNCorrectStep applies DANNCorrection's factors to the optimiser's step of W_IE and W_EI instead
	// of their gradients (per-matrix learning rates): the form of the correction that survives Adam's
	// normalisation. Not in the paper; needs DANNCorrection.
	DANNCorrectStep bool

	// Training.
	Optimizer         Optimizer     // the optimiser (notebook: Adam)
	LearningRate      float64       // learning rate (notebook LR = 0.01)
	AdamEpsilon       float64       // Adam epsilon (PyTorch's default 1e-8; GoMLX's own default is 1e-7)
	BatchSize         int           // samples per batch (64)
	TrainBatches      int           // training set size in batches (64, i.e. 4096 samples)
	ValidationBatches int           // validation set size in batches (the notebook uses a training-sized set: 64)
	TestBatches       int           // test set size in batches (32)
	Epochs            int           // training epochs (notebook N_EPOCHS = 50)
	EarlyStop         EarlyStopRule // early-stopping rule (notebook's rule by default)
	Patience          int           // epochs without improvement for EarlyStopPatience
	NotebookWindow    int           // validation window of the notebook's rule (100)

	// Seed makes every random draw (weights, masks, stimuli, shuffling) reproducible.
	Seed uint64
}

// DefaultConfig returns the notebook's hyperparameters.
func DefaultConfig() Config {
	return Config{
		DT:                1 * Millisecond,
		Duration:          100 * Millisecond,
		ANFPerEar:         100,
		RateMax:           600 * Hertz,
		StimulusFrequency: 20 * Hertz,
		EnvelopePower:     2,
		Phase:             PhasePerDataset,

		NumHidden:     30,
		NumClasses:    12,
		Tau:           5 * Millisecond,
		SurrogateBeta: 5,
		ReadoutScale:  0.01,

		DalesLaw:           true,
		InhibitoryFraction: 0.5,
		Layout:             MaskBlocked,
		DaleLayers:         DaleBoth,
		SignParam:          SignAbs,
		SignInit:           SignInitMatched,
		WiggleScale:        0.01,

		Architecture:         ArchColumnEI,
		NumInhibitory:        3,
		NumReadoutInhibitory: 1,
		InhibitoryUnits:      InhibitoryLinear,
		LIFInhibitoryInit:    LIFInitPopulation,
		Inhibition:           InhibitionSubtractive,
		PopInit:              PopInitDANN,
		PopInitGain:          1,

		Optimizer:         OptimizerAdam,
		LearningRate:      0.01,
		AdamEpsilon:       1e-8,
		BatchSize:         64,
		TrainBatches:      64,
		ValidationBatches: 64,
		TestBatches:       32,
		Epochs:            50,
		EarlyStop:         EarlyStopNotebook,
		Patience:          10,
		NotebookWindow:    100,

		Seed: 1,
	}
}

// DaleOnInput reports whether Dale's law constrains the input-to-hidden weights.
// Under ArchPopulations every matrix is constrained.
func (c Config) DaleOnInput() bool {
	a, _ := c.arch()
	return a.allConstrained || c.DalesLaw && c.DaleLayers != DaleHidden
}

// DaleOnHidden reports whether Dale's law constrains the hidden-to-readout weights.
// Under ArchPopulations every matrix is constrained.
func (c Config) DaleOnHidden() bool {
	a, _ := c.arch()
	return a.allConstrained || c.DalesLaw && c.DaleLayers != DaleInput
}

// LIFInhibition reports whether the hidden layer's inhibitory units are LIF neurons (InhibitoryLIF).
func (c Config) LIFInhibition() bool {
	return c.Architecture == ArchPopulations && c.InhibitoryUnits == InhibitoryLIF
}

// separateInhibition reports whether the hidden layer's inhibitory units act through a state of their own
// (LIF, delayed or filtered units), so that the layer is not x_k times one effective matrix: the Go kernels run
// lifInhLayer and the graph readoutSumLIFInh.
func (c Config) separateInhibition() bool {
	u, ok := inhibitoryModelOf(c.InhibitoryUnits)
	return c.Architecture == ArchPopulations && ok && u.separate
}

// NumParams is the number of trainable parameters: I*H + H*C for ArchColumnEI (6360 for the notebook's
// 200 inputs, 30 hidden units and 12 classes); for ArchPopulations also the inhibitory pathways,
// I*n_i + n_i*H of the hidden layer and H*n_o + n_o*C of the readout (n_i = NumInhibitory,
// n_o = NumReadoutInhibitory).
func (c Config) NumParams() int {
	n := 0
	for _, s := range paramSpecs(c) {
		n += s.rows * s.cols
	}
	return n
}

// NumSteps is the number of simulation steps, round(Duration/DT) (100 for the defaults).
func (c Config) NumSteps() int { return int(math.Round(c.Duration / c.DT)) }

// NumInputs is the number of input fibres, two ears of ANFPerEar each (200 for the defaults).
func (c Config) NumInputs() int { return 2 * c.ANFPerEar }

// Alpha is the membrane decay per step, exp(-DT/Tau).
func (c Config) Alpha() float64 { return math.Exp(-c.DT / c.Tau) }

// Validate returns nil for a usable Config, else an error naming each invalid field, its value and what
// is allowed (one line per field).
func (c Config) Validate() error {
	var errs []error
	bad := func(field string, value any, allowed string) {
		errs = append(errs, fmt.Errorf("snn: Config.%s = %v is invalid: want %s", field, value, allowed))
	}
	positive := func(field string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			bad(field, v, "a finite number > 0")
		}
	}
	positiveInt := func(field string, v int) {
		if v <= 0 {
			bad(field, v, "an integer > 0")
		}
	}
	// Every float field is finite, whatever the architecture reads (a NaN anywhere would also make the
	// configuration impossible to encode, and so to key: ConfigKey).
	rv := reflect.ValueOf(c)
	for i := 0; i < rv.NumField(); i++ {
		if f := rv.Field(i); f.Kind() == reflect.Float64 && (math.IsNaN(f.Float()) || math.IsInf(f.Float(), 0)) {
			bad(rv.Type().Field(i).Name, f.Float(), "a finite number")
		}
	}
	positive("DT", c.DT)
	positive("Duration", c.Duration)
	if c.DT > 0 && c.Duration > 0 && !math.IsInf(c.Duration, 0) && !math.IsNaN(c.DT) && c.NumSteps() < 2 {
		bad("DT", c.DT, fmt.Sprintf("a step such that Duration/DT rounds to at least 2 steps (Duration = %v)", c.Duration))
	}
	if c.ANFPerEar <= 0 || c.ANFPerEar > MaxANFPerEar {
		bad("ANFPerEar", c.ANFPerEar, fmt.Sprintf("an integer in [1, %d]", MaxANFPerEar))
	}
	positive("RateMax", c.RateMax)
	if c.RateMax > 0 && c.DT > 0 && c.RateMax*c.DT > 1 {
		bad("RateMax", c.RateMax, fmt.Sprintf("RateMax*DT <= 1 so that the per-step spike probability is at most 1 (DT = %v)", c.DT))
	}
	positive("StimulusFrequency", c.StimulusFrequency)
	positive("EnvelopePower", c.EnvelopePower)
	if c.Phase != PhasePerDataset && c.Phase != PhasePerSample {
		bad("Phase", fmt.Sprintf("%q", c.Phase), fmt.Sprintf("%q or %q", PhasePerDataset, PhasePerSample))
	}
	positiveInt("NumHidden", c.NumHidden)
	if c.NumClasses < 2 {
		bad("NumClasses", c.NumClasses, "an integer >= 2")
	}
	for _, u := range []struct {
		name string
		v    int
	}{{"NumHidden", c.NumHidden}, {"NumClasses", c.NumClasses}, {"NumInhibitory", c.NumInhibitory}, {"NumReadoutInhibitory", c.NumReadoutInhibitory}} {
		if u.v > MaxUnits {
			bad(u.name, u.v, fmt.Sprintf("at most %d units", MaxUnits))
		}
	}
	if c.DT > 0 && c.Duration > 0 && c.Duration/c.DT > MaxSteps {
		bad("Duration", c.Duration, fmt.Sprintf("at most %d steps of DT = %v", MaxSteps, c.DT))
	}
	positive("Tau", c.Tau)
	positive("SurrogateBeta", c.SurrogateBeta)
	positive("ReadoutScale", c.ReadoutScale)
	if math.IsNaN(c.InhibitoryFraction) || c.InhibitoryFraction < 0 || c.InhibitoryFraction > 1 {
		bad("InhibitoryFraction", c.InhibitoryFraction, "a fraction in [0, 1]")
	}
	if c.Layout != MaskBlocked && c.Layout != MaskRandom {
		bad("Layout", fmt.Sprintf("%q", c.Layout), fmt.Sprintf("%q or %q", MaskBlocked, MaskRandom))
	}
	if c.DaleLayers != DaleBoth && c.DaleLayers != DaleInput && c.DaleLayers != DaleHidden {
		bad("DaleLayers", fmt.Sprintf("%q", c.DaleLayers), fmt.Sprintf("%q, %q or %q", DaleBoth, DaleInput, DaleHidden))
	}
	if _, ok := c.SignParam.rule(); !ok {
		bad("SignParam", fmt.Sprintf("%q", c.SignParam), signParamList())
	}
	if math.IsNaN(c.WiggleScale) || math.IsInf(c.WiggleScale, 0) || c.WiggleScale <= 0 {
		bad("WiggleScale", c.WiggleScale, "a finite number > 0")
	}
	if math.IsNaN(c.ExpGradScale) || math.IsInf(c.ExpGradScale, 0) || c.ExpGradScale < 0 {
		bad("ExpGradScale", c.ExpGradScale, "a finite number >= 0 (0: each matrix's mean initial magnitude)")
	}
	if a, ok := c.arch(); ok {
		a.validate(c, bad)
		validateRateCap(c, bad)
	} else {
		bad("Architecture", fmt.Sprintf("%q", c.Architecture), archList())
	}
	if c.DANNCorrectStep && !c.DANNCorrection {
		bad("DANNCorrectStep", c.DANNCorrectStep, "false unless DANNCorrection is true (it moves DANN's correction from the gradients to the steps)")
	}
	if c.Optimizer != OptimizerAdam && c.Optimizer != OptimizerSGD {
		bad("Optimizer", fmt.Sprintf("%q", c.Optimizer), fmt.Sprintf("%q or %q", OptimizerAdam, OptimizerSGD))
	}
	if c.SignInit != SignInitMatched && c.SignInit != SignInitSymmetric {
		bad("SignInit", fmt.Sprintf("%q", c.SignInit), fmt.Sprintf("%q or %q", SignInitMatched, SignInitSymmetric))
	}
	positive("LearningRate", c.LearningRate)
	positive("AdamEpsilon", c.AdamEpsilon)
	positiveInt("BatchSize", c.BatchSize)
	positiveInt("TrainBatches", c.TrainBatches)
	positiveInt("ValidationBatches", c.ValidationBatches)
	positiveInt("TestBatches", c.TestBatches)
	positiveInt("Epochs", c.Epochs)
	for _, n := range []struct {
		name string
		v    int
	}{{"BatchSize", c.BatchSize}, {"TrainBatches", c.TrainBatches}, {"ValidationBatches", c.ValidationBatches},
		{"TestBatches", c.TestBatches}, {"Epochs", c.Epochs}, {"Patience", c.Patience}, {"NotebookWindow", c.NotebookWindow}} {
		if n.v > MaxCount {
			bad(n.name, n.v, fmt.Sprintf("at most %d", MaxCount))
		}
	}
	if c.BatchSize > 0 && c.BatchSize <= MaxCount && c.DT > 0 && c.Duration/c.DT <= MaxSteps && c.ANFPerEar > 0 && c.ANFPerEar <= MaxANFPerEar {
		steps, inputs := float64(c.NumSteps()), float64(c.NumInputs())
		if v := float64(c.BatchSize) * steps * (float64(c.NumHidden+c.NumInhibitory) + inputs); v > MaxBatchValues {
			bad("BatchSize", c.BatchSize, fmt.Sprintf("a batch of at most 2^28 values (BatchSize*steps*(hidden+inhibitory+inputs); this one needs %.3g GiB)",
				v*4/(1<<30)))
		}
		for _, set := range []struct {
			name    string
			batches int
		}{{"TrainBatches", c.TrainBatches}, {"ValidationBatches", c.ValidationBatches}, {"TestBatches", c.TestBatches}} {
			if bits := float64(c.BatchSize) * float64(set.batches) * steps * inputs; bits > MaxDataBits {
				bad(set.name, set.batches, fmt.Sprintf("a data set of at most 2^34 bits (BatchSize*%s*steps*inputs; this one needs %.3g GiB)",
					set.name, bits/8/(1<<30)))
			}
		}
	}
	switch c.EarlyStop {
	case EarlyStopNotebook:
		positiveInt("NotebookWindow", c.NotebookWindow)
	case EarlyStopPatience:
		positiveInt("Patience", c.Patience)
	case EarlyStopOff:
	default:
		bad("EarlyStop", fmt.Sprintf("%q", c.EarlyStop),
			fmt.Sprintf("%q, %q or %q", EarlyStopNotebook, EarlyStopPatience, EarlyStopOff))
	}
	return errors.Join(errs...)
}
