package snn

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// ExportNPZ writes m as a NumPy .npz archive at path (atomically), for reading in Python:
//
//	import numpy as np, json
//	z = np.load("model.npz")
//	w1 = z["w1_effective"]                      # [inputs, hidden] float32, the weights the network applies
//	cfg = json.loads(bytes(z["config_json"]))   # the snn.Config, as in a checkpoint
//
// Arrays (float32, row-major, [pre, post] as in Go): w1_raw, w2_raw (the trained parameters),
// w1_effective, w2_effective (what the network applies: f(w) * sign(row), or W_EE - W_IE W_EI),
// w1_init, w2_init (raw, before training), mask1_signs [inputs] and mask2_signs [hidden] (+1 excitatory,
// -1 inhibitory); for the E/I-population network also ie1, ei1, ie2, ei2 (raw) and, with shunting
// inhibition, alpha1, gain1, bias1, alpha2, gain2, bias2; config_json (uint8: the configuration's JSON)
// and history_json (the training history's JSON).
func ExportNPZ(m *Model, path string) error {
	if err := m.check(); err != nil {
		return err
	}
	arrays := map[string]Matrix{
		"w1_raw": m.W1, "w2_raw": m.W2, "w1_effective": m.EffectiveW1(), "w2_effective": m.EffectiveW2(),
		"w1_init": m.InitW1, "w2_init": m.InitW2,
		"mask1_signs": {Rows: 1, Cols: len(m.Mask1.Signs), Data: m.Mask1.Signs},
		"mask2_signs": {Rows: 1, Cols: len(m.Mask2.Signs), Data: m.Mask2.Signs},
	}
	if p := m.Pop; p != nil {
		arrays["ie1"], arrays["ei1"], arrays["ie2"], arrays["ei2"] = p.IE1, p.EI1, p.IE2, p.EI2
		if s := p.Shunt; s != nil {
			for name, v := range map[string]Matrix{"alpha1": s.Alpha1, "gain1": s.Gain1, "bias1": s.Bias1, "alpha2": s.Alpha2,
				"gain2": s.Gain2, "bias2": s.Bias2} {
				arrays[name] = v
			}
		}
	}
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("snn: ExportNPZ: the configuration: %w", err)
	}
	hist, err := json.Marshal(m.History)
	if err != nil {
		return fmt.Errorf("snn: ExportNPZ: the history: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(arrays))
	for name := range arrays {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := arrays[name]
		shape := []int{a.Rows, a.Cols}
		if name == "mask1_signs" || name == "mask2_signs" {
			shape = []int{a.Cols}
		}
		if err := writeNPY(zw, name, "<f4", shape, float32Bytes(a.Data)); err != nil {
			return err
		}
	}
	for name, b := range map[string][]byte{"config_json": cfg, "history_json": hist} {
		if err := writeNPY(zw, name, "|u1", []int{len(b)}, b); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("snn: ExportNPZ: %w", err)
	}
	return WriteFileAtomic(path, buf.Bytes())
}

// writeNPY adds name.npy to the archive: the NumPy format version 1.0 (magic, version, a little-endian
// uint16 header length, a Python dict literal padded with spaces to a multiple of 64 bytes and ended
// by a newline, then the C-order data).
func writeNPY(zw *zip.Writer, name, descr string, shape []int, data []byte) error {
	dims := ""
	for _, d := range shape {
		dims += fmt.Sprintf("%d, ", d)
	}
	if len(shape) > 1 {
		dims = dims[:len(dims)-2]
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, dims)
	const prefix = 10 // magic (6), version (2), header length (2)
	pad := 64 - (prefix+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += string(bytes.Repeat([]byte{' '}, pad)) + "\n"
	w, err := zw.Create(name + ".npy")
	if err != nil {
		return fmt.Errorf("snn: ExportNPZ: %w", err)
	}
	var h bytes.Buffer
	h.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&h, binary.LittleEndian, uint16(len(header)))
	h.WriteString(header)
	h.Write(data)
	if _, err := w.Write(h.Bytes()); err != nil {
		return fmt.Errorf("snn: ExportNPZ: %w", err)
	}
	return nil
}

func float32Bytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}
