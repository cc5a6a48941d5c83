//go:build goexperiment.simd && !race

package snn

import (
	"os"
	"runtime/debug"
	"strings"
	"unsafe"
)

// GoMLX's pure-Go backend reads past the end of its buffers. Built with GOEXPERIMENT=simd, its vector kernels
// (compute v0.1.12) load the last, partial vector of a slice with Go 1.27's archsimd Load...Part, which loads
// a whole vector from the slice's start and then zeroes the lanes past its length: up to 60 bytes are read
// from whatever follows the buffer (our own kernels avoid that path: loadpart_simd_amd64.go). That is harmless
// inside the heap, but the Go runtime maps its heap in whole 4 MB chunks as it grows, and the address space after
// the last chunk is reserved and inaccessible: a buffer that ends exactly there, read that way, kills the
// process with SIGSEGV. It happened once in this project's measurements (compare.sh, 2026-12-04, in GoMLX's
// simdReduceTrailingMaxFloat32 at 0xa031c00000, a 4 MB boundary). A program that allocates 6,000 objects of
// one page each finds 4-5 of them ending at the inaccessible frontier (TestHeapHeadroom without this init).
//
// The runtime places new objects at the lowest free addresses of the heap it has mapped, and a heap does not
// unmap what it frees (released pages stay readable). So at init the package grows the heap by heapHeadroom
// with one allocation that it never touches, drops it and returns its pages to the system: the mapped heap
// then extends heapHeadroom beyond the live heap, and no object can end at the frontier until a process's
// heap outgrows that (the largest of make results' processes peaks at about 330 MB resident).
//
// Two details make it hold, each found by a test program (6,000 or 12,000 objects of one page after the
// init, 300 or 1,000 runs, an object ending at the frontier counted as a failure):
//   - A cap. The pages after the headroom, up to the end of the 4 MB chunk the runtime mapped for it, are
//     free and a processor's page cache can take them, then hand them out up to the frontier: without a cap
//     12 and 21 of 300 runs failed; with a 128 KB allocation just after the headroom, 17 of 300. So a second
//     untouched allocation, kept for the process's life, starts where the headroom ends and fills that chunk
//     and the next: nothing free is left below the frontier but the freed headroom. None of 1,000 runs failed.
//   - No collection while the headroom is live. One that marked it would set a heap goal above 1 GB, and the
//     runtime then backs its heap metadata with huge pages for the process's life (minHeapForMetadataHugePages):
//     a pop-shunt run peaked about 10 MB higher, 12 MB of huge pages in the runtime's chunk index.
//
// Measured on the Zen 5 VM: 6-8 ms per process; peak resident memory of a pop-shunt run level with the build
// before within this VM's spread (README, Vector kernels and numerics). TestHeapHeadroom checks the property
// itself in fresh processes: every object of its check that ends at a 4 MB boundary is followed by 64
// readable bytes, and no mapping is marked for huge pages.
//
// Not in race-detector builds: the race runtime writes its shadow memory for the whole allocation, so the
// headroom would cost a gigabyte resident and seconds per process there (a test binary at 1.16 GB and 5 s
// for one short test).
//
// Under strict overcommit (/proc/sys/vm/overcommit_memory = 2) mapping heapHeadroom counts against the
// commit limit and could fail the process at start, so the headroom is then not made (headroomMade says).
const heapHeadroom = 1 << 30

// heapChunk is the step in which the runtime maps its heap (its palloc chunks).
const heapChunk = 4 << 20

// headroomSink holds the headroom until it is dropped; headroomCapSink holds the cap for the process's life.
var headroomSink, headroomCapSink []byte

// headroomMade records whether init made the headroom, headroomCapped whether its cap starts where it ends.
var headroomMade, headroomCapped bool

func init() {
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil && strings.TrimSpace(string(b)) == "2" {
		return
	}
	// No collection while the headroom is live (above).
	gcPercent := debug.SetGCPercent(-1)
	headroomSink = make([]byte, heapHeadroom)
	top := uintptr(unsafe.Pointer(unsafe.SliceData(headroomSink))) + heapHeadroom
	// The cap fills the rest of the 4 MB chunk the headroom ends in, and one chunk more. It must start where
	// the headroom ends; larger than any free run below the headroom, it does (the first try did in every run
	// measured).
	capSize := (top+heapChunk-1)&^(heapChunk-1) - top + heapChunk
	var below [][]byte
	for range 8 {
		c := make([]byte, capSize)
		if uintptr(unsafe.Pointer(unsafe.SliceData(c))) == top {
			headroomCapSink, headroomCapped = c, true
			break
		}
		below = append(below, c)
	}
	below = nil
	headroomSink = nil
	debug.SetGCPercent(gcPercent)
	debug.FreeOSMemory()
	headroomMade = true
}
