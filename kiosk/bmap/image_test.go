package bmap

import (
	"os"
	"path/filepath"
	"testing"
)

// sampleSize is testdata/sample.bmap's image: 8 MiB and a cut last block,
// so the map's last range is shorter than a block.
const sampleSize = 8<<20 + 1000

// sampleData are the image's written extents (byte offset, length); the
// rest is holes. testdata/sample.bmap is bmaptool 3.6's map of this image.
var sampleData = [][2]int64{{0, 5 * 4096}, {300 * 4096, 10 * 4096}, {1500 * 4096, 3 * 4096}, {8 << 20, 1000}}

// writeSample writes the sample image to dir and gives its path.
func writeSample(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "sample.img")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(sampleSize); err != nil {
		t.Fatal(err)
	}
	for _, d := range sampleData {
		b := make([]byte, d[1])
		for i := range b {
			b[i] = byte((d[0]+int64(i))*7%251 + 1)
		}
		if _, err := f.WriteAt(b, d[0]); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestWriteSampleForBmaptool writes the sample image to $BMAP_SAMPLE_DIR,
// to remake the fixture: bmaptool create DIR/sample.img -o testdata/sample.bmap.
func TestWriteSampleForBmaptool(t *testing.T) {
	dir := os.Getenv("BMAP_SAMPLE_DIR")
	if dir == "" {
		t.Skip("BMAP_SAMPLE_DIR not set")
	}
	writeSample(t, dir)
}
