package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn/study"
)

// A run plan fixes its grid, protocol and caches: every flag that would change them is refused before
// any work, as are a quick run into the committed caches, -results without a plan, words after the
// flags, and plan names that do not exist. Each error names the bad value.
func TestPlanFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"status", "-plan", "controls", "-epochs", "3"}, "-epochs"},
		{[]string{"status", "-plan", "controls", "-layout", "random"}, "-layout"},
		{[]string{"status", "-plan", "controls", "-conditions", "both"}, "-conditions"},
		{[]string{"status", "-plan", "controls", "-quick"}, "-quick with -plan"},
		{[]string{"status", "-plan", "controls", "-quick", "-results", "notebooks/results/"}, "-quick with -plan"},
		{[]string{"status", "-results", "x"}, "-results: only with -plan"},
		{[]string{"status", "-copy=false"}, "-copy: only with -plan"},
		{[]string{"-plan", "mirror", "status"}, `unexpected argument "status"`},
		{[]string{"status", "-plan", "nope"}, `no run plan named "nope"`},
		{[]string{"status", "-plan", "all/ablation"}, "all stands for every plan"},
		{[]string{"status", "-plan", "controls/nope"}, `has no sweep "nope"`},
		{[]string{"run", "-plan", "controls", "-index", "0", "-results", os.TempDir()}, "controls/ablation"},
		{[]string{"run", "-plan", "controls"}, "-results notebooks/results (the default): no such folder in"}, // run here, in snn/cmd/sweep
		{[]string{"tune", "-plan", "signs-tuned"}, "-results notebooks/results (the default): no such folder in"},
		{[]string{"rate"}, "-results notebooks/results (the default): no such folder in"},
		{[]string{"status", "-plan", "controls", "-quick", "-results", "../../../notebooks/results"}, "-quick with -plan"},
		{[]string{"status", "-quick", "-epochs", "7"}, "-epochs 7 and -quick"},
		{[]string{"run", "-shard", "", "-cache", os.TempDir()}, "-shard is empty"},
		{[]string{"run", "-range", " ", "-cache", os.TempDir()}, "-range is empty"},
		{[]string{"run", "-index", "", "-cache", os.TempDir()}, "-index is empty"},
		{[]string{"status", "-ablation", "-conditions", "both", "-fractions", "0.7", "-seeds", "1"}, "the ablation cannot be made at inhibitory fraction 0.7"},
		{[]string{"status", "-cache", "grid.go"}, "-cache grid.go: not a folder"},
		{[]string{"status", "-conditions", "blocked,both", "-fractions", "0.2", "-layout", "random"}, `-layout random: condition "blocked" sets the layout itself`},
		{[]string{"status", "-conditions", "both,pop-abs", "-fractions", "0.2,0.5"}, "-conditions pop-abs with -fractions 0.2,0.5: its runs do not depend on the inhibitory fraction"},
		{[]string{"status", "-plan", "mirror", "-results", "grid.go"}, "-results grid.go: not a folder"},
		{[]string{"summarise", "-partial", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", os.TempDir() + "/no-such-sweep"}, "no run of this sweep is done in"},
		{[]string{"status", "-ablation", "-conditions", "both", "-fractions", "0", "-seeds", "1"}, "has 0 inhibitory inputs"},
		{[]string{"status", "-conditions", "both,both"}, `"both" is listed twice`},
		{[]string{"status", "-conditions", "pop-abs@lr=-1"}, "not a finite number > 0"},
		{[]string{"status", "-seeds", "1,1"}, "seed 1 is listed twice"},
		{[]string{"status", "-fractions", "0.2,0.2"}, "fraction 0.2 is listed twice"},
		{[]string{"status", "-fractions", "0:1:NaN"}, `"NaN" is not a finite number`},
		{[]string{"status", "-fractions", "0:Inf:0.5"}, `"Inf" is not a finite number`},
		{[]string{"status", "-fractions", "0:1:1e-6"}, "want at most 1001"},
		{[]string{"status", "-fractions", "0.2,nan"}, `"nan" is not a finite number`},
		{[]string{"status", "-workers", "-1"}, "-workers -1: want 0 (one per core) to"},
		{[]string{"status", "-workers", "1000000"}, "-workers 1000000: want 0 (one per core) to"},
		{[]string{"tune", "-plan", "populations-lif", "-workers", "-2"}, "-workers -2: want 0 (one per core) to"},
		{[]string{"rate", "-workers", "-1"}, "-workers -1: want 0 (one per core) to"},
		{[]string{"rate", "-workers", "99999"}, "-workers 99999: want 0 (one per core) to"},
		{[]string{"tune", "-plan", "signs-tuned", "-results", ""}, `-results "": want a folder`},
		{[]string{"status", "-fractions", "0:1"}, "as a list 0,0.2,0.5 or a range start:stop:step"},
		{[]string{"status", "-fractions", "0.2,1.5"}, "fraction 1.5 is outside [0, 1]"},
		{[]string{"status", "-fractions", "-0.5:0.5:0.5"}, "fraction -0.5 is outside [0, 1]"},
		{[]string{"status", "-plan", "controls/"}, "-plan controls/: no sweep named after the /"},
		{[]string{"status", "-fractions", "-0,0"}, "fraction 0 is listed twice"},
		{[]string{"rate", "-results", " "}, `-results " ": want a folder`},
		{[]string{"plan", "-plan", "mirror", "-results", ""}, `-results "": want a folder`},
		{[]string{"run", "-plan", "mirror/seeds", "-index", "0", "-results", ""}, `-results "": want a folder`},
		{[]string{"tune", "-plan", "all", "-results", "/proc/no-such-folder"}, "-results: snn: folder /proc/no-such-folder cannot be created"},
		{[]string{"status", "-conditions", "both,blocked,abs", "-fractions", "0.5", "-seeds", "1"}, `conditions "both" and "blocked" are the same run`},
		{[]string{"status", "-conditions", "pop-abs,pop-abs@lr=0.01", "-fractions", "0.5", "-seeds", "1"}, `conditions "pop-abs" and "pop-abs@lr=0.01" are the same run`},
	} {
		err := dispatch(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("sweep %s: error %v, want one containing %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}

// A Kubernetes job of one plan sweep keeps the plan's caches on the mounted volume, not on a pod's disk.
func TestK8sPlanResultsOnVolume(t *testing.T) {
	out := filepath.Join(t.TempDir(), "job.json")
	if err := dispatch([]string{"k8s", "-plan", "controls/ablation", "-results", "runs/results", "-mount", "/cache", "-o", out}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	var job struct {
		Spec struct {
			Template struct {
				Spec struct{ Containers []struct{ Command []string } }
			}
		}
	}
	if err := json.Unmarshal(data, &job); err != nil {
		t.Fatal(err)
	}
	cmd := strings.Join(job.Spec.Template.Spec.Containers[0].Command, " ")
	if !strings.Contains(cmd, "-plan controls/ablation") || !strings.Contains(cmd, "-results /cache/results") {
		t.Errorf("pod command %q: want -plan controls/ablation and -results /cache/results", cmd)
	}
}

// A negative -index is refused (issue 24: it started the whole grid), and -h is not an error.
func TestIndexAndHelp(t *testing.T) {
	err := dispatch([]string{"run", "-index", "-1", "-cache", t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), `-index "-1": want an integer >= 0`) {
		t.Errorf("-index -1: %v", err)
	}
	if err := dispatch([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v, want flag.ErrHelp (main exits 0 on it)", err)
	}
	for name := range commands { // the top level's -h lists every subcommand
		if !strings.Contains(subcommandsUsage, "\n  "+name+" ") {
			t.Errorf("sweep -h does not list the subcommand %q", name)
		}
	}
}

// -copy (default true) lets a plan's sweeps copy runs from the other plans' caches in -results; -copy=false
// gives them none, so every run is trained, and the cluster scripts pass it on.
func TestCopyFlag(t *testing.T) {
	results := t.TempDir()
	if err := os.MkdirAll(filepath.Join(results, "populations"), 0o755); err != nil {
		t.Fatal(err)
	}
	checkSweepFlag(t, "-copy=false", func(s *study.Sweep) bool { return len(s.Shared) > 0 }, []flagCase{
		{[]string{"-plan", "mirror", "-results", results}, true},
		{[]string{"-plan", "mirror", "-results", results, "-copy=false"}, false},
	})
}

// A sweep the command builds refuses to mix numerics in its cache (study.Sweep.Unmixed) unless -mix-numerics,
// for a plan and for a grid, and the cluster scripts pass the flag on.
func TestMixNumericsFlag(t *testing.T) {
	results, cache := t.TempDir(), t.TempDir()
	checkSweepFlag(t, "-mix-numerics", func(s *study.Sweep) bool { return s.Unmixed }, []flagCase{
		{[]string{"-plan", "mirror", "-results", results}, true},
		{[]string{"-plan", "mirror", "-results", results, "-mix-numerics"}, false},
		{[]string{"-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", cache}, true},
		{[]string{"-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", cache, "-mix-numerics"}, false},
	})
}

// flagCase is a command line and the value a flag's property should have on every sweep it builds.
type flagCase struct {
	args []string
	want bool
}

// checkSweepFlag parses each case's command line and checks property on every sweep it builds, and that
// the arguments passed on to the cluster scripts' tasks (grid.args) carry flag exactly when the property
// is off (flag turns it off).
func checkSweepFlag(t *testing.T, flag string, property func(*study.Sweep) bool, cases []flagCase) {
	t.Helper()
	for _, c := range cases {
		g, ss, err := parseSweeps("sweep", c.args, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) == 0 {
			t.Fatalf("%v: no sweeps", c.args)
		}
		for _, s := range ss {
			if got := property(s); got != c.want {
				t.Errorf("%v: sweep caching in %s: %v, want %v", c.args, s.CacheDir, got, c.want)
			}
		}
		if passed := slices.Contains(g.args(), flag); passed == c.want {
			t.Errorf("%v: the arguments passed on are %q", c.args, g.args())
		}
	}
}

// The arguments the cluster scripts pass to every task (grid.args) are accepted by the task's sweep and
// plan the same runs: a plan's tasks get no -epochs or -layout (refused beside -plan), a quick grid's no
// -epochs (refused beside -quick).
func TestArgsRoundTrip(t *testing.T) {
	results, cache := t.TempDir(), t.TempDir()
	for _, args := range [][]string{
		{"-plan", "mirror/seeds", "-results", results},
		{"-plan", "controls/ablation", "-results", results, "-quick"},
		{"-conditions", "both,input", "-fractions", "0.2,0.5", "-seeds", "1,2", "-cache", cache},
		{"-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", cache, "-quick", "-ablation"},
		{"-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", cache, "-epochs", "7", "-layout", "random"},
		{"-conditions", "blocked,random", "-fractions", "0.2,0.5", "-seeds", "1", "-cache", cache},
	} {
		g, want, err := parseSweeps("sweep", args, nil)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		_, got, err := parseSweeps("sweep", g.args(), nil)
		if err != nil {
			t.Errorf("%v: the tasks' arguments %q are refused: %v", args, g.args(), err)
			continue
		}
		files := func(ss []*study.Sweep) (out []string) {
			for _, s := range ss {
				plan, err := s.Plan()
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range plan {
					out = append(out, p.File)
				}
			}
			return out
		}
		if w, g := files(want), files(got); strings.Join(w, "\n") != strings.Join(g, "\n") {
			t.Errorf("%v: the tasks plan other runs:\n%v\nwant\n%v", args, g, w)
		}
	}
}

// sweep status names a cache folder that does not exist (a mistyped path reads as "every run missing"), and
// says nothing of the kind for one that does.
func TestStatusNamesAbsentCache(t *testing.T) {
	capture := func(args ...string) string { return captureStdout(t, args...) }
	absent := filepath.Join(t.TempDir(), "no-such-cache")
	out := capture("status", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", absent)
	if !strings.Contains(out, "1 runs: 0 done, 1 missing") || !strings.Contains(out, "note: no cache folder "+absent+" yet") {
		t.Errorf("status of an absent cache: %q", out)
	}
	present := t.TempDir()
	if out := capture("status", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", present); strings.Contains(out, "note:") {
		t.Errorf("status of an empty cache folder that exists: %q", out)
	}
}

// sweep status names the runs other numerics computed (as a cluster job's tasks on CPUs of different vector
// paths leave them: the refusal to mix numerics is checked when each task starts), with their count.
func TestStatusNamesForeignNumerics(t *testing.T) {
	cache := t.TempDir()
	grid := []string{"-quick", "-conditions", "both", "-fractions", "0.5", "-seeds", "1,2", "-cache", cache}
	if err := dispatch(append([]string{"run"}, grid...)); err != nil {
		t.Fatal(err)
	}
	if out := captureStdout(t, append([]string{"status"}, grid...)...); strings.Contains(out, "note:") {
		t.Errorf("status of a cache of this build's runs only: %q", out)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "*.json"))
	if len(files) != 2 {
		t.Fatalf("%d entries, want 2", len(files))
	}
	var e struct {
		Numerics string `json:"numerics"`
	}
	data, err := os.ReadFile(files[0])
	if err == nil {
		err = json.Unmarshal(data, &e)
	}
	if err != nil || e.Numerics == "" {
		t.Fatalf("entry %s: numerics %q, %v", files[0], e.Numerics, err)
	}
	revision, _, _ := strings.Cut(e.Numerics, "+")
	other := revision + "+gomlx-other"
	data = []byte(strings.Replace(string(data), `"numerics": "`+e.Numerics+`"`, `"numerics": "`+other+`"`, 1))
	if err := os.WriteFile(files[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := captureStdout(t, append([]string{"status"}, grid...)...)
	want := fmt.Sprintf("note: 1 cached run(s) were computed by numerics %q; this backend computes %q.", other, e.Numerics)
	if !strings.Contains(out, "2 runs: 2 done") || !strings.Contains(out, want) {
		t.Errorf("status of a cache with a run of other numerics: %q, want %q", out, want)
	}
}

// captureStdout runs the sweep command with args and returns what it printed to stdout.
func captureStdout(t *testing.T, args ...string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	err = dispatch(args)
	w.Close()
	os.Stdout = old
	out, _ := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// -0 is read as fraction 0: its configuration key, cache files and table rows would otherwise differ from
// fraction 0's, and a cached fraction-0 run would be trained again under another name.
func TestParseFractionsNegativeZero(t *testing.T) {
	for _, s := range []string{"-0", "-0,0.5", "-0:0.5:0.5"} {
		f, err := parseFractions(s)
		if err != nil || len(f) == 0 || f[0] != 0 || math.Signbit(f[0]) {
			t.Errorf("%q: %v, %v; want +0 first", s, f, err)
		}
	}
}

// -workers takes 0 (one per core) to four per core, both ends included.
func TestCheckWorkers(t *testing.T) {
	most := 4 * runtime.GOMAXPROCS(0)
	for _, c := range []struct {
		n  int
		ok bool
	}{{0, true}, {1, true}, {most, true}, {most + 1, false}, {-1, false}} {
		if err := checkWorkers(c.n); (err == nil) != c.ok {
			t.Errorf("-workers %d: %v, want accepted %v", c.n, err, c.ok)
		}
	}
}
