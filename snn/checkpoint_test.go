package snn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

func trainedTiny(t *testing.T) *Model {
	t.Helper()
	_, m := tinyRun(t, tinyConfig())
	return m
}

func TestCheckpointRoundTrip(t *testing.T) {
	m := trainedTiny(t)
	m.Ablated = []string{"example: 3 input rows"}
	path := filepath.Join(t.TempDir(), "model.ckpt")
	if err := SaveCheckpoint(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	bitsEqual := func(a, b []float32) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
				return false
			}
		}
		return true
	}
	for _, p := range []struct {
		name string
		a, b Matrix
	}{{"W1", m.W1, got.W1}, {"W2", m.W2, got.W2}, {"InitW1", m.InitW1, got.InitW1}, {"InitW2", m.InitW2, got.InitW2}} {
		if p.a.Rows != p.b.Rows || p.a.Cols != p.b.Cols || !bitsEqual(p.a.Data, p.b.Data) {
			t.Errorf("%s differs after the round trip", p.name)
		}
	}
	if !reflect.DeepEqual(m.Config, got.Config) || !reflect.DeepEqual(m.Mask1, got.Mask1) || !reflect.DeepEqual(m.Mask2, got.Mask2) ||
		!reflect.DeepEqual(m.History, got.History) || !reflect.DeepEqual(m.Ablated, got.Ablated) {
		t.Error("config, masks, history or ablation notes differ after the round trip")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("save left %d files in the folder, want only the checkpoint", len(entries))
	}
}

