package bmap

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"unsafe"
)

// RangeError names the first range read back wrong: its blocks, its bytes
// on the device, and why.
type RangeError struct {
	Range  Range
	Offset int64 // first byte on the device
	Length int64
	// Err is the read's error; nil means the bytes were read but their
	// SHA-256 differs from the bmap's.
	Err error
}

func (e *RangeError) Error() string {
	where := fmt.Sprintf("range %d-%d (bytes %d-%d)", e.Range.First, e.Range.Last, e.Offset, e.Offset+e.Length-1)
	if e.Err != nil {
		return where + ": " + e.Err.Error()
	}
	return where + ": SHA-256 differs from the bmap"
}

func (e *RangeError) Unwrap() error { return e.Err }

// Result is what a read-back did.
type Result struct {
	Bytes  int64 // bytes read and hashed
	Ranges int
	// Direct is false when the device's file system refused O_DIRECT and
	// the bytes came through the page cache: a read-back that may have
	// seen what was written rather than what is stored.
	Direct bool
}

// Options tune ReadBack; the zero value is fine.
type Options struct {
	// Progress, when set, is called after each chunk with the bytes done
	// and the total.
	Progress func(done, total int64)
}

// bufSize is the read size: large enough that a USB stick streams, small
// enough to stay in cache while it is hashed.
const bufSize = 4 << 20

// align is O_DIRECT's buffer and offset alignment: 4096 satisfies every
// logical block size in use (512 and 4096).
const align = 4096

// ReadBack reads every range of m from dev and checks its SHA-256. The
// first bad range comes back as a *RangeError. A device shorter than the
// image is refused before any read.
func ReadBack(ctx context.Context, dev string, m *Map, opt *Options) (Result, error) {
	return readBack(ctx, os.OpenFile, dev, m, opt)
}

// openFunc is os.OpenFile's shape, so a test can play a file system that
// refuses O_DIRECT at open (tmpfs did before Linux 6.6).
type openFunc func(name string, flag int, perm os.FileMode) (*os.File, error)

func readBack(ctx context.Context, open openFunc, dev string, m *Map, opt *Options) (Result, error) {
	if opt == nil {
		opt = &Options{}
	}
	res := Result{Direct: true}
	f, err := open(dev, os.O_RDONLY|syscall.O_DIRECT, 0)
	if errors.Is(err, syscall.EINVAL) {
		res.Direct = false
		f, err = open(dev, os.O_RDONLY, 0)
	}
	if err != nil {
		return res, fmt.Errorf("read-back: %w", err)
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return res, fmt.Errorf("read-back: %s: %w", dev, err)
	}
	if size < m.ImageSize {
		return res, fmt.Errorf("read-back: %s holds %d bytes, the image %d", dev, size, m.ImageSize)
	}
	buf := alignedBuf(bufSize)
	total := m.MappedBytes()
	h := sha256.New()
	for _, r := range m.Ranges {
		off, n := m.Bytes(r)
		h.Reset()
		for done := int64(0); done < n; {
			if err := ctx.Err(); err != nil {
				return res, fmt.Errorf("read-back: %w", err)
			}
			want := min(n-done, int64(len(buf)))
			// O_DIRECT reads whole aligned blocks; the image's last
			// block may be cut short, so read it whole and hash only
			// the image's part.
			rd := (want + align - 1) / align * align
			got, err := f.ReadAt(buf[:rd], off+done)
			if int64(got) < want {
				if err == nil || err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return res, &RangeError{Range: r, Offset: off, Length: n, Err: err}
			}
			h.Write(buf[:want])
			done += want
			res.Bytes += want
			if opt.Progress != nil {
				opt.Progress(res.Bytes, total)
			}
		}
		if [sha256.Size]byte(h.Sum(nil)) != r.SHA256 {
			return res, &RangeError{Range: r, Offset: off, Length: n}
		}
		res.Ranges++
	}
	return res, nil
}

// alignedBuf gives n bytes starting at a multiple of align, as O_DIRECT
// wants its buffers.
func alignedBuf(n int) []byte {
	b := make([]byte, n+align)
	skip := (align - int(uintptr(unsafe.Pointer(&b[0]))%align)) % align
	return b[skip : skip+n : skip+n]
}
