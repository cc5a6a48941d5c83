package notebooks

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// notebook is the part of the .ipynb format the tests read.
type notebook struct {
	Cells []struct {
		CellType       string          `json:"cell_type"`
		ID             string          `json:"id"`
		Source         json.RawMessage `json:"source"`
		ExecutionCount *int            `json:"execution_count"`
		Outputs        []struct {
			OutputType string                     `json:"output_type"`
			Name       string                     `json:"name"`
			Text       json.RawMessage            `json:"text"`
			Data       map[string]json.RawMessage `json:"data"`
			EValue     string                     `json:"evalue"`
		} `json:"outputs"`
	} `json:"cells"`
}

// text joins an nbformat multiline string (a string or a list of strings).
func text(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []string
	if json.Unmarshal(raw, &parts) == nil {
		return strings.Join(parts, "")
	}
	return ""
}

func readNotebook(t *testing.T, path string) *notebook {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s is not a notebook: %v", path, err)
	}
	return &nb
}

// summary is what a notebook's outputs hold.
type summary struct {
	allText  string   // stream and text outputs, in order
	cellText []string // the same per cell
	images   []int    // number of image outputs per cell
	errors   []string
}

func summarise(nb *notebook) summary {
	var s summary
	var b strings.Builder
	for i, c := range nb.Cells {
		n, start := 0, b.Len()
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "error":
				s.errors = append(s.errors, fmt.Sprintf("cell %d: %s", i, o.EValue))
			case "stream":
				txt := text(o.Text)
				b.WriteString(txt)
				if o.Name == "stderr" && (strings.Contains(txt, "panic") || strings.Contains(txt, "ERROR")) {
					s.errors = append(s.errors, fmt.Sprintf("cell %d stderr: %.2000s", i, txt))
				}
			}
			for mime, v := range o.Data {
				switch {
				case strings.HasPrefix(mime, "image/"):
					n++
				case mime == "text/html" || mime == "text/plain" || mime == "text/markdown":
					b.WriteString(text(v))
				}
				if mime == "text/html" && strings.Contains(text(v), "<svg") {
					n++
				}
				if mime == "text/html" { // figures drawn as inline PNGs in HTML (the exploration panel)
					n += strings.Count(text(v), `src="data:image/png;base64,`)
				}
			}
		}
		s.images = append(s.images, n)
		s.cellText = append(s.cellText, b.String()[start:])
	}
	s.allText = b.String()
	return s
}

// reportLines are the lines a notebook's outputs must hold: the original's report lines for dales_law,
// computed conclusions for the others.
func reportLines(path string) []*regexp.Regexp {
	if filepath.Base(path) == explore {
		// Executed without a browser, the panel draws its default state, named by its key.
		return []*regexp.Regexp{regexp.MustCompile(`This panel is live in Jupyter`),
			regexp.MustCompile(`inhibitory fraction 0\.5, blocked mask, sign rule abs`),
			regexp.MustCompile(`selected point: \d+\.\d ± \d+\.\d% test accuracy \(mean ± SD over 5 seeds\); 55 cached runs drawn at 11 points, and 5 of the unconstrained network(&#39;|')s \(the reference line\)`)}
	}
	if filepath.Base(path) != "dales_law.ipynb" {
		return []*regexp.Regexp{conclusion}
	}
	return []*regexp.Regexp{
		regexp.MustCompile(`Chance accuracy level: 8\.3%`),
		regexp.MustCompile(`Train classifier accuracy: \d+\.\d%`),
		regexp.MustCompile(`Train absolute error: \d+\.\d deg`),
		regexp.MustCompile(`Test classifier accuracy: \d+\.\d%`),
		regexp.MustCompile(`Test absolute error: \d+\.\d deg`),
	}
}

// explore is the exploration notebook: a panel, not an analysis (it draws, and concludes nothing).
const explore = "dales_law_explore.ipynb"

