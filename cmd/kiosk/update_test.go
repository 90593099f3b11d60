package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/release"
	"github.com/hcsc-kz/kiosk/kiosk/release/releasetest"
	"github.com/hcsc-kz/kiosk/kiosk/slots"
)

// image makes a kiosk image's files in a temporary folder, running slot a
// of release 2026.12.01-0750, and gives its layout and release key.
func image(t *testing.T) (slots.Layout, *releasetestKey) {
	t.Helper()
	sk, pub := releasetest.Key(t)
	dir := t.TempDir()
	l := slots.Layout{Cmdline: filepath.Join(dir, "cmdline"), Release: filepath.Join(dir, "kiosk-release"), PublicKey: pub,
		ESP: filepath.Join(dir, "efi"), Partitions: filepath.Join(dir, "dev")}
	for name, body := range map[string]string{
		"cmdline":       "root=PARTLABEL=root-a ro kiosk.slot=a panic=5\n",
		"kiosk-release": "KIOSK_VERSION=2026.12.01-0750\nKIOSK_EPOCH=1764575400\nKIOSK_ARCH=amd64\n",
		"efi/loader/entries/kiosk-a.conf": "version 2026.12.01-0750\nlinux /slot-a/vmlinuz\ninitrd /slot-a/initrd.img\n" +
			"options root=PARTLABEL=root-a ro rootfstype=squashfs kiosk.slot=a panic=5\n",
		"dev/root-a": "running root",
		"dev/root-b": strings.Repeat("B", 1<<16),
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return l, &releasetestKey{sk: sk, dir: dir}
}

type releasetestKey struct {
	sk  ed25519.PrivateKey
	dir string
}

func (k *releasetestKey) bundle(t *testing.T, rel release.Release) string {
	t.Helper()
	p := releasetest.Payloads{Root: []byte("hsqs new root"), Kernel: []byte("kernel"), Initrd: []byte("initrd")}
	path := filepath.Join(t.TempDir(), "update.bundle")
	if err := os.WriteFile(path, releasetest.Bundle(t, k.sk, rel, p), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUpdate(t *testing.T) {
	newer := release.Release{Version: "2026.12.08-0900", Epoch: 1765184400, Arch: "amd64"}
	older := release.Release{Version: "2026.11.01-0000", Epoch: 1761955200, Arch: "amd64"}
	for _, tc := range []struct {
		name     string
		args     func(bundle string) []string
		rel      release.Release
		reboot   error
		code     int
		rebooted bool
		out      string // in stdout, or stderr when the code is not 0
		entry    bool   // kiosk-b+3.conf written
	}{
		{"installs and reboots", func(b string) []string { return []string{b} }, newer, nil, 0, true, "release 2026.12.08-0900 written to slot b", true},
		{"no reboot", func(b string) []string { return []string{"--no-reboot", b} }, newer, nil, 0, false, "not rebooting", true},
		{"older refused", func(b string) []string { return []string{b} }, older, nil, 2, false, "update refused, nothing written: bundle: not newer than the running release: 2026.11.01-0000", false},
		{"missing bundle", func(b string) []string { return []string{b + ".missing"} }, newer, nil, 2, false, "update refused, nothing written", false},
		{"reboot fails", func(b string) []string { return []string{b} }, newer, errors.New("no systemd"), 1, true, "reboot: no systemd", true},
		{"no bundle", func(string) []string { return nil }, newer, nil, 2, false, "usage: kiosk update", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, k := image(t)
			var stdout, stderr bytes.Buffer
			e := &env{stdout: &stdout, stderr: &stderr, now: time.Now}
			rebooted := false
			code := update(context.Background(), e, tc.args(k.bundle(t, tc.rel)), l, func(context.Context) error {
				rebooted = true
				return tc.reboot
			})
			out := stdout.String()
			if tc.code != 0 {
				out = stderr.String()
			}
			if code != tc.code || rebooted != tc.rebooted || !strings.Contains(out, tc.out) {
				t.Errorf("exit %d, rebooted %v; stdout %q, stderr %q", code, rebooted, stdout.String(), stderr.String())
			}
			if tc.code == 2 && strings.Count(stderr.String(), "\n") != 1 && tc.name != "no bundle" {
				t.Errorf("a refusal takes more than one line: %q", stderr.String())
			}
			_, err := os.Stat(filepath.Join(l.ESP, "loader/entries/kiosk-b+3.conf"))
			if (err == nil) != tc.entry {
				t.Errorf("entry written: %v, want %v", err == nil, tc.entry)
			}
		})
	}
}

// TestImageUpdateState: the heartbeat carries the update state only on
// the image.
func TestImageUpdateState(t *testing.T) {
	l, _ := image(t)
	os.WriteFile(filepath.Join(l.ESP, "loader/entries/kiosk-b+0-3.conf"), []byte("version 2026.12.08-0900\n"), 0o644)
	f := imageUpdateState(l)
	if f == nil {
		t.Fatal("no update state on the image")
	}
	if st := f(); st == nil || st.Slot != "a" || st.Version != "2026.12.01-0750" || st.Failed != "2026.12.08-0900" {
		t.Errorf("update state = %+v", st)
	}
	l.Release = filepath.Join(t.TempDir(), "none")
	if imageUpdateState(l) != nil {
		t.Error("an update state off the image")
	}
}

// TestUpdateStatus: "kiosk update --status" prints what the heartbeat
// reports, and installs nothing.
func TestUpdateStatus(t *testing.T) {
	l, _ := image(t)
	os.WriteFile(filepath.Join(l.ESP, "loader/entries/kiosk-b+0-3.conf"), []byte("version 2026.12.08-0900\n"), 0o644)
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr}
	rebooted := false
	code := update(context.Background(), e, []string{"--status"}, l, func(context.Context) error { rebooted = true; return nil })
	if code != 0 || rebooted {
		t.Fatalf("update --status = %d (rebooted %v): %s", code, rebooted, stderr.String())
	}
	want := `{"slot":"a","version":"2026.12.01-0750","failed":"2026.12.08-0900"}`
	if got := strings.TrimSpace(stdout.String()); got != want {
		t.Errorf("update --status printed %s, want %s", got, want)
	}
}

// TestUpdateFailsMidway: a failure after the first write exits 1 and says
// the old slot still boots.
func TestUpdateFailsMidway(t *testing.T) {
	l, k := image(t)
	l.Step = func(s string) error {
		if s == slots.StepRootWritten {
			return errors.New("I/O error")
		}
		return nil
	}
	var stdout, stderr bytes.Buffer
	code := update(context.Background(), &env{stdout: &stdout, stderr: &stderr, now: time.Now},
		[]string{k.bundle(t, release.Release{Version: "2026.12.08-0900", Epoch: 1765184400, Arch: "amd64"})}, l,
		func(context.Context) error { t.Error("rebooted after a failed update"); return nil })
	if code != 1 || !strings.Contains(stderr.String(), "failed, slot a still boots") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
