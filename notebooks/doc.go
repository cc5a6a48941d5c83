// Package notebooks holds the GoNB notebooks (dales_law.ipynb mirrors the original notebook cell by
// cell), their set-up script and the test that executes every notebook headlessly with the real GoNB
// kernel. It has no Go API.
package notebooks
