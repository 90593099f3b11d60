package demo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/gdamore/tcell/v2"

	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

// The targets, printed beside each figure for the reader; the
// benchmarks never fail on them (the machine is shared).
const (
	targetScanToDrawMS = 16
	targetStartMS      = 200
	targetRSSMB        = 40
)

// stampScanner is the demo's scanner driver with a stopwatch on its
// output: the time each document leaves the driver.
type stampScanner struct {
	kiosk.Scanner
	docs chan time.Time
}

func (s *stampScanner) Run(ctx context.Context, emit func(scanner.Event)) error {
	return s.Scanner.Run(ctx, func(ev scanner.Event) {
		if ev.Kind == scanner.EventDocument {
			select {
			case s.docs <- time.Now():
			default:
			}
		}
		emit(ev)
	})
}

// drawWatch is the simulation screen with a stopwatch on Show, which
// tview calls once a frame is drawn: after arm(text), the first frame that
// holds text sends its time.
type drawWatch struct {
	tcell.SimulationScreen
	mu    sync.Mutex
	want  string
	drawn chan time.Time
}

func (s *drawWatch) arm(text string) {
	s.mu.Lock()
	s.want = text
	s.mu.Unlock()
}

func (s *drawWatch) Show() {
	s.SimulationScreen.Show()
	at := time.Now()
	s.mu.Lock()
	want := s.want
	s.mu.Unlock()
	if want == "" {
		return
	}
	cells, w, _ := s.GetContents()
	var row strings.Builder
	for i, c := range cells {
		if i%w == 0 {
			if strings.Contains(row.String(), want) {
				break
			}
			row.Reset()
		}
		row.WriteString(string(c.Runes))
	}
	if !strings.Contains(row.String(), want) {
		return
	}
	s.mu.Lock()
	s.want = ""
	s.mu.Unlock()
	select {
	case s.drawn <- at:
	default:
	}
}

// quantile is the q-quantile of sorted durations, in milliseconds.
func quantile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q * float64(len(sorted)-1))
	return float64(sorted[i]) / float64(time.Millisecond)
}

// BenchmarkScanToConfirm is the time from a scanned document leaving the
// driver to the confirm screen drawn (target at most 16 ms), and from the
// scanner's bytes on the pseudo-terminal to the same draw. Each round
// scans at the scan screen and goes back with Escape; two passports take
// turns, since the driver drops a repeat of the same one.
func BenchmarkScanToConfirm(b *testing.B) {
	screen := &drawWatch{SimulationScreen: uitest.NewScreen(), drawn: make(chan time.Time, 1)}
	stamp := &stampScanner{docs: make(chan time.Time, 1)}
	x := demotest.Start(b, demotest.Setup{Screen: screen, Options: func(_ testing.TB, _ *demo.Demo, o *kiosk.Options) {
		stamp.Scanner = o.Scanner
		o.Scanner = stamp
	}})
	d, h, clk := x.D, x.H, x.Clock
	for _, id := range []string{"lang-kk", "self"} {
		clk.Add(time.Second)
		h.TapAction(id)
	}

	passports := []struct{ id, surname string }{{"latin", "MUSTERMANN"}, {"over-65", "SMITH"}}
	var fromEvent, fromWrite []time.Duration
	wait := func(c <-chan time.Time, what string) time.Time {
		select {
		case at := <-c:
			return at
		case <-time.After(waitLimit):
			b.Fatalf("no %s in %v; the screen:\n%s", what, waitLimit, h.Text())
		}
		return time.Time{}
	}
	for i := 0; b.Loop(); i++ {
		p := passports[i%len(passports)]
		screen.arm(p.surname)
		wrote := time.Now()
		d.Scan(p.id)
		event := wait(stamp.docs, "document from the driver")
		drawn := wait(screen.drawn, "confirm screen")
		fromEvent = append(fromEvent, drawn.Sub(event))
		fromWrite = append(fromWrite, drawn.Sub(wrote))
		h.Key(tcell.KeyEscape) // back to the scan screen
	}
	b.StopTimer()
	slices.Sort(fromEvent)
	slices.Sort(fromWrite)
	b.ReportMetric(quantile(fromEvent, 0.5), "event-to-draw-ms-p50")
	b.ReportMetric(quantile(fromEvent, 0.99), "event-to-draw-ms-p99")
	b.ReportMetric(quantile(fromWrite, 0.5), "pty-to-draw-ms-p50")
	b.ReportMetric(quantile(fromWrite, 0.99), "pty-to-draw-ms-p99")
	b.Logf("scan to confirm drawn over %d scans: driver event → draw p50 %.2f ms, p99 %.2f ms; pty write → draw p50 %.2f ms, p99 %.2f ms (target ≤ %d ms)",
		len(fromEvent), quantile(fromEvent, 0.5), quantile(fromEvent, 0.99), quantile(fromWrite, 0.5), quantile(fromWrite, 0.99), targetScanToDrawMS)
}