// conclusion is a computed conclusion: the bold lead and at least one number.
var conclusion = regexp.MustCompile(`Conclusion\.\*{0,2} .*\d`)

// sectionsWithoutConclusion lists the level-2 sections ("## ...") of an analysis notebook whose code
// cells print no conclusion; dales_law mirrors the original and has none.
func sectionsWithoutConclusion(path string, nb *notebook, s summary) []string {
	if b := filepath.Base(path); b == "dales_law.ipynb" || b == explore {
		return nil
	}
	var missing []string
	section, found := "", true
	for i, c := range nb.Cells {
		if src := text(c.Source); c.CellType == "markdown" && strings.HasPrefix(src, "## ") {
			if !found {
				missing = append(missing, section)
			}
			section, found = strings.SplitN(src, "\n", 2)[0], false
		}
		if conclusion.MatchString(s.cellText[i]) {
			found = true
		}
	}
	if !found {
		missing = append(missing, section)
	}
	return missing
}

// figureCall matches the calls in a cell's executed part (after %%) that show figures: plots.Show and
// the notebooks' helpers built on it.
var figureCall = regexp.MustCompile(`\b(Show|trainAndSave|analyse|weightImages)\(`)

func notebooks(t *testing.T) []string {
	paths, err := filepath.Glob("*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found: %v", err)
	}
	var out []string
	for _, p := range paths {
		if !strings.HasSuffix(p, ".failed.ipynb") && !strings.HasSuffix(p, ".tmp.ipynb") {
			out = append(out, p)
		}
	}
	return out
}

// The committed notebooks are executed, error-free, free of machine-specific paths and print the
// report lines; this checks what readers see without running anything.
func TestCommittedNotebooks(t *testing.T) {
	machinePath := regexp.MustCompile(`(/root/|/home/[a-z]|/tmp/|/work/)`)
	for _, p := range notebooks(t) {
		nb := readNotebook(t, p)
		s := summarise(nb)
		for _, e := range s.errors {
			t.Errorf("%s: %s", p, e)
		}
		for i, c := range nb.Cells {
			if c.CellType == "code" && c.ExecutionCount == nil {
				t.Errorf("%s: code cell %d was not executed", p, i)
			}
		}
		for _, re := range reportLines(p) {
			if !re.MatchString(s.allText) {
				t.Errorf("%s: no line matching %q in the outputs", p, re)
			}
		}
		for _, sec := range sectionsWithoutConclusion(p, nb, s) {
			t.Errorf("%s: section %q ends without a computed conclusion", p, sec)
		}
		if m := machinePath.FindString(s.allText); m != "" {
			t.Errorf("%s: outputs contain a machine-specific path (%q)", p, m)
		}
		for i, c := range nb.Cells {
			src := text(c.Source)
			if _, body, ok := strings.Cut(src, "%%"); ok && figureCall.MatchString(body) && s.images[i] == 0 {
				t.Errorf("%s: cell %d draws figures but has no image output", p, i)
			}
		}
		// Printed text reaches plain-text renderers too: every HTML block of text and every Markdown output
		// carries a text/plain form.
		for i, c := range nb.Cells {
			for _, o := range c.Outputs {
				_, plain := o.Data["text/plain"]
				_, md := o.Data["text/markdown"]
				if (md || strings.Contains(text(o.Data["text/html"]), "<pre")) && !plain {
					t.Errorf("%s: cell %d has a text output without text/plain", p, i)
				}
			}
		}
		html, err := os.ReadFile(strings.TrimSuffix(p, ".ipynb") + ".html")
		if err != nil {
			t.Errorf("%s: no HTML export beside it: %v", p, err)
			continue
		}
		// A shared copy must work on any machine: nothing is loaded from the exporting machine's files.
		if i := strings.Index(string(html), "file://"); i >= 0 {
			t.Errorf("%s: the HTML export refers to a local file: %.120s", p, string(html)[i:])
		}
		// The export highlights the code as Go: "func" is a declaration keyword (Pygments' Go lexer, class
		// kd), not a name (class n, as the Python lexer nbconvert falls back to makes it).
		if !strings.Contains(string(html), `<span class="kd">func</span>`) || strings.Contains(string(html), `<span class="n">func</span>`) {
			t.Errorf("%s: the HTML export does not highlight Go (no func keyword span, or func as a name)", p)
		}
		// The export embeds every figure of the notebook as a PNG data URI.
		pngs, images := strings.Count(string(html), `src="data:image/png;base64,`), 0
		for _, n := range s.images {
			images += n
		}
		if pngs != images {
			t.Errorf("%s: the HTML export embeds %d PNG images, the notebook has %d image outputs (stale export?)", p, pngs, images)
		}
	}
}

