// Package notebooks holds the GoNB notebooks (dales_law.ipynb mirrors the original notebook cell by
// cell; dales_law_controls.ipynb answers its open questions with controlled experiments, and
// dales_law_populations.ipynb compares separate E/I populations, sign-preserving update rules and weight
// spectra; the runs of both are cached in results/), their set-up script and the tests that execute every notebook headlessly with the
// real GoNB kernel. It has no Go API.
package notebooks
