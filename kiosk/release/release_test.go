package release_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// signed makes a key and an image folder of two signed files.
func signed(t *testing.T) (dir string, pubPath string) {
	t.Helper()
	dir = t.TempDir()
	keys := t.TempDir()
	priv, pub := filepath.Join(keys, "k.key"), filepath.Join(keys, "k.pub")
	if _, err := release.NewKey(priv, pub); err != nil {
		t.Fatal(err)
	}
	if _, err := release.NewKey(priv, pub); err == nil {
		t.Fatal("NewKey wrote over an existing private key")
	}
	if fi, err := os.Stat(priv); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode = %v, %v; want 0600", fi.Mode(), err)
	}
	for name, body := range map[string]string{"kiosk.img.zst": "image bytes", "kiosk.bmap": "<bmap/>"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sk, err := release.ReadPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := release.SignDir(sk, dir, []string{"kiosk.img.zst", "kiosk.bmap"}); err != nil {
		t.Fatal(err)
	}
	return dir, pub
}

func TestVerifyDir(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, dir string)
		want  func(error) bool
	}{
		{"intact", func(*testing.T, string) {}, func(err error) bool { return err == nil }},
		{"image byte changed", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "kiosk.img.zst"), "image bytez")
		}, func(err error) bool {
			var he *release.HashError
			return errors.As(err, &he) && he.Name == "kiosk.img.zst"
		}},
		{"image missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "kiosk.img.zst"))
		}, func(err error) bool { return errors.Is(err, os.ErrNotExist) }},
		{"list changed", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, release.SumsFile))
			b[0] ^= 1
			write(t, filepath.Join(dir, release.SumsFile), string(b))
		}, func(err error) bool { return errors.Is(err, release.ErrBadSignature) }},
		{"signature garbled", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, release.SigFile), "not base64!\n")
		}, func(err error) bool { return errors.Is(err, release.ErrBadSignature) }},
		{"signature missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, release.SigFile))
		}, func(err error) bool { return errors.Is(err, os.ErrNotExist) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, pub := signed(t)
			tc.spoil(t, dir)
			pk, err := release.ReadPublicKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			if err := release.VerifyDir(pk, dir, "kiosk.img.zst"); !tc.want(err) {
				t.Errorf("VerifyDir = %v", err)
			}
		})
	}
}

// TestVerifyDirOtherKey: a folder signed by another key does not pass.
func TestVerifyDirOtherKey(t *testing.T) {
	dir, _ := signed(t)
	_, other := signed(t)
	pk, err := release.ReadPublicKey(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := release.VerifyDir(pk, dir); !errors.Is(err, release.ErrBadSignature) {
		t.Errorf("VerifyDir with another key = %v, want ErrBadSignature", err)
	}
}

// TestVerifyDirWants: a genuine list that does not name the image asked
// for does not pass.
func TestVerifyDirWants(t *testing.T) {
	dir, pub := signed(t)
	pk, _ := release.ReadPublicKey(pub)
	if err := release.VerifyDir(pk, dir, "other.img.zst"); err == nil {
		t.Error("VerifyDir passed a list without the image asked for")
	}
}

func TestParseSumsRefuses(t *testing.T) {
	h := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	for _, in := range []string{"", h + "  ../etc/passwd\n", h + "  a/b\n", "zz  a\n", h[:10] + "  a\n", h + " a\n"} {
		if _, err := release.ParseSums([]byte(in)); err == nil {
			t.Errorf("ParseSums(%q) passed", in)
		}
	}
	s, err := release.ParseSums([]byte(h + "  a.img\n" + h + " *b.bmap\n"))
	if err != nil || len(s) != 2 || s[1].Name != "b.bmap" {
		t.Errorf("ParseSums = %v, %v", s, err)
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
