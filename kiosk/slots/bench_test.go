package slots_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/release"
	"github.com/hcsc-kz/kiosk/kiosk/slots"
)

// BenchmarkInstall installs a 200 MB root (and a 10 MB kernel and a
// 60 MB initrd, about a real kiosk's) into a file-backed slot: both
// passes over the bundle, the write with its fsync, the O_DIRECT
// read-back. The MB/s are of the root.
func BenchmarkInstall(b *testing.B) {
	k := newKiosk(b)
	dir := b.TempDir()
	sizes := map[string]int{release.RootFile: 200 << 20, release.KernelFile: 10 << 20, release.InitrdFile: 60 << 20}
	for name, n := range sizes {
		body := make([]byte, n)
		for i := range body {
			body[i] = byte(i ^ i>>13)
		}
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(dir, "update.bundle"))
	if err != nil {
		b.Fatal(err)
	}
	if err := release.WriteBundle(f, k.sk, newer, filepath.Join(dir, release.RootFile), filepath.Join(dir, release.KernelFile), filepath.Join(dir, release.InitrdFile)); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(k.l.Partition("b"), 768<<20); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sizes[release.RootFile]))
	b.ResetTimer()
	for b.Loop() {
		if _, err := slots.Install(context.Background(), f.Name(), k.l); err != nil {
			b.Fatal(err)
		}
	}
}
