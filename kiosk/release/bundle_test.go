package release_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/release"
	"github.com/hcsc-kz/kiosk/kiosk/release/releasetest"
)

var (
	running = release.Release{Version: "2026.12.01-0750", Epoch: 1764575400, Arch: "amd64"}
	newer   = release.Release{Version: "2026.12.08-0900", Epoch: 1765184400, Arch: "amd64"}
	sample  = releasetest.Payloads{
		Root:   bytes.Repeat([]byte("hsqs root "), 3000),
		Kernel: bytes.Repeat([]byte("kernel "), 700),
		Initrd: bytes.Repeat([]byte("initrd "), 900),
	}
)

// TestCheckBundle: each bad bundle is refused with the error a caller
// branches on.
func TestCheckBundle(t *testing.T) {
	sk, pub := releasetest.Key(t)
	other, _ := releasetest.Key(t)
	pk, err := release.ReadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	good := releasetest.Bundle(t, sk, newer, sample)
	entries := func() []releasetest.Entry {
		return releasetest.Entries(t, sk, releasetest.Manifest(newer, sample), sample)
	}
	tarOf := func(edit func(e []releasetest.Entry) []releasetest.Entry) []byte {
		return releasetest.Tar(t, edit(entries()))
	}
	// offset of a payload's data in the good bundle
	at := func(b []byte) int { return bytes.Index(good, b) }
	flipped := func(off int) []byte {
		b := bytes.Clone(good)
		b[off] ^= 0x20
		return b
	}
	malformed := func(err error) bool { return errors.Is(err, release.ErrMalformed) }
	truncated := func(err error) bool { return errors.Is(err, release.ErrTruncated) }
	hashOf := func(name string) func(error) bool {
		return func(err error) bool {
			var he *release.HashError
			return errors.As(err, &he) && he.Name == name
		}
	}
	withManifest := func(edit func(m *release.Manifest)) []byte {
		m := releasetest.Manifest(newer, sample)
		edit(&m)
		return releasetest.Tar(t, releasetest.Entries(t, sk, m, sample))
	}
	for _, tc := range []struct {
		name   string
		bundle []byte
		want   func(error) bool
	}{
		{"good", good, func(err error) bool { return err == nil }},
		{"unsigned", tarOf(func(e []releasetest.Entry) []releasetest.Entry { return append(e[:1:1], e[2:]...) }),
			func(err error) bool { return errors.Is(err, release.ErrUnsigned) }},
		{"only a manifest", tarOf(func(e []releasetest.Entry) []releasetest.Entry { return e[:1] }),
			func(err error) bool { return errors.Is(err, release.ErrUnsigned) }},
		{"signed by another key", releasetest.Bundle(t, other, newer, sample),
			func(err error) bool { return errors.Is(err, release.ErrBadSignature) }},
		{"manifest byte flipped", flipped(at([]byte(`"version"`)) + 1),
			func(err error) bool { return errors.Is(err, release.ErrBadSignature) }},
		{"signature garbled", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			e[1].Body = []byte("not base64\n")
			return e
		}), func(err error) bool { return errors.Is(err, release.ErrBadSignature) }},
		{"another arch", releasetest.Bundle(t, sk, release.Release{Version: newer.Version, Epoch: newer.Epoch, Arch: "arm64"}, sample),
			func(err error) bool { return errors.Is(err, release.ErrWrongArch) }},
		{"older", releasetest.Bundle(t, sk, release.Release{Version: "2026.11.01-0000", Epoch: running.Epoch - 86400, Arch: "amd64"}, sample),
			func(err error) bool {
				return errors.Is(err, release.ErrNotNewer) && !errors.Is(err, release.ErrAlreadyRunning)
			}},
		{"equal", releasetest.Bundle(t, sk, running, sample),
			func(err error) bool {
				return errors.Is(err, release.ErrNotNewer) && errors.Is(err, release.ErrAlreadyRunning)
			}},
		{"empty", nil, truncated},
		{"truncated in the first header", good[:100], truncated},
		{"truncated in the manifest", good[:512+20], truncated},
		{"truncated in the root", good[:at(sample.Root)+len(sample.Root)/2], truncated},
		{"truncated before the kernel's header", good[:at(sample.Kernel)-512], truncated},
		{"truncated in the kernel", good[:at(sample.Kernel)+10], truncated},
		{"truncated in the initrd", good[:at(sample.Initrd)+len(sample.Initrd)-1], truncated},
		{"root byte flipped", flipped(at(sample.Root) + 5000), hashOf(release.RootFile)},
		{"kernel byte flipped", flipped(at(sample.Kernel) + 1), hashOf(release.KernelFile)},
		{"initrd byte flipped", flipped(at(sample.Initrd) + len(sample.Initrd) - 1), hashOf(release.InitrdFile)},
		{"extra entry at the end", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			return append(e, releasetest.Entry{Name: "extra", Body: []byte("x")})
		}), malformed},
		{"extra entry in the middle", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			return append(e[:3:3], append([]releasetest.Entry{{Name: "../../etc/passwd", Body: []byte("x")}}, e[3:]...)...)
		}), malformed},
		{"duplicate root", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			return append(e[:3:3], e[2:]...)
		}), malformed},
		{"duplicate initrd", tarOf(func(e []releasetest.Entry) []releasetest.Entry { return append(e, e[4]) }), malformed},
		{"kernel before root", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			e[2], e[3] = e[3], e[2]
			return e
		}), malformed},
		{"signature before manifest", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			e[0], e[1] = e[1], e[0]
			return e
		}), malformed},
		{"root a symlink", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			e[2].Type = '2'
			return e
		}), malformed},
		{"root header of 5 GiB", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			e[2].Size = 5 << 30
			return e
		}), malformed},
		{"manifest header of 1 GiB", tarOf(func(e []releasetest.Entry) []releasetest.Entry {
			e[0].Size = 1 << 30
			return e[:1]
		}), malformed},
		{"signed manifest lists a path", withManifest(func(m *release.Manifest) { m.Files[0].Name = "../root.squashfs" }), malformed},
		{"signed manifest lists a kernel of 1 GiB", withManifest(func(m *release.Manifest) { m.Files[1].Size = 1 << 30 }), malformed},
		{"signed manifest with a newline in the version", withManifest(func(m *release.Manifest) { m.Version = "1\noptions init=/bin/sh" }), malformed},
		{"signed manifest size differs from the tar", withManifest(func(m *release.Manifest) { m.Files[2].Size-- }), malformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := release.CheckBundle(bytes.NewReader(tc.bundle), pk, running)
			if !tc.want(err) {
				t.Fatalf("CheckBundle = %v", err)
			}
			if err == nil && (m.Version != newer.Version || len(m.Files) != 3) {
				t.Errorf("manifest = %+v", m)
			}
		})
	}
}

