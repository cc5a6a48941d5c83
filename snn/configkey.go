package snn

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// ConfigKey identifies a configuration by its differences from DefaultConfig (the notebook's values, which
// do not change): a hash of the sorted "field=value" pairs that differ. Fields added to Config later keep
// the keys of cached runs valid as long as they are left at their defaults.
//
// A configuration that JSON cannot encode (a NaN or infinite field, which Validate refuses) gets a key
// of its Go representation, never the default configuration's.
func ConfigKey(cfg Config) string {
	var cur, def map[string]any
	a, err := json.Marshal(cfg)
	if err != nil {
		sum := sha256.Sum256([]byte(fmt.Sprintf("unencodable %#v", cfg)))
		return hex.EncodeToString(sum[:8])
	}
	b, _ := json.Marshal(DefaultConfig())
	json.Unmarshal(a, &cur)
	json.Unmarshal(b, &def)
	var diffs []string
	for k, v := range cur {
		if fmt.Sprint(v) != fmt.Sprint(def[k]) {
			diffs = append(diffs, fmt.Sprintf("%s=%v", k, v))
		}
	}
	sort.Strings(diffs)
	sum := sha256.Sum256([]byte(strings.Join(diffs, "\n")))
	return hex.EncodeToString(sum[:8])
}

// CheckpointName is a file name that identifies a model's configuration, e.g. "dales_ie0.2_1a2b3c4d5e6f7a8b.ckpt":
// the inhibitory fraction for people, ConfigKey for uniqueness, so that models of different
// configurations (20 hidden units, or IE_RATIO 0.25 against 0.2) never share a file.
func CheckpointName(cfg Config) string {
	return fmt.Sprintf("dales_ie%g_%s.ckpt", cfg.InhibitoryFraction, ConfigKey(cfg))
}
