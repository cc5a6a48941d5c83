package snn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// Checkpoint file format (version 1), little-endian:
//
//	magic    8 bytes  "SNNDALE\x00"
//	version  uint32   CheckpointVersion
//	total    uint64   length of the whole file in bytes
//	hdrLen   uint32   length of the JSON header
//	header   hdrLen bytes of JSON: config, masks, history, ablation notes
//	arrays   float32: W1, W2, InitW1, InitW2, EffectiveW1, EffectiveW2 (sizes from the config), then for
//	         ArchPopulations IE1, EI1, IE2, EI2 and their initial values (see Populations), then with
//	         shunting inhibition Alpha1, Gain1, Bias1, Alpha2, Gain2, Bias2 and their initial values (Shunt)
//	crc      uint32   CRC-32 (IEEE) of every byte before it
//
// A single self-checking file rather than GoMLX's checkpoint package: that package writes a directory of
// step-numbered files for resuming training loops, with no checksum and no atomic replace; a trained
// model here is small (about 100 KB) and must be written atomically and rejected when damaged.

// CheckpointVersion is the version SaveCheckpoint writes and the only one LoadCheckpoint reads.
const CheckpointVersion = 1

var checkpointMagic = []byte("SNNDALE\x00")

type checkpointHeader struct {
	Config  Config   `json:"config"`
	Signs1  []int8   `json:"signs1"`
	Signs2  []int8   `json:"signs2"`
	Layout1 string   `json:"layout1"`
	Layout2 string   `json:"layout2"`
	History History  `json:"history"`
	Ablated []string `json:"ablated,omitempty"`
}

// SaveCheckpoint writes m to path atomically: the data go to a temporary file in the same folder, are
// synced, and replace path by rename, so a crash or error never leaves a partial file at path and
// never clobbers an earlier good checkpoint.
func SaveCheckpoint(path string, m *Model) error {
	if err := m.check(); err != nil {
		return fmt.Errorf("snn: save checkpoint %q: %w", path, err)
	}
	data, err := encodeCheckpoint(m)
	if err != nil {
		return fmt.Errorf("snn: save checkpoint %q: %w", path, err)
	}
	if err := WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("snn: save checkpoint %q: %w", path, err)
	}
	return nil
}

func encodeCheckpoint(m *Model) ([]byte, error) {
	h := checkpointHeader{Config: m.Config, History: m.History, Ablated: m.Ablated,
		Signs1: signsInt8(m.Mask1.Signs), Signs2: signsInt8(m.Mask2.Signs),
		Layout1: string(m.Mask1.Layout), Layout2: string(m.Mask2.Layout)}
	hdr, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(checkpointMagic)
	binary.Write(&b, binary.LittleEndian, uint32(CheckpointVersion))
	total := checkpointPreamble + len(hdr) + 4
	for _, w := range []Matrix{m.W1, m.W2, m.InitW1, m.InitW2} {
		total += 4 * len(w.Data)
	}
	total += 4 * (len(m.W1.Data) + len(m.W2.Data))
	for _, w := range m.popArrays() {
		total += 4 * len(w.Data)
	}
	binary.Write(&b, binary.LittleEndian, uint64(total))
	binary.Write(&b, binary.LittleEndian, uint32(len(hdr)))
	b.Write(hdr)
	for _, w := range append([]Matrix{m.W1, m.W2, m.InitW1, m.InitW2, m.EffectiveW1(), m.EffectiveW2()}, m.popArrays()...) {
		binary.Write(&b, binary.LittleEndian, w.Data)
	}
	binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes(), nil
}

// Checkpoint errors, testable with errors.Is.
var (
	ErrCheckpointTruncated    = errors.New("file is truncated")
	ErrCheckpointCorrupt      = errors.New("file is corrupt")
	ErrCheckpointNotSNN       = errors.New("not an snn checkpoint")
	ErrCheckpointVersion      = errors.New("unsupported checkpoint version")
	ErrCheckpointIncompatible = errors.New("checkpoint is inconsistent with its config")
)

// LoadCheckpoint reads a model written by SaveCheckpoint. A missing file, a truncated or corrupt one, a
// file of another kind or version, and one whose arrays disagree with its config are each reported
// with an error that says which (and wraps the matching ErrCheckpoint* value or fs error).
func LoadCheckpoint(path string) (*Model, error) {
	data, err := readCheckpointFile(path)
	if err != nil {
		return nil, fmt.Errorf("snn: load checkpoint %q: %w", path, err)
	}
	m, err := decodeCheckpoint(data)
	if err != nil {
		return nil, fmt.Errorf("snn: load checkpoint %q: %w", path, err)
	}
	return m, nil
}

