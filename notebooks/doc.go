// Package notebooks holds the GoNB notebooks (dales_law.ipynb mirrors the original notebook cell by
// cell; dales_law_controls.ipynb answers its open questions with controlled experiments whose runs are
// cached in results/), their set-up script and the tests that execute every notebook headlessly with the
// real GoNB kernel. It has no Go API.
package notebooks
