package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestKernelSetsAgree checks that every kernel set this build can run on this CPU (availableKernels)
// gives the scalar set's numbers bit for bit: the row sums for row widths on both sides of every vector
// width (1, 2, 7-9, 15-17, 24-33, 100 and 300 columns, 25-32 being the avx2 set's one-pass rows; and 17, 30
// and 32 columns in byteRows rows, which the avx512 set
// indexes by byte with no range check) and index lists of every length class (tree of eight, of four,
// single rows, rows at the end of the matrix), addRows32 from random starting values where the set has it,
// and the LIF recurrence forward and backward for widths 1..40 and
// 100, with currents strong enough to drive the surrogate's exponent below exp64's -708 cut-off.
// Under a build without GOEXPERIMENT=simd only the scalar set exists and the test says so; make test runs
// the package both ways.
func TestKernelSetsAgree(t *testing.T) {
	if len(availableKernels) == 1 {
		t.Logf("only the scalar kernel set is built here (GOEXPERIMENT=simd off or no AVX2): nothing to compare")
	}
	t.Logf("kernel sets: %v; in use: %s", kernelNames(), KernelPath())
	ref := availableKernels[0]
	if ref.name != "scalar" {
		t.Fatalf("availableKernels[0] is %q, want the scalar set", ref.name)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	rngS := rand.New(rand.NewPCG(13, 17)) // its own generator, so that rng's draws stay as they were
	rngB := rand.New(rand.NewPCG(19, 23)) // the same, for the byteRows matrices
	rngA := rand.New(rand.NewPCG(37, 41)) // the same, for addRows32's starting values
	widths := []int{1, 2, 7, 8, 9, 15, 16, 17, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 100, 300}
	for _, ks := range availableKernels[1:] {
		for _, shape := range kernelShapes(widths) {
			H, rows := shape.H, shape.rows
			rng := rng
			if rows == byteRows {
				rng = rngB
			}
			m := make([]float32, rows*H)
			for i := range m {
				m[i] = float32(rng.NormFloat64())
			}
			// The vector sets read rows padded to their width (paddedRows); the padding holds NaN here,
			// so a padding lane that reached an output would show.
			stride := (H + ks.pad - 1) / ks.pad * ks.pad
			padded := make([]float32, rows*stride)
			for r := 0; r < rows; r++ {
				copy(padded[r*stride:], m[r*H:(r+1)*H])
				for c := H; c < stride; c++ {
					padded[r*stride+c] = float32(math.NaN())
				}
			}
			for _, n := range []int{0, 1, 3, 4, 5, 8, 11, 12, 13, 20, 49} {
				idx8 := make([]uint8, n)
				idx16 := make([]uint16, n)
				idx32 := make([]int32, n)
				for i := range idx16 {
					r := rng.IntN(rows)
					if i == n-1 {
						r = rows - 1 // the last row: its vector loads end at the matrix's end
					}
					idx8[i], idx16[i], idx32[i] = uint8(r), uint16(r), int32(r)
				}
				want, got := make([]float32, H), make([]float32, H+1)
				ref.sumRows16(want, m, H, idx16)
				got[H] = 42 // a guard past the row, which no store may touch
				ks.sumRows16(got[:H], padded, stride, idx16)
				assertBits(t, fmt.Sprintf("%s sumRows16 H=%d n=%d", ks.name, H, n), got[:H], want)
				if got[H] != 42 {
					t.Fatalf("%s sumRows16 H=%d wrote past its row", ks.name, H)
				}
				poison := func() { // each call must write every output, not find the last call's values there
					for i := range got[:H] {
						got[i] = float32(math.NaN())
					}
				}
				poison()
				ks.sumRows8(got[:H], padded, stride, idx8)
				assertBits(t, fmt.Sprintf("%s sumRows8 H=%d n=%d", ks.name, H, n), got[:H], want)
				if got[H] != 42 {
					t.Fatalf("%s sumRows8 H=%d wrote past its row", ks.name, H)
				}
				poison()
				ks.sumRows32(got[:H], padded, stride, idx32)
				assertBits(t, fmt.Sprintf("%s sumRows32 H=%d n=%d", ks.name, H, n), got[:H], want)
				if got[H] != 42 {
					t.Fatalf("%s sumRows32 H=%d wrote past its row", ks.name, H)
				}
				poison()
				ref.sumRows32(got[:H], padded, stride, idx32)
				assertBits(t, fmt.Sprintf("scalar sumRows32 H=%d n=%d on the padded rows", H, n), got[:H], want)
				if ks.addRows32 != nil { // adding to out's values, as the scalar addRows does
					start := make([]float32, H)
					for i := range start {
						start[i] = float32(rngA.NormFloat64())
					}
					want := append([]float32(nil), start...)
					ref.addRows32(want, m, H, idx32)
					copy(got, start)
					ks.addRows32(got[:H], padded, stride, idx32)
					assertBits(t, fmt.Sprintf("%s addRows32 H=%d n=%d", ks.name, H, n), got[:H], want)
					if got[H] != 42 {
						t.Fatalf("%s addRows32 H=%d wrote past its row", ks.name, H)
					}
				}
			}
		}
		for _, H := range append(seq(1, 40), 100) {
			cfg := DefaultConfig()
			cfg.NumHidden = H
			k := newLIFKernel(cfg)
			S := k.steps
			p := make([]float32, S*H)
			for i := range p {
				p[i] = float32(rng.NormFloat64() * 0.4)
				if rng.IntN(50) == 0 {
					p[i] = -300 // membrane far below threshold: beta*(v-1) below -708
				}
			}
			g := make([]float32, H)
			for i := range g {
				g[i] = float32(rng.NormFloat64())
			}
			vWant, vGot := make([]float32, S*H), make([]float32, S*H+1)
			rWant, rGot := make([]float32, H), make([]float32, H+1)
			for i := range vGot { // each membrane and sum must be written, not found as the zero it starts at
				vGot[i] = float32(math.NaN())
			}
			for i := range rGot {
				rGot[i] = float32(math.NaN())
			}
			vGot[S*H], rGot[H] = 42, 42
			ref.lifForward(k, p, vWant, rWant)
			ks.lifForward(k, p, vGot[:S*H], rGot[:H])
			name := fmt.Sprintf("%s lifForward H=%d", ks.name, H)
			assertBits(t, name+" membranes", vGot[:S*H], vWant)
			assertBits(t, name+" readout sums", rGot[:H], rWant)
			if vGot[S*H] != 42 || rGot[H] != 42 {
				t.Fatalf("%s wrote past its output", name)
			}
			spikes := 0
			for _, x := range vWant {
				if x > Threshold {
					spikes++
				}
			}
			if spikes == 0 {
				t.Fatalf("%s: no unit crossed threshold, the reset path is untested", name)
			}
			pWant := append([]float32(nil), p...)
			pGot := append(append([]float32(nil), p...), 42)
			ref.lifBackward(k, pWant, vWant, g)
			ks.lifBackward(k, pGot[:S*H], vWant, g)
			assertBits(t, fmt.Sprintf("%s lifBackward H=%d", ks.name, H), pGot[:S*H], pWant)
			if pGot[S*H] != 42 {
				t.Fatalf("%s lifBackward H=%d wrote past its currents", ks.name, H)
			}
			gS := make([]float32, S*H) // the spike records' direct gradients (shunting readouts)
			for i := range gS {
				gS[i] = float32(rngS.NormFloat64())
			}
			copy(pWant, p)
			copy(pGot, p)
			ref.lifBackwardSpikes(k, pWant, vWant, gS)
			ks.lifBackwardSpikes(k, pGot[:S*H], vWant, gS)
			assertBits(t, fmt.Sprintf("%s lifBackwardSpikes H=%d", ks.name, H), pGot[:S*H], pWant)
			if pGot[S*H] != 42 {
				t.Fatalf("%s lifBackwardSpikes H=%d wrote past its currents", ks.name, H)
			}
		}
	}
}

// uniformMatrix is an r x c matrix of values drawn uniformly from [lo, hi) by rng, row by row.
func uniformMatrix(rng *rand.Rand, r, c int, lo, hi float64) Matrix {
	m := NewMatrix(r, c)
	for i := range m.Data {
		m.Data[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return m
}

// TestShuntKernelSetsAgree checks every kernel set's shunting cell (kernelSet.shuntCell, shuntCellGrad)
// against the scalar set's bit for bit, for 1..40 excitatory and 1, 2, 3, 4, 5 and 10 inhibitory units (the
// notebook's populations have 27 and 3), over several cells accumulated into one set of parameter
// gradients; some cells have no inhibitory drive (z_I = 0, so gamma is epsilon), as a step without
// input spikes has. The cell's inputs are followed in memory by +Inf (a vector kernel may read past them
// within their capacity, as it does inside a batch's buffers: such a lane must not reach a stored value),
// and the gradients' spare capacity (newShuntGrads') holds markers that must stay as they are.
func TestShuntKernelSetsAgree(t *testing.T) {
	ref := availableKernels[0]
	rng := rand.New(rand.NewPCG(19, 23))
	rnd := func(r, c int, lo, hi float64) Matrix { return uniformMatrix(rng, r, c, lo, hi) }
	compared, own := 0, 0
	for _, ks := range availableKernels[1:] {
		if reflect.ValueOf(ks.shuntCell).Pointer() != reflect.ValueOf(ref.shuntCell).Pointer() {
			own++ // a set with shunting kernels of its own (else it reuses the scalar ones)
		}
		for _, ni := range []int{1, 2, 3, 4, 5, 10} {
			for ne := 1; ne <= 40; ne++ {
				l := newShuntLayer(rnd(4, ne, 0, 1), rnd(4, ni, 0, 1), rnd(ni, ne, 0.01, 1), rnd(1, ni, -2, 1),
					rnd(1, ne, 0.5, 2), rnd(1, ne, -0.5, 0.5))
				gWant, gGot := newShuntGrads(l), newShuntGrads(l)
				spare := gradSpares(gGot)
				const marker = 12345.0
				for _, sl := range spare {
					for i := range sl {
						sl[i] = marker
					}
				}
				for cell := 0; cell < 6; cell++ {
					zEI := withInfTail(rnd(1, ne+ni, -3, 6).Data)
					if cell == 0 {
						clear(zEI[ne:]) // no inhibitory drive
					}
					dz := withInfTail(rnd(1, ne, -1, 1).Data)
					zWant, zGot := make([]float32, ne), make([]float32, ne+1)
					zGot[ne] = 42
					ref.shuntCell(&l, zEI, zWant)
					ks.shuntCell(&l, zEI, zGot[:ne])
					name := fmt.Sprintf("%s shuntCell n_e=%d n_i=%d cell %d", ks.name, ne, ni, cell)
					assertBits(t, name, zGot[:ne], zWant)
					if zGot[ne] != 42 {
						t.Fatalf("%s wrote past its output", name)
					}
					oWant, oGot := make([]float32, ne+ni), make([]float32, ne+ni+1)
					oGot[ne+ni] = 42
					ref.shuntCellGrad(&l, zEI, dz, oWant, gWant)
					ks.shuntCellGrad(&l, zEI, dz, oGot[:ne+ni], gGot)
					name = fmt.Sprintf("%s shuntCellGrad n_e=%d n_i=%d cell %d", ks.name, ne, ni, cell)
					assertBits(t, name+" dL/dzEI", oGot[:ne+ni], oWant)
					if oGot[ne+ni] != 42 {
						t.Fatalf("%s wrote past its output", name)
					}
					assertShuntGradBits(t, name, gGot, gWant)
					for _, sl := range spare {
						for i, v := range sl {
							if math.Float64bits(v) != math.Float64bits(marker) {
								t.Fatalf("%s wrote %v into a gradient's spare capacity (%d past its end)", name, v, i)
							}
						}
					}
					compared++
				}
			}
		}
	}
	t.Logf("%d cells compared, kernel sets %v; %d of them with shunting kernels of their own", compared, kernelNames(), own)
	if own == 0 {
		t.Logf("no kernel set here has its own shunting kernels (avx2 and avx512 need GOEXPERIMENT=simd and the CPU's support): the scalar ones were compared with themselves")
	}
}

// assertShuntGradBits requires got's accumulated parameter gradients to equal want's bit for bit.
func assertShuntGradBits(t *testing.T, name string, got, want *shuntGrads) {
	t.Helper()
	for _, p := range []struct {
		what      string
		got, want []float64
	}{{"dL/dW_EI", got.ei, want.ei}, {"dL/dalpha", got.alpha, want.alpha},
		{"dL/dgain", got.gain, want.gain}, {"dL/dbias", got.bs, want.bs}} {
		for i := range p.want {
			if math.Float64bits(p.got[i]) != math.Float64bits(p.want[i]) {
				t.Fatalf("%s %s[%d] = %v, the scalar set gives %v", name, p.what, i, p.got[i], p.want[i])
			}
		}
	}
}

// gradSpares returns the spare capacity past the end of each of g's accumulators.
func gradSpares(g *shuntGrads) [][]float64 {
	var s [][]float64
	for _, p := range [][]float64{g.ei, g.alpha, g.gain, g.bs} {
		s = append(s, p[len(p):cap(p)])
	}
	return s
}

// withInfTail returns v with 8 values of capacity past its end, all +Inf.
func withInfTail(v []float32) []float32 {
	w := make([]float32, len(v)+8)
	copy(w, v)
	for i := len(v); i < len(w); i++ {
		w[i] = float32(math.Inf(1))
	}
	return w[:len(v)]
}

// TestKernelSetsTrainAlike runs whole Go-kernel training steps (projection on padded rows, LIF forward
// and backward, the shunting cell, the gradient's transpose and row sums, then GoMLX's readout and Adam)
// with every kernel set this build can run, from the same model on the same batches, and requires the
// scalar set's weights after every step bit for bit: what keeps cached runs valid whichever set computed
// them. Networks: the notebook's, the E/I populations and shunting inhibition, at the notebook's 30 hidden
// units (27 + 3 in the population networks).
func TestKernelSetsTrainAlike(t *testing.T) {
	if len(availableKernels) == 1 {
		t.Logf("only the scalar kernel set is built here: its steps are compared with themselves")
	}
	defer func(k kernelSet) { kernels = k }(kernels)
	nets := map[string]func(*Config){
		"notebook":    func(c *Config) {},
		"populations": func(c *Config) { c.Architecture, c.NumHidden = ArchPopulations, 27 },
		"shunting":    func(c *Config) { c.Architecture, c.NumHidden, c.Inhibition = ArchPopulations, 27, InhibitionShunting },
	}
	for _, name := range []string{"notebook", "populations", "shunting"} {
		cfg := DefaultConfig()
		cfg.BatchSize = 16
		nets[name](&cfg)
		d, err := GenerateStimulus(cfg, 3*cfg.BatchSize, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		var want [][]float32
		for k, ks := range availableKernels {
			kernels = ks
			m, err := NewModel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			st, err := newTrainStep(gobackend.GetBackend(), m, FormulationGoKernels)
			if err != nil {
				t.Fatal(err)
			}
			var got [][]float32
			for b := 0; b < 3; b++ {
				if _, err := st.step(d, seq(b*cfg.BatchSize, cfg.BatchSize)); err != nil {
					t.Fatal(err)
				}
				for _, v := range st.params() {
					got = append(got, tensors.MustCopyFlatData[float32](v.MustValue()))
				}
			}
			if k == 0 {
				want = got
				continue
			}
			for i := range want {
				assertBits(t, fmt.Sprintf("%s network, kernel set %s, parameter %d after step %d", name, ks.name,
					i%len(st.params()), i/len(st.params())+1), got[i], want[i])
			}
		}
	}
}

func kernelNames() []string {
	var s []string
	for _, k := range availableKernels {
		s = append(s, k.name)
	}
	return s
}

// assertBits fails unless got and want hold the same float32 bit patterns.
func assertBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	assertBitsAs(t, name, "the scalar set", got, want)
}

// assertBitsAs is assertBits with what computed want named in the message.
func assertBitsAs(t *testing.T, name, wantFrom string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d is %v (%#08x), %s gives %v (%#08x)", name, i, got[i],
				math.Float32bits(got[i]), wantFrom, want[i], math.Float32bits(want[i]))
		}
	}
}

// seq returns from, from+1, ..., from+n-1.
func seq(from, n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = from + i
	}
	return r
}

