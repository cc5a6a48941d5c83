package snn

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// The notebook's values (its "Hyperparameters" cell and the constants inside input_signal and train).
func TestDefaultConfigIsTheNotebook(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig invalid: %v", err)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"DT", c.DT, 0.001}, {"Duration", c.Duration, 0.1}, {"NumSteps", float64(c.NumSteps()), 100},
		{"ANFPerEar", float64(c.ANFPerEar), 100}, {"NumInputs", float64(c.NumInputs()), 200},
		{"NumHidden", float64(c.NumHidden), 30}, {"NumClasses", float64(c.NumClasses), 12},
		{"Tau", c.Tau, 0.005}, {"LearningRate", c.LearningRate, 0.01}, {"AdamEpsilon", c.AdamEpsilon, 1e-8},
		{"BatchSize", float64(c.BatchSize), 64}, {"TrainBatches", float64(c.TrainBatches), 64},
		{"ValidationBatches", float64(c.ValidationBatches), 64}, {"TestBatches", float64(c.TestBatches), 32},
		{"Epochs", float64(c.Epochs), 50}, {"InhibitoryFraction", c.InhibitoryFraction, 0.5},
		{"SurrogateBeta", c.SurrogateBeta, 5}, {"ReadoutScale", c.ReadoutScale, 0.01},
		{"RateMax", c.RateMax, 600}, {"StimulusFrequency", c.StimulusFrequency, 20},
		{"EnvelopePower", c.EnvelopePower, 2}, {"Alpha", c.Alpha(), math.Exp(-0.2)},
	}
	for _, k := range checks {
		if k.got != k.want {
			t.Errorf("%s = %v, want %v", k.name, k.got, k.want)
		}
	}
	if !c.DalesLaw || c.Layout != MaskBlocked || c.Phase != PhasePerDataset || c.EarlyStop != EarlyStopNotebook {
		t.Errorf("faithful options not default: DalesLaw=%v Layout=%q Phase=%q EarlyStop=%q", c.DalesLaw, c.Layout, c.Phase, c.EarlyStop)
	}
}

func TestConfigValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		field string
		edit  func(*Config)
	}{
		{"DT", func(c *Config) { c.DT = 0 }},
		{"DT", func(c *Config) { c.DT = -1e-3 }},
		{"DT", func(c *Config) { c.DT = nan }},
		{"DT", func(c *Config) { c.DT = inf }},
		{"DT", func(c *Config) { c.DT = c.Duration }}, // DT >= duration: fewer than 2 steps
		{"DT", func(c *Config) { c.DT = 2 * c.Duration }},
		{"Duration", func(c *Config) { c.Duration = 0 }},
		{"Duration", func(c *Config) { c.Duration = nan }},
		{"Duration", func(c *Config) { c.Duration = -inf }},
		{"ANFPerEar", func(c *Config) { c.ANFPerEar = 0 }},
		{"ANFPerEar", func(c *Config) { c.ANFPerEar = -3 }},
		{"RateMax", func(c *Config) { c.RateMax = 0 }},
		{"RateMax", func(c *Config) { c.RateMax = nan }},
		{"RateMax", func(c *Config) { c.RateMax = 2000 }}, // RateMax*DT > 1
		{"StimulusFrequency", func(c *Config) { c.StimulusFrequency = -20 }},
		{"StimulusFrequency", func(c *Config) { c.StimulusFrequency = inf }},
		{"EnvelopePower", func(c *Config) { c.EnvelopePower = 0 }},
		{"EnvelopePower", func(c *Config) { c.EnvelopePower = nan }},
		{"Phase", func(c *Config) { c.Phase = "sometimes" }},
		{"NumHidden", func(c *Config) { c.NumHidden = 0 }},
		{"NumClasses", func(c *Config) { c.NumClasses = 1 }},
		{"NumClasses", func(c *Config) { c.NumClasses = -12 }},
		{"Tau", func(c *Config) { c.Tau = 0 }},
		{"Tau", func(c *Config) { c.Tau = nan }},
		{"SurrogateBeta", func(c *Config) { c.SurrogateBeta = -5 }},
		{"SurrogateBeta", func(c *Config) { c.SurrogateBeta = inf }},
		{"ReadoutScale", func(c *Config) { c.ReadoutScale = 0 }},
		{"InhibitoryFraction", func(c *Config) { c.InhibitoryFraction = -0.1 }},
		{"InhibitoryFraction", func(c *Config) { c.InhibitoryFraction = 1.5 }},
		{"InhibitoryFraction", func(c *Config) { c.InhibitoryFraction = nan }},
		{"Layout", func(c *Config) { c.Layout = "checkerboard" }},
		{"SignParam", func(c *Config) { c.SignParam = "tanh" }},
		{"DaleLayers", func(c *Config) { c.DaleLayers = "readout" }},
		{"DaleLayers", func(c *Config) { c.DaleLayers = "" }},
		{"LearningRate", func(c *Config) { c.LearningRate = 0 }},
		{"LearningRate", func(c *Config) { c.LearningRate = nan }},
		{"AdamEpsilon", func(c *Config) { c.AdamEpsilon = -1e-8 }},
		{"BatchSize", func(c *Config) { c.BatchSize = 0 }},
		{"TrainBatches", func(c *Config) { c.TrainBatches = 0 }},
		{"ValidationBatches", func(c *Config) { c.ValidationBatches = -1 }},
		{"TestBatches", func(c *Config) { c.TestBatches = 0 }},
		{"Epochs", func(c *Config) { c.Epochs = 0 }},
		{"EarlyStop", func(c *Config) { c.EarlyStop = "sometimes" }},
		{"Patience", func(c *Config) { c.EarlyStop = EarlyStopPatience; c.Patience = 0 }},
		{"NotebookWindow", func(c *Config) { c.NotebookWindow = 0 }},
	}
	for _, tc := range cases {
		c := DefaultConfig()
		tc.edit(&c)
		err := c.Validate()
		if err == nil {
			t.Errorf("%s: Validate accepted %+v", tc.field, c)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "Config."+tc.field+" = ") || !strings.Contains(msg, "want ") {
			t.Errorf("%s: error %q does not name the field, its value and what is allowed", tc.field, msg)
		}
	}
	// Edges that are allowed.
	for _, edit := range []func(*Config){
		func(c *Config) { c.InhibitoryFraction = 0 },
		func(c *Config) { c.InhibitoryFraction = 1 },
		func(c *Config) { c.DT, c.RateMax = c.Duration/2, 10 },
		func(c *Config) { c.EarlyStop = EarlyStopOff; c.NotebookWindow = 0 },
		func(c *Config) { c.Layout = MaskRandom; c.Phase = PhasePerSample; c.DalesLaw = false },
	} {
		c := DefaultConfig()
		edit(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("valid config rejected: %v", err)
		}
	}
}

// Checkpoint names tell configurations apart that a %.1f fraction would not (0.25 and 0.2), and any other
// change (20 hidden units), and stay the same for the same configuration.
func TestCheckpointName(t *testing.T) {
	a, b, c := DefaultConfig(), DefaultConfig(), DefaultConfig()
	a.InhibitoryFraction, b.InhibitoryFraction, c.InhibitoryFraction = 0.2, 0.25, 0.2
	c.NumHidden = 20
	na, nb, nc := CheckpointName(a), CheckpointName(b), CheckpointName(c)
	if na == nb || na == nc || nb == nc || na != CheckpointName(a) {
		t.Errorf("names %q %q %q", na, nb, nc)
	}
	if !strings.HasPrefix(na, "dales_ie0.2_") || !strings.HasPrefix(nb, "dales_ie0.25_") || !strings.HasSuffix(na, ".ckpt") {
		t.Errorf("names %q %q do not say the fraction", na, nb)
	}
}

// Every float field of Config must be finite (issue 24: a NaN fraction of an unconstrained run was
// accepted, and its configuration got the default configuration's key): Validate names the field, and
// ConfigKey of such a configuration differs from the default's.
func TestValidateRefusesNonFiniteFields(t *testing.T) {
	rv := reflect.ValueOf(DefaultConfig())
	n := 0
	for i := 0; i < rv.NumField(); i++ {
		if rv.Field(i).Kind() != reflect.Float64 {
			continue
		}
		name := rv.Type().Field(i).Name
		for _, v := range []float64{math.NaN(), math.Inf(1)} {
			c := DefaultConfig()
			reflect.ValueOf(&c).Elem().Field(i).SetFloat(v)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), "Config."+name+" = ") {
				t.Errorf("%s = %v: error %v, want one naming the field", name, v, err)
			}
			if ConfigKey(c) == ConfigKey(DefaultConfig()) {
				t.Errorf("%s = %v has the default configuration's key", name, v)
			}
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d float fields checked", n)
	}
}
