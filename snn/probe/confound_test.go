package probe

import (
	"strings"
	"testing"

	"github.com/snn-dales/dales/snn"
)

func TestAssignmentReport(t *testing.T) {
	cfg := snn.DefaultConfig()
	// Fraction 0.5, blocked: rows 0..99 (the left ear) inhibitory, counted by hand.
	m, _ := snn.NewModel(cfg)
	r := AssignmentReport(m)
	if r.Ear != [2][2]int{{100, 0}, {0, 100}} || r.Quarter != [2][4]int{{25, 25, 25, 25}, {25, 25, 25, 25}} {
		t.Errorf("0.5 blocked: ears %v, quarters %v", r.Ear, r.Quarter)
	}
	if len(r.Warnings) != 2 || !strings.Contains(r.String(), "left ear") || !strings.Contains(r.String(), "right ear") {
		t.Errorf("0.5 blocked: want a warning for each class, got %q", r.String())
	}
	// Fraction 0.2, blocked: rows 0..39 are left-ear delays 0..39 (quarters 0, 1 and 15 of quarter 2).
	cfg.InhibitoryFraction = 0.2
	m, _ = snn.NewModel(cfg)
	r = AssignmentReport(m)
	if r.Ear != [2][2]int{{40, 0}, {60, 100}} || r.Quarter[0] != [4]int{25, 15, 0, 0} || len(r.Warnings) != 1 {
		t.Errorf("0.2 blocked: ears %v, inhibitory quarters %v, %d warnings", r.Ear, r.Quarter[0], len(r.Warnings))
	}
	// Random layout: both classes in both ears, no warning.
	cfg.InhibitoryFraction, cfg.Layout = 0.5, snn.MaskRandom
	m, _ = snn.NewModel(cfg)
	r = AssignmentReport(m)
	if r.Ear[0][0] == 0 || r.Ear[0][1] == 0 || r.Ear[0][0]+r.Ear[0][1] != 100 || len(r.Warnings) != 0 {
		t.Errorf("0.5 random: ears %v, warnings %v", r.Ear, r.Warnings)
	}
}
