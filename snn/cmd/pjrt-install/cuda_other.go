//go:build !((linux && amd64) || pjrt_all)

package main

import (
	"fmt"
	"runtime"
)

// cudaInstall is never reached in this build: run refuses -plugin cuda first (cudaUnavailable).
func cudaInstall(string) error { return cudaUnavailable() }

// cudaUnavailable says why this build cannot install the CUDA plugin: go-xla's installer has it for
// linux/amd64 only.
func cudaUnavailable() error {
	return fmt.Errorf("-plugin cuda: the CUDA PJRT plugin is published for linux/amd64 only, and this is %s/%s: use -plugin cpu",
		runtime.GOOS, runtime.GOARCH)
}
