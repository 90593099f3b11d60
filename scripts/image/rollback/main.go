// Command rollback proves on the booted image that updates roll back by
// themselves (make image-rollback):
//
//  1. two bad updates, one whose kiosk exits at once (a crash loop) and
//     one whose kernel panics (an initrd that is not one), are each
//     installed by the image's own "kiosk update"; the kiosk reboots into
//     it, fails, and each reboot uses up one of the entry's tries until
//     systemd-boot boots the old slot again, whose kiosk shows its first
//     screen and reports the failed release as the heartbeat would;
//  2. a good update is installed the same way, boots, shows its first
//     screen and its entry is blessed (systemd-bless-boot renames it to
//     kiosk-b.conf).
//
// Usage:
//
//	go run ./scripts/image/rollback --image var/image/latest/kiosk-VERSION.img
//
// The bundles are made from the image's own root, kernel and initrd,
// signed with the key that signed the image (the development key unless
// --key says otherwise). The image is copied; the copy is booted without
// -snapshot, once per boot (QEMU ends at each reboot), so the boot
// counters persist between boots as on a real disk. The bundle reaches the
// kiosk on a second disk (serial kioskbundle), which the smoke-only unit
// kiosk-smoke-update.service installs. Needs root (unsquashfs keeps the
// root's owners), QEMU, OVMF, mtools and squashfs-tools.
package main

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/release"
	"github.com/hcsc-kz/kiosk/kiosk/slots"
	"github.com/hcsc-kz/kiosk/scripts/image/vm"
)

