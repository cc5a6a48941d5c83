//go:build (linux && amd64) || pjrt_all

package main

import "github.com/gomlx/go-xla/installer"

// cudaInstall installs the CUDA PJRT plugin: go-xla's installer has it for linux/amd64 only (its build tags),
// and so does this command.
func cudaInstall(target string) error {
	return installer.CudaAutoInstall(target, true, installer.Normal)
}

// cudaUnavailable is nil where this build can install the CUDA plugin.
func cudaUnavailable() error { return nil }
