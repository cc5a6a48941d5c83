package study

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/ratenet"
)

// frozenProgram prints {plan name: frozen JSON} for every TunedPlans() entry of the code it is built
// against. It uses only what the package had when the first plans were fixed (commit 1ecd0d1), and
// reads later fields by reflection where they exist, so it builds against the code of each record's
// commit and computes what TunedPlan.Frozen computes now.
const frozenProgram = `package main

import (
	"encoding/json"
	"os"
	"reflect"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

type frozenQuestion struct {
	Title string      ` + "`json:\"title\"`" + `
	Pairs [][2]string ` + "`json:\"pairs\"`" + `
}

type frozenPlan struct {
	Name          string           ` + "`json:\"name\"`" + `
	Conditions    []string         ` + "`json:\"conditions\"`" + `
	ConditionKeys []string         ` + "`json:\"condition_keys\"`" + `
	Fraction      float64          ` + "`json:\"fraction\"`" + `
	Grid          []float64        ` + "`json:\"grid\"`" + `
	SGDGrid       []float64        ` + "`json:\"sgd_grid\"`" + `
	TuningSeeds   []uint64         ` + "`json:\"tuning_seeds\"`" + `
	MaxExtensions int              ` + "`json:\"max_extensions\"`" + `
	TestSeeds     []uint64         ` + "`json:\"test_seeds\"`" + `
	Questions     []frozenQuestion ` + "`json:\"questions\"`" + `
	Margin        float64          ` + "`json:\"margin\"`" + `
	Protocol      string           ` + "`json:\"protocol\"`" + `
	Reuse         []string         ` + "`json:\"reuse,omitempty\"`" + `
	SeedRule      any              ` + "`json:\"seed_rule,omitempty\"`" + `
}

func main() {
	out := map[string]string{}
	for _, p := range study.TunedPlans() {
		f := frozenPlan{Name: p.Name, Conditions: p.Conditions, Fraction: p.Fraction, Grid: p.Tuning.Grid, SGDGrid: p.Tuning.SGDGrid,
			TuningSeeds: p.Tuning.Seeds, MaxExtensions: p.Tuning.MaxExtensions, TestSeeds: p.TestSeeds, Margin: p.Margin,
			Protocol: p.Protocol}
		// Reuse came after the first plans: read it where the commit's TunedPlan has it.
		if r := reflect.ValueOf(p).FieldByName("Reuse"); r.IsValid() {
			f.Reuse = r.Interface().([]string)
		}
		// So did SeedRule (a pointer, left out when nil).
		if r := reflect.ValueOf(p).FieldByName("SeedRule"); r.IsValid() && !r.IsNil() {
			f.SeedRule = r.Interface()
		}
		for _, name := range p.Conditions {
			c, err := study.ConditionByName(name)
			if err != nil {
				panic(err)
			}
			f.ConditionKeys = append(f.ConditionKeys, snn.ConfigKey(c.Apply(p.Base(), p.Fraction)))
		}
		for _, q := range p.Questions {
			f.Questions = append(f.Questions, frozenQuestion{Title: q.Title, Pairs: q.Pairs})
		}
		b, err := json.Marshal(f)
		if err != nil {
			panic(err)
		}
		out[p.Name] = string(b)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`

// rateProgram prints {plan name: JSON} for every ratenet.Plans() entry of the code it is built against
// (a rate plan's frozen content is its JSON: RatePlanFrozen).
const rateProgram = `package main

import (
	"encoding/json"
	"os"

	"github.com/snn-dales/dales/snn/ratenet"
)

func main() {
	out := map[string]string{}
	for _, p := range ratenet.Plans() {
		b, err := json.Marshal(p)
		if err != nil {
			panic(err)
		}
		out[p.Name] = string(b)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`

// fidelityProgram prints {plan name: frozen JSON} of the mirror notebook's fidelity plan (study.Fidelity)
// in the code it is built against.
const fidelityProgram = `package main

import (
	"encoding/json"
	"os"

	"github.com/snn-dales/dales/snn/study"
)

func main() {
	p := study.Fidelity()
	f, err := p.Frozen()
	if err != nil {
		panic(err)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]string{p.Name: f})
}
`

