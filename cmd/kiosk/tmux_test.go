package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// failsafe bounds every wait of these tests. Each wait ends when its
// condition holds; only a hung kiosk or test reaches this.
const failsafe = 2 * time.Minute

// until asks ok now and again each time changed says something may have
// changed (the terminal drew, the backend answered a request), and fails
// the test with why() when ok does not hold. A closed changed means
// nothing will change any more: ok is asked a last time.
func until(t *testing.T, changed <-chan struct{}, why func() string, ok func() bool) {
	t.Helper()
	limit := time.NewTimer(failsafe)
	defer limit.Stop()
	for !ok() {
		select {
		case _, open := <-changed:
			if !open {
				if ok() {
					return
				}
				t.Fatalf("never, and nothing more will change: %s", why())
			}
		case <-limit.C:
			t.Fatalf("not within %v: %s", failsafe, why())
		}
	}
}

// notify tells a waiter on c that something changed; one untaken word is
// enough, since the waiter asks its condition anew after each.
func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// buildKiosk builds this command for a real-terminal test and returns
// tmux's path and the binary's, or skips when either cannot be had.
func buildKiosk(t *testing.T, dir string) (tmux, bin string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the real-terminal test builds and runs the binary")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install tmux; .ci/run installs it): the real-terminal test is skipped")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to build the binary with")
	}
	bin = filepath.Join(dir, "kiosk")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return tmux, bin
}

// pane is one tmux session, on a server of the test's own, running a
// command in a terminal of a set size.
type pane struct {
	t    *testing.T
	tmux string
	sock string
	// changed is told whenever the kiosk writes to the terminal, and
	// closed when the pane is gone: tmux pipes the pane's output into a
	// FIFO the test reads. tmux updates what capture-pane shows before it
	// passes the same bytes on, so a screen asked for after a word on
	// changed is at least as new as that output.
	changed chan struct{}
}

// newPane starts line in a new tmux session of width×height on its own
// server under dir, and ends that server when the test ends.
func newPane(t *testing.T, tmux, dir string, width, height int, line string) *pane {
	t.Helper()
	p := &pane{t: t, tmux: tmux, sock: filepath.Join(dir, "tmux.sock"), changed: make(chan struct{}, 1)}
	if _, err := p.run("new-session", "-d", "-s", "kiosk", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), line); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = p.run("kill-server") })
	fifo := filepath.Join(dir, "pane.out")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.changed)
		f, err := os.Open(fifo) // until tmux's cat opens the other end
		if err != nil {
			return
		}
		defer f.Close()
		buf := make([]byte, 4096)
		for {
			if _, err := f.Read(buf); err != nil {
				return // the pane is gone
			}
			notify(p.changed)
		}
	}()
	if _, err := p.run("pipe-pane", "-O", "-t", "kiosk", "cat >"+strconv.Quote(fifo)); err != nil {
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Close() // lets the reader go
		}
		t.Fatal(err)
	}
	return p
}

