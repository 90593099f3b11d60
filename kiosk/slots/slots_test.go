package slots_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/release"
	"github.com/hcsc-kz/kiosk/kiosk/release/releasetest"
	"github.com/hcsc-kz/kiosk/kiosk/slots"
)

var (
	running = release.Release{Version: "2026.12.01-0750", Epoch: 1764575400, Arch: "amd64"}
	newer   = release.Release{Version: "2026.12.08-0900", Epoch: 1765184400, Arch: "amd64"}
)

const (
	entryA = "title   Kiosk 2026.12.01-0750 (slot a)\nversion 2026.12.01-0750\nlinux   /slot-a/vmlinuz\ninitrd  /slot-a/initrd.img\n" +
		"options root=PARTLABEL=root-a ro rootfstype=squashfs kiosk.slot=a panic=5 console=tty1\n"
	partSize = 4 << 20
)

// payloads gives a root of 2.5 MiB (so a write can stop midway) and a
// small kernel and initrd.
func payloads() releasetest.Payloads {
	root := make([]byte, 5<<19)
	for i := range root {
		root[i] = byte(i*7 + i>>11)
	}
	copy(root, "hsqs")
	return releasetest.Payloads{Root: root, Kernel: bytes.Repeat([]byte("new kernel "), 500), Initrd: bytes.Repeat([]byte("new initrd "), 700)}
}

// kiosk is a kiosk image as plain files: a command line, a release file,
// a key, an ESP folder with slot a's entry and boot files, and two
// file-backed root partitions.
type kiosk struct {
	dir string
	l   slots.Layout
	sk  ed25519.PrivateKey
}

func newKiosk(t testing.TB) *kiosk {
	t.Helper()
	sk, pub := releasetest.Key(t)
	dir := t.TempDir()
	k := &kiosk{dir: dir, sk: sk, l: slots.Layout{
		Cmdline:    filepath.Join(dir, "cmdline"),
		Release:    filepath.Join(dir, "kiosk-release"),
		PublicKey:  pub,
		ESP:        filepath.Join(dir, "efi"),
		Partitions: filepath.Join(dir, "dev"),
	}}
	files := map[string][]byte{
		"cmdline":                         []byte(`initrd=\slot-a\initrd.img root=PARTLABEL=root-a ro rootfstype=squashfs kiosk.slot=a panic=5 console=tty1` + "\n"),
		"kiosk-release":                   []byte("KIOSK_VERSION=2026.12.01-0750\nKIOSK_EPOCH=1764575400\nKIOSK_ARCH=amd64\n"),
		"efi/loader/loader.conf":          []byte("timeout 0\n"),
		"efi/loader/entries/kiosk-a.conf": []byte(entryA),
		"efi/slot-a/vmlinuz":              []byte("old kernel"),
		"efi/slot-a/initrd.img":           []byte("old initrd"),
		"dev/root-a":                      bytes.Repeat([]byte("running root "), 1000),
		"dev/root-b":                      bytes.Repeat([]byte("B"), partSize),
	}
	for name, body := range files {
		k.write(t, name, body)
	}
	return k
}

func (k *kiosk) write(t testing.TB, name string, body []byte) {
	t.Helper()
	p := filepath.Join(k.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
}

// bundle writes a bundle file and gives its path.
func (k *kiosk) bundle(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "update.bundle")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// snapshot gives every file of the ESP and the partitions with its bytes.
func (k *kiosk) snapshot(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range []string{"efi", "dev"} {
		filepath.WalkDir(filepath.Join(k.dir, d), func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			if de.IsDir() {
				out[p] = "dir"
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[p] = string(b)
			return nil
		})
	}
	return out
}

func sameSnapshot(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s removed", p)
		} else if a != b {
			t.Errorf("%s changed", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s created", p)
		}
	}
}

// bootChoice is the entry systemd-boot boots: the highest version among
// the entries with tries left (an entry with none sorts last).
func bootChoice(t *testing.T, esp string) slots.Entry {
	t.Helper()
	es, err := slots.Entries(esp)
	if err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Failed() != es[j].Failed() {
			return !es[i].Failed()
		}
		return es[i].Version > es[j].Version
	})
	if len(es) == 0 {
		t.Fatal("no boot entry left")
	}
	return es[0]
}

