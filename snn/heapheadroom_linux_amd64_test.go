//go:build goexperiment.simd && !race

package snn

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unsafe"
)

// TestHeapHeadroom runs heapHeadroomCheck in 10 fresh processes (this test binary run again), whose heaps have
// only grown by what init and the check do: in this process the earlier tests have grown and freed the heap,
// so the check's objects could miss the frontier without the headroom too. Without the headroom every run
// fails the frontier check; with a collection while the headroom is live, the huge-page check.
func TestHeapHeadroom(t *testing.T) {
	if !headroomMade {
		t.Skip("the heap headroom is not made under strict overcommit (/proc/sys/vm/overcommit_memory = 2)")
	}
	if os.Getenv("SNN_HEADROOM_CHILD") == "1" {
		heapHeadroomCheck(t)
		return
	}
	for run := range 10 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHeapHeadroom$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "SNN_HEADROOM_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the check in fresh process %d failed (%v):\n%s", run, err, out)
		}
		if !strings.Contains(string(out), "were checked") {
			t.Fatalf("fresh process %d did not run the check:\n%s", run, out)
		}
		if run == 0 {
			t.Logf("fresh process 0:\n%s", out)
		}
	}
}

// heapHeadroomCheck allocates 12,000 objects of one page (8 KB: a size class whose spans hold one object, so
// that objects end at page boundaries and the heap's 4 MB chunks fill to their last byte) and checks, for
// each that ends at a 4 MB boundary, that the 64 bytes after it are readable (/proc/self/maps): a vector load
// there cannot fault. Without the package's init some of the 20-27 such objects end at the heap's inaccessible
// frontier (the check fails); it also fails if no object ended at a boundary, having checked nothing, if the
// headroom's cap is not in place, or if a mapping is marked for huge pages (VmFlags hg: the runtime's
// metadata, after a collection that saw the headroom live).
func heapHeadroomCheck(t *testing.T) {
	if !headroomCapped {
		t.Errorf("the headroom's cap does not start where the headroom ends: the pages after the headroom are free below the frontier")
	}
	const page, step, after = 8192, 4 << 20, 64
	var keep [][]byte
	boundaries := 0
	for i := 0; i < 12000; i++ {
		b := make([]byte, page)
		keep = append(keep, b)
		end := uintptr(unsafe.Pointer(unsafe.SliceData(b))) + page
		if end%step != 0 {
			continue
		}
		boundaries++
		ok, err := readable(end, after)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Errorf("object %d ends at %#x, and the %d bytes after it are not readable: a vector load past its end would fault", i, end, after)
		}
	}
	if boundaries == 0 {
		t.Fatalf("none of the %d objects ended at a 4 MB boundary: the test checked nothing", len(keep))
	}
	t.Logf("%d of %d objects ended at a 4 MB boundary and were checked", boundaries, len(keep))
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