func (p *pane) run(args ...string) (string, error) {
	cmd := exec.Command(p.tmux, append([]string{"-u", "-S", p.sock}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// pid is the process the pane runs: the shell, or what it became by exec.
func (p *pane) pid() int {
	p.t.Helper()
	out, err := p.run("display-message", "-p", "-t", "kiosk", "#{pane_pid}")
	if err != nil {
		p.t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		p.t.Fatalf("tmux pane_pid %q: %v", out, err)
	}
	return pid
}

// screen is what the terminal shows now, one string per row.
func (p *pane) screen() []string {
	p.t.Helper()
	out, err := p.run("capture-pane", "-p", "-t", "kiosk")
	if err != nil {
		p.t.Fatal(err)
	}
	return strings.Split(out, "\n")
}

// waitFor waits until text is on the screen and returns the screen.
func (p *pane) waitFor(text string) []string {
	p.t.Helper()
	var rows []string
	until(p.t, p.changed, func() string {
		return fmt.Sprintf("%q never appeared; the terminal:\n%s", text, strings.Join(rows, "\n"))
	},
		func() bool {
			rows = p.screen()
			return strings.Contains(strings.Join(rows, "\n"), text)
		})
	return rows
}

// keys sends tmux key names (Enter, F2).
func (p *pane) keys(names ...string) {
	p.t.Helper()
	if _, err := p.run(append([]string{"send-keys", "-t", "kiosk"}, names...)...); err != nil {
		p.t.Fatal(err)
	}
}

// tap touches the middle of text on screen the way a touch screen's
// driver does in an xterm: an SGR mouse report (mode 1006, which tcell
// turns on) for a press and one for a release, written straight into the
// terminal's input. tmux's own send-keys -M only replays mouse events
// bound to its keys.
func (p *pane) tap(rows []string, text string) {
	p.t.Helper()
	for y, row := range rows {
		if i := strings.Index(row, text); i >= 0 {
			x := len([]rune(row[:i])) + len([]rune(text))/2
			for _, end := range []byte{'M', 'm'} { // press, release
				report := fmt.Sprintf("\x1b[<0;%d;%d%c", x+1, y+1, end) // 1-based
				args := []string{"send-keys", "-t", "kiosk", "-H"}
				for _, b := range []byte(report) {
					args = append(args, fmt.Sprintf("%02x", b))
				}
				if _, err := p.run(args...); err != nil {
					p.t.Fatal(err)
				}
			}
			return
		}
	}
	p.t.Fatalf("%q is not on the terminal:\n%s", text, strings.Join(rows, "\n"))
}

// TestDemoInTmux runs the built binary in a real terminal: the Kazakh
// welcome, a tap on Қазақ тілі, Enter for "for myself", F2 to scan the
// first sample, its holder on the confirm screen, and F10 to quit.
func TestDemoInTmux(t *testing.T) {
	dir := t.TempDir()
	tmux, bin := buildKiosk(t, dir)

	state, exit := filepath.Join(dir, "state"), filepath.Join(dir, "exit")
	line := fmt.Sprintf("env TERM=xterm-256color LANG=C.UTF-8 %s demo --state %s 2>%s; echo $? >%s",
		strconv.Quote(bin), strconv.Quote(state), strconv.Quote(filepath.Join(dir, "stderr")), strconv.Quote(exit))
	p := newPane(t, tmux, dir, 100, 40, line)

	// The welcome page is the first: no tap changed to it, so the tap
	// guard lets a tap through at once.
	rows := p.waitFor("Тілді таңдаңыз")
	p.tap(rows, "Қазақ тілі")
	p.waitFor("ЖСН алуға кім өтініш береді?")
	p.keys("Enter") // the first choice, for myself, has the focus
	p.waitFor("Төлқұжатыңызды сканерге қойыңыз")
	p.keys("F2")
	rows = p.waitFor("MUSTERMANN")
	if !strings.Contains(strings.Join(rows, "\n"), "Оқылған деректерді тексеріңіз") {
		t.Errorf("not the confirm screen:\n%s", strings.Join(rows, "\n"))
	}

	p.keys("F10")
	var code []byte
	until(t, p.changed, func() string { return "kiosk demo still running after F10:\n" + strings.Join(p.screen(), "\n") },
		func() bool {
			code, _ = os.ReadFile(exit)
			return len(code) > 0
		})
	stderr, _ := os.ReadFile(filepath.Join(dir, "stderr"))
	if c := strings.TrimSpace(string(code)); c != "0" {
		t.Errorf("kiosk demo exited %s after F10; stderr:\n%s", c, stderr)
	}
	// The booked visits to try, said at start.
	loc, err := zone.Load("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	for _, c := range demo.SampleBookingCodes(config.Day{Year: now.Year(), Month: now.Month(), Day: now.Day()}, 6) {
		if !strings.Contains(string(stderr), c) {
			t.Errorf("kiosk demo did not say the booking code %s at start; stderr:\n%s", c, stderr)
		}
	}
}
