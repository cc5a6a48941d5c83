package snn

import "math"

// Discretise maps an IPD in radians to its class, as the notebook's discretise:
//
//	class = floor((ipd + pi/2) * numClasses / pi)
//
// The notebook draws IPDs in [-pi/2, pi/2); the closed end pi/2 (reachable only with StimulusForIPDs)
// is put in the last class rather than in a non-existent class numClasses. Values outside
// [-pi/2, pi/2] are clamped likewise; the generators never produce them. numClasses must be at least 1
// (Config.Validate asks for 2 or more).
func Discretise(ipd float64, numClasses int) int {
	c := int(math.Floor((ipd + math.Pi/2) * float64(numClasses) / math.Pi))
	return min(max(c, 0), numClasses-1)
}

// Continuise maps a class back to the midpoint of its IPD bin in radians, as the notebook's continuise:
//
//	ipd = (class + 0.5) / numClasses * pi - pi/2
func Continuise(class, numClasses int) float64 {
	return (float64(class)+0.5)/float64(numClasses)*math.Pi - math.Pi/2
}

// Degrees converts radians to degrees.
func Degrees(rad float64) float64 { return rad * 180 / math.Pi }
