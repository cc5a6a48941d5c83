package notebooks

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// The controls notebook, run in full mode by a backend whose numerics differ from those that filled the
// committed cache (GoMLX's AVX-512 kernels turned off, $GOMLX_GO_SIMD_AVX512=false, so it computes
// "+gomlx-avx2" where the cache says "+gomlx-avx512"), uses every cached run and model as it is: it trains
// nothing (no file of the cache changes), prints the same report and conclusions as the committed
// notebook, and says in notes which numerics computed the runs and models it read. It runs on a copy of
// the notebook and its cache.
func TestNotebookUsesAnotherBackendsCache(t *testing.T) {
	if testing.Short() {
		t.Skip("executes a notebook in full mode from its cache (about a minute)")
	}
	const name = "dales_law_controls.ipynb"
	committed := committedNumerics(t)
	var env []string
	for _, v := range []string{"GOMLX_GO_SIMD_AVX512", "GOMLX_GO_SIMD_AVX2"} {
		t.Setenv(v, "false") // the kernel inherits the test's environment (kernelEnv)
		env = append(env, v+"=false")
		if snn.NumericsVersion(snn.FormulationGoKernels) != committed {
			break
		}
	}
	current := snn.NumericsVersion(snn.FormulationGoKernels)
	if current == committed || !snn.SameRevision(current, committed) {
		t.Fatalf("this build computes %q with %v: the test needs numerics other than the cache's %q of the same revision",
			current, env, committed)
	}
	jupyter, kenv, tmp := kernelEnv(t)
	var full []string // full mode: drop kernelEnv's SNN_QUICK and SNN_OUT
	for _, e := range kenv {
		if !strings.HasPrefix(e, "SNN_QUICK=") && !strings.HasPrefix(e, "SNN_OUT=") {
			full = append(full, e)
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	full = append(full, "SNN_MODULE="+root)
	dir := filepath.Join(tmp, "nb")
	if err := os.CopyFS(filepath.Join(dir, "results"), os.DirFS("results")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	before := treeHashes(t, filepath.Join(dir, "results"))
	cmd := exec.Command(jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir", filepath.Join(tmp, "executed"),
		"--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=gonb", filepath.Join(dir, name))
	cmd.Env = full
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert --execute %s: %v\n%s", name, err, tail(string(out), 4000))
	}
	got := summarise(readNotebook(t, filepath.Join(tmp, "executed", name)))
	for _, e := range got.errors {
		t.Errorf("error output: %s", e)
	}
	after := treeHashes(t, filepath.Join(dir, "results"))
	for f, h := range after {
		if before[f] != h {
			t.Errorf("%s was written: the notebook retrained instead of using the cache", f)
		}
	}
	runsNote := regexp.MustCompile(`note: (\d+) cached run\(s\) were computed by numerics "` + regexp.QuoteMeta(committed) +
		`"; this backend computes "` + regexp.QuoteMeta(current) + `"`)
	notes := runsNote.FindAllString(got.allText, -1)
	if len(notes) == 0 {
		t.Errorf("no note on the cached runs' numerics in the outputs")
	}
	if !strings.Contains(got.allText, `was trained by numerics "`+committed+`"; this backend computes "`+current+`"`) {
		t.Errorf("no note on the cached models' numerics in the outputs")
	}
	// Apart from the notes, the outputs are the committed notebook's. The notes go to the kernel's standard
	// output and the rest to displays, two channels whose interleaving varies from run to run: each is
	// compared on its own.
	gotCells, wantCells := cellTexts(readNotebook(t, filepath.Join(tmp, "executed", name))), cellTexts(readNotebook(t, name))
	if len(gotCells) != len(wantCells) {
		t.Fatalf("the executed notebook has %d cells, the committed one %d", len(gotCells), len(wantCells))
	}
	for i := range wantCells {
		if d := firstDifference(gotCells[i].displays, wantCells[i].displays); d != "" {
			t.Errorf("cell %d's displays differ from the committed ones: %s", i, d)
		}
		if d := firstDifference(dropNotes(gotCells[i].streams), dropNotes(wantCells[i].streams)); d != "" {
			t.Errorf("cell %d's printed text (notes left out) differs from the committed one: %s", i, d)
		}
	}
	t.Logf("%d notes on cached runs, e.g. %s", len(notes), notes[0])
}

// committedNumerics is the numerics that computed the committed cache of the controls notebook's sweep.
func committedNumerics(t *testing.T) string {
	t.Helper()
	p, err := study.PlanByName("controls", false)
	if err != nil {
		t.Fatal(err)
	}
	done, _, _, err := p.Collect("sweep", snn.DefaultConfig(), "results")
	if err != nil || len(done) == 0 {
		t.Fatalf("the committed cache: %d runs, %v", len(done), err)
	}
	return done[0].Numerics
}

// treeHashes returns the SHA-256 of every file under dir, by path.
func treeHashes(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = sha256.Sum256(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// outputTexts is a cell's outputs as text: its streams joined, and of each display the markdown or else the
// plain text (figures and HTML left out), joined in order.
type outputTexts struct{ streams, displays string }

// cellTexts returns the outputs of each cell as text.
func cellTexts(nb *notebook) []outputTexts {
	var out []outputTexts
	for _, c := range nb.Cells {
		var streams, displays strings.Builder
		for _, o := range c.Outputs {
			streams.WriteString(text(o.Text))
			if v, ok := o.Data["text/markdown"]; ok {
				displays.WriteString(text(v) + "\n")
			} else if v, ok := o.Data["text/plain"]; ok {
				displays.WriteString(text(v) + "\n")
			}
		}
		out = append(out, outputTexts{streams.String(), displays.String()})
	}
	return out
}

// firstDifference describes the first line where got and want differ, with its number; "" when they are
// equal.
func firstDifference(got, want string) string {
	if got == want {
		return ""
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; ; i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d of %d (want %d lines):\n got: %q\nwant: %q", i+1, len(g), len(w), gl, wl)
		}
	}
}

// dropNotes removes the "note: ..." lines of a cell's text.
func dropNotes(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "note: ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// The comparison TestNotebookUsesAnotherBackendsCache makes: a note printed after a cell's display (the two
// channels interleave as they arrive) leaves the cell equal to the committed one without notes; a changed
// display line or printed line is found and named by its number.
func TestCellComparison(t *testing.T) {
	cell := func(outputs string) *notebook {
		var nb notebook
		if err := json.Unmarshal([]byte(`{"cells": [{"cell_type": "code", "outputs": [`+outputs+`]}]}`), &nb); err != nil {
			t.Fatal(err)
		}
		return &nb
	}
	const md = `{"output_type": "display_data", "data": {"text/markdown": ["**Conclusion.** x\n", "- last note."]}}`
	want := cellTexts(cell(md + `, {"output_type": "stream", "name": "stdout", "text": "printed\n"}`))[0]
	for _, c := range []struct {
		name, outputs, wantDisplay, wantStream string
	}{
		{"a note after the display", `{"output_type": "stream", "name": "stdout", "text": "printed\n"}, ` + md +
			`, {"output_type": "stream", "name": "stdout", "text": "note: 165 cached run(s)\n"}`, "", ""},
		{"a changed display line", `{"output_type": "display_data", "data": {"text/markdown": "**Conclusion.** x\n- last note!"}}` +
			`, {"output_type": "stream", "name": "stdout", "text": "printed\n"}`,
			"line 2 of 3 (want 3 lines):\n got: \"- last note!\"\nwant: \"- last note.\"", ""},
		{"a changed printed line", md + `, {"output_type": "stream", "name": "stdout", "text": "printed\nmore\n"}`,
			"", "line 2 of 3 (want 2 lines):\n got: \"more\"\nwant: \"\""},
	} {
		got := cellTexts(cell(c.outputs))[0]
		if d := firstDifference(got.displays, want.displays); d != c.wantDisplay {
			t.Errorf("%s: displays: %q, want %q", c.name, d, c.wantDisplay)
		}
		if d := firstDifference(dropNotes(got.streams), dropNotes(want.streams)); d != c.wantStream {
			t.Errorf("%s: streams: %q, want %q", c.name, d, c.wantStream)
		}
	}
}
