// Package vm boots the kiosk image under QEMU for the image's own checks
// (make image-smoke, make image-rollback) and talks to the booted kiosk as
// its hardware would: the serial console carries the kiosk's screen and
// takes its keys, a second port plays the MRZ scanner and a third the
// ESC/POS printer.
//
// TCG only: KVM does not work on these machines (../shared/IMAGE.md).
// QEMU runs with -no-reboot, so a reboot of the guest ends the run: a
// caller that follows a kiosk through reboots starts one run per boot,
// which also lets it change the drives between boots.
package vm

import (
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
	"strings"
	"time"
)

// SmokeArgs go on the kernel command lines of a test copy's boot entries:
// the kiosk on the serial console (kiosk-smoke.service, and the smoke-only
// units beside it), and no login prompt fighting it for the port. No
// shipped entry has them.
const SmokeArgs = " console=ttyS0,115200 kiosk.smoke systemd.mask=serial-getty@ttyS0.service"

// DiskSize is the disk a test copy is grown to: 4 GiB, about twice the
// image, as a real disk is bigger than the image flashed on it.
const DiskSize = 4 << 30

// Drive is an extra raw disk, such as the one carrying an update bundle.
type Drive struct {
	// File is the raw disk image.
	File string
	// Serial is the disk's serial number: the guest finds it as
	// /dev/disk/by-id/virtio-SERIAL.
	Serial string
}

// Config is one QEMU run.
type Config struct {
	// Disk is the kiosk's raw disk.
	Disk string
	// Snapshot keeps the guest's writes out of Disk.
	Snapshot bool
	// Code and Vars are OVMF's firmware and a writable copy of its
	// variables (the boot order and such live there between runs).
	Code, Vars string
	// Drives are more disks, read-only to the guest.
	Drives []Drive
	// Dir holds the serial ports' sockets.
	Dir string
	// Log gets a copy of everything on the serial console.
	Log io.Writer
}

// Machine is a running QEMU.
type Machine struct {
	// Console is the first serial port: the kiosk's screen and keys.
	Console *Console
	// Scanner and Printer are the second and third serial ports.
	Scanner, Printer net.Conn
	// Started is when QEMU was started.
	Started time.Time

	cmd   *exec.Cmd
	done  chan struct{}
	err   error
	qerr  bytes.Buffer
	conns []net.Conn
}

// Boot starts QEMU and connects to its three serial ports; the guest
// starts once all three are connected.
func Boot(ctx context.Context, c Config) (*Machine, error) {
	socks := []string{filepath.Join(c.Dir, "console"), filepath.Join(c.Dir, "scanner"), filepath.Join(c.Dir, "printer")}
	for _, s := range socks {
		_ = os.Remove(s)
	}
	args := []string{
		"-machine", "q35", "-accel", "tcg", "-cpu", "max", "-smp", "2", "-m", "1024",
		"-display", "none", "-nic", "none", "-no-reboot",
		"-drive", "if=pflash,format=raw,readonly=on,file=" + c.Code,
		"-drive", "if=pflash,format=raw,file=" + c.Vars,
		"-drive", "if=virtio,format=raw,file=" + c.Disk,
	}
	for _, d := range c.Drives {
		args = append(args, "-drive", fmt.Sprintf("if=virtio,format=raw,readonly=on,serial=%s,file=%s", d.Serial, d.File))
	}
	if c.Snapshot {
		args = append(args, "-snapshot")
	}
	for i, s := range socks {
		args = append(args, "-chardev", fmt.Sprintf("socket,id=s%d,path=%s,server=on,wait=on", i, s), "-serial", fmt.Sprintf("chardev:s%d", i))
	}
	m := &Machine{cmd: exec.Command("qemu-system-x86_64", args...), done: make(chan struct{})}
	m.cmd.Stderr = &m.qerr
	m.Started = time.Now()
	if err := m.cmd.Start(); err != nil {
		return nil, fmt.Errorf("qemu: %w", err)
	}
	go func() {
		m.err = m.cmd.Wait()
		close(m.done)
	}()
	// QEMU waits for a client on each port in turn before it starts the VM.
	for _, s := range socks {
		conn, err := m.dial(ctx, s)
		if err != nil {
			m.Kill()
			return nil, err
		}
		m.conns = append(m.conns, conn)
	}
	log := c.Log
	if log == nil {
		log = io.Discard
	}
	m.Console = newConsole(m.conns[0], log)
	m.Scanner, m.Printer = m.conns[1], m.conns[2]
	return m, nil
}

