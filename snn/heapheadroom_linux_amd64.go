//go:build goexperiment.simd && !race && !msan && !asan

package snn

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// GoMLX's pure-Go backend reads past the end of its buffers. Built with GOEXPERIMENT=simd, its vector kernels
// (compute v0.1.12) load the last, partial vector of a slice with Go 1.27's archsimd Load...Part, which loads
// a whole vector from the slice's start and then zeroes the lanes past its length: up to 60 bytes are read
// from whatever follows the buffer (our own kernels avoid that path: loadpart_simd_amd64.go). That is harmless
// inside the heap, but the Go runtime maps its heap in whole 4 MB chunks as it grows, and the address space
// after the last chunk is reserved and inaccessible: a buffer that ends exactly there, read that way, kills the
// process with SIGSEGV. It happened once in this project's measurements (compare.sh, 2026-12-04, in GoMLX's
// simdReduceTrailingMaxFloat32 at 0xa031c00000, a 4 MB boundary). A program that allocates 6,000 objects of
// one page each finds 4-5 of them ending at the inaccessible frontier.
//
// The runtime hands out new spans and refills its processors' page caches from the lowest free addresses of
// the heap it has mapped, and it does not unmap what it frees (released pages stay readable). So at init the
// package grows the heap by heapHeadroom with one allocation that it never touches and frees it: the mapped
// heap then reaches heapHeadroom past the live heap, and no object can end at the frontier until a process's
// heap outgrows that (the largest of make results' processes peaks at about 330 MB resident). The order of
// the steps matters (makeHeapHeadroom):
//
//  1. A spacer (64 MB, or 1 MB per processor if more, at most 256 MB) is allocated, then a pin of the same
//     size above it, and the spacer is freed by a collection (at GOGC=100 with the memory limit lifted, as
//     the later one). The collection that later frees the headroom runs on every
//     processor, and processors refill their page caches (64 pages at a time) from the lowest free pages
//     while the headroom is still held; with the spacer those come from far below the frontier. The pin keeps
//     the spacer's free pages apart from the free space above, so that the headroom is placed above them; it
//     is freed with the headroom. (A design without a spacer, with a cap after the headroom that left a free
//     4 MB chunk there, failed in about 1.5% of processes at 32 to 128 processors. With the spacer, 2 of
//     1,500 fresh processes of TestHeapHeadroom's check failed at 32 to 128 processors, none of 150 at 2;
//     with spacer and pin cut to 128 KB, 1 of 450 at 32 to 128: the spacer's benefit is reasoned, not
//     measured, and the guard is not airtight at many processors.)
//  2. The headroom (1 GB) is allocated with collection off: a collection that marked it would set a heap goal
//     above 1 GB, after which the runtime backs its heap metadata with huge pages for the process's life
//     (minHeapForMetadataHugePages; a pop-shunt run peaked about 10 MB higher). The memory limit is lifted
//     meanwhile, since a collection forced by GOMEMLIMIT would mark it too, and the collection that frees
//     it runs at a positive GOGC, since under GOGC=off its heap goal is unbounded. Both are restored.
//
// The guarantee has limits: a process whose heap outgrows the headroom; GODEBUG=harddecommit=1 or efence=1,
// which make freed pages inaccessible; and a heap that continues at a new address range (the runtime maps the
// rest of its current arena and moves on, which happens only where the next addresses are taken), whose old
// range then ends at an inaccessible edge.
//
// It is not made (headroomSkip says why; headroomSkipReason decides) under strict overcommit, where mapping
// 1 GB counts against the commit limit; where memory and swap together are under 2 GB, where the kernel's
// heuristic may refuse a 1 GB mapping (the runtime would then stop the process at start); and under a finite
// address-space limit (ulimit -v). Nor in race, msan or asan builds (build tags): their runtimes write shadow
// memory for the whole allocation (under -race a test binary then took 1.16 GB and 5 s for one short test).
//
// TestHeapHeadroom checks the property itself in fresh processes (objects ending at 4 MB boundaries are
// followed by 64 readable bytes; no mapping is marked for huge pages), at 2 and 64 processors, allocating
// from one goroutine and from many, and under GOGC=off and a small GOMEMLIMIT. It does not detect the
// spacer's removal (above).
const heapHeadroom = 1 << 30

// headroomSink holds the headroom, headroomPinSink the pin, while they are held.
var headroomSink, headroomPinSink []byte

// headroomMade records whether init made the headroom with its pin above the spacer (false where the pin
// landed elsewhere, the headroom then made less protected, or where it was skipped); headroomSkip why it was
// skipped, where it was.
var (
	headroomMade bool
	headroomSkip string
)

func init() {
	if headroomSkip = headroomSkipReason(systemLimits()); headroomSkip != "" {
		return
	}
	headroomMade = makeHeapHeadroom()
}

// headroomLimits are the system settings that decide whether the headroom is made.
type headroomLimits struct {
	overcommit   string // /proc/sys/vm/overcommit_memory, trimmed ("" where unreadable)
	memAndSwap   uint64 // MemTotal + SwapTotal of /proc/meminfo in bytes (0 where unreadable)
	addressSpace uint64 // RLIMIT_AS's soft limit (math.MaxUint64: none)
}

// systemLimits reads the settings headroomSkipReason takes.
func systemLimits() headroomLimits {
	l := headroomLimits{addressSpace: math.MaxUint64}
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil {
		l.overcommit = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) == 3 && (f[0] == "MemTotal:" || f[0] == "SwapTotal:") && f[2] == "kB" {
				if kb, err := strconv.ParseUint(f[1], 10, 64); err == nil {
					l.memAndSwap += kb << 10
				}
			}
		}
	}
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &r); err == nil {
		l.addressSpace = r.Cur
	}
	return l
}

// headroomSkipReason returns why the headroom must not be made with these limits, or "".
func headroomSkipReason(l headroomLimits) string {
	switch {
	case l.overcommit == "2":
		return "strict overcommit (/proc/sys/vm/overcommit_memory = 2)"
	case l.memAndSwap < 2<<30:
		return fmt.Sprintf("memory and swap total %d MB (or unreadable), under 2048 MB", l.memAndSwap>>20)
	case l.addressSpace != math.MaxUint64:
		return fmt.Sprintf("an address-space limit (RLIMIT_AS %d MB)", l.addressSpace>>20)
	}
	return ""
}

// makeHeapHeadroom makes the headroom (see heapHeadroom) and reports whether the pin landed above the
// spacer (where it did not, the headroom is still made, less protected).
func makeHeapHeadroom() bool {
	gcPercent := debug.SetGCPercent(100)
	memLimit := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(memLimit)
	defer debug.SetGCPercent(gcPercent)

	// The spacer takes the lowest free run of its size, so every free run below it is smaller, and a pin of
	// the same size lands above it.
	// At most 256 MB: with a larger pin live at the spacer's collection its heap goal could pass 1 GB (step 2).
	spacerSize := min(max(64<<20, runtime.GOMAXPROCS(0)<<20), 256<<20)
	spacer := make([]byte, spacerSize)
	headroomPinSink = make([]byte, spacerSize)
	pinned := uintptr(unsafe.Pointer(unsafe.SliceData(headroomPinSink))) >= uintptr(unsafe.Pointer(unsafe.SliceData(spacer)))+uintptr(spacerSize)
	spacer = nil
	runtime.GC()

	debug.SetGCPercent(-1)
	headroomSink = make([]byte, heapHeadroom)
	headroomSink, headroomPinSink = nil, nil
	debug.SetGCPercent(100)
	debug.FreeOSMemory()
	return pinned
}
