package flash

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/bmap"
	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// BenchmarkFlash flashes an image shaped like the real one to a loop
// device with flash.sh: 2 GiB, a GPT, and BENCH_FLASH_MB (default 400) MB
// of incompressible data (the root is a zstd squashfs) in a 256 MiB ESP
// part, the root-a part and the data partition's start; root-b is a hole.
// It reports the whole flash (seconds) and the read-back alone, from the
// flash record. BENCH_FLASH_IMAGE names a real image folder instead
// (its key in BENCH_FLASH_PUB).
func BenchmarkFlash(b *testing.B) {
	need(b)
	dir, pub, size := benchImage(b)
	dev := loop(b, sparse(b, size), false)
	re := regexp.MustCompile(`read-back=(\d+\.\d+)s`)
	var readBack float64
	for b.Loop() {
		res := flash(b, "", "", dir, dev, "--yes", "--allow-fixed", "--pub", pub)
		if res.code != 0 {
			b.Fatalf("flash.sh = exit %d\n%s", res.code, res.stderr)
		}
		m := re.FindStringSubmatch(res.log)
		if m == nil {
			b.Fatalf("no read-back time in %q", res.log)
		}
		s, _ := strconv.ParseFloat(m[1], 64)
		readBack += s
	}
	b.ReportMetric(readBack/float64(b.N), "read-back-s/op")

	// The read-back alone, in process, from the device just flashed.
	img, _ := filepath.Glob(filepath.Join(dir, "*.bmap"))
	m, err := bmap.ReadFile(img[0])
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	// The device is the image's size: flash.sh's relocation of the
	// backup GPT changed nothing mapped.
	if _, err := bmap.ReadBack(context.Background(), dev, m, nil); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	b.ReportMetric(float64(m.MappedBytes())/1e6/took.Seconds(), "read-back-MB/s")
	b.ReportMetric(float64(m.MappedBytes())/1e6, "mapped-MB")
}

// benchImage makes (or names) the image folder to flash.
func benchImage(b *testing.B) (dir, pub string, size int64) {
	if d := os.Getenv("BENCH_FLASH_IMAGE"); d != "" {
		bm, _ := filepath.Glob(filepath.Join(d, "*.bmap"))
		if len(bm) != 1 {
			b.Fatalf("%s: want one bmap, found %v", d, bm)
		}
		m, err := bmap.ReadFile(bm[0])
		if err != nil {
			b.Fatal(err)
		}
		return d, os.Getenv("BENCH_FLASH_PUB"), m.ImageSize
	}
	mb := int64(400)
	if s := os.Getenv("BENCH_FLASH_MB"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		mb = n
	}
	const mib = 1 << 20
	size = 2048 * mib
	work := b.TempDir()
	raw := filepath.Join(work, "raw.img")
	f, err := os.Create(raw)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		b.Fatal(err)
	}
	// The ESP's 60 MB (kernels, initrds), the root's squashfs, 20 MB of
	// the data partition's ext4.
	extents := [][2]int64{{1 * mib, 60 * mib}, {257 * mib, (mb - 80) * mib}, {1793 * mib, 20 * mib}}
	rng := rand.NewChaCha8([32]byte{5})
	for _, e := range extents {
		buf := make([]byte, 4*mib)
		for off := int64(0); off < e[1]; off += int64(len(buf)) {
			rng.Read(buf)
			if _, err := f.WriteAt(buf[:min(int64(len(buf)), e[1]-off)], e[0]+off); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	run(b, "label: gpt\nsize=256MiB, name=esp\nsize=768MiB, name=root-a\nsize=768MiB, name=root-b\nname=data\n", "sfdisk", "-q", raw)
	dir = filepath.Join(work, "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	run(b, "", "bmaptool", "create", "-o", filepath.Join(dir, "kiosk-bench.bmap"), raw)
	run(b, "", "zstd", "-q", "-T2", raw, "-o", filepath.Join(dir, "kiosk-bench.img.zst"))
	keys := b.TempDir()
	pub = filepath.Join(keys, "release.pub")
	if _, err := release.NewKey(filepath.Join(keys, "release.key"), pub); err != nil {
		b.Fatal(err)
	}
	sk, err := release.ReadPrivateKey(filepath.Join(keys, "release.key"))
	if err != nil {
		b.Fatal(err)
	}
	if err := release.SignDir(sk, dir, []string{"kiosk-bench.img.zst", "kiosk-bench.bmap"}); err != nil {
		b.Fatal(err)
	}
	b.Logf("image: %d MiB, %d MB of data, %s", size/mib, mb, fmt.Sprint(extents))
	return dir, pub, size
}