// TestInstallRefuses: every bad bundle and every kiosk it does not fit is
// refused with its typed error before a byte of the partition or the ESP
// changes.
func TestInstallRefuses(t *testing.T) {
	p := payloads()
	other, _ := releasetest.Key(t)
	for _, tc := range []struct {
		name   string
		bundle func(k *kiosk) []byte
		setup  func(t *testing.T, k *kiosk)
		want   error
	}{
		{"unsigned", func(k *kiosk) []byte {
			e := releasetest.Entries(t, k.sk, releasetest.Manifest(newer, p), p)
			return releasetest.Tar(t, append(e[:1:1], e[2:]...))
		}, nil, release.ErrUnsigned},
		{"signed by another key", func(k *kiosk) []byte { return releasetest.Bundle(t, other, newer, p) }, nil, release.ErrBadSignature},
		{"truncated in the manifest", func(k *kiosk) []byte { return releasetest.Bundle(t, k.sk, newer, p)[:700] }, nil, release.ErrTruncated},
		{"truncated in the root", func(k *kiosk) []byte { return releasetest.Bundle(t, k.sk, newer, p)[:2<<20] }, nil, release.ErrTruncated},
		{"truncated in the kernel", func(k *kiosk) []byte {
			b := releasetest.Bundle(t, k.sk, newer, p)
			return b[:bytes.Index(b, p.Kernel)+100]
		}, nil, release.ErrTruncated},
		{"truncated in the initrd", func(k *kiosk) []byte {
			b := releasetest.Bundle(t, k.sk, newer, p)
			return b[:bytes.Index(b, p.Initrd)+len(p.Initrd)-3]
		}, nil, release.ErrTruncated},
		{"root byte flipped", func(k *kiosk) []byte {
			b := releasetest.Bundle(t, k.sk, newer, p)
			b[bytes.Index(b, p.Root)+(2<<20)] ^= 1
			return b
		}, nil, release.ErrHashMismatch},
		{"initrd byte flipped", func(k *kiosk) []byte {
			b := releasetest.Bundle(t, k.sk, newer, p)
			b[bytes.Index(b, p.Initrd)+10] ^= 1
			return b
		}, nil, release.ErrHashMismatch},
		{"another arch", func(k *kiosk) []byte {
			return releasetest.Bundle(t, k.sk, release.Release{Version: newer.Version, Epoch: newer.Epoch, Arch: "arm64"}, p)
		}, nil, release.ErrWrongArch},
		{"older", func(k *kiosk) []byte {
			return releasetest.Bundle(t, k.sk, release.Release{Version: "2026.11.01-0000", Epoch: running.Epoch - 1, Arch: "amd64"}, p)
		}, nil, release.ErrNotNewer},
		{"equal", func(k *kiosk) []byte { return releasetest.Bundle(t, k.sk, running, p) }, nil, release.ErrAlreadyRunning},
		{"extra entry", func(k *kiosk) []byte {
			e := releasetest.Entries(t, k.sk, releasetest.Manifest(newer, p), p)
			return releasetest.Tar(t, append(e, releasetest.Entry{Name: "run-me.sh", Body: []byte("#!/bin/sh\n")}))
		}, nil, release.ErrMalformed},
		{"duplicate kernel", func(k *kiosk) []byte {
			e := releasetest.Entries(t, k.sk, releasetest.Manifest(newer, p), p)
			return releasetest.Tar(t, append(e[:4:4], e[3:]...))
		}, nil, release.ErrMalformed},
		{"initrd before kernel", func(k *kiosk) []byte {
			e := releasetest.Entries(t, k.sk, releasetest.Manifest(newer, p), p)
			e[3], e[4] = e[4], e[3]
			return releasetest.Tar(t, e)
		}, nil, release.ErrMalformed},
		{"root larger than the partition", func(k *kiosk) []byte {
			big := p
			big.Root = bytes.Repeat([]byte{1}, partSize+1)
			return releasetest.Bundle(t, k.sk, newer, big)
		}, nil, slots.ErrTooLarge},
		{"not booted from the image", func(k *kiosk) []byte { return releasetest.Bundle(t, k.sk, newer, p) },
			func(t *testing.T, k *kiosk) { k.write(t, "cmdline", []byte("root=/dev/vda1 ro\n")) }, slots.ErrNoSlot},
		{"running entry without the slot's root", func(k *kiosk) []byte { return releasetest.Bundle(t, k.sk, newer, p) },
			func(t *testing.T, k *kiosk) {
				k.write(t, "efi/loader/entries/kiosk-a.conf", []byte(strings.ReplaceAll(entryA, "root=PARTLABEL=root-a", "root=/dev/sda2")))
			}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKiosk(t)
			if tc.setup != nil {
				tc.setup(t, k)
			}
			path := k.bundle(t, tc.bundle(k))
			before := k.snapshot(t)
			_, err := slots.Install(context.Background(), path, k.l)
			if !errors.Is(err, slots.ErrRefused) || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Install = %v; want refused with %v", err, tc.want)
			}
			sameSnapshot(t, before, k.snapshot(t))
		})
	}
}

