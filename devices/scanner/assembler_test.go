package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/hcsc-kz/kiosk/devices/scanner"
)

// step is one Read of a scripted reader: the clock moves on by gap, then the
// read returns data (an empty data is a timed-out serial read: (0, nil)).
type step struct {
	gap  time.Duration
	data string
}

// script is an io.Reader that plays steps against a fake clock, so pauses
// are exact and take no time.
type script struct {
	steps []step
	now   time.Time
}

func (s *script) Read(p []byte) (int, error) {
	if len(s.steps) == 0 {
		return 0, io.EOF
	}
	st := &s.steps[0]
	if st.gap > 0 {
		s.now = s.now.Add(st.gap)
		st.gap = 0
	}
	n := copy(p, st.data)
	st.data = st.data[n:]
	if st.data == "" {
		s.steps = s.steps[1:]
	}
	return n, nil
}

func (s *script) clock() time.Time { return s.now }

// chunks splits s into pieces of n bytes, one read each.
func chunks(s string, n int) []step {
	var out []step
	for len(s) > n {
		out = append(out, step{data: s[:n]})
		s = s[n:]
	}
	return append(out, step{data: s})
}

// render describes a frame for comparison: a document's text, or
// "drop <reason> len=N lines=N".
func render(f scanner.Frame) string {
	if f.Drop == nil {
		return f.Text
	}
	return fmt.Sprintf("drop %s len=%d lines=%d", reasonName(f.Drop.Reason), f.Drop.Length, f.Drop.Lines)
}

func reasonName(err error) string {
	switch {
	case errors.Is(err, scanner.ErrNoise):
		return "noise"
	case errors.Is(err, scanner.ErrOverlong):
		return "overlong"
	case errors.Is(err, scanner.ErrIncomplete):
		return "incomplete"
	case errors.Is(err, scanner.ErrStale):
		return "stale"
	}
	return fmt.Sprintf("unknown(%v)", err)
}

// collect runs an Assembler over r to its end.
func collect(t *testing.T, r io.Reader, opts *scanner.Opts) ([]string, error) {
	t.Helper()
	a, err := scanner.NewAssembler(r, opts)
	if err != nil {
		t.Fatalf("NewAssembler: %v", err)
	}
	var got []string
	for {
		f, err := a.Next(context.Background())
		if err != nil {
			return got, err
		}
		got = append(got, render(f))
	}
}

