// Command smoke boots the kiosk image under QEMU and uses it as a visitor
// would, through the image's own drivers: it waits for the first screen's
// Kazakh text on the serial console, walks the journey with keys, puts a
// specimen passport's MRZ on the second serial port (the real scanner
// driver reads it), and answers the real printer driver on the third port
// as an ESC/POS printer does, decoding the ticket it prints with the
// project's preview.
//
// Usage (make image-smoke):
//
//	go run ./scripts/image/smoke --image var/image/latest/kiosk-VERSION.img
//
// The image is copied (sparse) and only the copy's boot entries get the
// test's kernel arguments (kiosk.smoke, the serial console); QEMU runs
// with -snapshot on top, so nothing is written back. TCG only: KVM does
// not work on these machines (../shared/IMAGE.md).
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// smokeArgs go on the copy's kernel command lines: the kiosk on the serial
// console (kiosk-smoke.service), and no login prompt fighting it for the port.
const smokeArgs = " console=ttyS0,115200 kiosk.smoke systemd.mask=serial-getty@ttyS0.service"

// diskSize is the disk QEMU gets: 4 GiB, about twice the image.
const diskSize = 4 << 30

func main() {
	img := flag.String("image", "", "the raw kiosk image (kiosk-VERSION.img beside the .img.zst)")
	out := flag.String("out", "var/image/smoke", "folder for the serial log and the printed ticket")
	timeout := flag.Duration("timeout", 6*time.Minute, "the whole run's limit")
	code := flag.String("ovmf-code", "/usr/share/OVMF/OVMF_CODE_4M.fd", "OVMF firmware code")
	vars := flag.String("ovmf-vars", "/usr/share/OVMF/OVMF_VARS_4M.fd", "OVMF variables template (copied)")
	flag.Parse()
	if *img == "" {
		fmt.Fprintln(os.Stderr, "usage: smoke --image IMAGE.img [--out DIR] [--timeout 6m]")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, *img, *out, *code, *vars); err != nil {
		fmt.Fprintln(os.Stderr, "smoke: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("smoke: PASS")
}

func run(ctx context.Context, img, out, ovmfCode, ovmfVars string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "kiosk-smoke-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	disk := filepath.Join(work, "disk.img")
	if err := sh(ctx, "cp", "--sparse=always", img, disk); err != nil {
		return err
	}
	if err := addKernelArgs(ctx, disk, smokeArgs); err != nil {
		return err
	}
	// A bigger disk than the image, as a real one is: the first boot must
	// grow the data partition to its end.
	if err := os.Truncate(disk, diskSize); err != nil {
		return err
	}
	varsCopy := filepath.Join(work, "vars.fd")
	if err := sh(ctx, "cp", ovmfVars, varsCopy); err != nil {
		return err
	}

	socks := []string{filepath.Join(work, "console"), filepath.Join(work, "scanner"), filepath.Join(work, "printer")}
	args := []string{
		"-machine", "q35", "-accel", "tcg", "-cpu", "max", "-smp", "2", "-m", "1024",
		"-display", "none", "-nic", "none", "-no-reboot",
		"-drive", "if=pflash,format=raw,readonly=on,file=" + ovmfCode,
		"-drive", "if=pflash,format=raw,file=" + varsCopy,
		"-drive", "if=virtio,format=raw,file=" + disk,
		"-snapshot",
	}
	for i, s := range socks {
		args = append(args, "-chardev", fmt.Sprintf("socket,id=s%d,path=%s,server=on,wait=on", i, s), "-serial", fmt.Sprintf("chardev:s%d", i))
	}
	q := exec.CommandContext(ctx, "qemu-system-x86_64", args...)
	var qerr bytes.Buffer
	q.Stderr = &qerr
	start := time.Now()
	if err := q.Start(); err != nil {
		return fmt.Errorf("qemu: %w", err)
	}
	qdone := make(chan error, 1)
	go func() { qdone <- q.Wait() }()
	defer func() {
		_ = q.Process.Kill()
		<-qdone
	}()

	// QEMU waits for a client on each port in turn before it starts the VM.
	conns := make([]net.Conn, len(socks))
	for i, s := range socks {
		if conns[i], err = dial(ctx, s, qdone, &qerr); err != nil {
			return err
		}
		defer conns[i].Close()
	}
	logf, err := os.Create(filepath.Join(out, "console.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	con := newConsole(conns[0], logf)
	pr := newPrinter(conns[2])

	step := func(what, text string) error {
		if err := con.waitFor(ctx, text); err != nil {
			return fmt.Errorf("%s: %w\nlast of the console (escapes removed):\n%s", what, err, con.tail(2000))
		}
		fmt.Printf("smoke: %-44s %6.1f s  (%q on the console)\n", what, time.Since(start).Seconds(), text)
		return nil
	}
	if err := step("first screen, Kazakh first", "Тілді таңдаңыз"); err != nil {
		return err
	}
	// Keys as a visitor's taps: Enter presses the focused button, which is
	// the first language (Kazakh) and then the first choice (for myself).
	con.send("\r")
	if err := step("who applies", "ЖСН алуға кім өтініш береді?"); err != nil {
		return err
	}
	con.send("\r")
	if err := step("scan page", "Төлқұжатыңызды сканерге қойыңыз"); err != nil {
		return err
	}
	spec := demo.Specimens()[0]
	if _, err := conns[1].Write([]byte(strings.Join(spec.Lines, "\r\n") + "\r\n")); err != nil {
		return fmt.Errorf("scanner port: %w", err)
	}
	if err := step("scan read by the real driver", "MUSTERMANN"); err != nil {
		return err
	}
	// The confirm page's focus is on Confirm, the result page's on Continue,
	// the phone page's on Send: one to the left is Skip.
	for _, k := range []struct{ keys, what, then string }{
		{"\r", "documents to bring", "ЖСН-іңіз дайын болатын күн"},
		{"\r", "phone page", "ЖСН-ді SMS арқылы алу"},
		{"\x1b[D\r", "ticket page", "Талоныңызды алыңыз"},
	} {
		con.send(k.keys)
		if err := step(k.what, k.then); err != nil {
			return err
		}
	}
	job, err := pr.waitJob(ctx)
	if err != nil {
		return fmt.Errorf("printer: %w\nlast of the console:\n%s", err, con.tail(2000))
	}
	fmt.Printf("smoke: %-44s %6.1f s  (%d bytes)\n", "ticket printed on the third port", time.Since(start).Seconds(), len(job))
	if err := os.WriteFile(filepath.Join(out, "ticket.bin"), job, 0o644); err != nil {
		return err
	}
	cfg, err := config.Load("scripts/image/rootfs/etc/kiosk/smoke.toml")
	if err != nil {
		return err
	}
	popts, err := hw.Opts(cfg)
	if err != nil {
		return err
	}
	res, err := preview.Decode(job, popts.Profile.PreviewOptions())
	if err != nil {
		return fmt.Errorf("the printed bytes do not decode: %w", err)
	}
	text := res.String()
	if err := os.WriteFile(filepath.Join(out, "ticket.txt"), []byte(text), 0o644); err != nil {
		return err
	}
	if f, err := os.Create(filepath.Join(out, "ticket.png")); err == nil {
		_ = res.WritePNG(f)
		f.Close()
	}
	if !strings.Contains(text, "ЖСН") {
		return fmt.Errorf("the printed ticket is not the Kazakh-first IIN ticket:\n%s", text)
	}
	// The boot's report (slot, release, data partition size): said, not
	// judged yet.
	if log, err := os.ReadFile(filepath.Join(out, "console.log")); err == nil {
		if m := regexp.MustCompile(`kiosk-smoke: slot=\S+ version=\S+ data=\S+`).Find(log); m != nil {
			fmt.Printf("smoke: %s (disk %d GiB)\n", m, diskSize>>30)
		}
	}
	fmt.Printf("smoke: the ticket, decoded (also %s):\n%s\n", filepath.Join(out, "ticket.txt"), text)
	return nil
}

// addKernelArgs appends args to the options line of every boot entry on
// the image's ESP (the first partition, at 1 MiB), through mtools.
func addKernelArgs(ctx context.Context, disk, args string) error {
	esp := disk + "@@1M"
	ls, err := exec.CommandContext(ctx, "mdir", "-b", "-i", esp, "::/loader/entries").Output()
	if err != nil {
		return fmt.Errorf("mdir: %w", err)
	}
	n := 0
	for _, p := range strings.Fields(string(ls)) {
		if !strings.HasSuffix(p, ".conf") {
			continue
		}
		p = "::" + strings.TrimPrefix(p, "::")
		body, err := exec.CommandContext(ctx, "mtype", "-i", esp, p).Output()
		if err != nil {
			return fmt.Errorf("mtype %s: %w", p, err)
		}
		var b strings.Builder
		for _, line := range strings.Split(strings.TrimRight(string(body), "\n"), "\n") {
			if strings.HasPrefix(line, "options") {
				line += args
			}
			b.WriteString(line + "\n")
		}
		tmp, err := os.CreateTemp("", "entry-*.conf")
		if err != nil {
			return err
		}
		tmp.WriteString(b.String())
		tmp.Close()
		defer os.Remove(tmp.Name())
		if err := sh(ctx, "mcopy", "-o", "-i", esp, tmp.Name(), p); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return errors.New("no boot entry on the image's ESP")
	}
	return nil
}

func dial(ctx context.Context, path string, qdone <-chan error, qerr *bytes.Buffer) (net.Conn, error) {
	for {
		c, err := net.Dial("unix", path)
		if err == nil {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("QEMU's port %s: %w", path, ctx.Err())
		case err := <-qdone:
			return nil, fmt.Errorf("QEMU stopped (%v): %s", err, qerr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func sh(ctx context.Context, name string, args ...string) error {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// console keeps what the serial console showed, escapes removed, and
// tells waiters when it grows.
type console struct {
	w    io.Writer
	mu   sync.Mutex
	text strings.Builder
	grew chan struct{}
	err  error
}

// escapes are the terminal's control sequences: CSI, OSC, charset
// selection and single-character escapes.
var escapes = regexp.MustCompile(`\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_])`)

func newConsole(c net.Conn, log io.Writer) *console {
	k := &console{w: c, grew: make(chan struct{})}
	go func() {
		r := bufio.NewReader(io.TeeReader(c, log))
		buf := make([]byte, 4096)
		var pending []byte
		for {
			n, err := r.Read(buf)
			pending = append(pending, buf[:n]...)
			// Keep an unfinished escape or UTF-8 sequence for the next read.
			cut := len(pending)
			if i := bytes.LastIndexByte(pending, 0x1b); i >= 0 && len(pending)-i < 32 && !escapes.Match(pending[i:]) {
				cut = i
			}
			for cut > 0 && cut < len(pending)+1 && !utf8Boundary(pending, cut) {
				cut--
			}
			clean := escapes.ReplaceAll(pending[:cut], []byte(" "))
			pending = append([]byte(nil), pending[cut:]...)
			k.mu.Lock()
			k.text.Write(clean)
			if err != nil {
				k.err = err
			}
			close(k.grew)
			k.grew = make(chan struct{})
			k.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return k
}

// utf8Boundary reports whether b[:i] ends on a whole UTF-8 character.
func utf8Boundary(b []byte, i int) bool {
	return i == len(b) || b[i]&0xC0 != 0x80
}

func (k *console) send(s string) { _, _ = io.WriteString(k.w, s) }

// waitFor waits until text has appeared on the console since the last
// wait found its text.
func (k *console) waitFor(ctx context.Context, text string) error {
	_, err := k.waitRegexp(ctx, regexp.QuoteMeta(text))
	return err
}

// waitRegexp waits until pattern matches what the console showed since
// the last wait matched; it returns the match and its groups.
func (k *console) waitRegexp(ctx context.Context, pattern string) ([]string, error) {
	re := regexp.MustCompile(pattern)
	for {
		k.mu.Lock()
		all := k.text.String()
		grew, err := k.grew, k.err
		k.mu.Unlock()
		if loc := re.FindStringSubmatchIndex(all); loc != nil {
			m := re.FindStringSubmatch(all)
			k.mu.Lock()
			rest := k.text.String()[loc[1]:]
			k.text.Reset()
			k.text.WriteString(rest)
			k.mu.Unlock()
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("the console ended (%v) before %s", err, pattern)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s not on the console: %w", pattern, ctx.Err())
		case <-grew:
		}
	}
}

func (k *console) tail(n int) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.text.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

// printer plays an ESC/POS printer on the third port: it answers the
// real-time status requests (DLE EOT n: online, paper present) and the
// transmit-status request that ends a job (GS r 1: paper present), and
// hands over each job's bytes.
type printer struct {
	jobs chan []byte
}

func newPrinter(c net.Conn) *printer {
	p := &printer{jobs: make(chan []byte, 4)}
	go func() {
		r := bufio.NewReader(c)
		var job []byte
		for {
			b, err := r.ReadByte()
			if err != nil {
				return
			}
			job = append(job, b)
			switch {
			case bytes.HasSuffix(job, []byte{0x10, 0x04}):
				if _, err := r.ReadByte(); err != nil { // n: which status; all are fine
					return
				}
				job = job[:len(job)-2]
				_, _ = c.Write([]byte{0x12})
			case bytes.HasSuffix(job, []byte{0x1D, 'r', 1}):
				_, _ = c.Write([]byte{0x00})
				p.jobs <- job[:len(job)-3]
				job = nil
			}
		}
	}()
	return p
}

// waitJob waits for the next job that is more than a status exchange.
func (p *printer) waitJob(ctx context.Context) ([]byte, error) {
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no ticket printed: %w", ctx.Err())
		case j := <-p.jobs:
			if len(bytes.TrimSpace(j)) > 16 {
				return j, nil
			}
		}
	}
}
