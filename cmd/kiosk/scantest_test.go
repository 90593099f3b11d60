package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
)

// ICAO Doc 9303 specimens: public test data, no real person.
var (
	scanTD3 = []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
	scanTD1 = []string{
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	}
	scanBad = []string{ // '#' is outside the MRZ alphabet
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<#",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
)

// scanTest runs "kiosk scan-test" in-process against a fake scanner and
// hands its stdout line by line.
type scanTest struct {
	t     *testing.T
	port  *scannertest.Port
	now   time.Time
	lines chan string
	code  chan int
	err   bytes.Buffer // stderr, read once the command has returned
}

func startScanTest(t *testing.T, args ...string) *scanTest {
	t.Helper()
	dir := t.TempDir()
	port, err := scannertest.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { port.Close() })
	// A short reopen backoff so the replug is seen at once; the rest are
	// the defaults.
	cfg := filepath.Join(dir, "kiosk.toml")
	if err := os.WriteFile(cfg, []byte("[scanner]\nreopen_min = \"5ms\"\nreopen_max = \"20ms\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &scanTest{
		t: t, port: port, now: time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC),
		lines: make(chan string, 100), code: make(chan int, 1),
	}
	pr, pw := io.Pipe()
	e := &env{stdin: strings.NewReader(""), stdout: pw, stderr: &s.err, now: func() time.Time { return s.now }}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		argv := append([]string{"--config", cfg, "scan-test", "--port", port.Path()}, args...)
		s.code <- run(ctx, e, argv)
		pw.Close()
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	return s
}

// line returns the next output line.
func (s *scanTest) line() string {
	s.t.Helper()
	select {
	case l, ok := <-s.lines:
		if !ok {
			code := <-s.code // the command has returned: stderr is complete
			s.t.Fatalf("scan-test ended early, exit %d; stderr: %s", code, s.err.String())
		}
		return l
	case <-time.After(20 * time.Second):
		s.t.Fatal("no output from scan-test in 20s")
		return ""
	}
}

// expect checks the next line is the JSON object want.
func (s *scanTest) expect(want map[string]any) {
	s.t.Helper()
	l := s.line()
	var got map[string]any
	if err := json.Unmarshal([]byte(l), &got); err != nil {
		s.t.Fatalf("line %q is not a JSON object: %v", l, err)
	}
	for k, w := range want {
		if got[k] != w {
			s.t.Fatalf("line %s: %s = %#v, want %#v", l, k, got[k], w)
		}
	}
}

// expectDoc checks the next line is the document in the `kiosk mrz` schema.
func (s *scanTest) expectDoc(lines []string) {
	s.t.Helper()
	doc, err := mrz.Parse(strings.Join(lines, "\n"), s.now)
	if err != nil {
		s.t.Fatal(err)
	}
	want, err := json.Marshal(doc)
	if err != nil {
		s.t.Fatal(err)
	}
	if got := s.line(); got != string(want) {
		s.t.Fatalf("document line =\n%s\nwant\n%s", got, want)
	}
}

func (s *scanTest) write(lines []string) {
	s.t.Helper()
	if _, err := s.port.Write(scannertest.Frame(lines, scannertest.CR)); err != nil {
		s.t.Fatal(err)
	}
}

func TestScanTest(t *testing.T) {
	s := startScanTest(t, "--count", "2")
	at := s.now.Format(time.RFC3339Nano)
	s.expect(map[string]any{"event": "state", "state": "connected", "port": s.port.Path(), "at": at})

	s.write(scanTD3)
	s.expectDoc(scanTD3)

	s.port.Write([]byte("hello\r"))
	s.expect(map[string]any{"event": "dropped", "error": "scanner: dropped a line that is not an MRZ line (5 characters)"})

	s.write(scanBad)
	l := s.line()
	if !strings.Contains(l, `"event":"unreadable"`) || !strings.Contains(l, "outside the MRZ alphabet") || strings.Contains(l, "ERIKSSON") {
		t.Errorf("unreadable scan line = %s; want the event and the reason, without the scanned text", l)
	}

	if err := s.port.Unplug(); err != nil {
		t.Fatal(err)
	}
	s.expect(map[string]any{"event": "state", "state": "disconnected"})
	s.expect(map[string]any{"event": "state", "state": "disconnected"}) // the reopen finds no device
	if err := s.port.Replug(); err != nil {
		t.Fatal(err)
	}
	s.expect(map[string]any{"event": "state", "state": "connected"})

	s.write(scanTD1)
	s.expectDoc(scanTD1) // the second document: --count 2 stops here
	s.expect(map[string]any{"event": "state", "state": "disconnected"})
	if _, ok := <-s.lines; ok {
		t.Error("output after the last state line")
	}
	if code := <-s.code; code != 0 {
		t.Errorf("exit = %d, want 0; stderr: %s", code, s.err.String())
	}
}

func TestScanTestUsage(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "kiosk.toml")
	if err := os.WriteFile(cfg, []byte("[scanner]\nport = \"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		args       []string
		code       int
		wantStderr string
	}{
		"unknown flag":       {[]string{"--speed", "9600"}, 2, "usage: kiosk"},
		"stray argument":     {[]string{"/dev/ttyACM0"}, 2, "usage: kiosk"},
		"negative baud":      {[]string{"--port", "/dev/x", "--baud", "-1"}, 2, "usage: kiosk"},
		"no port configured": {nil, 1, "no port configured"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, now: time.Now}
			code := run(context.Background(), e, append([]string{"--config", cfg, "scan-test"}, tc.args...))
			if code != tc.code || !strings.Contains(errb.String(), tc.wantStderr) || out.Len() > 0 {
				t.Errorf("scan-test %q = %d, stdout %q, stderr %q; want %d and stderr with %q", tc.args, code, out.String(), errb.String(), tc.code, tc.wantStderr)
			}
		})
	}
}