// gitIn runs git in dir and returns its trimmed output.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// frozenAt builds program against the packages as they were at commit and returns its output.
func frozenAt(t *testing.T, root, commit, program string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	archive := exec.Command("bash", "-c", `git -C "$1" archive "$2" go.mod go.sum snn | tar -x -C "$3"`, "bash", root, commit, dir)
	if out, err := archive.CombinedOutput(); err != nil {
		t.Fatalf("extracting commit %s: %v\n%s", commit, err, out)
	}
	if err := os.MkdirAll(filepath.Join(dir, "frozenplans"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "frozenplans", "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	run := exec.Command("go", "run", "./frozenplans")
	run.Dir = dir
	run.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := run.Output()
	if err != nil {
		msg := ""
		if e, ok := err.(*exec.ExitError); ok {
			msg = string(e.Stderr)
		}
		t.Fatalf("building the plans of commit %s: %v\n%s", commit, err, msg)
	}
	var m map[string]string
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("commit %s's plans: %v\n%s", commit, err, out)
	}
	return m
}

// TestPlanRecords checks every tuned plan's record against the history: the record's frozen content is
// what the recorded commit's code computes, the commit is in the history of HEAD, no file of the plan's
// cache existed at or before it (its runs came after it), every file of the cache is committed, and
// every tuned plan has a record. An amendment's content is what its commit's code computes, its commit
// follows the record (and any earlier amendment), and every run in the cache was written after it.
func TestPlanRecords(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("TestPlanRecords reads the history with git, which is not installed (setup.sh installs it)")
	}
	root := gitIn(t, ".", "rev-parse", "--show-toplevel")
	if gitIn(t, root, "rev-parse", "--is-shallow-repository") == "true" {
		t.Fatal("this clone is shallow: the plans' commits cannot be checked (clone with full history)")
	}
	caches := map[string]string{}   // plan name: cache folder
	programs := map[string]string{} // plan name: the program that prints its frozen content
	for _, p := range TunedPlans() {
		caches[p.Name], programs[p.Name] = p.Cache, frozenProgram
		if _, ok := p.Record(); !ok {
			t.Errorf("plan %s has no record", p.Name)
		}
	}
	for _, p := range ratenet.Plans() {
		caches[p.Name], programs[p.Name] = p.Cache, rateProgram
		if _, ok := RatePlanRecord(p); !ok {
			t.Errorf("rate plan %s has no record", p.Name)
		}
	}
	fid := Fidelity()
	caches[fid.Name], programs[fid.Name] = fid.Cache, fidelityProgram
	if _, ok := fid.Record(); !ok {
		t.Errorf("plan %s has no record", fid.Name)
	}
	built := map[string]map[string]string{}
	// fixedAt checks that commit (of plan's record or amendment, what) is a full hash in the history of
	// HEAD whose code computes frozen as the plan's content.
	fixedAt := func(plan, what, commit, frozen string) bool {
		if len(commit) != 40 {
			t.Errorf("plan %s: %s commit %q: want a full hash", plan, what, commit)
			return false
		}
		if err := exec.Command("git", "-C", root, "merge-base", "--is-ancestor", commit, "HEAD").Run(); err != nil {
			t.Errorf("plan %s: %s commit %s is not in the history of HEAD", plan, what, commit)
			return false
		}
		key := commit + programs[plan]
		if built[key] == nil {
			built[key] = frozenAt(t, root, commit, programs[plan])
		}
		if got := built[key][plan]; got != frozen {
			t.Errorf("plan %s: the %s is not what commit %s's code fixed:\n%s: %s\ncommit: %s", plan, what, commit[:7], what, frozen, got)
		}
		return true
	}
	for _, r := range PlanRecords() {
		cacheName, ok := caches[r.Plan]
		if !ok {
			t.Errorf("record of plan %s, which neither TunedPlans, ratenet.Plans nor Fidelity has", r.Plan)
			continue
		}
		if !fixedAt(r.Plan, "record", r.Commit, r.Frozen) {
			continue
		}
		cache := filepath.Join("notebooks", "results", cacheName)
		if before := gitIn(t, root, "log", "--format=%h %s", r.Commit, "--", cache); before != "" {
			t.Errorf("plan %s: its cache %s has commits at or before the plan's %s:\n%s", r.Plan, cache, r.ShortCommit(), before)
		}
		if untracked := gitIn(t, root, "ls-files", "--others", "--exclude-standard", "--", cache); untracked != "" {
			t.Errorf("plan %s: runs in %s that are not committed (their order against the plan cannot be shown):\n%s", r.Plan, cache, untracked)
		}
		if tracked := gitIn(t, root, "ls-files", "--", cache); tracked == "" {
			t.Errorf("plan %s: no committed run in %s", r.Plan, cache)
		}
	}
	records := map[string]PlanRecord{}
	for _, r := range PlanRecords() {
		records[r.Plan] = r
	}
	after := map[string]string{} // plan name: the commit its next amendment must follow
	for _, a := range PlanAmendments() {
		r, ok := records[a.Plan]
		if !ok {
			t.Errorf("amendment of plan %s, which has no record", a.Plan)
			continue
		}
		if !fixedAt(a.Plan, "amendment", a.Commit, a.Frozen) {
			continue
		}
		if a.Reason == "" {
			t.Errorf("plan %s: amendment %s gives no reason", a.Plan, a.ShortCommit())
		}
		if programs[a.Plan] != frozenProgram {
			t.Errorf("plan %s: amendment %s: only tuned plans (TunedPlans) can be amended; the outcomes of others read their record alone", a.Plan, a.ShortCommit())
			continue
		}
		fields, err := a.AmendedFields()
		if err != nil {
			t.Errorf("plan %s: amendment %s: %v", a.Plan, a.ShortCommit(), err)
			continue
		}
		if len(fields) == 0 {
			t.Errorf("plan %s: amendment %s changes nothing", a.Plan, a.ShortCommit())
		}
		for _, f := range fields {
			if !slices.Contains(amendableFields, f) {
				t.Errorf("plan %s: amendment %s changes %s, which decides what the runs are compared on; an amendment may change only %s",
					a.Plan, a.ShortCommit(), f, strings.Join(amendableFields, ", "))
			}
		}
		prev := r.Commit
		if c, ok := after[a.Plan]; ok {
			prev = c
		}
		after[a.Plan] = a.Commit
		if a.Commit == prev || exec.Command("git", "-C", root, "merge-base", "--is-ancestor", prev, a.Commit).Run() != nil {
			t.Errorf("plan %s: amendment %s does not come after %s (the record or the previous amendment)", a.Plan, a.ShortCommit(), prev[:7])
			continue
		}
		// Every run of the cache was written after the amendment: each committed file was added or
		// changed in a later commit.
		cache := filepath.Join("notebooks", "results", caches[a.Plan])
		since := map[string]bool{}
		for _, f := range strings.Fields(gitIn(t, root, "diff", "--name-only", "--diff-filter=AM", a.Commit, "HEAD", "--", cache)) {
			since[f] = true
		}
		var stale []string
		for _, f := range strings.Fields(gitIn(t, root, "ls-files", "--", cache)) {
			if !since[f] {
				stale = append(stale, f)
			}
		}
		if len(stale) > 0 {
			t.Errorf("plan %s: %d runs of %s were not written after its amendment in commit %s, e.g. %s", a.Plan, len(stale), cache,
				a.ShortCommit(), stale[0])
		}
		// A run computed again differs from its version at the amendment in more than its time.
		before := map[string]bool{}
		for _, f := range strings.Fields(gitIn(t, root, "ls-tree", "-r", "--name-only", a.Commit, "--", cache)) {
			before[f] = true
		}
		for f := range since {
			if !before[f] {
				continue
			}
			was, now := runWithoutTime(t, gitIn(t, root, "show", a.Commit+":"+f)), runWithoutTime(t, gitIn(t, root, "show", "HEAD:"+f))
			if was == now {
				t.Errorf("plan %s: %s differs from its version at amendment %s only in its time: not computed again", a.Plan, f, a.ShortCommit())
			}
		}
	}
}

