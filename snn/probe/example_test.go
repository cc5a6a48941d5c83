package probe_test

import (
	"fmt"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/probe"
)

// The notebook's blocked mask at fraction 0.5 confounds the sign of an input fibre with its ear.
func ExampleAssignmentReport() {
	m, err := snn.NewModel(snn.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(probe.AssignmentReport(m))
	// Output:
	// class        left right   phase-delay quarters (Q1..Q4)
	// inhibitory    100     0   25 25 25 25
	// excitatory      0   100   25 25 25 25
	// warning: all 100 inhibitory input fibres come from the left ear: sign and ear are confounded (use MaskRandom to separate them)
	// warning: all 100 excitatory input fibres come from the right ear: sign and ear are confounded (use MaskRandom to separate them)
}
