package notebooks

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/ratenet"
	"github.com/snn-dales/dales/snn/study"
)

// Every notebook reads its runs through its named run plan (study.Plans), every sweep it names is in
// that plan, every run of every plan is in the committed cache (done, of this revision of the numbers),
// and `make results` runs the plans by name without listing a condition of its own.
func TestRunPlans(t *testing.T) {
	opened := regexp.MustCompile(`study\.(?:OpenNotebook|PlanByName)\("([^"]+)"`)
	// runs("a", "b"), nb().Runs(...), p.Collect(...); not a longer name ending so (study.TorchPhaseRuns).
	named := regexp.MustCompile(`(?:^|[^A-Za-z0-9_])(?:runs|Runs|Collect)\(((?:"[^"]*"(?:, )?)+)`)
	for _, p := range study.Plans(false) {
		nb := readNotebook(t, p.Notebook)
		var source strings.Builder
		for _, c := range nb.Cells {
			if c.CellType == "code" {
				source.WriteString(text(c.Source) + "\n")
			}
		}
		src := source.String()
		var plans []string
		for _, m := range opened.FindAllStringSubmatch(src, -1) {
			plans = append(plans, m[1])
		}
		if len(plans) != 1 || plans[0] != p.Name {
			t.Errorf("%s opens the run plans %q, want exactly %q", p.Notebook, plans, p.Name)
		}
		sweeps := 0
		for _, m := range named.FindAllStringSubmatch(src, -1) {
			for _, name := range strings.Split(strings.TrimSuffix(m[1], ", "), ", ") {
				sweeps++
				if _, err := p.Sweep(strings.Trim(name, `"`)); err != nil {
					t.Errorf("%s: %v", p.Notebook, err)
				}
			}
		}
		if strings.Contains(src, "study.Sweep{") {
			t.Errorf("%s builds a sweep of its own instead of reading its plan", p.Notebook)
		}
		for _, ps := range p.Sweeps {
			s, err := ps.Build(snn.DefaultConfig(), "results")
			if err != nil {
				t.Fatal(err)
			}
			states, err := s.Status()
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range states {
				if st.State != study.Done {
					t.Errorf("plan %s sweep %s: run %+v is %s in the committed cache: %s", p.Name, ps.Name, st.Key, st.State, st.Detail)
				}
			}
		}
		t.Logf("%s: plan %q, %d sweeps named in its cells", p.Notebook, p.Name, sweeps)
	}
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	target := regexp.MustCompile(`(?m)^results:([^\n]*)\n((?:\t.*\n)+)`).FindSubmatch(makefile)
	if target == nil {
		t.Fatal("the Makefile has no results target")
	}
	prereqs, r := strings.Fields(string(target[1])), string(target[2])
	// setup installs the rate plan's data set (Debian's dataset-fashion-mnist): without it, make results
	// on a fresh machine stopped at its last command, 89 minutes in (2026-12-03).
	if !slices.Contains(prereqs, "setup") {
		t.Errorf("make results must depend on setup (it installs the rate plan's data set); its prerequisites: %q", prereqs)
	}
	if !strings.Contains(r, "-plan all") || strings.Contains(r, "-conditions") || strings.Contains(r, "-fractions") {
		t.Errorf("make results must run every plan by name (-plan all) and list no conditions or fractions:\n%s", r)
	}
	if !regexp.MustCompile(`(?m)^WORKERS \?= 2$`).Match(makefile) {
		t.Errorf("the Makefile must default WORKERS to 2 (the measured make results ran 2 at once on 2 cores)")
	}
	if !strings.Contains(r, "sweep tune -workers $(WORKERS) -plan all -test") {
		t.Errorf("make results must tune and test every tuned plan (sweep tune -plan all -test):\n%s", r)
	}
	for _, p := range ratenet.Plans() {
		if !strings.Contains(r, "sweep rate -workers $(WORKERS) -plan "+p.Name) {
			t.Errorf("make results must run the rate plan %s (sweep rate -plan %s):\n%s", p.Name, p.Name, r)
		}
	}
}