// runWithoutTime is a cached run's JSON without its "seconds", canonical.
func runWithoutTime(t *testing.T, data string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("a cached run does not parse: %v", err)
	}
	delete(m, "seconds")
	b, _ := json.Marshal(m)
	return string(b)
}

// TestCachedFormulations checks that every cached run of the run plans and the tuned plans names, in its
// numerics, the formulation its condition resolves to on the pure-Go backend (Condition.Formulation,
// else the backend's choice): a condition pinned to another formulation, or unpinned, after its runs were
// cached shows here.
func TestCachedFormulations(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "notebooks", "results", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	backend := gobackend.GetBackend()
	checked := 0
	for _, f := range files {
		dir := filepath.Base(filepath.Dir(f))
		if dir == "fmnist" || dir == "models" {
			continue // rate networks and checkpoints: no formulation
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := DecodeRunResult(data)
		if err != nil || r.Numerics == "" {
			continue // not a run (the fidelity plan's PyTorch records)
		}
		c, err := ConditionByName(r.Condition)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		want, err := c.formulation(snn.FormulationAuto).Resolve(backend)
		if err != nil {
			t.Fatal(err)
		}
		if got, _, _ := strings.Cut(r.Numerics, "/"); got != string(want) {
			t.Errorf("%s: computed by %q; condition %s resolves to %s", f, r.Numerics, r.Condition, want)
		}
		checked++
	}
	if checked < 1000 {
		t.Errorf("checked %d cached runs, want the committed caches' 1300 or so", checked)
	}
}