func TestCheckpointRejectsDamage(t *testing.T) {
	m := trainedTiny(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "good.ckpt")
	if err := SaveCheckpoint(path, m); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flip := func(i int) []byte {
		d := append([]byte(nil), good...)
		d[i] ^= 0x40
		return d
	}
	version := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(version[8:], 99)
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrCheckpointTruncated},
		{"magic only", good[:8], ErrCheckpointTruncated},
		{"preamble only", good[:24], ErrCheckpointTruncated},
		{"half", good[:len(good)/2], ErrCheckpointTruncated},
		{"last byte missing", good[:len(good)-1], ErrCheckpointTruncated},
		{"trailing bytes", append(append([]byte(nil), good...), 0, 0), ErrCheckpointCorrupt},
		{"flipped header byte", flip(40), ErrCheckpointCorrupt},
		{"flipped weight byte", flip(len(good) - 100), ErrCheckpointCorrupt},
		{"flipped checksum", flip(len(good) - 1), ErrCheckpointCorrupt},
		{"wrong version", version, ErrCheckpointVersion},
		{"not a checkpoint", []byte("PK\x03\x04 a zip file, say"), ErrCheckpointNotSNN},
	}
	for _, c := range cases {
		_, err := LoadCheckpoint(write(c.name, c.data))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := LoadCheckpoint(filepath.Join(dir, "missing.ckpt")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
}

// A save that fails leaves the previous checkpoint intact.
func TestFailedSaveKeepsOldCheckpoint(t *testing.T) {
	m := trainedTiny(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "model.ckpt")
	if err := SaveCheckpoint(path, m); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := m.Clone()
	bad.W1.Data = bad.W1.Data[:10] // inconsistent with its config
	if err := SaveCheckpoint(path, bad); err == nil {
		t.Fatal("saving an inconsistent model succeeded")
	}
	if err := SaveCheckpoint(filepath.Join(dir, "no-such-dir", "x.ckpt"), m); err == nil {
		t.Fatal("saving into a missing folder succeeded")
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("a failed save changed the existing checkpoint")
	}
	if _, err := LoadCheckpoint(path); err != nil {
		t.Fatalf("the old checkpoint no longer loads: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("failed saves left %d files, want 1", len(entries))
	}
}

// The checkpoint decoder never panics on damaged input: every rejection wraps one of the ErrCheckpoint*
// values. Seeds: a valid checkpoint of a small model, and truncated and bit-flipped copies.
func FuzzDecodeCheckpoint(f *testing.F) {
	cfg := DefaultConfig()
	cfg.ANFPerEar, cfg.NumHidden = 3, 2
	m, err := NewModel(cfg)
	if err != nil {
		f.Fatal(err)
	}
	good, err := encodeCheckpoint(m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	flipped := append([]byte(nil), good...)
	flipped[30] ^= 0x40
	f.Add(flipped)
	f.Add([]byte("SNNCKPT"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeCheckpoint(data)
		checkDecoded(t, m, err)
	})
}

// An E/I-population model keeps its inhibitory pathways through a checkpoint, bit for bit, and a file
// cut short of them is rejected.
func TestCheckpointRoundTripPopulations(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Architecture, cfg.NumHidden, cfg.SignParam = ArchPopulations, 27, SignClip
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.Pop.IE1.Data[5] = 0.125 // differs from its initial value
	path := filepath.Join(t.TempDir(), "pop.ckpt")
	if err := SaveCheckpoint(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Pop == nil {
		t.Fatal("the loaded model has no population weights")
	}
	if !reflect.DeepEqual(m.Pop, got.Pop) || !reflect.DeepEqual(m.W1, got.W1) || !reflect.DeepEqual(m.Config, got.Config) {
		t.Error("population weights or config differ after the round trip")
	}
	data, _ := os.ReadFile(path)
	short := filepath.Join(t.TempDir(), "short.ckpt")
	os.WriteFile(short, data[:len(data)-100], 0o644)
	if _, err := LoadCheckpoint(short); err == nil {
		t.Error("a truncated population checkpoint loaded")
	}
}

// The committed checkpoints written before the E/I-population fields existed (their header has no
// "Architecture") load, with those fields at their defaults (a ColumnEI network trained with Adam); the
// newer ones load as written.
func TestCheckpointWithoutPopulationFields(t *testing.T) {
	// testdata/before_populations.ckpt is notebooks/results/models/sign_abs.ckpt as committed at 5f9f268,
	// written before the E/I-population fields existed; the committed models have since been retrained.
	paths := []string{"testdata/before_populations.ckpt"}
	more, _ := filepath.Glob("../notebooks/results/models/*.ckpt")
	paths = append(paths, more...)
	old := 0
	for _, p := range paths {
		m, err := LoadCheckpoint(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		data, _ := os.ReadFile(p)
		if bytes.Contains(data, []byte(`"Architecture"`)) {
			continue
		}
		old++
		def := DefaultConfig()
		if m.Config.Architecture != def.Architecture || m.Config.InhibitoryUnits != def.InhibitoryUnits ||
			m.Config.Optimizer != def.Optimizer || m.Config.WiggleScale != def.WiggleScale || m.Pop != nil {
			t.Errorf("%s: loaded with %+v", p, m.Config)
		}
	}
	if old == 0 {
		t.Fatal("no checkpoint without the new fields: testdata/before_populations.ckpt is missing or was rewritten")
	}
}

// frameCheckpoint builds a well-formed checkpoint file (magic, version, lengths, checksum) around any
// header and arrays, so that a test or fuzz target reaches the decoder past the checksum.
func frameCheckpoint(hdr, arrays []byte) []byte {
	var b bytes.Buffer
	b.Write(checkpointMagic)
	binary.Write(&b, binary.LittleEndian, uint32(CheckpointVersion))
	binary.Write(&b, binary.LittleEndian, uint64(checkpointPreamble+len(hdr)+len(arrays)+4))
	binary.Write(&b, binary.LittleEndian, uint32(len(hdr)))
	b.Write(hdr)
	b.Write(arrays)
	binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes()
}

// splitCheckpoint returns the header and arrays of an encoded checkpoint.
func splitCheckpoint(data []byte) (hdr, arrays []byte) {
	n := int(binary.LittleEndian.Uint32(data[20:]))
	return data[checkpointPreamble : checkpointPreamble+n], data[checkpointPreamble+n : len(data)-4]
}

// smallCheckpoint is a valid encoded checkpoint of a tiny model.
func smallCheckpoint(t testing.TB) []byte {
	cfg := DefaultConfig()
	cfg.ANFPerEar, cfg.NumHidden = 3, 2
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	good, err := encodeCheckpoint(m)
	if err != nil {
		t.Fatal(err)
	}
	return good
}

// Checkpoints forged with a valid checksum and a header asking for huge sizes are refused with an error
// that names the field (issue 24: a huge hidden-unit count overflowed into a makeslice panic, a huge
// batch count exhausted memory), before anything is allocated for them.
func TestForgedCheckpointsAreRefused(t *testing.T) {
	hdr, arrays := splitCheckpoint(smallCheckpoint(t))
	for _, c := range []struct {
		field string
		value float64
	}{{"NumHidden", 3e9}, {"NumClasses", 1e9}, {"NumInhibitory", 2e9}, {"Duration", 1e9}, {"DT", 1e-12}, {"BatchSize", 1e12},
		{"BatchSize", 500000}, {"TrainBatches", 1e12}, {"TrainBatches", 500000}, {"Epochs", 1e12}, {"ANFPerEar", 1e6}} {
		var h map[string]any
		if err := json.Unmarshal(hdr, &h); err != nil {
			t.Fatal(err)
		}
		h["config"].(map[string]any)[c.field] = c.value
		forged, _ := json.Marshal(h)
		_, err := decodeCheckpoint(frameCheckpoint(forged, arrays))
		want := "Config." + c.field
		if c.field == "DT" {
			want = "Config.Duration"
		}
		if !errors.Is(err, ErrCheckpointIncompatible) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s = %g: error %v, want ErrCheckpointIncompatible naming %s", c.field, c.value, err, want)
		}
	}
}

// FuzzDecodeCheckpointPayload fuzzes a checkpoint's header and arrays inside a valid frame (the
// checksum recomputed), so that the decoder's own checks, not the checksum, meet every input: no panic,
// every error one of the ErrCheckpoint* values, every accepted model consistent with its config.
func FuzzDecodeCheckpointPayload(f *testing.F) {
	hdr, arrays := splitCheckpoint(smallCheckpoint(f))
	f.Add(hdr, arrays)
	f.Add(hdr, arrays[:len(arrays)/2])
	f.Add([]byte(strings.Replace(string(hdr), `"NumHidden":2`, `"NumHidden":3000000000`, 1)), arrays)
	f.Add([]byte(strings.Replace(string(hdr), `"BatchSize":64`, `"BatchSize":100000000`, 1)), arrays)
	f.Add([]byte(`{"config":{}}`), arrays)
	f.Fuzz(func(t *testing.T, hdr, arrays []byte) {
		m, err := decodeCheckpoint(frameCheckpoint(hdr, arrays))
		checkDecoded(t, m, err)
	})
}

// checkDecoded is what every decoded input must satisfy: an accepted model passes its own check, and an
// error wraps one of the ErrCheckpoint* values.
func checkDecoded(t *testing.T, m *Model, err error) {
	t.Helper()
	if err == nil {
		if m.check() != nil {
			t.Errorf("accepted a model that fails its own check: %v", m.check())
		}
		return
	}
	known := false
	for _, e := range []error{ErrCheckpointNotSNN, ErrCheckpointTruncated, ErrCheckpointVersion, ErrCheckpointCorrupt, ErrCheckpointIncompatible} {
		known = known || errors.Is(err, e)
	}
	if !known {
		t.Errorf("error %v wraps none of the ErrCheckpoint* values", err)
	}
}

// LoadCheckpoint refuses, from the size and first bytes alone, what cannot be a checkpoint: a device that
// never ends, a folder, a huge sparse file of zeros, and one past maxCheckpointBytes that starts as a
// checkpoint; each at once (reading 3 GB took about ten seconds before it was checked).
func TestLoadCheckpointRefusesBeforeReading(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.ckpt")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(3 << 30) // sparse: no disk used
	f.Close()
	big := filepath.Join(dir, "big.ckpt")
	f, err = os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	var pre [checkpointPreamble]byte
	copy(pre[:], checkpointMagic)
	binary.LittleEndian.PutUint32(pre[8:], CheckpointVersion)
	binary.LittleEndian.PutUint64(pre[12:], maxCheckpointBytes+1)
	f.Write(pre[:])
	f.Truncate(maxCheckpointBytes + 1)
	f.Close()
	fifo := filepath.Join(dir, "fifo.ckpt") // opening it would wait for a writer
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want error
		text string
	}{
		{"/dev/zero", ErrCheckpointNotSNN, "not a regular file"},
		{fifo, ErrCheckpointNotSNN, "not a regular file"},
		{dir, ErrCheckpointNotSNN, "not a regular file"},
		{huge, ErrCheckpointNotSNN, "does not start with"},
		{big, ErrCheckpointCorrupt, "more than the 1073741824 a checkpoint can have"},
	} {
		start := time.Now()
		_, err := LoadCheckpoint(tc.path)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %v, want %v with %q", tc.path, err, tc.want, tc.text)
		}
		if took := time.Since(start); took > 200*time.Millisecond {
			t.Errorf("%s: refused after %s, want at once", tc.path, took)
		}
	}
}
