package notebookenv

import (
	"testing"
)

// Each notebook variable set gives its line, with the command's flag where it has one; unset or empty ones
// give none.
func TestNote(t *testing.T) {
	t.Setenv("SNN_QUICK", "yes")
	t.Setenv("SNN_RECOMPUTE", "")
	t.Setenv("SNN_OUT", "/tmp/x")
	got := Note("dales", map[string]string{"SNN_OUT": "-out"})
	want := "note: SNN_QUICK=\"yes\" is read by the notebooks and tests, not by dales (it has no such setting)\n" +
		"note: SNN_OUT=\"/tmp/x\" is read by the notebooks and tests, not by dales (use -out)\n"
	if got != want {
		t.Errorf("Note:\n got %q\nwant %q", got, want)
	}
	t.Setenv("SNN_QUICK", "")
	t.Setenv("SNN_OUT", "")
	if got := Note("dales", nil); got != "" {
		t.Errorf("nothing set: %q", got)
	}
}