// maxCheckpointBytes bounds the file LoadCheckpoint reads: a model at the largest sizes Config allows is far
// smaller (the notebook's is about 85 KB).
const maxCheckpointBytes = 1 << 30

// readCheckpointFile reads a checkpoint file whole after checking, from its size and its first bytes
// only, that it is a regular file of at most maxCheckpointBytes that starts as a checkpoint of this
// version and records its own size: a device, a huge file or another kind of file is refused before
// anything else is read.
func readCheckpointFile(path string) ([]byte, error) {
	if fi, err := os.Stat(path); err != nil { // before opening: opening a FIFO would wait for a writer
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file (%s)", ErrCheckpointNotSNN, fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file (%s)", ErrCheckpointNotSNN, fi.Mode().Type())
	}
	size := fi.Size()
	pre := make([]byte, min(size, checkpointPreamble))
	if _, err := io.ReadFull(f, pre); err != nil {
		return nil, err
	}
	if _, err := decodeCheckpoint(pre); errors.Is(err, ErrCheckpointNotSNN) || errors.Is(err, ErrCheckpointVersion) {
		return nil, err
	}
	if size > maxCheckpointBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than the %d a checkpoint can have", ErrCheckpointCorrupt, size, maxCheckpointBytes)
	}
	if total := uint64(0); len(pre) == checkpointPreamble { // as decodeCheckpoint says it, before the rest is read
		switch total = binary.LittleEndian.Uint64(pre[12:]); {
		case uint64(size) < total:
			return nil, fmt.Errorf("%w: %d of its %d bytes are present", ErrCheckpointTruncated, size, total)
		case uint64(size) > total:
			return nil, fmt.Errorf("%w: %d bytes, %d more than its recorded length %d", ErrCheckpointCorrupt, size, uint64(size)-total, total)
		}
	}
	data := make([]byte, size)
	copy(data, pre)
	if _, err := io.ReadFull(f, data[len(pre):]); err != nil {
		return nil, err
	}
	return data, nil
}

// checkpointPreamble is the size of magic, version, total length and header length.
const checkpointPreamble = 8 + 4 + 8 + 4

func decodeCheckpoint(data []byte) (*Model, error) {
	const fixed = checkpointPreamble
	n := min(len(data), len(checkpointMagic))
	if !bytes.Equal(data[:n], checkpointMagic[:n]) {
		return nil, fmt.Errorf("%w: it does not start with %q", ErrCheckpointNotSNN, checkpointMagic)
	}
	if len(data) < 12 {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the %d-byte preamble", ErrCheckpointTruncated, len(data), fixed)
	}
	version := binary.LittleEndian.Uint32(data[8:])
	if version != CheckpointVersion {
		return nil, fmt.Errorf("%w: file has version %d, this build reads version %d", ErrCheckpointVersion, version, CheckpointVersion)
	}
	if len(data) < fixed {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the %d-byte preamble", ErrCheckpointTruncated, len(data), fixed)
	}
	total := binary.LittleEndian.Uint64(data[12:])
	switch {
	case uint64(len(data)) < total:
		return nil, fmt.Errorf("%w: %d of its %d bytes are present", ErrCheckpointTruncated, len(data), total)
	case uint64(len(data)) > total:
		return nil, fmt.Errorf("%w: %d bytes, %d more than its recorded length %d", ErrCheckpointCorrupt, len(data), uint64(len(data))-total, total)
	}
	if !crcOK(data) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCheckpointCorrupt)
	}
	hdrLen := int(binary.LittleEndian.Uint32(data[20:]))
	if hdrLen > len(data)-fixed-4 {
		return nil, fmt.Errorf("%w: header length %d exceeds the file", ErrCheckpointCorrupt, hdrLen)
	}
	var h checkpointHeader
	if err := json.Unmarshal(data[fixed:fixed+hdrLen], &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrCheckpointIncompatible, err)
	}
	if h.Config.DaleLayers == "" {
		// Written before Config.DaleLayers existed, when Dale's law always covered both layers.
		h.Config.DaleLayers = DaleBoth
	}
	if h.Config.SignParam == "" {
		// Written before Config.SignParam existed, when |w| was the only parametrisation.
		h.Config.SignParam = SignAbs
	}
	if h.Config.SignInit == "" {
		// Written before Config.SignInit existed, when every parametrisation started from the symmetric
		// draw; under abs and clip the two inits are the same, so those get the default.
		h.Config.SignInit = SignInitMatched
		if h.Config.SignParam == SignReLU || h.Config.SignParam == SignSoftplus {
			h.Config.SignInit = SignInitSymmetric
		}
	}
	fillNewFields(&h.Config)
	if err := h.Config.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCheckpointIncompatible, err)
	}
	I, H, C := h.Config.NumInputs(), h.Config.NumHidden, h.Config.NumClasses
	dims := [][2]int{{I, H}, {H, C}, {I, H}, {H, C}, {I, H}, {H, C}}
	if h.Config.Architecture == ArchPopulations {
		pd := popDims(h.Config)
		dims = append(dims, pd[:]...)
		dims = append(dims, pd[:]...)
		if h.Config.Shunting() {
			sd := shuntDims(h.Config)
			dims = append(dims, sd[:]...)
			dims = append(dims, sd[:]...)
		}
	}
	sizes := make([]int, len(dims))
	for k, d := range dims {
		sizes[k] = d[0] * d[1]
	}
	want := fixed + hdrLen + 4
	for _, s := range sizes {
		want += 4 * s
	}
	if want != len(data) {
		return nil, fmt.Errorf("%w: its config needs %d bytes of arrays and header, the file has %d", ErrCheckpointIncompatible, want, len(data))
	}
	off := fixed + hdrLen
	mats := make([]Matrix, len(sizes))
	for k, s := range sizes {
		mats[k] = NewMatrix(dims[k][0], dims[k][1])
		for i := 0; i < s; i++ {
			mats[k].Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[off:]))
			off += 4
		}
	}
	m := &Model{Config: h.Config, W1: mats[0], W2: mats[1], InitW1: mats[2], InitW2: mats[3],
		Mask1:   Mask{Signs: signsFloat(h.Signs1), Layout: MaskLayout(h.Layout1)},
		Mask2:   Mask{Signs: signsFloat(h.Signs2), Layout: MaskLayout(h.Layout2)},
		History: h.History, Ablated: h.Ablated}
	if len(mats) > 6 {
		m.Pop = &Populations{IE1: mats[6], EI1: mats[7], IE2: mats[8], EI2: mats[9],
			InitIE1: mats[10], InitEI1: mats[11], InitIE2: mats[12], InitEI2: mats[13]}
	}
	if len(mats) > 14 {
		m.Pop.Shunt = &Shunt{}
		for k, p := range m.Pop.Shunt.all() {
			*p = mats[14+k]
		}
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCheckpointIncompatible, err)
	}
	for k, want := range []Matrix{m.EffectiveW1(), m.EffectiveW2()} {
		got := mats[4+k]
		for i := range want.Data {
			if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
				return nil, fmt.Errorf("%w: stored effective W%d[%d] = %v but the raw weights give %v",
					ErrCheckpointIncompatible, k+1, i, got.Data[i], want.Data[i])
			}
		}
	}
	return m, nil
}

