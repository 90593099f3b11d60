package slots_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/release/releasetest"
	"github.com/hcsc-kz/kiosk/kiosk/slots"
)

// TestInstallLoopDevice installs into a real block device (a loop device
// over a file of the test's own), as on the kiosk: the size comes from the
// device, the read-back goes round the page cache with O_DIRECT.
func TestInstallLoopDevice(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for losetup")
	}
	if _, err := exec.LookPath("losetup"); err != nil {
		t.Skip("needs losetup (util-linux)")
	}
	k := newKiosk(t)
	backing := filepath.Join(t.TempDir(), "root-b.img")
	if err := os.WriteFile(backing, bytes.Repeat([]byte("B"), partSize), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("losetup", "--find", "--show", backing).Output()
	if err != nil {
		t.Skipf("losetup: %v", err)
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() {
		if err := exec.Command("losetup", "-d", dev).Run(); err != nil {
			t.Errorf("losetup -d %s: %v", dev, err)
		}
	})
	part := k.l.Partition("b")
	if err := os.Remove(part); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dev, part); err != nil { // as /dev/disk/by-partlabel/root-b is
		t.Fatal(err)
	}
	p := payloads()
	res, err := slots.Install(context.Background(), k.bundle(t, releasetest.Bundle(t, k.sk, newer, p)), k.l)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Direct {
		t.Error("the read-back of a block device did not use O_DIRECT")
	}
	got, err := os.ReadFile(backing)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[:len(p.Root)], p.Root) {
		t.Error("the loop device's file does not hold the root")
	}
	big := p
	big.Root = bytes.Repeat([]byte{1}, partSize+4096)
	if _, err := slots.Install(context.Background(), k.bundle(t, releasetest.Bundle(t, k.sk, newer, big)), k.l); err == nil {
		t.Error("a root larger than the device was installed")
	}
}
