// Package bmap reads the block maps bmaptool writes (format 2.0) and reads
// a flashed device back against one.
//
// A block map lists the ranges of an image's blocks that hold data, each
// with the SHA-256 of its bytes. bmaptool copy writes only those ranges
// and checks the image's bytes as it reads them, but it never reads the
// device back: a card that accepts writes and returns something else
// passes it. ReadBack reads every mapped range from the device, bypassing
// the page cache with O_DIRECT so the bytes come from the medium, and
// names the first range whose hash differs.
package bmap

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Range is a run of mapped blocks, First to Last inclusive, as the bmap
// lists it.
type Range struct {
	First, Last int64
	SHA256      [sha256.Size]byte
}

// Map is a parsed block map.
type Map struct {
	ImageSize    int64 // bytes
	BlockSize    int64 // bytes
	BlocksCount  int64
	MappedBlocks int64
	Ranges       []Range
	// FileChecksum tells whether the file carried BmapFileChecksum (and so
	// whether Parse checked it).
	FileChecksum bool
}

// Bytes gives the byte offset and length of r in the image; the last
// block may be cut short by the image's end.
func (m *Map) Bytes(r Range) (off, n int64) {
	off = r.First * m.BlockSize
	end := min((r.Last+1)*m.BlockSize, m.ImageSize)
	return off, end - off
}

// MappedBytes is the number of bytes the ranges cover.
func (m *Map) MappedBytes() int64 {
	var n int64
	for _, r := range m.Ranges {
		_, l := m.Bytes(r)
		n += l
	}
	return n
}

// FormatError says why a bmap file was refused.
type FormatError struct {
	Reason string
}

func (e *FormatError) Error() string { return "bmap: " + e.Reason }

func bad(format string, a ...any) error {
	return &FormatError{Reason: fmt.Sprintf(format, a...)}
}

// ReadFile reads and parses a bmap file.
func ReadFile(path string) (*Map, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bmap: %w", err)
	}
	m, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// The file's XML, fields as text so each gets its own error.
type xmlMap struct {
	XMLName      xml.Name   `xml:"bmap"`
	Version      string     `xml:"version,attr"`
	ImageSize    string     `xml:"ImageSize"`
	BlockSize    string     `xml:"BlockSize"`
	BlocksCount  string     `xml:"BlocksCount"`
	Mapped       string     `xml:"MappedBlocksCount"`
	ChecksumType string     `xml:"ChecksumType"`
	FileChecksum *string    `xml:"BmapFileChecksum"`
	BlockMap     *xmlBlocks `xml:"BlockMap"`
}

type xmlBlocks struct {
	Ranges []xmlRange `xml:"Range"`
}

type xmlRange struct {
	Chksum *string `xml:"chksum,attr"`
	Text   string  `xml:",chardata"`
}

// maxBlocks bounds the numbers read so offsets never overflow int64.
const maxBlocks = 1 << 40

