// Package releasetest makes update bundles for tests: good ones, and bad
// ones entry by entry (another signature, a flipped byte, an extra or
// misplaced entry), which release.WriteBundle would never make.
package releasetest

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// Key makes a release key pair in a temporary folder and gives the
// private key and the public key file's path.
func Key(t testing.TB) (ed25519.PrivateKey, string) {
	t.Helper()
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "release.key"), filepath.Join(dir, "release.pub")
	if _, err := release.NewKey(priv, pub); err != nil {
		t.Fatal(err)
	}
	sk, err := release.ReadPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return sk, pub
}

// Entry is one entry of a bundle's tar. Type 0 means a regular file.
type Entry struct {
	Name string
	Body []byte
	Type byte
	// Size, when not 0, is the header's size in place of len(Body): a
	// header that lies.
	Size int64
}

// Payloads are a bundle's root, kernel and initrd.
type Payloads struct {
	Root, Kernel, Initrd []byte
}

// Manifest gives the manifest of these payloads for rel.
func Manifest(rel release.Release, p Payloads) release.Manifest {
	m := release.Manifest{Version: rel.Version, Epoch: rel.Epoch, Arch: rel.Arch}
	for i, b := range [][]byte{p.Root, p.Kernel, p.Initrd} {
		sum := sha256.Sum256(b)
		m.Files = append(m.Files, release.File{Name: release.Payloads()[i], Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])})
	}
	return m
}

// Entries gives the entries of a good bundle of m signed by sk, with these
// payloads.
func Entries(t testing.TB, sk ed25519.PrivateKey, m release.Manifest, p Payloads) []Entry {
	t.Helper()
	mb, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return []Entry{
		{Name: release.ManifestFile, Body: mb},
		{Name: release.ManifestSig, Body: release.Sign(sk, mb)},
		{Name: release.RootFile, Body: p.Root},
		{Name: release.KernelFile, Body: p.Kernel},
		{Name: release.InitrdFile, Body: p.Initrd},
	}
}

// Tar writes entries as a tar, as they are.
func Tar(t testing.TB, entries []Entry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e.Name, Typeflag: e.Type, Size: int64(len(e.Body)), Mode: 0o644, ModTime: time.Unix(1764575400, 0)}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size, h.Linkname = 0, "/etc/passwd"
		}
		if e.Size != 0 {
			h.Size = e.Size
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.Size != 0 {
			// A lying header: its body is what follows, as far as it goes.
			tw.Write(e.Body)
			return b.Bytes()
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if _, err := tw.Write(e.Body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Bundle gives a good bundle of rel with these payloads, signed by sk.
func Bundle(t testing.TB, sk ed25519.PrivateKey, rel release.Release, p Payloads) []byte {
	t.Helper()
	return Tar(t, Entries(t, sk, Manifest(rel, p), p))
}
