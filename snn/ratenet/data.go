package ratenet

import (
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// DefaultDataDir is where Debian's dataset-fashion-mnist package installs the data.
const DefaultDataDir = "/usr/share/datasets/fashion-mnist"

// Pixels and Classes of Fashion-MNIST.
const (
	Pixels  = 28 * 28
	Classes = 10
)

// Set is a set of images: X [n, Pixels] row-major with pixels scaled to [0, 1] (value/255, as the
// paper's loader), Y the labels 0-9.
type Set struct {
	X []float32
	Y []int32
}

// Len is the number of images.
func (s *Set) Len() int { return len(s.Y) }

// Data holds the training images (split into training and validation) and the test images.
type Data struct {
	Train, Validation, Test *Set
}

// LoadFashionMNIST reads the four IDX files of dir (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
// t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) and holds out validation images of the 60000
// training images, chosen by a permutation drawn from splitSeed (as the paper's loader holds out 10000).
func LoadFashionMNIST(dir string, validation int, splitSeed uint64) (*Data, error) {
	train, err := readSet(dir, "train")
	if err != nil {
		return nil, err
	}
	test, err := readSet(dir, "t10k")
	if err != nil {
		return nil, err
	}
	if validation < 0 || validation >= train.len() {
		return nil, fmt.Errorf("ratenet: validation size %d: want 0 to %d", validation, train.len()-1)
	}
	perm := rand.New(rand.NewPCG(splitSeed, 0)).Perm(train.len())
	d := &Data{Test: test.subset(seq(test.len())), Validation: train.subset(perm[:validation]),
		Train: train.subset(perm[validation:])}
	return d, nil
}

// byteSet is a set as read from its IDX files: one byte per pixel. Only the subsets taken from it are
// scaled to float32, so that loading holds the 60000 training images once as bytes (47 MB) rather than once
// more as floats (188 MB).
type byteSet struct {
	pixels []byte
	labels []int32
}

func (s *byteSet) len() int { return len(s.labels) }

// subset scales the images idx, in that order, to [0, 1] (value/255).
func (s *byteSet) subset(idx []int) *Set {
	out := &Set{X: make([]float32, len(idx)*Pixels), Y: make([]int32, len(idx))}
	for j, i := range idx {
		for k, b := range s.pixels[i*Pixels : (i+1)*Pixels] {
			out.X[j*Pixels+k] = float32(b) / 255
		}
		out.Y[j] = s.labels[i]
	}
	return out
}

func seq(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// readSet reads <prefix>-images-idx3-ubyte.gz and <prefix>-labels-idx1-ubyte.gz.
func readSet(dir, prefix string) (*byteSet, error) {
	imgs, dims, err := readIDX(filepath.Join(dir, prefix+"-images-idx3-ubyte.gz"), 2051, 3)
	if err != nil {
		return nil, err
	}
	labels, ldims, err := readIDX(filepath.Join(dir, prefix+"-labels-idx1-ubyte.gz"), 2049, 1)
	if err != nil {
		return nil, err
	}
	if dims[1] != 28 || dims[2] != 28 || dims[0] != ldims[0] {
		return nil, fmt.Errorf("ratenet: %s: %v images for %v labels, want n x 28 x 28 and n", prefix, dims, ldims)
	}
	s := &byteSet{pixels: imgs, labels: make([]int32, len(labels))}
	for i, b := range labels {
		if b >= Classes {
			return nil, fmt.Errorf("ratenet: %s: label %d of image %d: want 0 to %d", prefix, b, i, Classes-1)
		}
		s.labels[i] = int32(b)
	}
	return s, nil
}

// readIDX reads a gzipped IDX file of unsigned bytes (magic 0x0000080N, N dimensions) and returns its data
// and dimensions; the sizes are bounded by the file before anything is allocated.
func readIDX(path string, magic uint32, ndim int) ([]byte, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("ratenet: %w (Debian's dataset-fashion-mnist installs the files; notebooks/setup.sh installs it)", err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, fmt.Errorf("ratenet: %s: %w", path, err)
	}
	head := make([]uint32, 1+ndim)
	if err := binary.Read(z, binary.BigEndian, head); err != nil {
		return nil, nil, fmt.Errorf("ratenet: %s: header: %w", path, err)
	}
	if head[0] != magic {
		return nil, nil, fmt.Errorf("ratenet: %s: magic %d, want %d", path, head[0], magic)
	}
	dims := make([]int, ndim)
	n := 1
	for i := range dims {
		dims[i] = int(head[1+i])
		if dims[i] <= 0 || dims[i] > 100000 {
			return nil, nil, fmt.Errorf("ratenet: %s: dimension %d is %d: want 1 to 100000", path, i, dims[i])
		}
		n *= dims[i]
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(z, data); err != nil {
		return nil, nil, fmt.Errorf("ratenet: %s: %d bytes: %w", path, n, err)
	}
	return data, dims, nil
}
