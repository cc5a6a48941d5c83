package snn

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

// inhibitoryModel is one model of the hidden layer's inhibitory units in ArchPopulations
// (Config.InhibitoryUnits): everything the package does differently for it, in one entry of
// inhibitoryModels. Units with a state of their own (separate) are computed in three places, which
// agree: the Go kernels (lifInhLayer, through inhibitoryCells), the single graph (readoutSumLIFInh,
// through graphUnits) and the float64 simulation (Simulate, through simUnits). In all three, the
// excitatory units' step k is inhibited by the units' record k-1, what they passed on after the input
// of step k-1 (nothing at step 0).
type inhibitoryModel struct {
	name InhibitoryUnits
	// separate is true when the units act through a state of their own, so that the layer is not x_k
	// times one effective matrix (Config.separateInhibition). The constructors are set only then.
	separate bool
	// newCells returns the Go kernels' units (n of them); newGraph the graph's, for batch samples;
	// newSim the float64 simulation's, for one sample.
	newCells func(cfg Config, n int) inhibitoryCells
	newGraph func(cfg Config, g *Graph, n, batch int) graphUnits
	newSim   func(cfg Config, n int) simUnits
}

// inhibitoryModels lists every model of inhibitory units, in the order error messages name them.
var inhibitoryModels = []inhibitoryModel{
	{name: InhibitoryLinear},
	{name: InhibitoryLIF, separate: true,
		newCells: func(cfg Config, n int) inhibitoryCells {
			k := newLIFKernel(cfg)
			k.hidden = n
			return &lifCells{k: k}
		},
		newGraph: func(cfg Config, g *Graph, n, batch int) graphUnits {
			z := Zeros(g, shapes.Make(dtypes.Float32, n, batch))
			return &lifGraphUnits{v: z, s: z, alpha: cfg.Alpha(), beta: cfg.SurrogateBeta}
		},
		newSim: func(cfg Config, n int) simUnits {
			return &lifSimUnits{v: make([]float64, n), s: make([]float64, n), alpha: cfg.Alpha()}
		}},
	{name: InhibitoryDelayed, separate: true,
		newCells: func(cfg Config, n int) inhibitoryCells {
			return &delayedCells{steps: cfg.NumSteps() - 1, n: n, d: cfg.InhibitoryDelay}
		},
		newGraph: func(cfg Config, g *Graph, n, batch int) graphUnits {
			z := Zeros(g, shapes.Make(dtypes.Float32, n, batch))
			q := make([]*Node, cfg.InhibitoryDelay)
			for i := range q {
				q[i] = z
			}
			return &delayedGraphUnits{queue: q}
		},
		newSim: func(cfg Config, n int) simUnits {
			q := make([][]float64, cfg.InhibitoryDelay)
			for i := range q {
				q[i] = make([]float64, n)
			}
			return &delayedSimUnits{queue: q}
		}},
	{name: InhibitoryFiltered, separate: true,
		newCells: func(cfg Config, n int) inhibitoryCells {
			return &filteredCells{steps: cfg.NumSteps() - 1, n: n, alpha: float32(cfg.Alpha())}
		},
		newGraph: func(cfg Config, g *Graph, n, batch int) graphUnits {
			z := Zeros(g, shapes.Make(dtypes.Float32, n, batch))
			return &filteredGraphUnits{r: z, out: z, alpha: float32(cfg.Alpha())}
		},
		newSim: func(cfg Config, n int) simUnits {
			return &filteredSimUnits{r: make([]float64, n), out: make([]float64, n), alpha: cfg.Alpha()}
		}},
}

// inhibitoryModelOf returns the entry of u.
func inhibitoryModelOf(u InhibitoryUnits) (inhibitoryModel, bool) {
	for _, m := range inhibitoryModels {
		if m.name == u {
			return m, true
		}
	}
	return inhibitoryModel{}, false
}