// Each tuned plan's conclusions are printed by its own notebook, through the plan and nothing else: the
// notebook asks for the outcome of exactly the tuned plans that name it, no cell judges comparisons of
// its own (study.Family, PairedDiff, TOST, Holm), and the committed outputs of the plan's cell hold the
// plan as described and the outcome's text recomputed now from the committed cache (families, margins,
// seeds and verdicts as the plan says), character for character.
func TestTunedPlansInNotebooks(t *testing.T) {
	asked := regexp.MustCompile(`TunedOutcome\("([^"]+)"\)`)
	adHoc := regexp.MustCompile(`study\.(?:Family|PairedDiff|TOST|Holm)\(`)
	byNotebook := map[string][]study.TunedPlan{}
	for _, p := range study.TunedPlans() {
		byNotebook[p.Notebook] = append(byNotebook[p.Notebook], p)
	}
	for path, plans := range byNotebook {
		nb := readNotebook(t, path)
		want := map[string]study.TunedPlan{}
		for _, p := range plans {
			want[p.Name] = p
		}
		seen := map[string]bool{}
		for i, c := range nb.Cells {
			if c.CellType != "code" {
				continue
			}
			src := text(c.Source)
			if adHoc.MatchString(src) {
				t.Errorf("%s cell %d judges comparisons of its own (%s)", path, i, adHoc.FindString(src))
			}
			for _, m := range asked.FindAllStringSubmatch(src, -1) {
				p, ok := want[m[1]]
				if !ok {
					t.Errorf("%s cell %d asks for tuned plan %q, which is not this notebook's (%v)", path, i, m[1], plans)
					continue
				}
				if seen[m[1]] {
					t.Errorf("%s asks for tuned plan %q twice", path, m[1])
				}
				seen[m[1]] = true
				var out strings.Builder
				for _, o := range c.Outputs {
					out.WriteString(text(o.Data["text/markdown"]))
					out.WriteString(text(o.Data["text/html"]))
				}
				ctx := context.Background()
				opts := study.RunOptions{Workers: 1, CacheOnly: true}
				tuned, test, _, err := p.Run(ctx, "results", opts)
				if err != nil {
					t.Fatal(err)
				}
				o, err := p.Outcome(tuned, test)
				if err != nil {
					t.Fatal(err)
				}
				got := out.String()
				for _, part := range []struct{ name, text string }{{"the plan", p.Describe()}, {"the outcome", o.Text()}} {
					if !strings.Contains(got, part.text) {
						t.Errorf("%s cell %d: the committed output does not hold %s as the plan gives it now:\n%s", path, i, part.name, part.text)
					}
				}
				for _, f := range o.Families {
					for _, c := range f.Comparisons {
						if !strings.Contains(got, c.Sentence()) {
							t.Errorf("%s cell %d: no verdict for %s vs %s", path, i, c.A, c.B)
						}
					}
				}
			}
		}
		for name := range want {
			if !seen[name] {
				t.Errorf("%s never asks for its tuned plan %q", path, name)
			}
		}
	}
}

// The rate-network plan's conclusions are printed by the populations notebook through the plan: the
// committed outputs of its cell hold the outcome's text recomputed now from the committed cache.
func TestRatePlanInNotebook(t *testing.T) {
	const path = "dales_law_populations.ipynb"
	nb := readNotebook(t, path)
	for _, p := range ratenet.Plans() {
		found := false
		for i, c := range nb.Cells {
			if c.CellType != "code" || !strings.Contains(text(c.Source), `RateOutcome("`+p.Name+`")`) {
				continue
			}
			found = true
			var out strings.Builder
			for _, o := range c.Outputs {
				out.WriteString(text(o.Data["text/markdown"]))
				out.WriteString(text(o.Data["text/html"]))
			}
			tuned, _, err := p.Run(context.Background(), ratenet.RunOptions{Results: "results", CacheOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			o, err := study.JudgeRate(p, tuned)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), o.Text()) {
				t.Errorf("%s cell %d: the committed output does not hold plan %s's outcome as computed now:\n%s", path, i, p.Name, o.Text())
			}
		}
		if !found {
			t.Errorf("%s never asks for rate plan %q", path, p.Name)
		}
	}
}

