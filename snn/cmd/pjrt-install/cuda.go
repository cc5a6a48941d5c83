//go:build (linux && amd64) || pjrt_all

package main

import "github.com/gomlx/go-xla/installer"

// cudaInstall installs the CUDA PJRT plugin (CUDA 13, the latest release, and the NVIDIA libraries it needs,
// from PyPI) into target/nvidia: go-xla's installer has it for linux/amd64 only (its build tags), and so does
// this command. It calls the installer directly rather than CudaAutoInstall, which installs nothing, and
// reports no error, on a machine without an NVIDIA GPU, as an image build usually is.
func cudaInstall(target string) error {
	return installer.CudaInstall("cuda13", "latest", target, true, installer.Normal)
}

// cudaUnavailable is nil where this build can install the CUDA plugin.
func cudaUnavailable() error { return nil }
