package bmap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

func sampleBmap(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/sample.bmap")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSample(t *testing.T) {
	m, err := Parse(sampleBmap(t))
	if err != nil {
		t.Fatal(err)
	}
	if m.ImageSize != sampleSize || m.BlockSize != 4096 || m.BlocksCount != 2049 || m.MappedBlocks != 19 || !m.FileChecksum {
		t.Errorf("map = %+v", m)
	}
	var got []string
	for _, r := range m.Ranges {
		got = append(got, fmt.Sprintf("%d-%d", r.First, r.Last))
	}
	if s := strings.Join(got, " "); s != "0-4 300-309 1500-1502 2048-2048" {
		t.Errorf("ranges %s", s)
	}
	if off, n := m.Bytes(m.Ranges[3]); off != 8<<20 || n != 1000 {
		t.Errorf("last range bytes %d+%d, want the cut block %d+1000", off, n, 8<<20)
	}
	if n := m.MappedBytes(); n != 18*4096+1000 {
		t.Errorf("MappedBytes = %d", n)
	}
}

// TestParseBmaptool parses what the installed bmaptool writes today, so a
// format change shows here rather than at a technician's bench.
func TestParseBmaptool(t *testing.T) {
	if _, err := exec.LookPath("bmaptool"); err != nil {
		t.Skip("bmaptool not installed (Debian package bmap-tools)")
	}
	dir := t.TempDir()
	img := writeSample(t, dir)
	out := filepath.Join(dir, "sample.bmap")
	if b, err := exec.Command("bmaptool", "create", "-o", out, img).CombinedOutput(); err != nil {
		t.Fatalf("bmaptool create: %v\n%s", err, b)
	}
	m, err := ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Parse(sampleBmap(t))
	if fmt.Sprint(m.Ranges) != fmt.Sprint(want.Ranges) {
		t.Errorf("bmaptool's map\n%v\ndiffers from the fixture's\n%v", m.Ranges, want.Ranges)
	}
}

// resum recomputes BmapFileChecksum after an edit, so the edit itself is
// what Parse sees.
func resum(b []byte) []byte {
	re := regexp.MustCompile(`<BmapFileChecksum> *([0-9a-f]*) *</BmapFileChecksum>`)
	loc := re.FindSubmatchIndex(b)
	if loc == nil {
		return b
	}
	z := bytes.Clone(b)
	copy(z[loc[2]:loc[3]], bytes.Repeat([]byte("0"), loc[3]-loc[2]))
	copy(z[loc[2]:loc[3]], fmt.Sprintf("%x", sha256.Sum256(z)))
	return z
}

func TestParseRefuses(t *testing.T) {
	sample := string(sampleBmap(t))
	edit := func(old, new string) []byte {
		if !strings.Contains(sample, old) {
			t.Fatalf("fixture has no %q", old)
		}
		return resum([]byte(strings.Replace(sample, old, new, 1)))
	}
	noSum := regexp.MustCompile(`(?s)<BmapFileChecksum>.*?</BmapFileChecksum>`).ReplaceAllString(sample, "")
	for _, tc := range []struct {
		name, want string
		in         []byte
	}{
		{"not xml", "not a bmap file", []byte("hello")},
		{"other root", "not a bmap file", []byte(`<bmp version="2.0"/>`)},
		{"version 1.4", `format version "1.4"`, edit(`version="2.0"`, `version="1.4"`)},
		{"version 3", `format version "3.0"`, edit(`version="2.0"`, `version="3.0"`)},
		{"sha1", `checksum type "sha1"`, edit(`<ChecksumType> sha256 </ChecksumType>`, `<ChecksumType> sha1 </ChecksumType>`)},
		{"no image size", "no ImageSize", edit(`<ImageSize> 8389608 </ImageSize>`, ``)},
		{"negative size", "ImageSize", edit(`<ImageSize> 8389608 </ImageSize>`, `<ImageSize> -1 </ImageSize>`)},
		{"odd block size", "multiple of 512", edit(`<BlockSize> 4096 </BlockSize>`, `<BlockSize> 4000 </BlockSize>`)},
		{"blocks count", "BlocksCount 2048", edit(`<BlocksCount> 2049 </BlocksCount>`, `<BlocksCount> 2048 </BlocksCount>`)},
		{"mapped count", "MappedBlocksCount says 20", edit(`<MappedBlocksCount> 19`, `<MappedBlocksCount> 20`)},
		{"no chksum", "has no chksum", edit(`<Range chksum="8f89ad7dce8f7bcaef0d431a1213a805db08672834bb96a75704f08acd955c35">`, `<Range>`)},
		{"short chksum", "is not a SHA-256", edit(`chksum="8f89ad7dce8f7bcaef0d431a1213a805db08672834bb96a75704f08acd955c35"`, `chksum="8f89ad"`)},
		{"reversed range", `"309-300"`, edit(`300-309`, `309-300`)},
		{"garbled range", `"300-x"`, edit(`300-309`, `300-x`)},
		{"overlap", "overlaps", edit(`1500-1502`, `309-311`)},
		{"past the end", "ends past", edit(`> 2048 <`, `> 2049 <`)},
		{"no block map", "no BlockMap", []byte(regexp.MustCompile(`(?s)<BlockMap>.*</BlockMap>`).ReplaceAllString(noSum, ""))},
		{"changed after", "own checksum differs", []byte(strings.Replace(sample, "300-309", "300-308", 1))},
		{"cut", "not a bmap file", []byte(sample[:len(sample)/2])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in)
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v, want a *FormatError saying %q", err, tc.want)
			}
		})
	}
	m, err := Parse([]byte(noSum))
	if err != nil || m.FileChecksum {
		t.Errorf("a map without BmapFileChecksum: %v, FileChecksum %v; want parsed, unchecked", err, m != nil && m.FileChecksum)
	}
}

