package bmap

import (
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadBack reads back a 64 MiB image mapped in 1 MiB ranges from
// a file in the test's temporary folder, with O_DIRECT, so from the disk
// under it (a loop device's figure is scripts/image's
// BenchmarkFlash). BMAP_BENCH_DIR names another folder to measure.
func BenchmarkReadBack(b *testing.B) {
	dir := os.Getenv("BMAP_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	} else {
		d, err := os.MkdirTemp(dir, "bmap-bench")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(d) })
		dir = d
	}
	const size, chunk = 64 << 20, 1 << 20
	data := make([]byte, size)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(data)
	img := filepath.Join(dir, "bench.img")
	if err := os.WriteFile(img, data, 0o644); err != nil {
		b.Fatal(err)
	}
	m := &Map{ImageSize: size, BlockSize: 4096, BlocksCount: size / 4096, MappedBlocks: size / 4096}
	for off := 0; off < size; off += chunk {
		m.Ranges = append(m.Ranges, Range{First: int64(off / 4096), Last: int64((off+chunk)/4096 - 1), SHA256: sha256.Sum256(data[off : off+chunk])})
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadBack(context.Background(), img, m, nil); err != nil {
			b.Fatal(err)
		}
	}
}
