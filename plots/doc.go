// Package plots draws the figures of the Dale's-law notebook, and honest versions of the misleading
// ones, from what package snn computes. Figures are rendered with gonum.org/v1/plot (its fonts are
// embedded: no system fonts are needed) and returned as SVG (the default) or PNG bytes, or written to
// files; Show and ShowSVG display them inline in a GoNB notebook.
//
// Conventions: matrix arguments are [row][column]; heat maps follow matplotlib's imshow (row 0 at the
// top unless OriginLower) so that the notebook's images keep their orientation. Every figure function
// returns a *Figure, a grid of panels with a size in points.
package plots