// fillNewFields gives the fields added to Config with the E/I-population network and the update rules
// their defaults when a checkpoint written before them lacks them (its model is then a ColumnEI network
// trained with Adam, which is what those defaults describe).
func fillNewFields(c *Config) {
	def := DefaultConfig()
	if c.Architecture == "" {
		c.Architecture = def.Architecture
	}
	if c.InhibitoryUnits == "" {
		c.InhibitoryUnits = def.InhibitoryUnits
	}
	if c.Inhibition == "" {
		c.Inhibition = def.Inhibition
	}
	if c.Optimizer == "" {
		c.Optimizer = def.Optimizer
	}
	if c.PopInit == "" {
		c.PopInit = def.PopInit
	}
	if c.LIFInhibitoryInit == "" {
		c.LIFInhibitoryInit = def.LIFInhibitoryInit
	}
	if c.WiggleScale == 0 {
		c.WiggleScale = def.WiggleScale
	}
	if c.NumInhibitory == 0 {
		c.NumInhibitory = def.NumInhibitory
	}
	if c.NumReadoutInhibitory == 0 {
		c.NumReadoutInhibitory = def.NumReadoutInhibitory
	}
	if c.PopInitGain == 0 {
		c.PopInitGain = def.PopInitGain
	}
}

// popArrays are the population matrices a checkpoint stores after the effective weights (none for
// ArchColumnEI).
func (m *Model) popArrays() []Matrix {
	if m.Pop == nil {
		return nil
	}
	p := m.Pop
	out := []Matrix{p.IE1, p.EI1, p.IE2, p.EI2, p.InitIE1, p.InitEI1, p.InitIE2, p.InitEI2}
	if p.Shunt != nil {
		for _, s := range p.Shunt.all() {
			out = append(out, *s)
		}
	}
	return out
}

func crcOK(data []byte) bool {
	n := len(data) - 4
	return n >= 0 && crc32.ChecksumIEEE(data[:n]) == binary.LittleEndian.Uint32(data[n:])
}

func signsInt8(s []float32) []int8 {
	out := make([]int8, len(s))
	for i, v := range s {
		out[i] = int8(v)
	}
	return out
}

func signsFloat(s []int8) []float32 {
	out := make([]float32, len(s))
	for i, v := range s {
		out[i] = float32(v)
	}
	return out
}
