package ratenet

import (
	"testing"
)

// The loader on Debian's files: 60000 training and 10000 test images of 28 x 28 pixels in [0, 1], labels
// 0-9 with 6000 and 1000 per class (the dataset's documented balance), the held-out validation images
// disjoint in position from the training ones, and the first training label 9 ("ankle boot", the first
// image of the dataset's own README and of TensorFlow's Fashion-MNIST tutorial).
func TestLoadFashionMNIST(t *testing.T) {
	d, err := LoadFashionMNIST(DefaultDataDir, 10000, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 50000 || d.Validation.Len() != 10000 || d.Test.Len() != 10000 {
		t.Fatalf("sizes %d, %d, %d; want 50000, 10000, 10000", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	raw, err := readSet(DefaultDataDir, "train")
	if err != nil {
		t.Fatal(err)
	}
	all := raw.subset(seq(raw.len()))
	if all.Y[0] != 9 {
		t.Errorf("first training label %d, want 9 (ankle boot)", all.Y[0])
	}
	for _, s := range []struct {
		name string
		set  *Set
		per  int
	}{{"train", all, 6000}, {"test", d.Test, 1000}} {
		count := make([]int, Classes)
		for _, y := range s.set.Y {
			count[y]++
		}
		for c, n := range count {
			if n != s.per {
				t.Errorf("%s: class %d has %d images, want %d", s.name, c, n, s.per)
			}
		}
		lo, hi := float32(1), float32(0)
		for _, v := range s.set.X {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo != 0 || hi != 1 || len(s.set.X) != s.set.Len()*Pixels {
			t.Errorf("%s: pixels in [%v, %v], %d values; want [0, 1] and %d", s.name, lo, hi, len(s.set.X), s.set.Len()*Pixels)
		}
	}
	if _, err := LoadFashionMNIST(t.TempDir(), 10000, 0); err == nil {
		t.Error("an empty folder loaded")
	}
	if _, err := LoadFashionMNIST(DefaultDataDir, 60000, 0); err == nil {
		t.Error("a validation set of every training image was accepted")
	}
}
