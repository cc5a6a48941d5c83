package snn

import (
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"testing"
)

// readNPZ is a Python program (Debian's python3 with python3-numpy, which notebooks/setup.sh installs)
// that loads an .npz with numpy and prints every array as {name: {"shape": [...], "values": [...]}}, the
// float32 values widened to float64 (exact), and config_json decoded.
const readNPZ = `
import json, sys
import numpy as np
z = np.load(sys.argv[1])
out = {}
for k in z.files:
    a = z[k]
    if k.endswith("_json"):
        out[k] = json.loads(bytes(a))
    else:
        assert a.dtype == np.float32, (k, a.dtype)
        out[k] = {"shape": list(a.shape), "values": a.astype(np.float64).ravel().tolist()}
print(json.dumps(out))
`

// A model exported by ExportNPZ loads in numpy with every array equal, bit for bit, to the model's, in
// its shape, and the configuration equal to the model's; for a ColumnEI and a shunting population model.
func TestExportNPZReadByNumPy(t *testing.T) {
	py := "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import numpy").CombinedOutput(); err != nil {
		t.Fatalf("Debian's python3 with numpy is needed (notebooks/setup.sh installs python3-numpy): %v %s", err, out)
	}
	pop := DefaultConfig()
	pop.Architecture, pop.NumHidden, pop.Inhibition = ArchPopulations, 27, InhibitionShunting
	for _, cfg := range []Config{DefaultConfig(), pop} {
		m, err := NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.W1.Data { // trained weights differ from the initial ones
			m.W1.Data[i] *= 1.5
		}
		m.History.TrainLoss = []float64{2.5, 2.25}
		path := filepath.Join(t.TempDir(), "m.npz")
		if err := ExportNPZ(m, path); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "-c", readNPZ, path).Output()
		if err != nil {
			t.Fatalf("numpy could not read the export: %v", err)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		want := map[string]Matrix{"w1_raw": m.W1, "w2_raw": m.W2, "w1_effective": m.EffectiveW1(), "w2_effective": m.EffectiveW2(),
			"w1_init": m.InitW1, "w2_init": m.InitW2, "mask1_signs": {Rows: len(m.Mask1.Signs), Cols: 0, Data: m.Mask1.Signs},
			"mask2_signs": {Rows: len(m.Mask2.Signs), Cols: 0, Data: m.Mask2.Signs}}
		if m.Pop != nil {
			want["ie1"], want["ei1"], want["ie2"], want["ei2"] = m.Pop.IE1, m.Pop.EI1, m.Pop.IE2, m.Pop.EI2
			want["gain1"], want["alpha2"] = m.Pop.Shunt.Gain1, m.Pop.Shunt.Alpha2
		}
		for name, w := range want {
			var a struct {
				Shape  []int
				Values []float64
			}
			if err := json.Unmarshal(got[name], &a); err != nil {
				t.Fatalf("%s: %v (%s)", name, err, got[name])
			}
			shape := []int{w.Rows, w.Cols}
			if w.Cols == 0 {
				shape = []int{w.Rows}
			}
			if len(a.Shape) != len(shape) || a.Shape[0] != shape[0] || (len(shape) == 2 && a.Shape[1] != shape[1]) {
				t.Errorf("%s: numpy shape %v, Go %v", name, a.Shape, shape)
				continue
			}
			for i, v := range w.Data {
				if math.Float32bits(float32(a.Values[i])) != math.Float32bits(v) {
					t.Errorf("%s[%d]: numpy %v, Go %v", name, i, a.Values[i], v)
					break
				}
			}
		}
		var c Config
		if err := json.Unmarshal(got["config_json"], &c); err != nil || ConfigKey(c) != ConfigKey(m.Config) {
			t.Errorf("config_json: %v; key %s, want %s", err, ConfigKey(c), ConfigKey(m.Config))
		}
		var h History
		if err := json.Unmarshal(got["history_json"], &h); err != nil || len(h.TrainLoss) != 2 || h.TrainLoss[1] != 2.25 {
			t.Errorf("history_json: %v %+v", err, h)
		}
	}
}