// inhibitoryModelNames lists the allowed InhibitoryUnits for an error message: "linear", "lif", "delayed" or
// "filtered".
func inhibitoryModelNames() string {
	q := make([]string, len(inhibitoryModels))
	for i, m := range inhibitoryModels {
		q[i] = fmt.Sprintf("%q", m.name)
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// inhibitoryCells are the inhibitory units of lifInhLayer. Per sample, with S steps fed, record k
// [n] is what the units pass on to the excitatory units' step k+1 (record S-1 reaches no step).
type inhibitoryCells interface {
	// records fills rec [batch, S, n] from the units' input currents p [batch, S, n], keeping what
	// backward needs.
	records(p []float32, batch int, rec []float32)
	// backward turns p into dL/dp in place from gRec = dL/drec [batch, S, n], after records.
	backward(p []float32, batch int, gRec []float32)
}

// lifCells are LIF units (InhibitoryLIF): record k is the spike record s_{k+1} = H(v_k - 1) of
// lifKernel.spikes.
type lifCells struct {
	k *lifKernel
	r []float32 // [batch, n] readout sums, which lifKernel.forward fills and nothing reads
}

func (c *lifCells) records(p []float32, batch int, rec []float32) {
	if len(c.r) < batch*c.k.hidden {
		c.r = make([]float32, batch*c.k.hidden)
	}
	c.k.forward(p, batch, c.r[:batch*c.k.hidden], true)
	c.k.spikes(batch, rec)
}

func (c *lifCells) backward(p []float32, batch int, gRec []float32) {
	c.k.backwardSpikes(p, batch, gRec)
}

// delayedCells are delayed linear units (InhibitoryDelayed, delay d >= 1): record k is the current
// p_{k+1-d} (0 for k+1 < d), so that step k+1 is inhibited by the input of step k+1-d; backward sets
// dL/dp_j = dL/drec_{j+d-1} (0 for j+d-1 >= S).
type delayedCells struct{ steps, n, d int }

func (c *delayedCells) records(p []float32, batch int, rec []float32) {
	S, n, d := c.steps, c.n, c.d
	for b := 0; b < batch; b++ {
		pb, rb := p[b*S*n:][:S*n], rec[b*S*n:][:S*n]
		clear(rb[:min(d-1, S)*n])
		if d-1 < S {
			copy(rb[(d-1)*n:], pb[:(S-d+1)*n])
		}
	}
}

func (c *delayedCells) backward(p []float32, batch int, gRec []float32) {
	S, n, d := c.steps, c.n, c.d
	for b := 0; b < batch; b++ {
		pb, gb := p[b*S*n:][:S*n], gRec[b*S*n:][:S*n]
		if d-1 < S {
			copy(pb, gb[(d-1)*n:])
		}
		clear(pb[max(S-d+1, 0)*n:])
	}
}

// filteredCells are filtered linear units (InhibitoryFiltered): record k is r_k, with r_0 = 0 and
// r_{k+1} = float32(alpha r_k) + float32((1 - alpha) p_k), so that step k+1 is inhibited by the inputs of
// steps k-1, k-2, ... with weights (1 - alpha) alpha^m. Backward, with G_k = dL/dr_k in total
// (G_k = dL/drec_k + alpha G_{k+1}, G_S = 0): dL/dp_j = (1 - alpha) G_{j+1}.
type filteredCells struct {
	steps, n int
	alpha    float32
}

func (c *filteredCells) records(p []float32, batch int, rec []float32) {
	S, n, a := c.steps, c.n, c.alpha
	for b := 0; b < batch; b++ {
		pb, rb := p[b*S*n:][:S*n], rec[b*S*n:][:S*n]
		clear(rb[:n])
		for k := 1; k < S; k++ {
			prev, in, out := rb[(k-1)*n:][:n], pb[(k-1)*n:][:n], rb[k*n:][:n]
			for u := range out {
				out[u] = float32(a*prev[u]) + float32((1-a)*in[u])
			}
		}
	}
}

func (c *filteredCells) backward(p []float32, batch int, gRec []float32) {
	S, n, a := c.steps, c.n, c.alpha
	for b := 0; b < batch; b++ {
		pb, gb := p[b*S*n:][:S*n], gRec[b*S*n:][:S*n]
		for u := 0; u < n; u++ {
			var g float32 // G_{j+1}, from G_S = 0
			for j := S - 1; j >= 0; j-- {
				var direct float32
				if j+1 < S {
					direct = gb[(j+1)*n+u]
				}
				g = direct + float32(a*g)
				pb[j*n+u] = float32((1 - a) * g)
			}
		}
	}
}

// graphUnits are the inhibitory units in one graph, [n, batch] per step.
type graphUnits interface {
	// record is what inhibits the excitatory units' current step.
	record() *Node
	// advance takes the units' input current of the current step, h [n, batch].
	advance(h *Node)
}

type lifGraphUnits struct {
	v, s        *Node
	alpha, beta float64
}

func (u *lifGraphUnits) record() *Node   { return u.s }
func (u *lifGraphUnits) advance(h *Node) { u.v, u.s = LIFStep(u.v, u.s, h, u.alpha, u.beta) }

// delayedGraphUnits hold the last d input currents, oldest first.
type delayedGraphUnits struct{ queue []*Node }

func (u *delayedGraphUnits) record() *Node   { return u.queue[0] }
func (u *delayedGraphUnits) advance(h *Node) { u.queue = append(u.queue[1:], h) }

// filteredGraphUnits hold, before step k, r_k and the record r_{k-1} that inhibits step k (as LIF
// units emit the spike of the membrane before the step: filteredCells' timing).
type filteredGraphUnits struct {
	r, out *Node
	alpha  float32
}

func (u *filteredGraphUnits) record() *Node { return u.out }
func (u *filteredGraphUnits) advance(h *Node) {
	u.out = u.r
	u.r = Add(MulScalar(u.r, float64(u.alpha)), MulScalar(h, float64(1-u.alpha)))
}

// simUnits are the inhibitory units of one sample in the float64 simulation.
type simUnits interface {
	// record is what inhibits the excitatory units' current step: spikes (0 or 1) or currents.
	record() []float64
	// advance takes the units' input current of the current step, p [n].
	advance(p []float32)
}

type lifSimUnits struct {
	v, s  []float64
	alpha float64
}

func (u *lifSimUnits) record() []float64 { return u.s }

// advance is the notebook's update order, as the excitatory units': the spike of the membrane before
// this step's input, and the reset by the previous record.
func (u *lifSimUnits) advance(p []float32) {
	for k := range u.s {
		newV := (u.alpha*u.v[k] + float64(p[k])) * (1 - u.s[k])
		u.s[k] = 0
		if u.v[k]-Threshold > 0 {
			u.s[k] = 1
		}
		u.v[k] = newV
	}
}

// delayedSimUnits hold the last d input currents, oldest first.
type delayedSimUnits struct{ queue [][]float64 }

func (u *delayedSimUnits) record() []float64 { return u.queue[0] }

func (u *delayedSimUnits) advance(p []float32) {
	oldest := u.queue[0]
	for k, x := range p {
		oldest[k] = float64(x)
	}
	u.queue = append(u.queue[1:], oldest)
}

// filteredSimUnits hold r_k and the record r_{k-1} in float64, as filteredGraphUnits (with alpha in float64,
// where the kernels and the graph round it to float32: the same recurrence, not the same bits).
type filteredSimUnits struct {
	r, out []float64
	alpha  float64
}

func (u *filteredSimUnits) record() []float64 { return u.out }

func (u *filteredSimUnits) advance(p []float32) {
	copy(u.out, u.r)
	for k, x := range p {
		u.r[k] = u.alpha*u.r[k] + (1-u.alpha)*float64(x)
	}
}