// tool finds an executable on PATH or in the Go bin folder, or fails (under CI) or skips the test.
func tool(t *testing.T, name string, dirs ...string) string {
	t.Helper()
	for _, d := range dirs {
		if p := filepath.Join(d, name); isExecutable(p) {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	msg := fmt.Sprintf("%s not found: run notebooks/setup.sh (`make test` does)", name)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// TestExecuteNotebooks runs every notebook with the real GoNB kernel through nbconvert, in quick mode
// (SNN_QUICK=1), with its own Jupyter data folder, and checks the executed result: no errors, the report
// lines with numbers, and as many figures in each cell as the committed full run has.
func TestExecuteNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("executes the notebooks (about a minute)")
	}
	jupyter, env, tmp := kernelEnv(t)
	for _, p := range notebooks(t) {
		t.Run(p, func(t *testing.T) {
			outDir := filepath.Join(tmp, "executed")
			// --allow-errors keeps a failing cell's outputs (a panic's message and stack on stderr) in the
			// executed notebook, where the checks below report them; nbconvert's own message names only the
			// cell and the exit status.
			cmd := exec.Command(jupyter, "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--output-dir", outDir,
				"--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=gonb", p)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("nbconvert --execute %s: %v\n%s", p, err, tail(string(out), 4000))
			}
			got := readNotebook(t, filepath.Join(outDir, filepath.Base(p)))
			s := summarise(got)
			for _, e := range s.errors {
				t.Errorf("error output: %s", e)
			}
			for _, re := range reportLines(p) {
				if !re.MatchString(s.allText) {
					t.Errorf("no line matching %q in the outputs", re)
				}
			}
			for _, sec := range sectionsWithoutConclusion(p, got, s) {
				t.Errorf("section %q ends without a computed conclusion", sec)
			}
			committed := summarise(readNotebook(t, p))
			if len(committed.images) != len(s.images) {
				t.Fatalf("executed notebook has %d cells, the committed one %d", len(s.images), len(committed.images))
			}
			for i := range s.images {
				if s.images[i] != committed.images[i] {
					t.Errorf("cell %d: %d figures, the committed run has %d", i, s.images[i], committed.images[i])
				}
			}
		})
	}
}

// kernelEnv finds Jupyter, GoNB and Go, registers the gonb kernel in a Jupyter data folder of the test's
// own, and returns the jupyter binary and the environment of a quick-mode execution.
func kernelEnv(t *testing.T) (jupyter string, env []string, tmp string) {
	goBin := strings.TrimSpace(goEnv(t, "GOBIN"))
	if goBin == "" {
		goBin = filepath.Join(strings.TrimSpace(goEnv(t, "GOPATH")), "bin")
	}
	jupyter = tool(t, "jupyter", "/usr/bin")
	gonb := tool(t, "gonb", goBin)
	tool(t, "goimports", goBin)
	goExe := tool(t, "go", filepath.Join(strings.TrimSpace(goEnv(t, "GOROOT")), "bin"))
	tmp = t.TempDir()
	env = append(os.Environ(),
		"JUPYTER_DATA_DIR="+filepath.Join(tmp, "jupyter"),
		"PATH="+strings.Join([]string{filepath.Dir(gonb), goBin, filepath.Dir(goExe), os.Getenv("PATH")}, string(os.PathListSeparator)),
		"SNN_QUICK=1",
		"SNN_OUT="+filepath.Join(tmp, "checkpoints"),
		"SNN_HEADLESS=1", // no browser: the panel draws its default state (as execute.py runs it)
	)
	install := exec.Command(gonb, "--install", "--force_deps")
	install.Env = env
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("gonb --install: %v\n%s", err, out)
	}
	return jupyter, env, tmp
}