// goCommand finds the go command, or skips the benchmark.
func goCommand(b *testing.B) string {
	b.Helper()
	g, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command on PATH to build the kiosk with")
	}
	return g
}

// buildKiosk builds cmd/kiosk for this machine into a temporary folder.
func buildKiosk(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "kiosk")
	cmd := exec.Command(goCommand(b), "build", "-o", bin, "github.com/hcsc-kz/kiosk/cmd/kiosk")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// term is the kiosk binary running in a pseudo-terminal of 100×40 cells,
// its output kept for waits.
type term struct {
	b     *testing.B
	cmd   *exec.Cmd
	pt    *os.File
	mu    sync.Mutex
	out   bytes.Buffer
	grown chan struct{}
	done  chan struct{}
}

// startTerm starts `kiosk demo --state state` in a pseudo-terminal; it
// skips the benchmark when this machine has no pseudo-terminals.
func startTerm(b *testing.B, bin, state string) *term {
	b.Helper()
	cmd := exec.Command(bin, "demo", "--state", state)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "LANG=C.UTF-8")
	pt, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 100, Rows: 40})
	if err != nil {
		b.Skipf("no pseudo-terminal to run the kiosk in: %v", err)
	}
	t := &term{b: b, cmd: cmd, pt: pt, grown: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := pt.Read(buf)
			if n > 0 {
				t.mu.Lock()
				t.out.Write(buf[:n])
				t.mu.Unlock()
				select {
				case t.grown <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return // EIO once the kiosk has exited
			}
		}
	}()
	return t
}

// waitFor waits until text has been drawn after offset from in the output,
// and returns the offset past it.
func (t *term) waitFor(text string, from int) int {
	t.b.Helper()
	deadline := time.After(waitLimit)
	for {
		t.mu.Lock()
		i := bytes.Index(t.out.Bytes()[from:], []byte(text))
		n := t.out.Len()
		t.mu.Unlock()
		if i >= 0 {
			return from + i + len(text)
		}
		select {
		case <-t.grown:
		case <-t.done:
			t.b.Fatalf("the kiosk exited before drawing %q", text)
		case <-deadline:
			t.b.Fatalf("%q not drawn in %v (%d bytes of output)", text, waitLimit, n)
		}
	}
}

// send types bytes into the terminal.
func (t *term) send(s string) {
	t.b.Helper()
	if _, err := t.pt.Write([]byte(s)); err != nil {
		t.b.Fatal(err)
	}
}

// stop ends the kiosk as the service manager does (SIGTERM) and waits.
func (t *term) stop() {
	t.b.Helper()
	_ = t.cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- t.cmd.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.b.Error(err)
		}
	case <-time.After(waitLimit):
		_ = t.cmd.Process.Kill()
		<-exited
		t.b.Errorf("the kiosk did not stop in %v after SIGTERM", waitLimit)
	}
	t.pt.Close()
	<-t.done
}

