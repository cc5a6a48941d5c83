package notebooks

import (
	"crypto/sha256"
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
	// Apart from the notes, the outputs are the committed notebook's.
	gotText, wantText := plainTexts(readNotebook(t, filepath.Join(tmp, "executed", name))), plainTexts(readNotebook(t, name))
	if len(gotText) != len(wantText) {
		t.Fatalf("the executed notebook has %d cells, the committed one %d", len(gotText), len(wantText))
	}
	for i := range wantText {
		if g, w := dropNotes(gotText[i]), dropNotes(wantText[i]); g != w {
			t.Errorf("cell %d differs from the committed output:\n got: %.600s\nwant: %.600s", i, g, w)
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

// plainTexts returns, per cell, its outputs as text in order: streams, and of each display the markdown or
// else the plain text (figures and HTML left out).
func plainTexts(nb *notebook) []string {
	var out []string
	for _, c := range nb.Cells {
		var b strings.Builder
		for _, o := range c.Outputs {
			b.WriteString(text(o.Text))
			if v, ok := o.Data["text/markdown"]; ok {
				b.WriteString(text(v))
			} else if v, ok := o.Data["text/plain"]; ok {
				b.WriteString(text(v))
			}
		}
		out = append(out, b.String())
	}
	return out
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
