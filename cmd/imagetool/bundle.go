package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// cmdBundle makes a signed update bundle (the format is in kiosk/release)
// from the build's root, kernel and initrd and the root's kiosk-release
// file. It writes OUT through a temporary file beside it, so a failed run
// never leaves a half bundle under the final name.
func cmdBundle(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bundle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "the private release key (PEM PKCS #8 ed25519)")
	rel := fs.String("release", "", "the new root's kiosk-release file (KIOSK_VERSION, KIOSK_EPOCH, KIOSK_ARCH)")
	root := fs.String("root", "", "the root squashfs")
	kernel := fs.String("kernel", "", "the root's kernel (vmlinuz)")
	initrd := fs.String("initrd", "", "the root's initrd")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *key == "" || *rel == "" || *root == "" || *kernel == "" || *initrd == "" || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: imagetool bundle --key PRIVATE --release FILE --root root.squashfs --kernel vmlinuz --initrd initrd.img OUT")
		return 2
	}
	sk, err := release.ReadPrivateKey(*key)
	if err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	r, err := release.ReadRelease(*rel)
	if err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	out := fs.Arg(0)
	f, err := os.CreateTemp(filepath.Dir(out), ".bundle-*")
	if err != nil {
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	err = release.WriteBundle(f, sk, r, *root, *kernel, *initrd)
	err = errors.Join(err, f.Chmod(0o644), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), out)
	}
	if err != nil {
		os.Remove(f.Name())
		fmt.Fprintln(stderr, "imagetool:", err)
		return 1
	}
	fmt.Fprintf(stdout, "bundle %s: release %s (epoch %d, %s)\n", out, r.Version, r.Epoch, r.Arch)
	return 0
}
