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
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/scripts/image/vm"
)

func main() {
	img := flag.String("image", "", "the raw kiosk image (kiosk-VERSION.img beside the .img.zst)")
	out := flag.String("out", "var/image/smoke", "folder for the serial log and the printed ticket")
	timeout := flag.Duration("timeout", 6*time.Minute, "the whole run's limit")
	code, vars := vm.FirmwareFlags()
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
	if err := vm.PrepareDisk(ctx, img, disk, vm.SmokeArgs); err != nil {
		return err
	}
	varsCopy := filepath.Join(work, "vars.fd")
	if err := vm.Run(ctx, "cp", ovmfVars, varsCopy); err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(out, "console.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	m, err := vm.Boot(ctx, vm.Config{Disk: disk, Snapshot: true, Code: ovmfCode, Vars: varsCopy, Dir: work, Log: logf})
	if err != nil {
		return err
	}
	defer m.Kill()
	con := m.Console
	pr := vm.NewPrinter(m.Printer)
	start := m.Started

	step := func(what, text string) error {
		if err := con.WaitFor(ctx, text); err != nil {
			return fmt.Errorf("%s: %w\nlast of the console (escapes removed):\n%s", what, err, con.Tail(2000))
		}
		fmt.Printf("smoke: %-44s %6.1f s  (%q on the console)\n", what, time.Since(start).Seconds(), text)
		return nil
	}
	// The boot's report comes before the kiosk starts: the factory slot,
	// and the data partition grown by systemd-repart from the image's
	// 256 MiB to the disk's end.
	rep, err := con.WaitRegexp(ctx, `kiosk-smoke: slot=(\S+) version=(\S+) data=(\d+)M`)
	if err != nil {
		return fmt.Errorf("the boot's report: %w\nlast of the console:\n%s", err, con.Tail(2000))
	}
	fmt.Printf("smoke: %-44s %6.1f s  (%s, disk %d GiB)\n", "boot report", time.Since(start).Seconds(), rep[0], vm.DiskSize>>30)
	if rep[1] != "a" {
		return fmt.Errorf("the factory image booted slot %q, want a", rep[1])
	}
	if mb, _ := strconv.Atoi(rep[3]); mb < 1024 {
		return fmt.Errorf("the data partition is %d MiB on a %d GiB disk: it was not grown on the first boot", mb, vm.DiskSize>>30)
	}
	if err := step("first screen, Kazakh first", "Тілді таңдаңыз"); err != nil {
		return err
	}
	// Keys as a visitor's taps: Enter presses the focused button, which is
	// the first language (Kazakh) and then the first choice (for myself).
	con.Send("\r")
	if err := step("who applies", "ЖСН алуға кім өтініш береді?"); err != nil {
		return err
	}
	con.Send("\r")
	if err := step("scan page", "Төлқұжатыңызды сканерге қойыңыз"); err != nil {
		return err
	}
	spec := demo.Specimens()[0]
	if _, err := m.Scanner.Write([]byte(strings.Join(spec.Lines, "\r\n") + "\r\n")); err != nil {
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
		con.Send(k.keys)
		if err := step(k.what, k.then); err != nil {
			return err
		}
	}
	job, err := pr.WaitJob(ctx)
	if err != nil {
		return fmt.Errorf("printer: %w\nlast of the console:\n%s", err, con.Tail(2000))
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
	fmt.Printf("smoke: the ticket, decoded (also %s):\n%s\n", filepath.Join(out, "ticket.txt"), text)
	return nil
}
