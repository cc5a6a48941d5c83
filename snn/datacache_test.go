package snn

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// dataCacheBase is a small configuration for the data cache's tests: 4 samples per set, 20 steps, 16
// fibres.
func dataCacheBase() Config {
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches = 4, 1, 1, 1
	cfg.Duration, cfg.ANFPerEar = 0.02, 8
	return cfg
}

// Every field of Config is changed in turn, to each value the table below offers that the configuration
// accepts, from the notebook's network and from the E/I-population network (whose own fields apply only
// there; with LIF inhibitory units and DANN's correction for the fields that apply only to those, and with
// delayed ones for InhibitoryDelay, with a rate cap for its two fields): the
// data sets GenerateData draws change exactly when dataKey changes. So two runs share data
// (DataCache) only when they would have drawn the same, and each field of the key matters. A field with
// no accepted change fails the test (a new field must be given one here).
func TestDataKeyCoversData(t *testing.T) {
	pop := dataCacheBase()
	pop.Architecture, pop.NumHidden = ArchPopulations, 27
	popLIF := pop // where LIFInhibitoryInit and DANNCorrectStep apply
	popLIF.InhibitoryUnits, popLIF.DANNCorrection = InhibitoryLIF, true
	popDelayed := pop // where InhibitoryDelay applies
	popDelayed.InhibitoryUnits, popDelayed.InhibitoryDelay = InhibitoryDelayed, 2
	popCapped := popLIF // where the rate cap applies (its two fields are set together)
	popCapped.InhibitoryRateCap, popCapped.InhibitoryRateWeight = 0.25, 100
	alternatives := map[string][]any{ // string-typed fields: their other values
		"Phase": {PhasePerSample}, "Layout": {MaskRandom}, "DaleLayers": {DaleInput, DaleHidden},
		"SignParam": {SignReLU, SignClip}, "SignInit": {SignInitSymmetric}, "Architecture": {ArchPopulations},
		"InhibitoryUnits": {InhibitoryLIF, InhibitoryDelayed, InhibitoryFiltered}, "LIFInhibitoryInit": {LIFInitBalanced}, "Inhibition": {InhibitionShunting},
		"PopInit": {PopInitSeedScale}, "Optimizer": {OptimizerSGD}, "EarlyStop": {EarlyStopPatience, EarlyStopOff},
	}
	tried := map[string]int{}
	for _, base := range []Config{dataCacheBase(), pop, popLIF, popDelayed, popCapped} {
		ref := mustData(t, base)
		v := reflect.ValueOf(base)
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			var tries []any
			switch x := v.Field(i).Interface().(type) {
			case float64:
				tries = []any{x * 1.5, x * 0.5}
				if x == 0 {
					tries = []any{0.25}
				}
			case int:
				tries = []any{x + 1, x * 2, x - 1}
			case uint64:
				tries = []any{x + 1}
			case bool:
				tries = []any{!x}
			default:
				tries = alternatives[f.Name]
			}
			for _, alt := range tries {
				cfg := base
				fv := reflect.ValueOf(&cfg).Elem().Field(i)
				fv.Set(reflect.ValueOf(alt).Convert(fv.Type()))
				if cfg.Validate() != nil {
					continue
				}
				tried[f.Name]++
				same := sameData(ref, mustData(t, cfg))
				if keySame := dataKey(cfg) == dataKey(base); keySame != same {
					t.Errorf("%s network, Config.%s = %v: the data sets are the same: %v; dataKey is the same: %v",
						base.Architecture, f.Name, alt, same, keySame)
				}
			}
		}
	}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[Config]()) {
		if tried[f.Name] == 0 {
			t.Errorf("Config.%s: no change of it was valid, so the field is untested", f.Name)
		}
	}
}

func mustData(t *testing.T, cfg Config) [3]*Dataset {
	t.Helper()
	a, b, c, err := GenerateData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return [3]*Dataset{a, b, c}
}

func sameData(a, b [3]*Dataset) bool {
	for k := range a {
		x, y := a[k], b[k]
		if x.NumSteps != y.NumSteps || x.NumInputs != y.NumInputs || !slices.Equal(x.IPD, y.IPD) ||
			!slices.Equal(x.PhaseOffset, y.PhaseOffset) || !slices.Equal(x.bits, y.bits) {
			return false
		}
	}
	return true
}

// A DataCache hands runs of one data configuration the same sets (whatever else differs), generates a
// configuration's sets once however many goroutines ask at once, drops the least recently used
// configuration beyond its size, refuses a bad configuration as GenerateData does, and a nil cache
// generates fresh sets.
func TestDataCache(t *testing.T) {
	base := dataCacheBase()
	c := NewDataCache(2)
	other := base
	other.LearningRate, other.SignParam, other.NumHidden = 0.1, SignReLU, 7
	var wg sync.WaitGroup
	got := make([][3]*Dataset, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := base
			if g%2 == 1 {
				cfg = other
			}
			a, b, d, err := c.Data(cfg)
			if err != nil {
				t.Error(err)
			}
			got[g] = [3]*Dataset{a, b, d}
		}()
	}
	wg.Wait()
	for g := range got {
		if got[g] != got[0] {
			t.Fatalf("call %d got other sets than call 0 for the same data configuration", g)
		}
	}
	if !sameData(got[0], mustData(t, base)) {
		t.Fatal("the cached sets differ from GenerateData's")
	}
	seed := func(s uint64) Config { cfg := base; cfg.Seed = s; return cfg }
	first := func(cfg Config) *Dataset { a, _, _, _ := c.Data(cfg); return a }
	s2 := first(seed(2))
	if s2 == got[0][0] {
		t.Fatal("seeds 1 and 2 share a training set")
	}
	if first(seed(1)) != got[0][0] { // seed 1 is now the most recently used, seed 2 the least
		t.Fatal("seed 1's sets were dropped while the cache had room")
	}
	first(seed(3)) // drops seed 2
	if first(seed(1)) != got[0][0] {
		t.Fatal("seed 1, the most recently used, was dropped")
	}
	if first(seed(2)) == s2 {
		t.Fatal("seed 2, the least recently used of three in a cache of two, was kept")
	}
	bad := base
	bad.ANFPerEar = -1
	if _, _, _, err := c.Data(bad); err == nil {
		t.Fatal("a configuration with ANFPerEar -1 was accepted")
	}
	var none *DataCache
	a1, _, _, err := none.Data(base)
	a2, _, _, _ := none.Data(base)
	if err != nil || a1 == a2 || !sameData([3]*Dataset{a1, a1, a1}, [3]*Dataset{a2, a2, a2}) {
		t.Fatalf("a nil cache: err %v, the same set twice: %v", err, a1 == a2)
	}
}

// ExampleDataCache shows two runs of one seed that differ in learning rate sharing their data, and a
// third, of another seed, drawing its own.
func ExampleDataCache() {
	cfg := DefaultConfig()
	cfg.BatchSize, cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches = 16, 2, 1, 1
	cache := NewDataCache(2)
	other := cfg
	other.LearningRate = 0.1
	reseeded := cfg
	reseeded.Seed = 2
	a, _, _, _ := cache.Data(cfg)
	b, _, _, _ := cache.Data(other)
	c, _, _, _ := cache.Data(reseeded)
	fmt.Println(a == b, a == c, a.Len(), cache.Generated())
	// Output: true false 32 2
}