func TestReadBack(t *testing.T) {
	m, err := Parse(sampleBmap(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, img string)
		want  string // "" passes
	}{
		{"intact", func(*testing.T, string) {}, ""},
		{"first byte", flip(0), "range 0-4 (bytes 0-20479): SHA-256 differs"},
		{"middle range", flip(305*4096 + 17), "range 300-309 (bytes 1228800-1269759): SHA-256 differs"},
		{"cut last block", flip(8<<20 + 999), "range 2048-2048 (bytes 8388608-8389607): SHA-256 differs"},
		{"two ranges bad, first named", func(t *testing.T, img string) {
			flip(1501*4096)(t, img)
			flip(301*4096)(t, img)
		}, "range 300-309 "},
		{"a hole written", flip(100 * 4096), ""},
		{"device too short", func(t *testing.T, img string) {
			if err := os.Truncate(img, sampleSize-1); err != nil {
				t.Fatal(err)
			}
		}, "holds 8389607 bytes, the image 8389608"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := writeSample(t, t.TempDir())
			tc.spoil(t, img)
			res, err := ReadBack(context.Background(), img, m, nil)
			if tc.want == "" {
				if err != nil || res.Bytes != m.MappedBytes() || res.Ranges != 4 {
					t.Errorf("ReadBack = %+v, %v; want all %d bytes in 4 ranges", res, err, m.MappedBytes())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadBack = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestReadBackRangeError(t *testing.T) {
	m, _ := Parse(sampleBmap(t))
	img := writeSample(t, t.TempDir())
	flip(1500*4096)(t, img)
	_, err := ReadBack(context.Background(), img, m, nil)
	var re *RangeError
	if !errors.As(err, &re) || re.Range.First != 1500 || re.Offset != 1500*4096 || re.Length != 3*4096 || re.Err != nil {
		t.Errorf("ReadBack = %#v, want a *RangeError for 1500-1502 with no read error", err)
	}
}

func TestReadBackProgressAndCancel(t *testing.T) {
	m, _ := Parse(sampleBmap(t))
	img := writeSample(t, t.TempDir())
	var calls int
	var last int64
	res, err := ReadBack(context.Background(), img, m, &Options{Progress: func(done, total int64) {
		calls++
		if done < last || total != m.MappedBytes() {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	}})
	if err != nil || calls != 4 || last != m.MappedBytes() || !res.Direct {
		t.Errorf("ReadBack = %+v, %v; progress called %d times, last %d", res, err, calls, last)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadBack(ctx, img, m, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ReadBack = %v", err)
	}
}

// TestReadBackFallback: a file system that refuses O_DIRECT (tmpfs before
// Linux 6.6) still gets its read-back, through the page cache, and says so.
func TestReadBackFallback(t *testing.T) {
	m, _ := Parse(sampleBmap(t))
	img := writeSample(t, t.TempDir())
	refuse := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		if flag&syscall.O_DIRECT != 0 {
			return nil, &os.PathError{Op: "open", Path: name, Err: syscall.EINVAL}
		}
		return os.OpenFile(name, flag, perm)
	}
	res, err := readBack(context.Background(), refuse, img, m, nil)
	if err != nil || res.Direct || res.Bytes != m.MappedBytes() {
		t.Errorf("readBack = %+v, %v; want all bytes read, Direct false", res, err)
	}
}

func flip(off int64) func(t *testing.T, img string) {
	return func(t *testing.T, img string) {
		t.Helper()
		f, err := os.OpenFile(img, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b := make([]byte, 1)
		if _, err := f.ReadAt(b, off); err != nil {
			t.Fatal(err)
		}
		b[0] ^= 0x20
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	}
}
