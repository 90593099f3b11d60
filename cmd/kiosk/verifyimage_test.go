package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// tinyImage is a two-block raw image, its first block data, its second a
// hole; tinyBmap is its map as bmaptool would write it (without the
// optional file checksum).
func tinyImage() []byte {
	b := make([]byte, 8192)
	for i := range 4096 {
		b[i] = byte(i*7%251 + 1)
	}
	return b
}

func tinyBmap() string {
	return fmt.Sprintf(`<?xml version="1.0" ?>
<bmap version="2.0">
    <ImageSize> 8192 </ImageSize>
    <BlockSize> 4096 </BlockSize>
    <BlocksCount> 2 </BlocksCount>
    <MappedBlocksCount> 1 </MappedBlocksCount>
    <ChecksumType> sha256 </ChecksumType>
    <BlockMap>
        <Range chksum="%x"> 0 </Range>
    </BlockMap>
</bmap>
`, sha256.Sum256(tinyImage()[:4096]))
}

// signedImageDir writes an image folder as the build makes it (the image's
// content does not matter to verify-image) signed by a throwaway key, and
// gives the folder and the public key's path.
func signedImageDir(t *testing.T, files map[string]string) (dir, pub string) {
	t.Helper()
	dir, keys := t.TempDir(), t.TempDir()
	pub = filepath.Join(keys, "release.pub")
	if _, err := release.NewKey(filepath.Join(keys, "release.key"), pub); err != nil {
		t.Fatal(err)
	}
	sk, err := release.ReadPrivateKey(filepath.Join(keys, "release.key"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := release.SignDir(sk, dir, names); err != nil {
		t.Fatal(err)
	}
	return dir, pub
}

func TestVerifyImage(t *testing.T) {
	good := map[string]string{"kiosk-2026.12.01-0750.img.zst": "zstd bytes", "kiosk-2026.12.01-0750.bmap": tinyBmap(), "kiosk-2026.12.01-0750.raucb": "bundle"}
	for _, tc := range []struct {
		name   string
		files  map[string]string
		spoil  func(t *testing.T, dir, pub string) (arg, key string)
		code   int
		stderr string
	}{
		{"folder", good, nil, 0, ""},
		{"the image named", good, func(t *testing.T, dir, pub string) (string, string) {
			return filepath.Join(dir, "kiosk-2026.12.01-0750.img.zst"), pub
		}, 0, ""},
		{"image byte flipped", good, func(t *testing.T, dir, pub string) (string, string) {
			flipFile(t, filepath.Join(dir, "kiosk-2026.12.01-0750.img.zst"), 3)
			return dir, pub
		}, 1, "kiosk-2026.12.01-0750.img.zst: SHA-256 differs from SHA256SUMS: the file is damaged"},
		{"bmap byte flipped", good, func(t *testing.T, dir, pub string) (string, string) {
			flipFile(t, filepath.Join(dir, "kiosk-2026.12.01-0750.bmap"), 50)
			return dir, pub
		}, 1, "kiosk-2026.12.01-0750.bmap: SHA-256 differs"},
		{"signature byte flipped", good, func(t *testing.T, dir, pub string) (string, string) {
			flipFile(t, filepath.Join(dir, release.SigFile), 5)
			return dir, pub
		}, 1, "signature does not verify"},
		{"another key", good, func(t *testing.T, dir, pub string) (string, string) {
			_, other := signedImageDir(t, good)
			return dir, other
		}, 1, "signature does not verify"},
		{"no signature", good, func(t *testing.T, dir, pub string) (string, string) {
			os.Remove(filepath.Join(dir, release.SigFile))
			return dir, pub
		}, 1, "SHA256SUMS.sig: no such file"},
		{"bmap not signed", map[string]string{"kiosk-1.img.zst": "x"}, func(t *testing.T, dir, pub string) (string, string) {
			os.WriteFile(filepath.Join(dir, "kiosk-1.bmap"), []byte(tinyBmap()), 0o644)
			return dir, pub
		}, 1, "does not list kiosk-1.bmap"},
		{"bmap not a bmap", map[string]string{"kiosk-1.img.zst": "x", "kiosk-1.bmap": "<bmap/>"}, nil, 1, "kiosk-1.bmap: bmap: format version"},
		{"two images", map[string]string{"kiosk-1.img.zst": "x", "kiosk-2.img.zst": "y"}, nil, 1, "holds 2 images; name one"},
		{"no image", map[string]string{"kiosk-1.bmap": tinyBmap()}, nil, 1, "holds no *.img.zst image"},
		{"not an image file", good, func(t *testing.T, dir, pub string) (string, string) {
			return filepath.Join(dir, "kiosk-2026.12.01-0750.bmap"), pub
		}, 1, "is not a *.img.zst image"},
		{"missing", good, func(t *testing.T, dir, pub string) (string, string) {
			return filepath.Join(dir, "nothing"), pub
		}, 1, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, pub := signedImageDir(t, tc.files)
			arg := dir
			if tc.spoil != nil {
				arg, pub = tc.spoil(t, dir, pub)
			}
			out, errOut, code := runKiosk(t, "", "verify-image", "--pub", pub, arg)
			if code != tc.code || !strings.Contains(errOut, tc.stderr) {
				t.Fatalf("verify-image = exit %d, stderr %q; want %d saying %q", code, errOut, tc.code, tc.stderr)
			}
			if code != 0 {
				if out != "" {
					t.Errorf("stdout %q on a refusal", out)
				}
				return
			}
			h, _ := release.HashFile(filepath.Join(dir, "kiosk-2026.12.01-0750.img.zst"))
			want := fmt.Sprintf("image=%s/kiosk-2026.12.01-0750.img.zst\nbmap=%s/kiosk-2026.12.01-0750.bmap\nversion=2026.12.01-0750\nimage-sha256=%x\nimage-size=8192\nmapped-bytes=4096\n", dir, dir, h)
			if out != want {
				t.Errorf("stdout\n%s\nwant\n%s", out, want)
			}
		})
	}
	if _, errOut, code := runKiosk(t, "", "verify-image", "somewhere"); code != 2 || !strings.Contains(errOut, "usage: kiosk verify-image --pub KEY") {
		t.Errorf("no --pub: exit %d, %q", code, errOut)
	}
}

func TestReadBackCommand(t *testing.T) {
	dir := t.TempDir()
	bm, dev := filepath.Join(dir, "k.bmap"), filepath.Join(dir, "dev")
	os.WriteFile(bm, []byte(tinyBmap()), 0o644)
	os.WriteFile(dev, tinyImage(), 0o644)
	out, errOut, code := runKiosk(t, "", "read-back", "--bmap", bm, dev)
	if code != 0 || !strings.HasPrefix(out, "read-back ok: "+dev+": 0.0 MB in 1 ranges") || !strings.Contains(errOut, "read-back: 100% (0.0 of 0.0 MB)") {
		t.Errorf("read-back = exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	flipFile(t, dev, 4095)
	out, errOut, code = runKiosk(t, "", "read-back", "--quiet", "--bmap", bm, dev)
	if want := "kiosk read-back: FAILED: " + dev + ": range 0-0 (bytes 0-4095): SHA-256 differs from the bmap\n"; code != 1 || out != "" || errOut != want {
		t.Errorf("read-back of a flipped byte = exit %d, stdout %q, stderr %q; want 1, %q", code, out, errOut, want)
	}
	if _, errOut, code := runKiosk(t, "", "read-back", "--bmap", filepath.Join(dir, "none"), dev); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing bmap: exit %d, %q", code, errOut)
	}
	if _, _, code := runKiosk(t, "", "read-back", dev); code != 2 {
		t.Errorf("no --bmap: exit %d, want 2", code)
	}
}

func flipFile(t *testing.T, path string, off int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 1
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