// Parse reads a bmap file's content. Only format 2 with SHA-256 checksums
// is accepted (bmaptool 3 writes 2.0): a range without a checksum could not
// be read back. BmapFileChecksum, when present, must match.
func Parse(b []byte) (*Map, error) {
	var x xmlMap
	if err := xml.Unmarshal(b, &x); err != nil {
		return nil, bad("not a bmap file: %v", err)
	}
	major, _, _ := strings.Cut(strings.TrimSpace(x.Version), ".")
	if major != "2" {
		return nil, bad("format version %q, want 2.x (bmaptool create writes 2.0)", x.Version)
	}
	if ct := strings.TrimSpace(x.ChecksumType); ct != "sha256" {
		return nil, bad("checksum type %q, want sha256", ct)
	}
	m := &Map{}
	// The file's own checksum first: a map changed after it was made is
	// that, whatever else is wrong with it.
	if x.FileChecksum != nil {
		if err := checkFile(b, strings.TrimSpace(*x.FileChecksum)); err != nil {
			return nil, err
		}
		m.FileChecksum = true
	}
	var err error
	if m.ImageSize, err = number("ImageSize", x.ImageSize, 1, maxBlocks*4096); err != nil {
		return nil, err
	}
	if m.BlockSize, err = number("BlockSize", x.BlockSize, 512, 1<<24); err != nil {
		return nil, err
	}
	if m.BlockSize%512 != 0 {
		return nil, bad("BlockSize %d is not a multiple of 512", m.BlockSize)
	}
	want := (m.ImageSize + m.BlockSize - 1) / m.BlockSize
	if m.BlocksCount, err = number("BlocksCount", x.BlocksCount, 1, maxBlocks); err != nil {
		return nil, err
	}
	if m.BlocksCount != want {
		return nil, bad("BlocksCount %d, but ImageSize %d in blocks of %d is %d", m.BlocksCount, m.ImageSize, m.BlockSize, want)
	}
	if m.MappedBlocks, err = number("MappedBlocksCount", x.Mapped, 0, m.BlocksCount); err != nil {
		return nil, err
	}
	if x.BlockMap == nil {
		return nil, bad("no BlockMap")
	}
	var sum, next int64
	for i, xr := range x.BlockMap.Ranges {
		r, err := parseRange(xr)
		if err != nil {
			return nil, bad("Range %d: %v", i+1, err)
		}
		if r.First < next {
			return nil, bad("Range %d-%d overlaps or precedes the one before it", r.First, r.Last)
		}
		if r.Last >= m.BlocksCount {
			return nil, bad("Range %d-%d ends past the image's %d blocks", r.First, r.Last, m.BlocksCount)
		}
		next = r.Last + 1
		sum += r.Last - r.First + 1
		m.Ranges = append(m.Ranges, r)
	}
	if sum != m.MappedBlocks {
		return nil, bad("the ranges hold %d blocks, MappedBlocksCount says %d", sum, m.MappedBlocks)
	}
	return m, nil
}

func number(name, s string, lo, hi int64) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, bad("no %s", name)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, bad("%s %q is not a number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

// parseRange reads "first-last" or a single block "n".
func parseRange(xr xmlRange) (Range, error) {
	var r Range
	text := strings.TrimSpace(xr.Text)
	a, b, isRange := strings.Cut(text, "-")
	var err1, err2 error
	r.First, err1 = strconv.ParseInt(a, 10, 64)
	r.Last, err2 = r.First, nil
	if isRange {
		r.Last, err2 = strconv.ParseInt(b, 10, 64)
	}
	if err1 != nil || err2 != nil || r.First < 0 || r.Last < r.First {
		return r, fmt.Errorf("%q is not \"first-last\" blocks", text)
	}
	if xr.Chksum == nil {
		return r, fmt.Errorf("%q has no chksum", text)
	}
	h, err := hex.DecodeString(*xr.Chksum)
	if err != nil || len(h) != sha256.Size {
		return r, fmt.Errorf("%q: chksum %q is not a SHA-256", text, *xr.Chksum)
	}
	copy(r.SHA256[:], h)
	return r, nil
}

// checkFile checks BmapFileChecksum the way bmaptool makes it: the SHA-256
// of the file with the checksum's own text replaced by as many "0".
func checkFile(b []byte, want string) error {
	if h, err := hex.DecodeString(want); err != nil || len(h) != sha256.Size {
		return bad("BmapFileChecksum %q is not a SHA-256", want)
	}
	i := bytes.Index(b, []byte(want))
	if i < 0 {
		return errors.New("bmap: BmapFileChecksum not found in the file's text") // Unmarshal found it, so unreachable in practice
	}
	z := bytes.Clone(b)
	copy(z[i:], bytes.Repeat([]byte("0"), len(want)))
	if got := fmt.Sprintf("%x", sha256.Sum256(z)); got != want {
		return bad("the file's own checksum differs (BmapFileChecksum %s, content %s): the bmap was changed or cut", want, got)
	}
	return nil
}
