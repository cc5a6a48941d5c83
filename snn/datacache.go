package snn

import (
	"sync"
	"sync/atomic"
)

// DataCache shares the data sets of GenerateData between runs whose configurations draw the same data:
// runs that differ only in the network, its training or its sign rule (a sweep's learning rates and
// conditions on one seed). It keeps the sets of the last size data configurations asked for (NewDataCache's
// argument; dataKey),
// generated once each; their spike lists and fibre indexes, built on first use, are shared with them. A
// Dataset is never modified after it is generated, so concurrent runs may read one. A nil *DataCache
// generates fresh sets on every call. Safe for concurrent use.
//
// Memory: one configuration's sets at the notebook's sizes (10,240 samples) take about 90 MB once their
// spike lists and the training set's fibre index are built.
type DataCache struct {
	size    int
	mu      sync.Mutex
	entries []*dataEntry // least recently used first
	made    atomic.Int64 // data configurations generated (Generated)
}

type dataEntry struct {
	key              Config
	once             sync.Once
	train, val, test *Dataset
	err              error
}

// NewDataCache returns a cache of the data sets of the last size configurations (at least 1).
func NewDataCache(size int) *DataCache { return &DataCache{size: max(size, 1)} }

// dataKey is the part of cfg that GenerateData's sets depend on: the stimulus's parameters, the sets'
// sizes and the seed. Every other field is zero. TestDataKeyCoversData checks, field by field, that a
// change of any other field leaves the generated sets as they are.
func dataKey(cfg Config) Config {
	return Config{DT: cfg.DT, Duration: cfg.Duration, ANFPerEar: cfg.ANFPerEar, RateMax: cfg.RateMax,
		StimulusFrequency: cfg.StimulusFrequency, EnvelopePower: cfg.EnvelopePower, Phase: cfg.Phase,
		BatchSize: cfg.BatchSize, TrainBatches: cfg.TrainBatches, ValidationBatches: cfg.ValidationBatches,
		TestBatches: cfg.TestBatches, Seed: cfg.Seed}
}

// Data returns GenerateData(cfg), shared with earlier calls for the same data configuration while the
// cache keeps it. cfg is validated first, as GenerateData does.
func (c *DataCache) Data(cfg Config) (train, val, test *Dataset, err error) {
	if c == nil {
		return GenerateData(cfg)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, nil, err
	}
	e := c.entry(dataKey(cfg))
	e.once.Do(func() {
		c.made.Add(1)
		e.train, e.val, e.test, e.err = GenerateData(cfg)
	})
	return e.train, e.val, e.test, e.err
}

// Generated is the number of data configurations the cache has generated sets for (a configuration
// dropped and asked for again counts again).
func (c *DataCache) Generated() int { return int(c.made.Load()) }

// entry returns the cache's entry for key, made (and the least recently used dropped) if it has none.
func (c *DataCache) entry(key Config) *dataEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			return e
		}
	}
	e := &dataEntry{key: key}
	if len(c.entries) >= c.size {
		c.entries[0] = nil // the dropped sets are not kept alive by the backing array
		c.entries = c.entries[1:]
	}
	c.entries = append(c.entries, e)
	return e
}
