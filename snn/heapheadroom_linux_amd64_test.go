//go:build goexperiment.simd && !race && !msan && !asan

package snn

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unsafe"
)

// TestHeapHeadroom runs heapHeadroomCheck in fresh processes (this test binary run again), whose heaps have
// only grown by what init and the check do: in this process the earlier tests have grown and freed the heap,
// so the check's objects could miss the frontier without the headroom too. The runs cover 2 and 64
// processors, one allocating goroutine and one per processor, GOGC=off and GOMEMLIMIT of 256 and 64 MiB. Without the
// headroom every run fails the frontier check; with a collection while it is held, or without lifting a
// small memory limit or GOGC=off for the collection that frees it, the huge-page check.
func TestHeapHeadroom(t *testing.T) {
	if headroomSkip != "" {
		t.Skipf("the heap headroom is not made here: %s", headroomSkip)
	}
	if os.Getenv("SNN_HEADROOM_CHILD") == "1" {
		heapHeadroomCheck(t, os.Getenv("SNN_HEADROOM_PARALLEL") == "1")
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	runs := []struct{ name, env string }{
		{"2 processors", "GOMAXPROCS=2"},
		{"2 processors again", "GOMAXPROCS=2"},
		{"2 processors, parallel", "GOMAXPROCS=2 SNN_HEADROOM_PARALLEL=1"},
		{"64 processors", "GOMAXPROCS=64"},
		{"64 processors again", "GOMAXPROCS=64"},
		{"64 processors, parallel", "GOMAXPROCS=64 SNN_HEADROOM_PARALLEL=1"},
		{"GOGC=off", "GOMAXPROCS=2 GOGC=off"},
		{"GOMEMLIMIT=256MiB", "GOMAXPROCS=2 GOMEMLIMIT=256MiB"},
		{"GOMEMLIMIT=64MiB", "GOMAXPROCS=2 GOMEMLIMIT=64MiB"},
		{"GOMEMLIMIT=64MiB again", "GOMAXPROCS=2 GOMEMLIMIT=64MiB"},
	}
	for _, r := range runs {
		cmd := exec.Command(exe, "-test.run=^TestHeapHeadroom$", "-test.count=1", "-test.v")
		var env []string // the parent's environment less the settings the runs choose
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			switch k {
			case "GOGC", "GOMEMLIMIT", "GODEBUG", "GOMAXPROCS", "SNN_HEADROOM_CHILD", "SNN_HEADROOM_PARALLEL":
			default:
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, append([]string{"SNN_HEADROOM_CHILD=1"}, strings.Fields(r.env)...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s (%s): the check in a fresh process failed (%v):\n%s", r.name, r.env, err, out)
		}
		if !strings.Contains(string(out), "were checked") {
			t.Fatalf("%s (%s): the fresh process did not run the check:\n%s", r.name, r.env, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "were checked") {
				line = strings.TrimSpace(line)
				t.Logf("%s: %s", r.name, line[strings.Index(line, ": ")+2:])
			}
		}
	}
}

// heapHeadroomCheck allocates 24,000 objects of one page (8 KB: a size class whose spans hold one object, so
// that objects end at page boundaries and the heap's 4 MB chunks fill to their last byte; about 190 MB, more
// than the spacer and pin of makeHeapHeadroom free on their own at up to 64 processors), from one goroutine
// or from one per processor, and checks, for each that ends at a 4 MB boundary, that the 64 bytes after it
// are readable (/proc/self/maps): a vector load there cannot fault. Without the package's init some of the
// 40-50 such objects end at the heap's inaccessible frontier (the check fails); it also fails if no object
// ended at a boundary, having checked nothing, if the headroom was not made or its pin did not land above the
// spacer, or if a mapping is marked for huge pages (VmFlags hg: the runtime's metadata, after a collection
// that saw the headroom live).
func heapHeadroomCheck(t *testing.T, parallel bool) {
	if !headroomMade {
		t.Errorf("the headroom was not made, or its pin did not land above the spacer")
	}
	const objects, page, step, after = 24000, 8192, 4 << 20, 64
	workers := 1
	if parallel {
		workers = runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex
	var errs []string
	boundaries := 0
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var keep [][]byte
			for i := w; i < objects; i += workers {
				b := make([]byte, page)
				keep = append(keep, b)
				end := uintptr(unsafe.Pointer(unsafe.SliceData(b))) + page
				if end%step != 0 {
					continue
				}
				ok, err := readable(end, after)
				mu.Lock()
				boundaries++
				switch {
				case err != nil:
					errs = append(errs, err.Error())
				case !ok:
					errs = append(errs, fmt.Sprintf("object %d ends at %#x, and the %d bytes after it are not readable: a vector load past its end would fault", i, end, after))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		t.Error(e)
	}
	if boundaries == 0 {
		t.Fatalf("none of the %d objects ended at a 4 MB boundary: the test checked nothing", objects)
	}
	t.Logf("%d of %d objects (%d goroutines) ended at a 4 MB boundary and were checked", boundaries, objects, workers)
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(smaps), " hg"); n > 0 {
		t.Errorf("%d mappings are marked for huge pages (VmFlags hg): a collection saw the headroom live and turned on huge pages for the runtime's heap metadata", n)
	}
}

// readable reports whether the n bytes from address a lie in readable mappings of this process.
func readable(a, n uintptr) (bool, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	next := a // the first byte not yet found readable
	for sc.Scan() {
		var lo, hi uintptr
		var perms string
		if _, err := fmt.Sscanf(sc.Text(), "%x-%x %s", &lo, &hi, &perms); err != nil {
			return false, fmt.Errorf("reading /proc/self/maps: %q: %v", sc.Text(), err)
		}
		if next >= lo && next < hi && strings.HasPrefix(perms, "r") {
			next = hi
			if next >= a+n {
				return true, nil
			}
		}
	}
	return false, sc.Err()
}

// TestHeadroomSkipReason: the headroom is made only with non-strict overcommit, 2 GB of memory and swap or
// more, and no address-space limit (the cases of heapHeadroom's doc comment).
func TestHeadroomSkipReason(t *testing.T) {
	const gb = 1 << 30
	none := uint64(math.MaxUint64)
	for _, c := range []struct {
		l    headroomLimits
		skip string // a word of the reason; "" for none
	}{
		{headroomLimits{"0", 24 * gb, none}, ""},
		{headroomLimits{"1", 2 * gb, none}, ""},
		{headroomLimits{"", 4 * gb, none}, ""}, // overcommit unreadable: the kernel's default heuristic
		{headroomLimits{"2", 24 * gb, none}, "strict overcommit"},
		{headroomLimits{"0", 2*gb - 1, none}, "under 2048 MB"},
		{headroomLimits{"0", 0, none}, "under 2048 MB"}, // /proc/meminfo unreadable
		{headroomLimits{"0", 24 * gb, 900 << 20}, "RLIMIT_AS 900 MB"},
		{headroomLimits{"0", 24 * gb, 64 * gb}, "RLIMIT_AS"},
	} {
		got := headroomSkipReason(c.l)
		if (got == "") != (c.skip == "") || !strings.Contains(got, c.skip) {
			t.Errorf("headroomSkipReason(%+v) = %q, want %q", c.l, got, c.skip)
		}
	}
	l := systemLimits()
	if _, err := os.Stat("/proc/sys/vm/overcommit_memory"); err == nil && l.overcommit == "" {
		t.Errorf("systemLimits() = %+v: /proc/sys/vm/overcommit_memory not read", l)
	}
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		t.Fatal(err)
	}
	if want := (si.Totalram + si.Totalswap) * uint64(si.Unit); l.memAndSwap < want-want/100 || l.memAndSwap > want+want/100 {
		t.Errorf("systemLimits() reads %d bytes of memory and swap from /proc/meminfo, sysinfo says %d", l.memAndSwap, want)
	}
}