func (m *Machine) dial(ctx context.Context, path string) (net.Conn, error) {
	for {
		c, err := net.Dial("unix", path)
		if err == nil {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("QEMU's port %s: %w", path, ctx.Err())
		case <-m.done:
			return nil, fmt.Errorf("QEMU stopped (%v): %s", m.err, m.qerr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Wait waits for QEMU to end, as it does when the guest reboots or
// powers off (-no-reboot).
func (m *Machine) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return fmt.Errorf("the guest did not reboot: %w", ctx.Err())
	case <-m.done:
		if m.err != nil {
			return fmt.Errorf("qemu: %w: %s", m.err, strings.TrimSpace(m.qerr.String()))
		}
		return nil
	}
}

// Kill stops QEMU as a power cut would, and waits for it to end.
func (m *Machine) Kill() {
	_ = m.cmd.Process.Kill()
	<-m.done
	for _, c := range m.conns {
		c.Close()
	}
}

// PrepareDisk makes a test copy of a raw image at disk: a sparse copy
// whose boot entries get args (SmokeArgs) and which is grown to DiskSize.
// The image itself is not touched.
func PrepareDisk(ctx context.Context, img, disk, args string) error {
	if err := Run(ctx, "cp", "--sparse=always", img, disk); err != nil {
		return err
	}
	if err := AddKernelArgs(ctx, disk, args); err != nil {
		return err
	}
	// A bigger disk than the image, as a real one is: the first boot must
	// grow the data partition to its end.
	return os.Truncate(disk, DiskSize)
}

// ESP names the image's EFI system partition (the first, at 1 MiB) for
// mtools' -i.
func ESP(disk string) string { return disk + "@@1M" }

// Entries lists the boot loader entries on the disk's ESP.
func Entries(ctx context.Context, disk string) ([]string, error) {
	ls, err := exec.CommandContext(ctx, "mdir", "-b", "-i", ESP(disk), "::/loader/entries").Output()
	if err != nil {
		return nil, fmt.Errorf("mdir: %w", err)
	}
	var out []string
	for _, p := range strings.Fields(string(ls)) {
		if p = filepath.Base(p); strings.HasSuffix(p, ".conf") {
			out = append(out, p)
		}
	}
	return out, nil
}

// AddKernelArgs appends args to the options line of every boot entry on
// the disk's ESP, through mtools.
func AddKernelArgs(ctx context.Context, disk, args string) error {
	names, err := Entries(ctx, disk)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return errors.New("no boot entry on the image's ESP")
	}
	for _, name := range names {
		p := "::/loader/entries/" + name
		body, err := exec.CommandContext(ctx, "mtype", "-i", ESP(disk), p).Output()
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
		_, err = tmp.WriteString(b.String())
		tmp.Close()
		if err == nil {
			err = Run(ctx, "mcopy", "-o", "-i", ESP(disk), tmp.Name(), p)
		}
		os.Remove(tmp.Name())
		if err != nil {
			return err
		}
	}
	return nil
}

// Run runs a command, with its output in the error when it fails.
func Run(ctx context.Context, name string, args ...string) error {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// FirmwareFlags defines the flags naming OVMF's firmware code and the
// variables template a run copies.
func FirmwareFlags() (code, vars *string) {
	return flag.String("ovmf-code", "/usr/share/OVMF/OVMF_CODE_4M.fd", "OVMF firmware code"),
		flag.String("ovmf-vars", "/usr/share/OVMF/OVMF_VARS_4M.fd", "OVMF variables template (copied)")
}