func main() {
	img := flag.String("image", "", "the raw kiosk image (kiosk-VERSION.img beside the .img.zst)")
	key := flag.String("key", "var/keys/dev-release.key", "the private release key that signed the image")
	out := flag.String("out", "var/image/rollback", "folder for the serial logs")
	timeout := flag.Duration("timeout", 40*time.Minute, "the whole run's limit")
	code, vars := vm.FirmwareFlags()
	flag.Parse()
	if *img == "" {
		fmt.Fprintln(os.Stderr, "usage: rollback --image IMAGE.img [--key KEY] [--out DIR] [--timeout 40m]")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	r := &runner{out: *out, code: *code}
	if err := r.run(ctx, *img, *key, *vars); err != nil {
		fmt.Fprintln(os.Stderr, "rollback: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("rollback: PASS")
}

// runner boots one disk again and again, as a kiosk is powered on again.
type runner struct {
	out, code string
	work      string
	disk      string
	vars      string
	boots     int
	log       *os.File
	start     time.Time
}

func (r *runner) say(format string, args ...any) {
	fmt.Printf("rollback: %6.1f s  %s\n", time.Since(r.start).Seconds(), fmt.Sprintf(format, args...))
}

func (r *runner) run(ctx context.Context, img, keyPath, ovmfVars string) error {
	r.start = time.Now()
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		return err
	}
	var err error
	if r.work, err = os.MkdirTemp("", "kiosk-rollback-"); err != nil {
		return err
	}
	defer os.RemoveAll(r.work)
	if r.log, err = os.Create(filepath.Join(r.out, "console.log")); err != nil {
		return err
	}
	defer r.log.Close()

	sk, err := release.ReadPrivateKey(keyPath)
	if err != nil {
		return fmt.Errorf("release key: %w (the key that signed the image; make image makes the development key)", err)
	}
	r.disk = filepath.Join(r.work, "disk.img")
	if err := vm.PrepareDisk(ctx, img, r.disk, vm.SmokeArgs); err != nil {
		return err
	}
	r.vars = filepath.Join(r.work, "vars.fd")
	if err := vm.Run(ctx, "cp", ovmfVars, r.vars); err != nil {
		return err
	}
	running, good, bads, err := r.bundles(ctx, sk)
	if err != nil {
		return fmt.Errorf("making the bundles: %w", err)
	}
	r.say("bundles made from the image's root: running %s, good %s", running.Version, good.Release.Version)

	// 1. The bad updates, each installed from slot a and tried in slot b
	// until its tries are used up, then slot a again.
	for _, bad := range bads {
		if err := r.rollback(ctx, bad, running); err != nil {
			return fmt.Errorf("bad update (%s): %w", bad.what, err)
		}
	}

	// 2. The good update: installed over the failed one, boots, blessed.
	if err := r.install(ctx, good, running); err != nil {
		return fmt.Errorf("good update: %w", err)
	}
	m, rep, err := r.boot(ctx, nil)
	if err != nil {
		return fmt.Errorf("good update: %w", err)
	}
	defer m.Kill()
	if rep.slot != "b" || rep.version != good.Release.Version {
		return fmt.Errorf("good update: booted slot %s release %s, want b %s", rep.slot, rep.version, good.Release.Version)
	}
	if err := r.firstScreen(ctx, m); err != nil {
		return fmt.Errorf("good update: %w", err)
	}
	blessed, err := m.Console.WaitRegexp(ctx, `kiosk-smoke: blessed-check (\{[^}]*\}) entries=([^\r\n]*)`)
	if err != nil {
		return fmt.Errorf("good update: no report after the boot completed: %w\nlast of the console:\n%s", err, m.Console.Tail(2000))
	}
	m.Kill()
	entries, err := vm.Entries(ctx, r.disk)
	if err != nil {
		return err
	}
	r.say("good update: %s; entries on the ESP after power-off: %s", strings.TrimSpace(blessed[0]), strings.Join(entries, " "))
	if !contains(entries, "kiosk-b.conf") || !contains(entries, "kiosk-a.conf") {
		return fmt.Errorf("good update: the entry of slot b was not blessed: the ESP has %s", strings.Join(entries, " "))
	}
	var st api.UpdateState
	if err := json.Unmarshal([]byte(blessed[1]), &st); err != nil || st.Slot != "b" || st.Version != good.Release.Version || st.Failed != "" || st.Pending != "" {
		return fmt.Errorf("good update: the heartbeat's update state is %s, want slot b %s with nothing failed or pending", blessed[1], good.Release.Version)
	}
	r.say("BLESSED: slot b runs %s, entry kiosk-b.conf; %d boots in all", good.Release.Version, r.boots)
	return nil
}

// rollback installs a bad update and follows the kiosk through its
// reboots until slot a runs again.
func (r *runner) rollback(ctx context.Context, bad *bundle, running release.Release) error {
	r.say("bad update %s: %s", bad.Release.Version, bad.what)
	if err := r.install(ctx, bad, running); err != nil {
		return err
	}
	rebooted := time.Now()
	var tried []string
	for {
		if len(tried) > slots.Tries+1 {
			return fmt.Errorf("%d boots and slot a has not come back (boots: %s)", len(tried), strings.Join(tried, ", "))
		}
		m, rep, err := r.boot(ctx, nil)
		if err != nil {
			return err
		}
		if rep.slot != "a" {
			// Slot b: its kiosk fails three times in a minute and systemd
			// reboots (StartLimitAction=reboot), or its kernel panics and
			// reboots itself (panic=5) before any report.
			err := m.Wait(ctx)
			entries, _ := vm.Entries(ctx, r.disk)
			what := "slot b: the kiosk failed, systemd rebooted"
			if rep.slot == "" {
				what = "no report: " + rep.panic
			}
			tried = append(tried, what)
			r.say("boot %d: %s; entries now: %s", r.boots, what, strings.Join(entries, " "))
			if err != nil {
				return fmt.Errorf("boot %d: %w", r.boots, err)
			}
			continue
		}
		err = r.firstScreen(ctx, m)
		m.Kill()
		if err != nil {
			return fmt.Errorf("back in slot a: %w", err)
		}
		back := time.Since(rebooted)
		if rep.version != running.Version {
			return fmt.Errorf("slot a came back with release %s, want %s", rep.version, running.Version)
		}
		if n := len(tried); n != slots.Tries {
			return fmt.Errorf("the update was tried %d times, want %d (boots: %s)", n, slots.Tries, strings.Join(tried, ", "))
		}
		if rep.update.Failed != bad.Release.Version {
			return fmt.Errorf("back in slot a, the heartbeat's update state is %+v, want failed %s", rep.update, bad.Release.Version)
		}
		r.say("ROLLED BACK (%s): %d tries of %s, then slot a's first screen %.1f s after the reboot into the update; heartbeat update state %+v",
			bad.what, len(tried), bad.Release.Version, back.Seconds(), rep.update)
		return nil
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// report is what the boot said before the kiosk started (smoke-info).
type report struct {
	slot, version string
	update        api.UpdateState
	// panic is the kernel's last words when the boot ended before the
	// root started; slot is "" then.
	panic string
}

// panicLine is the kernel's panic message on the console.
var panicLine = regexp.MustCompile(`Kernel panic[^\r\n]*`)

// boot starts the next boot, with the bundle's disk attached when given,
// and waits for the boot's report.
func (r *runner) boot(ctx context.Context, bundle *bundle) (*vm.Machine, report, error) {
	r.boots++
	fmt.Fprintf(r.log, "\n==== boot %d ====\n", r.boots)
	c := vm.Config{Disk: r.disk, Code: r.code, Vars: r.vars, Dir: r.work, Log: r.log}
	if bundle != nil {
		c.Drives = []vm.Drive{{File: bundle.path, Serial: "kioskbundle"}}
	}
	m, err := vm.Boot(ctx, c)
	if err != nil {
		return nil, report{}, err
	}
	// A printer that answers, so the kiosk's own status polls do not wait.
	vm.NewPrinter(m.Printer)
	var rep report
	got, err := m.Console.WaitRegexp(ctx, `kiosk-smoke: slot=(\S+) version=(\S+) data=\S+\s+kiosk-smoke: update (\{[^}]*\})`)
	if err != nil && ctx.Err() == nil && m.Console.Ended() {
		// QEMU ended (the guest rebooted) before the root said anything:
		// the kernel did not get that far.
		rep.panic = "the guest rebooted before its root started"
		if p := panicLine.FindString(m.Console.Tail(4000)); p != "" {
			rep.panic = strings.TrimSpace(p)
		}
		r.say("boot %d: %s", r.boots, rep.panic)
		return m, rep, nil
	}
	if err != nil {
		m.Kill()
		return nil, rep, fmt.Errorf("boot %d: no report: %w\nlast of the console:\n%s", r.boots, err, m.Console.Tail(2000))
	}
	rep.slot, rep.version = got[1], got[2]
	if err := json.Unmarshal([]byte(got[3]), &rep.update); err != nil {
		m.Kill()
		return nil, rep, fmt.Errorf("boot %d: the update state %q: %w", r.boots, got[3], err)
	}
	r.say("boot %d: slot %s, release %s, update state %s", r.boots, rep.slot, rep.version, got[3])
	return m, rep, nil
}

// firstScreen waits for the kiosk's first screen.
func (r *runner) firstScreen(ctx context.Context, m *vm.Machine) error {
	if err := m.Console.WaitFor(ctx, "Тілді таңдаңыз"); err != nil {
		return fmt.Errorf("boot %d: no first screen: %w\nlast of the console:\n%s", r.boots, err, m.Console.Tail(2000))
	}
	r.say("boot %d: first screen (\"Тілді таңдаңыз\"), %.1f s after power-on", r.boots, time.Since(m.Started).Seconds())
	return nil
}

// install boots the running slot with the bundle's disk attached: its
// kiosk shows the first screen, then kiosk-smoke-update.service installs
// the bundle and reboots.
func (r *runner) install(ctx context.Context, b *bundle, running release.Release) error {
	m, rep, err := r.boot(ctx, b)
	if err != nil {
		return err
	}
	defer m.Kill()
	if rep.slot != "a" || rep.version != running.Version {
		return fmt.Errorf("boot %d: slot %s release %s, want a %s", r.boots, rep.slot, rep.version, running.Version)
	}
	if err := r.firstScreen(ctx, m); err != nil {
		return err
	}
	t := time.Now()
	done, err := m.Console.WaitRegexp(ctx, `kiosk update: (release \S+ written to slot \S+ \([^)]*\))`)
	if err != nil {
		return fmt.Errorf("boot %d: the update was not installed: %w\nlast of the console:\n%s", r.boots, err, m.Console.Tail(3000))
	}
	if err := m.Wait(ctx); err != nil {
		return fmt.Errorf("boot %d: after the install: %w", r.boots, err)
	}
	r.say("boot %d: kiosk update: %s; rebooted %.1f s after the first screen", r.boots, done[1], time.Since(t).Seconds())
	return nil
}

// bundle is an update bundle on a disk image of whole sectors.
type bundle struct {
	path    string
	what    string
	Release release.Release
}

// bundles makes the updates from the image's own root: the good one
// differs only in its release; of the bad ones, one has a kiosk that
// exits at once and one an initrd that is not one, so its kernel cannot
// mount the root and panics.
func (r *runner) bundles(ctx context.Context, sk ed25519.PrivateKey) (running release.Release, good *bundle, bads []*bundle, err error) {
	root := filepath.Join(r.work, "root")
	sq := filepath.Join(r.work, "root-a.squashfs")
	if err := extractRoot(r.disk, sq); err != nil {
		return running, nil, nil, err
	}
	if err := vm.Run(ctx, "unsquashfs", "-q", "-n", "-d", root, sq); err != nil {
		return running, nil, nil, err
	}
	os.Remove(sq)
	if running, err = release.ReadRelease(filepath.Join(root, "etc/kiosk-release")); err != nil {
		return running, nil, nil, err
	}
	kernel, initrd := filepath.Join(r.work, "vmlinuz"), filepath.Join(r.work, "initrd.img")
	for _, f := range []string{kernel, initrd} {
		if err := vm.Run(ctx, "mcopy", "-n", "-i", vm.ESP(r.disk), "::/slot-a/"+filepath.Base(f), f); err != nil {
			return running, nil, nil, err
		}
	}
	junk := filepath.Join(r.work, "junk-initrd.img")
	if err := os.WriteFile(junk, []byte("make image-rollback: not an initramfs\n"), 0o644); err != nil {
		return running, nil, nil, err
	}
	make1 := func(name, what string, later time.Duration, initrd string) (*bundle, error) {
		rel := release.Release{Epoch: running.Epoch + int64(later/time.Second), Arch: running.Arch}
		rel.Version = time.Unix(rel.Epoch, 0).UTC().Format("2006.01.02-1504")
		body := fmt.Sprintf("KIOSK_VERSION=%s\nKIOSK_EPOCH=%d\nKIOSK_ARCH=%s\nKIOSK_COMMIT=%s\n", rel.Version, rel.Epoch, rel.Arch, name)
		if err := os.WriteFile(filepath.Join(root, "etc/kiosk-release"), []byte(body), 0o644); err != nil {
			return nil, err
		}
		sq := filepath.Join(r.work, name+".squashfs")
		if err := vm.Run(ctx, "mksquashfs", root, sq, "-noappend", "-comp", "zstd", "-Xcompression-level", "3",
			"-processors", "2", "-quiet", "-no-progress"); err != nil {
			return nil, err
		}
		b := &bundle{path: filepath.Join(r.work, name+".bundle"), what: what, Release: rel}
		if err := writeBundle(b.path, sk, rel, sq, kernel, initrd); err != nil {
			return nil, err
		}
		return b, os.Remove(sq)
	}
	if good, err = make1("good", "a good update", time.Hour, initrd); err != nil {
		return running, nil, nil, err
	}
	panics, err := make1("panic", "its kernel panics (no initramfs, so no root)", 3*time.Hour, junk)
	if err != nil {
		return running, nil, nil, err
	}
	broken := "#!/bin/sh\n# make image-rollback's bad update: a kiosk that never starts.\necho kiosk-smoke: broken kiosk >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(root, "usr/local/bin/kiosk"), []byte(broken), 0o755); err != nil {
		return running, nil, nil, err
	}
	crashes, err := make1("crash", "its kiosk exits at once (a crash loop)", 2*time.Hour, initrd)
	return running, good, []*bundle{crashes, panics}, err
}

func writeBundle(path string, sk ed25519.PrivateKey, rel release.Release, root, kernel, initrd string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := release.WriteBundle(f, sk, rel, root, kernel, initrd); err != nil {
		return err
	}
	// A disk is whole sectors: zeros after the tar's end are read as its
	// end by the kiosk's tar reader.
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	return f.Truncate((end + 1<<20 - 1) &^ (1<<20 - 1))
}

// extractRoot copies slot a's squashfs (its own length, not the whole
// partition) out of the disk image.
func extractRoot(disk, dst string) error {
	out, err := exec.Command("sfdisk", "--json", disk).Output()
	if err != nil {
		return fmt.Errorf("sfdisk --json %s: %w", disk, err)
	}
	var pt struct {
		PartitionTable struct {
			SectorSize int64 `json:"sectorsize"`
			Partitions []struct {
				Start int64  `json:"start"`
				Name  string `json:"name"`
			} `json:"partitions"`
		} `json:"partitiontable"`
	}
	if err := json.Unmarshal(out, &pt); err != nil {
		return fmt.Errorf("sfdisk --json: %w", err)
	}
	ss := pt.PartitionTable.SectorSize
	if ss == 0 {
		ss = 512
	}
	for _, p := range pt.PartitionTable.Partitions {
		if p.Name != "root-a" {
			continue
		}
		f, err := os.Open(disk)
		if err != nil {
			return err
		}
		defer f.Close()
		sb := make([]byte, 48)
		if _, err := f.ReadAt(sb, p.Start*ss); err != nil {
			return err
		}
		if string(sb[:4]) != "hsqs" {
			return errors.New("root-a holds no squashfs")
		}
		used := int64(binary.LittleEndian.Uint64(sb[40:48]))
		w, err := os.Create(dst)
		if err != nil {
			return err
		}
		defer w.Close()
		_, err = io.Copy(w, io.NewSectionReader(f, p.Start*ss, used))
		return err
	}
	return errors.New("no root-a partition on the image")
}
