package study

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/snn-dales/dales/snn/ratenet"
)

// CommittedResults is the folder of the committed caches, beside the notebooks.
const CommittedResults = "results"

// TunedPlanByName returns the tuned plan named name (TunedPlans).
func TunedPlanByName(name string) (TunedPlan, error) {
	var names []string
	for _, p := range TunedPlans() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, fmt.Sprintf("%q", p.Name))
	}
	return TunedPlan{}, fmt.Errorf("study: tuned plan %q is unknown: want one of %s", name, strings.Join(names, ", "))
}

// TunedOutcome returns the outcome of the named tuned plan for this notebook: its tuning and test runs
// (and those of the plans it reuses) read from the plans' caches under the notebook's results folder,
// or trained there where missing. The
// tuned plans exist in the full protocol only, so in quick mode nothing is trained: the committed
// full-protocol runs (CommittedResults) are read, and a missing one is an error. Notes go to the log.
func (nb *Notebook) TunedOutcome(name string) (Outcome, error) {
	p, err := TunedPlanByName(name)
	if err != nil {
		return Outcome{}, err
	}
	tr, err := nb.trainOptions()
	if err != nil {
		return Outcome{}, err
	}
	opts := RunOptions{Workers: 0, Backend: tr.Backend, Recompute: nb.Recompute, OnRun: nb.OnRun}
	results := nb.Results
	if nb.Quick {
		results, opts.CacheOnly = CommittedResults, true
		fmt.Fprintf(nb.log(), "note: quick mode: plan %s (full protocol only) is read from the committed runs in %s/%s; nothing is trained\n",
			p.Name, CommittedResults, p.Cache)
	}
	tuned, test, notes, err := p.Run(context.Background(), results, opts)
	for _, n := range notes {
		fmt.Fprintln(nb.log(), "note:", n)
	}
	if err != nil {
		return Outcome{}, err
	}
	return p.Outcome(tuned, test)
}

// RateOutcome returns the outcome of the named rate-network plan (ratenet.Plans) for this notebook:
// its runs read from the plan's cache under the notebook's results folder, or trained there where
// missing (Fashion-MNIST from Debian's package). In quick mode nothing is trained: the committed runs
// (CommittedResults) are read, and a missing one is an error.
func (nb *Notebook) RateOutcome(name string) (RateOutcome, error) {
	p, err := ratenet.PlanByName(name)
	if err != nil {
		return RateOutcome{}, err
	}
	tr, err := nb.trainOptions()
	if err != nil {
		return RateOutcome{}, err
	}
	opts := ratenet.RunOptions{Results: nb.Results, Workers: runtime.GOMAXPROCS(0), Backend: tr.Backend, Recompute: nb.Recompute}
	if nb.Quick {
		opts.Results, opts.CacheOnly = CommittedResults, true
		fmt.Fprintf(nb.log(), "note: quick mode: plan %s is read from the committed runs in %s/%s; nothing is trained\n",
			p.Name, CommittedResults, p.Cache)
	}
	tuned, notes, err := p.Run(context.Background(), opts)
	if err != nil {
		return RateOutcome{}, err
	}
	for _, n := range notes {
		fmt.Fprintln(nb.log(), "note:", n)
	}
	return JudgeRate(p, tuned)
}