// kernelShapes are the row sums' test matrices: 50 rows of each width, and byteRows rows (the projection's
// padded W, whose rows one-byte indices may name unchecked: sumRowsOf32x8Asm) of the widths padded to 32.
func kernelShapes(widths []int) []struct{ H, rows int } {
	var s []struct{ H, rows int }
	for _, H := range widths {
		s = append(s, struct{ H, rows int }{H, 50})
	}
	for _, H := range []int{17, 30, 32} {
		s = append(s, struct{ H, rows int }{H, byteRows})
	}
	return s
}

// TestSpikeThresholdSetsAgree checks every kernel set's spikeThresholds against the scalar set's bit for
// bit, for rows of 1 to 17 and 100 fibres (the lanes of the last vector masked), phases all round the
// circle, and scales up to 1 (Config.Validate's largest RateMax*DT), with a guard past the row that no
// store may touch. The unit is 2^51, not the stimulus's 2^32: truncated at 2^32 a difference in the last
// bits of p would almost never show, at 2^51 p's bits down to 2^-51 are kept (all but the last for p >= 1/2,
// fewer for smaller p; the scale-1 trials have p up to 1).
func TestSpikeThresholdSetsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 47))
	for _, ks := range availableKernels[1:] {
		for _, n := range append(seq(1, 17), 100) {
			for trial := 0; trial < 20; trial++ {
				sa, ca := make([]float64, n), make([]float64, n)
				for i := range sa {
					sa[i], ca[i] = math.Sincos(2 * math.Pi * rng.Float64())
				}
				s, c := math.Sincos(2 * math.Pi * rng.Float64())
				scale := []float64{0.06, 1, rng.Float64()}[trial%3]
				want, got := make([]uint64, n), make([]uint64, n+1)
				for i := range got {
					got[i] = 42
				}
				ref := availableKernels[0]
				ref.spikeThresholds(want, sa, ca, s, c, scale, 1<<51)
				ks.spikeThresholds(got[:n], sa, ca, s, c, scale, 1<<51)
				if !reflect.DeepEqual(got[:n], want) {
					t.Fatalf("%s spikeThresholds n=%d scale %v: got %v, want %v", ks.name, n, scale, got[:n], want)
				}
				if got[n] != 42 {
					t.Fatalf("%s spikeThresholds n=%d wrote past its row", ks.name, n)
				}
			}
		}
	}
	// The largest threshold, at sin 1 and scale 1, is the unit itself: the conversion must keep it.
	thr := make([]uint64, 1)
	for _, ks := range availableKernels {
		for _, unit := range []float64{1 << 32, 1 << 51} {
			ks.spikeThresholds(thr, []float64{1}, []float64{0}, 0, 1, 1, unit)
			if thr[0] != uint64(unit) {
				t.Fatalf("%s spikeThresholds at sin 1, scale 1: %d, want %v", ks.name, thr[0], unit)
			}
		}
	}
}
