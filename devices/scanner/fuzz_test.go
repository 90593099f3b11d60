package scanner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// FuzzAssembler feeds arbitrary bytes, cut into arbitrary reads, with
// arbitrary prefix and suffix, and checks that the assembler never panics,
// never grows its buffers, only ever returns well-formed documents, and
// always recovers: a document framed by STX/ETX after any garbage is read.
func FuzzAssembler(f *testing.F) {
	const (
		l1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
		l2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	)
	f.Add([]byte(l1+"\r"+l2+"\r"), uint8(0), "", "")
	f.Add([]byte("\x02"+l1+"\r\n"+l2+"\r\n\x03"), uint8(3), "", "")
	f.Add([]byte("]M"+l1+l2+"#"), uint8(7), "]M", "#")
	f.Add([]byte("noise\r"+strings.Repeat("A", 300)+"\r"+l1+"\n"+l2), uint8(1), "", "")
	f.Add([]byte("I<UTOD231458907<<<<<<<<<<<<<<<\r7408122F1204159UTO<<<<<<<<<<<6\rERIKSSON<<ANNA<MARIA<<<<<<<<<<\r"), uint8(5), "\x1d", "\r\r")
	// Driving licences, passed on for the parser to refuse.
	f.Add([]byte("D1FRA13AA000026181231MARTIN<<9\rAAA001D<<\rFACHE305142128097<<<<<<<<<<<<<\rROSSI<<MARIA<<<<<<<<<<<<<<<<<<\r"), uint8(4), "", "")
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, prefix, suffix string) {
		opts := &Opts{Prefix: prefix, Suffix: suffix, Now: func() time.Time { return time.Unix(0, 0) }}
		o, err := opts.resolve()
		if err != nil {
			t.Skip() // affixes longer than MaxAffix are refused up front
		}
		tail := "\x02" + l1 + "\r" + l2 + "\r\x03"
		plain := prefix == "" && suffix == ""
		in := data
		if plain {
			in = append(bytes.Clone(data), tail...)
		}
		a := newAssembler(&chunked{data: in, n: int(chunk)%17 + 1}, &o)
		lineCap, frameCap := cap(a.line), cap(a.frame)
		var last string
		for {
			fr, err := a.Next(context.Background())
			if err != nil {
				if !errors.Is(err, io.EOF) {
					t.Fatalf("Next error %v, want io.EOF", err)
				}
				break
			}
			if cap(a.line) != lineCap || cap(a.frame) != frameCap || len(a.line) > o.MaxLine {
				t.Fatalf("buffers grew: line %d/%d (was %d), frame %d (was %d)", len(a.line), cap(a.line), lineCap, cap(a.frame), frameCap)
			}
			if fr.Drop != nil {
				if fr.Text != "" || fr.Drop.Reason == nil {
					t.Fatalf("drop frame %+v has text or no reason", fr)
				}
				continue
			}
			checkDocument(t, fr.Text)
			last = fr.Text
		}
		if plain && last != l1+"\n"+l2 {
			t.Fatalf("the STX/ETX-framed document after the input was not the last one read: %q", last)
		}
	})
}

// checkDocument checks the shape the assembler promises: 2 lines of 36 or
// 44, or 3 of 30, or a driving licence's zone (one line of 30 starting
// with D, or lines of 9, 30 and 30) for the parser to refuse, in upper
// case, with no control byte and no space at either end (inner spaces are
// the parser's to judge).
func checkDocument(t *testing.T, text string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	w := len(lines[0])
	switch {
	case len(lines) == 1 && w == 30 && lines[0][0] == 'D':
	case len(lines) == 3 && w == 9 && len(lines[1]) == 30 && len(lines[2]) == 30:
	default:
		want := map[int]int{30: 3, 36: 2, 44: 2}[w]
		if len(lines) != want {
			t.Fatalf("document of %d lines of %d: %q", len(lines), w, text)
		}
		for _, l := range lines {
			if len(l) != w {
				t.Fatalf("lines of mixed lengths: %q", text)
			}
		}
	}
	for _, l := range lines {
		if l[0] == ' ' || l[len(l)-1] == ' ' {
			t.Fatalf("space at a line's end: %q", text)
		}
		for _, c := range []byte(l) {
			if !kept(c) || ('a' <= c && c <= 'z') {
				t.Fatalf("byte %#x in a document line: %q", c, text)
			}
		}
	}
}

// chunked reads data n bytes at a time.
type chunked struct {
	data []byte
	n    int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[k:]
	return k, nil
}
