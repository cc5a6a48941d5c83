// Package snn reproduces, on GoMLX, the spiking network of the notebook "Analysing Dale's law and
// distribution of excitatory and inhibitory neurons" (COMOB sound-localisation project): a small SNN
// that classifies the interaural phase difference (IPD) of Poisson spike trains from two ears into 12
// classes, with every presynaptic unit either excitatory or inhibitory (Dale's law).
//
// # Conventions
//
// Times are in seconds, rates in hertz, angles in radians unless a name says Deg. Shapes are written
// [batch, time, unit] as in the notebook; the graph itself uses a transposed layout for speed
// (documented where it is built). Every random draw comes from Config.Seed through separate PCG
// streams (weights, masks, each data set, shuffling, ablation), so the same Config gives the same
// numbers, bit for bit, on the same backend.
//
// # Stimulus
//
// For sample n, step t (t*DT seconds) and fibre i (delay index j of its ear):
//
//	phi_t = 2*pi*(f*t*DT + u)                 u ~ U[0, 1): one per data set (notebook) or per sample
//	theta = phi_t + d_j          (left ear)   d_j = j*(pi/2)/(ANFPerEar-1)
//	theta = phi_t + d_j + ipd_n  (right ear)  ipd_n ~ U[-pi/2, pi/2)
//	spike ~ Bernoulli(RateMax*DT * ((1 + sin theta)/2)^EnvelopePower)
//
// The class of an IPD is floor((ipd + pi/2) * NumClasses / pi); an estimate is its bin's midpoint.
// GenerateData draws the notebook's training, validation and test sets; NewDataset takes spike trains of
// your own (any stimulus, with an IPD label per sample) for the same training and evaluation.
//
// # Network
//
// Input spikes x [batch, time, NumInputs] drive NumHidden leaky integrate-and-fire units through
// W1eff [NumInputs, NumHidden]; a leaky, non-spiking readout of NumClasses units integrates the hidden
// spikes through W2eff [NumHidden, NumClasses]. With alpha = exp(-DT/Tau), threshold 1, v_0 = s_0 = 0 and
// h_t = x_t W1eff, the hidden layer runs, for t = 0..T-2 (the notebook's exact update order):
//
//	v_{t+1} = (alpha*v_t + h_t) * (1 - s_t)    reset by the previous spike record
//	s_{t+1} = S(v_t - 1)                       spike from the membrane before this step's input
//
// where S is the Heaviside step forward and beta*sigmoid(beta*x)*(1-sigmoid(beta*x)) backward (the
// surrogate gradient, beta = SurrogateBeta). The readout is u_0 = 0, u_{t+1} = alpha*u_t + s_t W2eff
// for t = 0..T-2, and the logits are ReadoutScale * sum_t u_t [batch, NumClasses]. Training minimises
// the mean negative log-likelihood of log-softmax(logits) with Adam (or plain SGD: Config.Optimizer).
//
// # Computation
//
// The input spikes are binary and about 22% dense, so the input currents h_t = x_t W1eff are sums of the
// W1eff rows of the fibres that spiked, computed in Go from spike lists built once per dataset, and so
// is their gradient dL/dW1eff = x^T dL/dh. The LIF recurrence, the readout's weighted time sum of the
// spikes and their backpropagation through time (with the surrogate gradient) also run in Go (lifKernel),
// in time linear in the number of steps. The readout product, the loss, the derivative of the sign
// parametrisation and Adam run in GoMLX graphs with its autodiff. This is FormulationGoKernels, the
// default on the pure-Go backend; FormulationGraph builds the whole step as one GoMLX graph (dense
// projection, autodiff end to end) and is the default on other backends. Tests check the two against each
// other (losses and weights after four Adam steps within 1e-5, for every sign parametrisation and
// Dale-layer mode) and the kernel's backward pass against GoMLX autodiff of the same recurrence.
//
// # Dale's law
//
// Each layer has a Mask of signs per presynaptic unit (row): the first trunc(fraction*n) rows inhibitory
// (MaskBlocked, the notebook) or a random set of that size (MaskRandom). The applied weights are
// W_eff = |W| * sign(row) of the raw trainable W; with DalesLaw off, W_eff = W. Note that the gradient
// of |w| at exactly w = 0 is +1 in GoMLX but 0 in PyTorch (the notebook's comment calls such synapses
// "culled"); with float weights and Adam no weight sits at exactly 0 in practice.
//
// # The notebook's quirks
//
// The defaults reproduce the notebook, quirks included; each fix is an option. The blocked mask at
// fraction 0.5 makes every left-ear fibre inhibitory (a confound with the ear; MaskRandom avoids it).
// One phase offset is shared by a whole data set (PhasePerSample draws one per sample). The notebook's
// early-stopping rule fires only when no epoch after the first beats epoch 1's validation loss (with 50
// epochs its 100-epoch window spans the whole run); EarlyStopPatience is a working rule that restores the
// best weights. The notebook's ablation mutates its trained weights in place; package snn/probe's
// AblateInputs works on a copy, and its Cuts add matched controls (as many excitatory rows; random rows).
//
// # Beyond the notebook
//
// Config.DaleLayers restricts Dale's law to one layer; Config.SignParam replaces |w| by relu, softplus or a
// projected clip (Config.SignInit: starting from the same effective weights as |w|, or the symmetric draw),
// with History.Ledger counting weights at exactly 0, below 1e-4 and raw sign flips per epoch.
// An Evaluator scores many edited copies of a model with one compiled forward pass, and Simulate records
// per-sample responses (hidden spike counts, readout) in plain Go.
//
// This package holds the network, its training and its evaluation, and knows no experiment. The probes of
// one trained network live in package snn/probe (which builds on this one): AssignmentReport (how the E/I
// assignment splits over ears and phase delays), SignImage (what the notebook's sign images really show),
// Cuts and MatchedRows (ablations of input rows with controls matched in position), HiddenAblationCurve,
// TuningCurves, and the edits of the inhibitory pathway (EditInhibition). Sweeps over conditions,
// fractions and seeds, their statistics and the conclusions drawn from them live in package snn/study,
// which builds on both.
//
// # Separate excitatory and inhibitory populations
//
// Config.Architecture = ArchPopulations builds the E/I-population network of Cornford et al. 2021
// (DANN; see Populations): every input fibre is excitatory; the hidden layer has NumHidden excitatory LIF
// units and NumInhibitory inhibitory units driven by the same inputs, which inhibit the excitatory ones
// subtractively and feed-forward; the readout reads the excitatory units through a layer of the same form
// with NumReadoutInhibitory linear inhibitory units. Shapes [pre, post]:
//
//	W_EE [I, n_e]   W_IE [I, n_i]   W_EI [n_i, n_e]        (Model.W1, Populations.IE1, Populations.EI1)
//	W_EE' [n_e, C]  W_IE' [n_e, n_o] W_EI' [n_o, C]        (Model.W2, Populations.IE2, Populations.EI2)
//
// every matrix >= 0 (f of its raw parameters, f by SignParam). With linear inhibitory units
// (InhibitoryLinear, the paper's) the excitatory current is x_t W1eff with
//
//	W1eff = f(W_EE) - f(W_IE) f(W_EI)        W2eff = f(W_EE') - f(W_IE') f(W_EI')
//
// so the layer is the seed's LIF layer with these effective weights and the Go kernels train it (the
// chain rule through the composition runs in the update graph). With LIF inhibitory units
// (InhibitoryLIF, as stork's DalianLayer) the current is x_t f(W_EE) - s^I_t f(W_EI), s^I the inhibitory
// spikes (their record before step t); with delayed linear ones (InhibitoryDelayed, the control for the
// LIF units' lag) x_t f(W_EE) - x_{t-d} f(W_IE) f(W_EI). Both formulations compute these (the Go kernels in
// lifInhLayer; each model of inhibitory units is one entry of a table, inhibitoryunits.go).
// InhibitoryRateCap and InhibitoryRateWeight add an upper bound on the LIF inhibitory units' mean rates to
// the training loss (ratecap.go). PopInit selects DANN's initialisation
// (exponential W_EE, W_IE with the paper's sigma, W_EI = 1/n_i), the same distributions at the seed's
// weight scale, or |uniform|; DANNCorrection divides the gradients of W_IE and W_EI by sqrt(n_e) and d
// (the paper's corrected update, for SGD: Optimizer = OptimizerSGD), DANNCorrectStep applies those
// factors to the optimiser's steps instead (the form that survives Adam). probe.EditInhibition silences
// the inhibitory units or makes their input uniform or shuffled over the fibres, on copies.
//
// Each architecture is one entry of a table (architectures.go): its own checks of a Config, its trainable
// matrices beyond W1 and W2, how it draws an untrained model, how a layer's effective weights are built
// from its raw matrices in the graph and in Go, and whether every matrix is sign-constrained. Code that
// exists for one architecture only (the populations' initialisation and edits, LIF inhibitory units) is
// reached through its entry or through the model's own Pop field.
//
// # Sign-preserving updates
//
// Besides |w| (the notebook's), relu and softplus maps, SignParam offers three rules that keep the weights
// themselves >= 0: SignClip (projected gradient: the optimiser's step, then w <- max(w, 0)), SignWiggle
// (clip, then every weight held at exactly 0 restarts at WiggleScale*u, u ~ U(0, 1], seeded) and
// SignExpGrad (exponentiated gradient: the optimiser's step applied multiplicatively,
// w <- w * exp(-(w - w_step)/mean|w_0|), which can neither flip a weight nor take it to 0).
//
// Each rule is one entry of a table (signrules.go): its map f in Go and in the graph (autodiff takes its
// derivative), the inverse of f, its initialisation (matched or symmetric), an optional projection after
// every optimiser step, and whether it restarts zeros. Adding a rule touches two files: config.go (the
// SignParam constant and its doc) and signrules.go (the entry). A squared-magnitude rule f(w) = w^2, say:
//
//	{name: SignSquare, f: func(v float32) float32 { return v * v }, node: Square,
//		inverse: func(a float32) float32 { return float32(math.Sqrt(float64(a))) },
//		init: func(w float32, matched bool) float32 {
//			if matched {
//				return float32(math.Sqrt(math.Abs(float64(w))))
//			}
//			return w
//		}},
//
// Both training formulations, evaluation, the E/I populations, checkpoints, validation and the commands'
// -sign-param flag then take it (TestSignRuleIsOneEntry adds this rule in a test and trains it); a study
// compares it once snn/study's condition registry names a condition for it (a third file).
//
// # Backends
//
// GoMLX's pure-Go backend is the default and needs neither cgo nor any environment variable. XLA is
// opt-in: build with -tags xla and set GOMLX_BACKEND=xla:cpu (or xla:cuda, or a plugin path) on a
// machine that has the PJRT plugin; the plugin is never downloaded at run time.
package snn