// A user who edits the hyperparameter cell (20 hidden units, IE_RATIO 0.35) and runs the notebook top to
// bottom gets a consistent run: the change reaches the printed report, and the models are saved under
// names of the new configuration.
func TestEditedHyperparameters(t *testing.T) {
	if testing.Short() {
		t.Skip("executes a notebook (about 30 s)")
	}
	jupyter, env, tmp := kernelEnv(t)
	data, err := os.ReadFile("dales_law.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	edited := string(data)
	for _, e := range [][2]string{{`numHidden           = 30`, `numHidden           = 20`}, {`ieRatio             = 0.5 `, `ieRatio             = 0.35`}} {
		if !strings.Contains(edited, e[0]) {
			t.Fatalf("the hyperparameter cell has no %q", e[0])
		}
		edited = strings.Replace(edited, e[0], e[1], 1)
	}
	path := "edited_hyperparameters.tmp.ipynb" // beside the original: its first cell finds the module at ..
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(path) })
	outDir := filepath.Join(tmp, "executed")
	cmd := exec.Command(jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir", outDir,
		"--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=gonb", path)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert --execute: %v\n%s", err, tail(string(out), 4000))
	}
	s := summarise(readNotebook(t, filepath.Join(outDir, path)))
	for _, e := range s.errors {
		t.Errorf("error output: %s", e)
	}
	if !strings.Contains(s.allText, "Model: 20 hidden units, IE_RATIO 0.35,") {
		t.Errorf("the report does not show the edited configuration")
	}
	ckpts, _ := filepath.Glob(filepath.Join(tmp, "checkpoints", "dales_ie0.35_*.ckpt"))
	if len(ckpts) != 1 {
		t.Errorf("models saved for IE_RATIO 0.35: %v", ckpts)
	}
}

func goEnv(t *testing.T, key string) string {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return string(out)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// The section check flags a section whose cells print no conclusion, and only that one.
func TestSectionsWithoutConclusion(t *testing.T) {
	raw := `{"cells": [
		{"cell_type": "markdown", "source": "# Title"},
		{"cell_type": "markdown", "source": ["## 1. First\n", "text"]},
		{"cell_type": "code", "source": "%%", "outputs": [{"output_type": "display_data", "data": {"text/markdown": "**Conclusion.** 3 of 4."}}]},
		{"cell_type": "markdown", "source": "## 2. Second"},
		{"cell_type": "code", "source": "%%", "outputs": [{"output_type": "display_data", "data": {"text/markdown": "**Conclusion.** none"}}]},
		{"cell_type": "markdown", "source": "### 2b. Sub"},
		{"cell_type": "markdown", "source": "## 3. Third"},
		{"cell_type": "code", "source": "%%", "outputs": [{"output_type": "stream", "name": "stdout", "text": "**Conclusion.** 12%"}]}
	]}`
	var nb notebook
	if err := json.Unmarshal([]byte(raw), &nb); err != nil {
		t.Fatal(err)
	}
	got := sectionsWithoutConclusion("x.ipynb", &nb, summarise(&nb))
	if len(got) != 1 || got[0] != "## 2. Second" {
		t.Errorf("sections without conclusion = %q, want [\"## 2. Second\"] (its conclusion has no number)", got)
	}
	if got := sectionsWithoutConclusion("dales_law.ipynb", &nb, summarise(&nb)); got != nil {
		t.Errorf("dales_law.ipynb mirrors the original and is not checked; got %q", got)
	}
}
