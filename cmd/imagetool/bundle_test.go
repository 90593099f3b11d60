package main

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// TestBundleReproducible: two runs on the same inputs give the same bytes,
// every header carries the release's epoch and root as owner, and the
// kiosk's reader passes the result.
func TestBundleReproducible(t *testing.T) {
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "release.key"), filepath.Join(dir, "release.pub")
	if _, err := release.NewKey(priv, pub); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"kiosk-release": "KIOSK_VERSION=2026.12.08-0900\nKIOSK_EPOCH=1765184400\nKIOSK_ARCH=amd64\n",
		"root.squashfs": strings.Repeat("root", 10000),
		"vmlinuz":       strings.Repeat("kernel", 1000),
		"initrd.img":    strings.Repeat("initrd", 1000),
	}
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var outs [][]byte
	for i, out := range []string{"one.bundle", "two.bundle"} {
		if i == 1 {
			// Another time on the inputs must not matter.
			later := time.Now().Add(time.Hour)
			os.Chtimes(filepath.Join(dir, "root.squashfs"), later, later)
		}
		var stdout, stderr bytes.Buffer
		args := []string{"bundle", "--key", priv, "--release", filepath.Join(dir, "kiosk-release"),
			"--root", filepath.Join(dir, "root.squashfs"), "--kernel", filepath.Join(dir, "vmlinuz"),
			"--initrd", filepath.Join(dir, "initrd.img"), filepath.Join(dir, out)}
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("imagetool bundle = %d: %s", code, stderr.String())
		}
		b, err := os.ReadFile(filepath.Join(dir, out))
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two bundles of the same inputs differ")
	}
	tr := tar.NewReader(bytes.NewReader(outs[0]))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.ModTime.Unix() != 1765184400 || h.Uid != 0 || h.Gid != 0 || h.Mode != 0o644 {
			t.Errorf("%s: time %v, owner %d:%d, mode %o", h.Name, h.ModTime, h.Uid, h.Gid, h.Mode)
		}
	}
	pk, _ := release.ReadPublicKey(pub)
	m, err := release.CheckBundle(bytes.NewReader(outs[0]), pk, release.Release{Version: "old", Epoch: 1, Arch: "amd64"})
	if err != nil || m.Version != "2026.12.08-0900" {
		t.Errorf("CheckBundle = %+v, %v", m, err)
	}
}

// TestBundleFails: a missing input fails the run and leaves no file under
// the output's name or beside it.
func TestBundleFails(t *testing.T) {
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "release.key"), filepath.Join(dir, "release.pub")
	release.NewKey(priv, pub)
	os.WriteFile(filepath.Join(dir, "rel"), []byte("KIOSK_VERSION=1\nKIOSK_EPOCH=2\nKIOSK_ARCH=amd64\n"), 0o644)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"bundle", "--key", priv, "--release", filepath.Join(dir, "rel"), "--root", filepath.Join(dir, "missing"),
		"--kernel", pub, "--initrd", pub, filepath.Join(out, "x.bundle")}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("left %v", left)
	}
	if code := run([]string{"bundle", "--key", priv}, &stdout, &stderr); code != 2 {
		t.Errorf("usage: exit %d, want 2", code)
	}
}