// The mirror notebook's fidelity table is printed through its plan (study.Fidelity): the committed
// output of its cell holds the table and the sentences recomputed now from the committed caches.
func TestFidelityInNotebook(t *testing.T) {
	const path = "dales_law.ipynb"
	nb := readNotebook(t, path)
	f, err := study.FidelityOf("results")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, c := range nb.Cells {
		if c.CellType != "code" || !strings.Contains(text(c.Source), `study.FidelityOf("results")`) {
			continue
		}
		found = true
		var out strings.Builder
		for _, o := range c.Outputs {
			out.WriteString(text(o.Data["text/plain"]))
			out.WriteString(text(o.Data["text/markdown"]))
		}
		for _, want := range []string{f.Table(), f.Sentences()} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s cell %d: the committed output does not hold the fidelity plan's outcome as computed now:\n%s", path, i, want)
			}
		}
	}
	if !found {
		t.Errorf("%s never prints the fidelity plan (study.FidelityOf)", path)
	}
}

// The interaction of the fixed-rate plans (study.RateInteraction) is printed by the populations notebook
// from the committed caches: the cell's committed output holds every sentence recomputed now, for the two
// plans the cell asks for (low rate first) and the pairs it names.
func TestRateInteractionInNotebook(t *testing.T) {
	path := "dales_law_populations.ipynb"
	nb := readNotebook(t, path)
	call := regexp.MustCompile(`study\.RateInteraction\(\w+, \w+, \[\]\[2\]string\{(.*)\}\)`)
	pair := regexp.MustCompile(`\{"([^"]+)", "([^"]+)"\}`)
	asked := regexp.MustCompile(`TunedOutcome\("([^"]+)"\)`)
	found := 0
	for i, c := range nb.Cells {
		src := text(c.Source)
		m := call.FindStringSubmatch(src)
		if c.CellType != "code" || m == nil {
			continue
		}
		found++
		var pairs [][2]string
		for _, p := range pair.FindAllStringSubmatch(m[1], -1) {
			pairs = append(pairs, [2]string{p[1], p[2]})
		}
		plans := asked.FindAllStringSubmatch(src, -1)
		if len(plans) != 2 || len(pairs) == 0 {
			t.Fatalf("%s cell %d: want two plans and at least one pair, found %v and %v", path, i, plans, pairs)
		}
		var outcomes []study.Outcome
		for _, name := range plans {
			p, err := study.TunedPlanByName(name[1])
			if err != nil {
				t.Fatal(err)
			}
			tuned, test, _, err := p.Run(context.Background(), "results", study.RunOptions{Workers: 1, CacheOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			o, err := p.Outcome(tuned, test)
			if err != nil {
				t.Fatal(err)
			}
			outcomes = append(outcomes, o)
		}
		cs, err := study.RateInteraction(outcomes[0], outcomes[1], pairs)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		for _, o := range c.Outputs {
			out.WriteString(text(o.Data["text/markdown"]))
			out.WriteString(text(o.Data["text/html"]))
		}
		for _, cmp := range cs {
			if !strings.Contains(out.String(), cmp.Sentence()) {
				t.Errorf("%s cell %d: the committed output lacks the interaction of %s and %s as computed now:\n%s", path, i, cmp.A, cmp.B, cmp.Sentence())
			}
		}
	}
	if found != 2 { // the fixed-rate plans and their replication on fresh seeds
		t.Errorf("%s: %d cells print study.RateInteraction, want 2", path, found)
	}
}

// The phase cells print PhaseConclusion (and, in the populations notebook, PhaseAveragedConclusion) as
// computed now from the committed caches, and the readings above them quote its estimates.
func TestPhaseInNotebooks(t *testing.T) {
	for _, c := range []struct {
		path, plan, sweep, reading string
		groups                     []study.PhaseGroup
		pairs                      [][2]study.PhaseGroup
	}{
		{"dales_law_controls.ipynb", "controls", "phase", "pha0ctl1", study.NotebookPhaseGroups(), nil},
		{"dales_law_populations.ipynb", "populations", "phase-lif", "lif0pha1", study.LIFPhaseGroups(), study.LIFPhaseCapPairs()},
		{"dales_law_populations.ipynb", "populations", "phase-lif-lr0.0316", "lif0pha3", study.LIFPhaseGroupsAt(0.0316228),
			study.LIFPhaseCapPairsAt(0.0316228)},
	} {
		p, err := study.PlanByName(c.plan, false)
		if err != nil {
			t.Fatal(err)
		}
		res, notDone, _, err := p.Collect(c.sweep, snn.DefaultConfig(), "results")
		if err != nil || len(notDone) > 0 {
			t.Fatalf("%s: %v, %d runs not done", c.path, err, len(notDone))
		}
		base := snn.DefaultConfig()
		conc, err := study.PhaseConclusion(res, study.AccuracyRules(), c.groups, base.BatchSize*base.TestBatches)
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{conc.Text()}
		pt := func(v float64) string { return fmt.Sprintf("%.1f", 100*v) }
		q := conc.Comparisons[0]
		quotes := []string{pt(q.Paired.CI.Mean) + " points", pt(q.MeanA.Mean) + "% against " + pt(q.MeanB.Mean) + "%"}
		if c.pairs == nil {
			quotes = append(quotes, "the difference, "+pt(conc.Comparisons[1].Paired.CI.Mean)+" points")
		} else {
			avg, err := study.PhaseAveragedConclusion(res, study.AccuracyRules(), c.pairs)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, avg.Text())
			a, b := avg.Comparisons[0].Paired.CI, avg.Comparisons[1].Paired.CI
			quotes = append(quotes, fmt.Sprintf("%s points with |w| (95%% CI %s to %s)", pt(a.Mean), pt(a.Low), pt(a.High)),
				fmt.Sprintf("%s with the step correction (%s to %s)", pt(b.Mean), pt(b.Low), pt(b.High)))
		}
		nb := readNotebook(t, c.path)
		var reading, out string
		for i, cell := range nb.Cells {
			if cell.ID == c.reading {
				reading = strings.Join(strings.Fields(text(cell.Source)), " ")
				for _, o := range nb.Cells[i+1].Outputs {
					out += text(o.Data["text/markdown"]) + text(o.Data["text/html"])
				}
			}
		}
		if reading == "" {
			t.Fatalf("%s has no cell %s", c.path, c.reading)
		}
		for _, want := range texts {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the phase cell's committed output lacks the conclusion as computed now:\n%s", c.path, want)
			}
		}
		for _, want := range quotes {
			if !strings.Contains(reading, want) {
				t.Errorf("%s cell %s: the reading does not quote %q", c.path, c.reading, want)
			}
		}
	}
	// The per-sample control: its cell's output and the reading's estimates.
	p, err := study.PlanByName("controls", false)
	if err != nil {
		t.Fatal(err)
	}
	var sets [2][]study.RunResult
	for i, sweep := range []string{"phase", "phase-per-sample"} {
		res, notDone, _, err := p.Collect(sweep, snn.DefaultConfig(), "results")
		if err != nil || len(notDone) > 0 {
			t.Fatalf("%s: %v, %d runs not done", sweep, err, len(notDone))
		}
		sets[i] = res
	}
	base := snn.DefaultConfig()
	c, err := study.PhaseModeConclusion(sets[0], sets[1], study.AccuracyRules(), study.NotebookPhaseGroups(), base.BatchSize*base.TestBatches)
	if err != nil {
		t.Fatal(err)
	}
	pt := func(v float64) string { return fmt.Sprintf("%.1f", 100*v) }
	q0, q1 := c.Comparisons[0], c.Comparisons[1]
	quotes := []string{pt(q0.Paired.CI.Mean) + " points higher", pt(q0.MeanA.Mean) + "% against " + pt(q0.MeanB.Mean) + "%",
		fmt.Sprintf("95%% CI %s to %s", pt(q0.Paired.CI.Low), pt(q0.Paired.CI.High)), fmt.Sprintf("(%+.1f)", 100*q1.Paired.CI.Mean)}
	checkReading(t, "dales_law_controls.ipynb", "pha0ctl3", quotes, c)
}

