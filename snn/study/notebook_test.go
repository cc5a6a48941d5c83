package study

import (
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

// OpenNotebook reads quick mode and recomputation from the environment: 1 is on, unset or 0 off, and any
// other value is refused before a run is read or trained, naming the variable and its value.
func TestOpenNotebookEnvironment(t *testing.T) {
	for _, c := range []struct {
		quick, recompute  string
		wantQuick, wantRe bool
		wantErr           string
	}{
		{"", "", false, false, ""},
		{"1", "0", true, false, ""},
		{"0", "1", false, true, ""},
		{"true", "", false, false, `$SNN_QUICK = "true" is invalid`},
		{"", "yes", false, false, `$SNN_RECOMPUTE = "yes" is invalid`},
	} {
		t.Setenv(snn.QuickEnv, c.quick)
		t.Setenv(RecomputeEnv, c.recompute)
		t.Setenv("SNN_OUT", t.TempDir())
		nb, err := OpenNotebook("controls")
		name := "SNN_QUICK=" + c.quick + " SNN_RECOMPUTE=" + c.recompute
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: %v, want an error containing %q", name, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantEpochs := snn.DefaultConfig().Epochs
		if c.wantQuick {
			wantEpochs = snn.Quick(snn.DefaultConfig()).Epochs
		}
		if nb.Quick != c.wantQuick || nb.Base.Epochs != wantEpochs || nb.Recompute != c.wantRe {
			t.Errorf("%s: quick %v (%d epochs), recompute %v; want %v (%d), %v", name, nb.Quick, nb.Base.Epochs, nb.Recompute,
				c.wantQuick, wantEpochs, c.wantRe)
		}
	}
}

// The mirror notebook's configurations are "edited" when either differs from the original's in anything
// but the seed: either fraction (the notebook once missed a change of the first), a hyperparameter, or
// quick mode.
func TestEditedFromOriginal(t *testing.T) {
	at := func(f float64, seed uint64) snn.Config {
		c := snn.DefaultConfig()
		c.InhibitoryFraction, c.Seed = f, seed
		return c
	}
	hidden := at(0.5, 1)
	hidden.NumHidden = 50
	for _, c := range []struct {
		name          string
		first, second snn.Config
		want          bool
	}{
		{"original", at(0.5, 1), at(0.2, 1), false},
		{"another seed", at(0.5, 4), at(0.2, 4), false},
		{"first fraction", at(0.4, 1), at(0.2, 1), true},
		{"second fraction", at(0.5, 1), at(0.3, 1), true},
		{"fractions swapped", at(0.2, 1), at(0.5, 1), true},
		{"hidden units", hidden, at(0.2, 1), true},
		{"quick", snn.Quick(at(0.5, 1)), snn.Quick(at(0.2, 1)), true},
	} {
		if got := EditedFromOriginal(c.first, c.second); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
