package slots

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"syscall"
)

// readBack hashes the first size bytes of path as the device holds them:
// opened with O_DIRECT, so the page cache that took the writes cannot
// answer for the disk. Where the file system refuses O_DIRECT (tmpfs
// before Linux 6.6) it falls back to a normal read and says so.
func readBack(ctx context.Context, path string, size int64) (sum [sha256.Size]byte, direct bool, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECT, 0)
	direct = err == nil
	if errors.Is(err, syscall.EINVAL) {
		f, err = os.Open(path)
	}
	if err != nil {
		return sum, false, err
	}
	defer f.Close()
	// O_DIRECT wants a buffer aligned to the logical block; an anonymous
	// mapping is page aligned.
	buf, err := syscall.Mmap(-1, 0, chunk, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return sum, false, err
	}
	defer syscall.Munmap(buf)
	sum, err = hashN(ctx, f, size, buf)
	if err != nil && direct && errors.Is(err, syscall.EINVAL) {
		// The file system took the open but not the read.
		g, oerr := os.Open(path)
		if oerr != nil {
			return sum, false, oerr
		}
		defer g.Close()
		sum, err = hashN(ctx, g, size, buf)
		direct = false
	}
	return sum, direct, err
}