// checkReading checks that the markdown cell id of the notebook at path quotes every one of quotes and that
// the code cell after it printed every conclusion's text as computed now.
func checkReading(t *testing.T, path, id string, quotes []string, cs ...study.Conclusion) {
	t.Helper()
	nb := readNotebook(t, path)
	for i, cell := range nb.Cells {
		if cell.ID != id || i+1 == len(nb.Cells) {
			continue
		}
		reading := strings.Join(strings.Fields(text(cell.Source)), " ")
		for _, want := range quotes {
			if !strings.Contains(reading, want) {
				t.Errorf("%s cell %s: the reading does not quote %q", path, id, want)
			}
		}
		var out string
		for _, o := range nb.Cells[i+1].Outputs {
			out += text(o.Data["text/markdown"])
		}
		for _, c := range cs {
			if !strings.Contains(out, c.Text()) {
				t.Errorf("%s: the cell after %s lacks a conclusion as computed now:\n%s", path, id, c.Text())
			}
		}
		return
	}
	t.Errorf("%s has no cell %s followed by a code cell", path, id)
}

// The confirmation on fresh seeds: its cell prints the three planned conclusions as computed now from the
// committed caches, and the reading above it quotes their estimates.
func TestPhaseConfirmInNotebook(t *testing.T) {
	p, err := study.PlanByName("controls", false)
	if err != nil {
		t.Fatal(err)
	}
	var sets [2][]study.RunResult
	for i, sweep := range []string{"phase-confirm", "phase-per-sample-confirm"} {
		res, notDone, _, err := p.Collect(sweep, snn.DefaultConfig(), "results")
		if err != nil || len(notDone) > 0 {
			t.Fatalf("%s: %v, %d runs not done", sweep, err, len(notDone))
		}
		sets[i] = res
	}
	base, r, groups := snn.DefaultConfig(), study.AccuracyRules(), study.NotebookPhaseGroups()
	samples := base.BatchSize * base.TestBatches
	peak, err := study.PhaseConclusion(sets[0], r, groups, samples)
	if err != nil {
		t.Fatal(err)
	}
	mode, err := study.PhaseModeConclusion(sets[0], sets[1], r, groups, samples)
	if err != nil {
		t.Fatal(err)
	}
	partner, err := study.PhasePartnerConclusion(sets[0], sets[1], r, groups)
	if err != nil {
		t.Fatal(err)
	}
	pt := func(v float64) string { return fmt.Sprintf("%.1f", 100*v) }
	var quotes []string
	for _, c := range []study.Conclusion{peak, mode, partner} {
		for _, q := range c.Comparisons {
			d := q.Paired.CI
			quotes = append(quotes, fmt.Sprintf("%+.1f (unadjusted 95%% CI %s to %s)", 100*d.Mean, pt(d.Low), pt(d.High)))
		}
	}
	for i, fr := range []string{"at 0.5", "at 0.2"} { // the partners' own peak, with its interval
		b := partner.Comparisons[i].MeanB
		sg := func(v float64) string { return fmt.Sprintf("%+.1f", 100*v) }
		if i == 0 {
			quotes = append(quotes, fmt.Sprintf("(%s points, unadjusted 95%% CI %s to %s, %s", sg(b.Mean), sg(b.Low), sg(b.High), fr))
		} else {
			quotes = append(quotes, fmt.Sprintf("%s, %s to %s, %s", sg(b.Mean), sg(b.Low), sg(b.High), fr))
		}
	}
	checkReading(t, "dales_law_controls.ipynb", "pha0ctl5", quotes, peak, mode, partner)
}

// The PyTorch phase probe: its cell prints PhaseConclusion as computed now from the committed records, and
// the reading above it quotes its estimates.
func TestTorchPhaseInNotebook(t *testing.T) {
	runs, err := study.TorchPhaseRuns("results")
	if err != nil {
		t.Fatal(err)
	}
	c, err := study.PhaseConclusion(runs, study.AccuracyRules(), study.TorchPhaseGroups(), study.TorchPhaseSamples)
	if err != nil {
		t.Fatal(err)
	}
	pt := func(v float64) string { return fmt.Sprintf("%.1f", 100*v) }
	var quotes []string
	for _, q := range c.Comparisons {
		d := q.Paired.CI
		quotes = append(quotes, fmt.Sprintf("%+.1f (unadjusted 95%% CI %s to %s)", 100*d.Mean, pt(d.Low), pt(d.High)),
			pt(q.MeanA.Mean)+"% against "+pt(q.MeanB.Mean)+"%")
	}
	checkReading(t, "dales_law_controls.ipynb", "pha0ctl7", quotes, c)
}