// TestWriteBundle: what WriteBundle makes, CheckBundle passes, and two
// runs give the same bytes.
func TestWriteBundle(t *testing.T) {
	sk, pub := releasetest.Key(t)
	pk, _ := release.ReadPublicKey(pub)
	dir := t.TempDir()
	var paths []string
	for i, b := range [][]byte{sample.Root, sample.Kernel, sample.Initrd} {
		p := filepath.Join(dir, release.Payloads()[i])
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	var one, two bytes.Buffer
	for _, b := range []*bytes.Buffer{&one, &two} {
		if err := release.WriteBundle(b, sk, newer, paths[0], paths[1], paths[2]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(one.Bytes(), two.Bytes()) {
		t.Error("two bundles of the same files differ")
	}
	if _, err := release.CheckBundle(&one, pk, running); err != nil {
		t.Errorf("CheckBundle(WriteBundle) = %v", err)
	}
}

func TestParseRelease(t *testing.T) {
	r, err := release.ParseRelease([]byte("# made by build-image.sh\nKIOSK_VERSION=2026.12.01-0750\nKIOSK_EPOCH=1764575400\nKIOSK_ARCH=\"amd64\"\n"))
	if err != nil || r != running {
		t.Errorf("ParseRelease = %+v, %v", r, err)
	}
	for _, in := range []string{"", "KIOSK_VERSION=1\nKIOSK_ARCH=amd64\n", "KIOSK_VERSION=1 2\nKIOSK_EPOCH=5\nKIOSK_ARCH=amd64\n", "KIOSK_EPOCH=x\n", "junk\n"} {
		if _, err := release.ParseRelease([]byte(in)); err == nil {
			t.Errorf("ParseRelease(%q) passed", in)
		}
	}
}