func TestAssembler(t *testing.T) {
	flood := strings.Repeat("A", 200)
	cases := map[string]struct {
		steps []step
		opts  scanner.Opts
		want  []string
	}{
		"CR": {
			steps: []step{{data: td3L1 + "\r" + td3L2 + "\r"}},
			want:  []string{td3},
		},
		"LF": {
			steps: []step{{data: td3L1 + "\n" + td3L2 + "\n"}},
			want:  []string{td3},
		},
		"CRLF": {
			steps: []step{{data: td3L1 + "\r\n" + td3L2 + "\r\n"}},
			want:  []string{td3},
		},
		"STX/ETX around CR lines": {
			steps: []step{{data: "\x02" + cr(td3L1, td3L2) + "\x03"}},
			want:  []string{td3},
		},
		"STX/ETX with no line breaks": {
			steps: []step{{data: "\x02" + td3L1 + td3L2 + "\x03"}},
			want:  []string{td3},
		},
		"TD1 as one line": {
			steps: []step{{data: td1L1 + td1L2 + td1L3 + "\r"}},
			want:  []string{td1},
		},
		"TD2 as one line": {
			steps: []step{{data: td2L1 + td2L2 + "\r"}},
			want:  []string{td2},
		},
		"a whole MRZ with a space inside is noise": {
			steps: []step{{data: td2L1[:35] + " " + td2L2 + "\r"}},
			want:  []string{"drop noise len=72 lines=0"},
		},
		"prefix and suffix": {
			steps: []step{{data: "]M" + td3L1 + "\r" + td3L2 + "#END"}},
			opts:  scanner.Opts{Prefix: "]M", Suffix: "#END"},
			want:  []string{td3},
		},
		"prefix drops what precedes it on its line": {
			steps: []step{{data: "garb]M" + cr(td3L1, td3L2)}},
			opts:  scanner.Opts{Prefix: "]M"},
			want:  []string{"drop noise len=4 lines=0", td3},
		},
		"prefix drops an unfinished document": {
			steps: []step{{data: td3L1 + "\r]M" + cr(td3L1, td3L2)}},
			opts:  scanner.Opts{Prefix: "]M"},
			want:  []string{"drop incomplete len=0 lines=1", td3},
		},
		"suffix with a control byte and CR": {
			steps: []step{{data: td3L1 + "\r" + td3L2 + "\x1d\r" + td2L1 + "\r" + td2L2 + "\x1d\r"}},
			opts:  scanner.Opts{Suffix: "\x1d\r"},
			want:  []string{td3, td2},
		},
		"suffix ends an unfinished document": {
			steps: []step{{data: td3L1 + "#" + cr(td1L1, td1L2, td1L3)}},
			opts:  scanner.Opts{Suffix: "#"},
			want:  []string{"drop incomplete len=0 lines=1", td1},
		},
		"ETX ends an unfinished document": {
			steps: []step{{data: "\x02" + td3L1 + "\r\x03\x02" + cr(td2L1, td2L2) + "\x03"}},
			want:  []string{"drop incomplete len=0 lines=1", td2},
		},
		"STX starts afresh mid-line": {
			steps: []step{{data: "P<UTOERI\x02" + cr(td3L1, td3L2)}},
			want:  []string{"drop noise len=8 lines=0", td3},
		},
		"lines in pieces": {
			steps: chunks(cr(td3L1, td3L2), 5),
			want:  []string{td3},
		},
		"pause mid-line shorter than the gap": {
			steps: []step{{data: td3L1[:20]}, {gap: 900 * time.Millisecond, data: td3L1[20:] + "\r" + td3L2 + "\r"}},
			opts:  scanner.Opts{FrameGap: time.Second},
			want:  []string{td3},
		},
		"pause mid-line longer than the gap": {
			steps: []step{{data: td3L1[:9]}, {gap: 2 * time.Second, data: cr(td3L1, td3L2)}},
			opts:  scanner.Opts{FrameGap: time.Second},
			want:  []string{"drop stale len=9 lines=0", td3},
		},
		"pause between lines longer than the gap": {
			steps: []step{{data: td3L1 + "\r"}, {gap: 2 * time.Second, data: td3L2 + "\r"}},
			opts:  scanner.Opts{FrameGap: time.Second},
			want:  []string{"drop stale len=0 lines=1"},
		},
		"long pause with the gap rule off": {
			steps: []step{{data: td3L1[:9]}, {gap: time.Hour, data: td3L1[9:] + "\r" + td3L2 + "\r"}},
			opts:  scanner.Opts{FrameGap: -1},
			want:  []string{td3},
		},
		"timed-out reads in between": {
			steps: []step{{data: td3L1[:30]}, {}, {}, {data: td3L1[30:] + "\r"}, {}, {data: td3L2 + "\r"}},
			want:  []string{td3},
		},
		"noise before a document": {
			steps: []step{{data: "hello\r\r\n" + cr(td3L1, td3L2)}},
			want:  []string{"drop noise len=5 lines=0", td3},
		},
		"noise between the lines starts over": {
			steps: []step{{data: cr(td3L1, "xx", td3L2)}},
			want:  []string{"drop noise len=2 lines=1"},
		},
		"a line of another length starts a new document": {
			steps: []step{{data: cr(td3L1, td1L1, td1L2, td1L3)}},
			want:  []string{"drop incomplete len=0 lines=1", td1},
		},
		"over-long line is skipped to its end": {
			steps: []step{{data: flood + "\r" + cr(td3L1, td3L2)}},
			want:  []string{"drop overlong len=128 lines=0", td3},
		},
		"over-long line cut short by STX": {
			steps: []step{{data: flood + "\x02" + cr(td3L1, td3L2) + "\x03"}},
			want:  []string{"drop overlong len=128 lines=0", td3},
		},
		"over-long line cut short by the prefix": {
			steps: []step{{data: flood + "]M" + cr(td3L1, td3L2)}},
			opts:  scanner.Opts{Prefix: "]M"},
			want:  []string{"drop overlong len=128 lines=0", td3},
		},
		"stray control bytes are ignored": {
			steps: []step{{data: "\x00\x1b" + td3L1[:10] + "\x00" + td3L1[10:] + "\r\t" + td3L2 + "\x7f\r"}},
			want:  []string{td3},
		},
		"lower case and spaces around lines": {
			steps: []step{{data: "  " + strings.ToLower(td3L1) + " \r" + td3L2 + "  \r"}},
			want:  []string{td3},
		},
		"three documents back to back": {
			steps: []step{{data: cr(td3L1, td3L2, td1L1, td1L2, td1L3, td2L1, td2L2)}},
			want:  []string{td3, td1, td2},
		},
		"characters outside the alphabet still make a document": {
			steps: []step{{data: cr(td3BadL1, td3L2)}},
			want:  []string{td3BadL1 + "\n" + td3L2},
		},
		"unfinished document at the end is dropped silently": {
			steps: []step{{data: cr(td3L1, td3L2, td3L1)}},
			want:  []string{td3},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := &script{steps: tc.steps, now: time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)}
			opts := tc.opts
			opts.Now = s.clock
			got, err := collect(t, s, &opts)
			if !errors.Is(err, io.EOF) {
				t.Errorf("Next error = %v, want io.EOF", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("frames =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestAssemblerOneByteReads(t *testing.T) {
	in := "noise\r" + cr(td3L1, td3L2, td1L1, td1L2, td1L3)
	got, err := collect(t, iotest.OneByteReader(strings.NewReader(in)), nil)
	want := []string{"drop noise len=5 lines=0", td3, td1}
	if !errors.Is(err, io.EOF) || !slices.Equal(got, want) {
		t.Errorf("one byte a read: %q, %v; want %q, EOF", got, err, want)
	}
}

func TestAssemblerReaderError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader(cr(td3L1, td3L2)+td1L1), iotest.ErrReader(boom))
	a, err := scanner.NewAssembler(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if f, err := a.Next(ctx); err != nil || f.Text != td3 {
		t.Fatalf("first Next = %q, %v; want the TD3, nil", render(f), err)
	}
	for i := range 2 {
		if _, err := a.Next(ctx); !errors.Is(err, boom) {
			t.Errorf("Next #%d after the reader failed: %v, want %v", i+2, err, boom)
		}
	}
}

// idle is a serial port with a read timeout and nothing to say: every Read
// returns (0, nil).
type idle struct{ reads int }

func (r *idle) Read([]byte) (int, error) { r.reads++; return 0, nil }

func TestAssemblerCancelOnTimedOutReads(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &idle{}
	a, err := scanner.NewAssembler(iotest.OneByteReader(r), nil)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := a.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next on a cancelled context = %v, want context.Canceled", err)
	}
}

func TestAssemblerOpts(t *testing.T) {
	cases := map[string]struct {
		opts scanner.Opts
		ok   bool
	}{
		"defaults":          {scanner.Opts{}, true},
		"max line too low":  {scanner.Opts{MaxLine: 44}, false},
		"max line too high": {scanner.Opts{MaxLine: 1 << 20}, false},
		"long prefix":       {scanner.Opts{Prefix: strings.Repeat("x", 17)}, false},
		"long suffix":       {scanner.Opts{Suffix: strings.Repeat("x", 17)}, false},
		"backoff inverted":  {scanner.Opts{ReopenMin: time.Second, ReopenMax: time.Millisecond}, false},
		"small reopen min":  {scanner.Opts{ReopenMin: time.Millisecond}, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := scanner.NewAssembler(strings.NewReader(""), &tc.opts)
			if (err == nil) != tc.ok {
				t.Errorf("NewAssembler(%+v) error = %v, want ok=%v", tc.opts, err, tc.ok)
			}
		})
	}
}

// flood is a device that sends n bytes of 'A' and never a line end.
type flood struct{ n int }

func (f *flood) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), f.n)
	for i := range p[:k] {
		p[i] = 'A'
	}
	f.n -= k
	return k, nil
}

// TestAssemblerFloodMemory checks that 10 MB without a line end costs the
// assembler no more memory than a short scan does.
func TestAssemblerFloodMemory(t *testing.T) {
	const size = 10 << 20
	var got []string
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a, err := scanner.NewAssembler(io.MultiReader(&flood{n: size}, strings.NewReader("\r"+cr(td3L1, td3L2))), nil)
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := a.Next(context.Background())
		if err != nil {
			break
		}
		got = append(got, render(f))
	}
	runtime.ReadMemStats(&after)
	want := []string{"drop overlong len=128 lines=0", td3}
	if !slices.Equal(got, want) {
		t.Errorf("frames = %q, want %q", got, want)
	}
	const limit = 64 << 10
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > limit {
		t.Errorf("allocated %d bytes while 10 MB of garbage passed; want at most %d", alloc, limit)
	}
}
