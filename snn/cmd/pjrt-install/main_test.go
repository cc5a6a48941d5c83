package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// installedPlugin finds the file go-xla's installers leave (the CPU plugin in the folder, the CUDA plugin
// in its nvidia subfolder) and refuses a folder without one, an empty file or a plugin of the other kind:
// an install that leaves nothing (go-xla's CudaAutoInstall on a machine without a GPU) is an error.
func TestInstalledPlugin(t *testing.T) {
	dir := t.TempDir()
	for _, plugin := range []string{"cpu", "cuda"} {
		if _, err := installedPlugin(dir, plugin); err == nil || !strings.Contains(err.Error(), "nothing was installed") {
			t.Errorf("%s, empty folder: %v", plugin, err)
		}
	}
	write := func(path string, data string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "nvidia", "pjrt_c_api_cuda_plugin.so"), "")
	if _, err := installedPlugin(dir, "cuda"); err == nil {
		t.Error("an empty CUDA plugin file was accepted")
	}
	write(filepath.Join(dir, "pjrt_c_api_cpu_v0.83.1_plugin.so"), "ELF")
	if f, err := installedPlugin(dir, "cpu"); err != nil || filepath.Base(f) != "pjrt_c_api_cpu_v0.83.1_plugin.so" {
		t.Errorf("cpu: %q, %v", f, err)
	}
	if _, err := installedPlugin(dir, "cuda"); err == nil {
		t.Error("a CPU plugin was taken for the CUDA one")
	}
	write(filepath.Join(dir, "nvidia", "pjrt_c_api_cuda_plugin.so"), "ELF")
	if f, err := installedPlugin(dir, "cuda"); err != nil || !strings.HasSuffix(f, filepath.Join("nvidia", "pjrt_c_api_cuda_plugin.so")) {
		t.Errorf("cuda: %q, %v", f, err)
	}
}