// TestInstall: a good bundle lands in slot b's partition and ESP folder,
// and its entry, written last, boots slot b with the running options
// switched.
func TestInstall(t *testing.T) {
	p := payloads()
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, k *kiosk)
	}{
		{"from slot a's entry", nil},
		{"over an old blessed slot b", func(t *testing.T, k *kiosk) {
			k.write(t, "efi/loader/entries/kiosk-b.conf", []byte("version 2026.11.01-0000\noptions root=PARTLABEL=root-b kiosk.slot=b\n"))
			k.write(t, "efi/slot-b/vmlinuz", []byte("older kernel"))
		}},
		{"over a failed try", func(t *testing.T, k *kiosk) {
			k.write(t, "efi/loader/entries/kiosk-b+0-3.conf", []byte("version 2026.12.05-0000\noptions root=PARTLABEL=root-b kiosk.slot=b\n"))
		}},
		{"from the command line when slot a has no entry", func(t *testing.T, k *kiosk) {
			os.Remove(filepath.Join(k.l.ESP, "loader/entries/kiosk-a.conf"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKiosk(t)
			if tc.setup != nil {
				tc.setup(t, k)
			}
			rootA := k.snapshot(t)[filepath.Join(k.dir, "dev/root-a")]
			res, err := slots.Install(context.Background(), k.bundle(t, releasetest.Bundle(t, k.sk, newer, p)), k.l)
			if err != nil {
				t.Fatal(err)
			}
			if res.Slot != "b" || res.Release != newer || res.RootBytes != int64(len(p.Root)) || !res.Direct {
				t.Errorf("Result = %+v", res)
			}
			snap := k.snapshot(t)
			part := snap[filepath.Join(k.dir, "dev/root-b")]
			if len(part) != partSize || part[:len(p.Root)] != string(p.Root) || strings.Trim(part[len(p.Root):], "B") != "" {
				t.Error("root-b does not hold the new root followed by its old bytes")
			}
			if snap[filepath.Join(k.dir, "dev/root-a")] != rootA {
				t.Error("root-a changed")
			}
			for name, want := range map[string][]byte{"efi/slot-b/vmlinuz": p.Kernel, "efi/slot-b/initrd.img": p.Initrd, "efi/slot-a/vmlinuz": []byte("old kernel")} {
				if snap[filepath.Join(k.dir, name)] != string(want) {
					t.Errorf("%s does not hold what it should", name)
				}
			}
			want := "title   Kiosk 2026.12.08-0900 (slot b)\nversion 2026.12.08-0900\nlinux   /slot-b/vmlinuz\ninitrd  /slot-b/initrd.img\n" +
				"options root=PARTLABEL=root-b ro rootfstype=squashfs kiosk.slot=b panic=5 console=tty1\n"
			if got := snap[res.Entry]; got != want || filepath.Base(res.Entry) != "kiosk-b+3.conf" {
				t.Errorf("entry %s:\n%s\nwant:\n%s", res.Entry, got, want)
			}
			es, _ := slots.Entries(k.l.ESP)
			var names []string
			for _, e := range es {
				names = append(names, e.File)
			}
			if tc.name != "from the command line when slot a has no entry" && strings.Join(names, " ") != "kiosk-a.conf kiosk-b+3.conf" {
				t.Errorf("entries = %v; want slot a's and the new one only", names)
			}
			if got := bootChoice(t, k.l.ESP); got.File != "kiosk-b+3.conf" {
				t.Errorf("boots %s", got.File)
			}
			for p := range snap {
				if strings.Contains(filepath.Base(p), ".tmp") || strings.HasSuffix(p, ".new") {
					t.Errorf("left %s", p)
				}
			}
			if st := slots.Status(k.l); st != (api.UpdateState{Slot: "a", Version: running.Version, Pending: newer.Version}) {
				t.Errorf("Status = %+v", st)
			}
		})
	}
}

// TestInstallInterrupted stops Install after each step, as a power cut
// would: until the last rename the old slot's entry is still the one that
// boots, no entry with tries points at the half-written slot, and a new
// Install then completes.
func TestInstallInterrupted(t *testing.T) {
	p := payloads()
	cut := errors.New("power cut")
	for _, step := range []string{slots.StepChecked, slots.StepEntriesRemoved, slots.StepRootPartial, slots.StepRootWritten,
		slots.StepRootReadBack, slots.StepKernelWritten, slots.StepInitrdWritten, slots.StepBootFiles, slots.StepEntryTemp} {
		t.Run(step, func(t *testing.T) {
			k := newKiosk(t)
			// An earlier update that failed: it must not come back to life.
			k.write(t, "efi/loader/entries/kiosk-b+0-3.conf", []byte("version 2026.12.05-0000\noptions root=PARTLABEL=root-b kiosk.slot=b\n"))
			bundle := k.bundle(t, releasetest.Bundle(t, k.sk, newer, p))
			var seen []string
			l := k.l
			l.Step = func(s string) error {
				seen = append(seen, s)
				if s == step {
					return cut
				}
				return nil
			}
			if _, err := slots.Install(context.Background(), bundle, l); !errors.Is(err, cut) {
				t.Fatalf("Install = %v after %v", err, seen)
			}
			if got := bootChoice(t, k.l.ESP); got.File != "kiosk-a.conf" {
				t.Errorf("after %s the ESP boots %s", step, got.File)
			}
			es, _ := slots.Entries(k.l.ESP)
			for _, e := range es {
				if e.Slot == "b" && !e.Failed() {
					t.Errorf("after %s entry %s points at the half-written slot", step, e.File)
				}
			}
			if _, err := slots.Install(context.Background(), bundle, k.l); err != nil {
				t.Fatalf("Install after the cut = %v", err)
			}
			if got := bootChoice(t, k.l.ESP); got.File != "kiosk-b+3.conf" {
				t.Errorf("after a full Install the ESP boots %s", got.File)
			}
		})
	}
}

// TestInstallReadBack: a partition that does not hold what was written
// (here a byte flipped behind the writer's back) fails the read-back and
// no entry is written.
func TestInstallReadBack(t *testing.T) {
	k := newKiosk(t)
	l := k.l
	l.Step = func(s string) error {
		if s != slots.StepRootWritten {
			return nil
		}
		f, err := os.OpenFile(filepath.Join(k.dir, "dev/root-b"), os.O_RDWR, 0)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = f.WriteAt([]byte{0xff}, 1<<20+17)
		return err
	}
	_, err := slots.Install(context.Background(), k.bundle(t, releasetest.Bundle(t, k.sk, newer, payloads())), l)
	if !errors.Is(err, slots.ErrReadBack) {
		t.Fatalf("Install = %v, want ErrReadBack", err)
	}
	if got := bootChoice(t, k.l.ESP); got.File != "kiosk-a.conf" {
		t.Errorf("the ESP boots %s", got.File)
	}
}

// TestInstallBundleChanged: a bundle changed after its first pass fails
// the second, which hashes again, and no entry is written.
func TestInstallBundleChanged(t *testing.T) {
	k := newKiosk(t)
	p := payloads()
	b := releasetest.Bundle(t, k.sk, newer, p)
	path := k.bundle(t, b)
	l := k.l
	l.Step = func(s string) error {
		if s == slots.StepChecked {
			b[bytes.Index(b, p.Kernel)+3] ^= 1
			return os.WriteFile(path, b, 0o644)
		}
		return nil
	}
	_, err := slots.Install(context.Background(), path, l)
	var he *release.HashError
	if !errors.As(err, &he) || he.Name != release.KernelFile || errors.Is(err, slots.ErrRefused) {
		t.Fatalf("Install = %v, want the kernel's hash error", err)
	}
	if got := bootChoice(t, k.l.ESP); got.File != "kiosk-a.conf" {
		t.Errorf("the ESP boots %s", got.File)
	}
}

// TestInstallCancelled: a cancelled context stops the write, and the old
// slot still boots.
func TestInstallCancelled(t *testing.T) {
	k := newKiosk(t)
	ctx, cancel := context.WithCancel(context.Background())
	l := k.l
	l.Step = func(s string) error {
		if s == slots.StepRootPartial {
			cancel()
		}
		return nil
	}
	if _, err := slots.Install(ctx, k.bundle(t, releasetest.Bundle(t, k.sk, newer, payloads())), l); !errors.Is(err, context.Canceled) {
		t.Fatalf("Install = %v, want context.Canceled", err)
	}
	if got := bootChoice(t, k.l.ESP); got.File != "kiosk-a.conf" {
		t.Errorf("the ESP boots %s", got.File)
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cmdline string
		entries map[string]string
		want    api.UpdateState
	}{
		{"fresh", "kiosk.slot=a", nil, api.UpdateState{Slot: "a", Version: running.Version}},
		{"pending", "kiosk.slot=a", map[string]string{"kiosk-b+3.conf": "version 2026.12.08-0900\n"},
			api.UpdateState{Slot: "a", Version: running.Version, Pending: "2026.12.08-0900"}},
		{"pending, one try used", "kiosk.slot=a", map[string]string{"kiosk-b+2-1.conf": "version 2026.12.08-0900\n"},
			api.UpdateState{Slot: "a", Version: running.Version, Pending: "2026.12.08-0900"}},
		{"failed", "kiosk.slot=a", map[string]string{"kiosk-b+0-3.conf": "version 2026.12.08-0900\n"},
			api.UpdateState{Slot: "a", Version: running.Version, Failed: "2026.12.08-0900"}},
		{"running the update, not yet blessed", "kiosk.slot=b", map[string]string{"kiosk-b+2-1.conf": "version 2026.12.01-0750\n"},
			api.UpdateState{Slot: "b", Version: running.Version}},
		{"blessed", "kiosk.slot=b", map[string]string{"kiosk-b.conf": "version 2026.12.01-0750\n"},
			api.UpdateState{Slot: "b", Version: running.Version}},
		{"not from the image", "root=/dev/vda1", nil, api.UpdateState{Version: running.Version}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKiosk(t)
			k.write(t, "cmdline", []byte(tc.cmdline+"\n"))
			for n, body := range tc.entries {
				k.write(t, "efi/loader/entries/"+n, []byte(body))
			}
			if got := slots.Status(k.l); got != tc.want {
				t.Errorf("Status = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSwitchOptions(t *testing.T) {
	got, err := slots.SwitchOptions("root=PARTLABEL=root-b ro kiosk.slot=b quiet", "b")
	if err != nil || got != "root=PARTLABEL=root-a ro kiosk.slot=a quiet" {
		t.Errorf("SwitchOptions = %q, %v", got, err)
	}
	for _, in := range []string{"root=PARTLABEL=root-a ro", "kiosk.slot=a", "root=PARTLABEL=root-aa kiosk.slot=a"} {
		if _, err := slots.SwitchOptions(in, "a"); err == nil {
			t.Errorf("SwitchOptions(%q) passed", in)
		}
	}
}
