package notebooks

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// Every notebook reads its runs through its named run plan (study.Plans), every sweep it names is in
// that plan, every run of every plan is in the committed cache (done, of this revision of the numbers),
// and `make results` runs the plans by name without listing a condition of its own.
func TestRunPlans(t *testing.T) {
	opened := regexp.MustCompile(`study\.(?:OpenNotebook|PlanByName)\("([^"]+)"`)
	named := regexp.MustCompile(`(?:runs|Runs|Collect)\(((?:"[^"]*"(?:, )?)+)`)
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
	recipe := regexp.MustCompile(`(?m)^results:\n((?:\t.*\n)+)`).FindSubmatch(makefile)
	if recipe == nil {
		t.Fatal("the Makefile has no results target")
	}
	if r := string(recipe[1]); !strings.Contains(r, "-plan all") || strings.Contains(r, "-conditions") || strings.Contains(r, "-fractions") {
		t.Errorf("make results must run every plan by name (-plan all) and list no conditions or fractions:\n%s", r)
	}
}
