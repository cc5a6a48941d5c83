package snn

// QuickEnv is the environment variable that switches notebooks and tests to a quick protocol.
const QuickEnv = "SNN_QUICK"

// QuickFromEnv returns cfg unchanged unless $SNN_QUICK is "1", in which case it returns a quick version:
// 3 epochs on 8 training, 4 validation and 4 test batches (about 20x less work than the notebook's
// protocol). The notebooks call it so that tests can execute them in minutes. A value other than 1, 0 or
// empty is an error (EnvSwitch).
func QuickFromEnv(cfg Config) (Config, error) {
	quick, err := EnvSwitch(QuickEnv)
	if err != nil || !quick {
		return cfg, err
	}
	return Quick(cfg), nil
}

// Quick returns the quick version of cfg: 3 epochs on 8 training, 4 validation and 4 test batches.
func Quick(cfg Config) Config {
	cfg.Epochs, cfg.TrainBatches, cfg.ValidationBatches, cfg.TestBatches = 3, 8, 4, 4
	return cfg
}
