// Package notebookenv notes, for the commands, the environment variables that only the notebooks and tests
// read (snn.QuickEnv, study.RecomputeEnv, SNN_OUT), so that one set for a command is not ignored in silence.
package notebookenv

import (
	"fmt"
	"os"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/study"
)

// Note returns one line per such variable set to a non-empty value, naming the command's own flag for the
// same thing where it has one (flags maps a variable to it, e.g. snn.QuickEnv to "-quick"); "" when none
// is set.
func Note(command string, flags map[string]string) string {
	var b strings.Builder
	for _, name := range []string{snn.QuickEnv, study.RecomputeEnv, "SNN_OUT"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		instead := "it has no such setting"
		if f := flags[name]; f != "" {
			instead = "use " + f
		}
		fmt.Fprintf(&b, "note: %s=%q is read by the notebooks and tests, not by %s (%s)\n", name, v, command, instead)
	}
	return b.String()
}
