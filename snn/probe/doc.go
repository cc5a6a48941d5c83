// Package probe asks questions of one trained network of package snn, always on copies: which input rows
// to cut and their matched controls (Cuts, CutRows, MatchRows), input and hidden-unit ablation
// (AblateInputs, AblateHidden, Ablate, HiddenAblationCurve), edits of the E/I-population network's
// inhibitory pathway (EditInhibition, FlattenExcitation), how a Dale mask splits over ears and phase
// delays (AssignmentReport), what the notebook's sign images show (SignImage), and tuning curves
// against the interaural phase difference (TuningCurves of snn.Simulate's responses).
//
// It builds on snn's exported API only (the compiler keeps snn free of experiments); its random draws
// come from snn.NewRand with the streams snn.StreamAblation and snn.StreamPopAblation, so they never
// shift the model's own.
package probe
