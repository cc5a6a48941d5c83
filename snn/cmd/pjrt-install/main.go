// Command pjrt-install installs the PJRT plugin that GoMLX's XLA backend needs, with go-xla's own
// installer (github.com/gomlx/go-xla/installer), into a folder of your choice. It needs internet access
// (GitHub for the CPU plugin, PyPI for CUDA) and is meant for image builds (docker/Dockerfile) and
// machines that will run with GOMLX_BACKEND=xla:cpu or xla:cuda; the pure-Go default needs nothing.
//
//	go run ./snn/cmd/pjrt-install -plugin cpu -dir /usr/local/lib
//
// It installs into <dir>/go-xla; point PJRT_PLUGIN_LIBRARY_PATH there.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/go-xla/installer"
)

func main() {
	plugin := flag.String("plugin", "cpu", "plugin to install: cpu or cuda")
	dir := flag.String("dir", "", "install folder (the plugin goes to <dir>/go-xla); default ~/.local/lib")
	flag.Parse()
	err := error(nil)
	if flag.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q after the flags", flag.Arg(0))
	}
	if err == nil {
		err = run(*plugin, *dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pjrt-install:", err)
		os.Exit(1)
	}
}

func run(plugin, dir string) error {
	if plugin != "cpu" && plugin != "cuda" {
		return fmt.Errorf("-plugin %q is unknown: want cpu or cuda", plugin)
	}
	if plugin == "cuda" {
		if err := cudaUnavailable(); err != nil {
			return err
		}
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "dir" })
	if given && strings.TrimSpace(dir) == "" { // a blank folder name would make "./ /go-xla"
		return fmt.Errorf("-dir %q: want the install folder (or leave -dir out for ~/.local/lib)", dir)
	}
	if dir == "" {
		var err error
		if dir, err = installer.DefaultHomeLibPath(); err != nil {
			return err
		}
	}
	target := filepath.Join(dir, "go-xla")
	// The folder is checked before the installer runs (whose own messages name neither the flag nor,
	// for some, the path).
	if err := os.MkdirAll(target, 0o755); err != nil {
		return fmt.Errorf("-dir %s: the folder %s cannot be created: %w", dir, target, err)
	}
	if f, err := os.CreateTemp(target, ".write-check-*"); err != nil {
		return fmt.Errorf("-dir %s: the folder %s cannot be written: %w", dir, target, err)
	} else {
		f.Close()
		os.Remove(f.Name())
	}
	var err error
	switch plugin {
	case "cpu":
		err = installer.CPUAutoInstall(target, true, installer.Normal)
	case "cuda":
		err = cudaInstall(target)
	default:
		return fmt.Errorf("-plugin %q is unknown: want cpu or cuda", plugin)
	}
	if err != nil {
		return fmt.Errorf("install the %s PJRT plugin into %s: %w", plugin, target, err)
	}
	file, err := installedPlugin(target, plugin)
	if err != nil {
		return err
	}
	fmt.Printf("installed the %s PJRT plugin (%s) into %s; set PJRT_PLUGIN_LIBRARY_PATH=%s\n", plugin, file, target, target)
	return nil
}

// installedPlugin returns the plugin file an install left under target (go-xla's names: the CPU plugin
// pjrt_c_api_cpu_<version>_plugin.so or its link pjrt_c_api_cpu_plugin.so in target, the CUDA plugin
// nvidia/pjrt_c_api_cuda_plugin.so), or an error saying that the installer returned without one, so that a
// build never reports a plugin it did not install.
func installedPlugin(target, plugin string) (string, error) {
	pattern := filepath.Join(target, "pjrt_c_api_cpu*_plugin.so")
	if plugin == "cuda" {
		pattern = filepath.Join(target, "nvidia", "pjrt_c_api_cuda_plugin.so")
	}
	files, err := filepath.Glob(pattern)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
			return f, nil
		}
	}
	return "", fmt.Errorf("the installer returned without error, but %s holds no %s PJRT plugin (%s): nothing was installed", target, plugin, pattern)
}
