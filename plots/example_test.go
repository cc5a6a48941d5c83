package plots_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/snn-dales/dales/plots"
	"github.com/snn-dales/dales/snn"
)

// Render the notebook's example stimuli (show_examples) to an SVG file.
func Example() {
	d, err := snn.ExampleStimuli(snn.DefaultConfig(), 8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fig, err := plots.StimulusExamples(d)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "stimulus_examples.svg")
	if err := fig.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("wrote", filepath.Base(path))
	// Output: wrote stimulus_examples.svg
}