// BenchmarkBinaryStart is the time from starting `kiosk demo` (backend,
// database, scanner and printer included) to the Kazakh welcome drawn
// in its terminal (target at most 200 ms). The state folder is kept
// between rounds, as on a kiosk that has run before.
func BenchmarkBinaryStart(b *testing.B) {
	bin := buildKiosk(b)
	state := b.TempDir()
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		t := startTerm(b, bin, state)
		t.waitFor("Тілді", 0)
		took = append(took, time.Since(start))
		b.StopTimer()
		t.stop()
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(quantile(took, 0.5), "start-to-welcome-ms-p50")
	b.ReportMetric(quantile(took, 1), "start-to-welcome-ms-max")
	b.Logf("binary start to the welcome drawn over %d starts: p50 %.0f ms, max %.0f ms (target ≤ %d ms)",
		len(took), quantile(took, 0.5), quantile(took, 1), targetStartMS)
}

// status reads a field of /proc/<pid>/status in kB.
func status(pid int, field string) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}

// BenchmarkJourneyMemory runs `kiosk demo` in a terminal through a whole
// journey by keyboard (Kazakh, for myself, F2, confirm, continue, a phone
// number, submit, done) and reads its resident memory: the peak (VmHWM)
// and at the end (VmRSS); target at most 40 MB.
func BenchmarkJourneyMemory(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("no /proc to read resident memory from")
	}
	bin := buildKiosk(b)
	var peak, rss int
	for b.Loop() {
		t := startTerm(b, bin, b.TempDir())
		at := t.waitFor("Тілді", 0)
		// Each key waits for the page it leads to: the scan, the submit
		// and the print answer from other goroutines.
		// Markers are single words: the terminal redraws only the cells
		// that change, so a space kept from the last page can split a
		// phrase in the output.
		steps := []struct{ keys, then string }{
			{"\r", "алуға"},                 // Қазақ тілі has the focus
			{"\r", "сканерге"},              // for myself
			{"\x1bOQ", "MUSTERMANN"},        // F2: the first sample
			{"\r", "терезеге"},              // confirm: the result
			{"\r", "SMS"},                   // continue: the phone number
			{"7011234567\r", "Талоныңызды"}, // typed on the keypad, submitted: the ticket
			{"\r", "Рақмет"},                // done: goodbye
		}
		for _, s := range steps {
			t.send(s.keys)
			at = t.waitFor(s.then, at)
		}
		pid := t.cmd.Process.Pid
		var err error
		if peak, err = status(pid, "VmHWM"); err != nil {
			b.Fatal(err)
		}
		if rss, err = status(pid, "VmRSS"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		t.stop()
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
	b.ReportMetric(float64(rss)/1024, "end-RSS-MB")
	b.Logf("resident memory over a whole journey: peak %.1f MB, at the end %.1f MB (target ≤ %d MB)",
		float64(peak)/1024, float64(rss)/1024, targetRSSMB)
}

// BenchmarkCrossCompile builds cmd/kiosk for linux/arm64 with cgo off,
// as `make cross` does, and reports the binary's size; ns/op is the build
// (cached after the first).
func BenchmarkCrossCompile(b *testing.B) {
	g := goCommand(b)
	bin := filepath.Join(b.TempDir(), "kiosk-linux-arm64")
	for b.Loop() {
		cmd := exec.Command(g, "build", "-trimpath", "-o", bin, "github.com/hcsc-kz/kiosk/cmd/kiosk")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			b.Fatalf("cross build: %v\n%s", err, out.String())
		}
	}
	fi, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	mb := float64(fi.Size()) / (1 << 20)
	b.ReportMetric(mb, "linux-arm64-MB")
	b.Logf("kiosk for linux/arm64, CGO_ENABLED=0: %.1f MB (%d bytes)", mb, fi.Size())
}
