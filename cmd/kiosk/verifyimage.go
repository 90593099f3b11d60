package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hcsc-kz/kiosk/kiosk/bmap"
	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// imageExt and bmapExt end an image's two files: kiosk-<version>.img.zst
// and kiosk-<version>.bmap.
const (
	imageExt = ".img.zst"
	bmapExt  = ".bmap"
)

// cmdVerifyImage checks an image folder before anything is written:
// SHA256SUMS's signature with the release key, the hash of every file it
// lists, that it lists the image and its bmap, and that the bmap is one
// read-back can use. It prints what scripts/image/flash.sh needs as
// key=value lines.
func cmdVerifyImage(ctx context.Context, e *env, args []string) int {
	fset := flag.NewFlagSet("kiosk verify-image", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	pub := fset.String("pub", "", "the release `public key` (PEM)")
	fset.Usage = func() { verifyImageUsage(e.stderr) }
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if fset.NArg() != 1 || *pub == "" {
		verifyImageUsage(e.stderr)
		return 2
	}
	img, err := findImage(fset.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk verify-image: %v\n", err)
		return 1
	}
	if err := verifyImage(e.stdout, *pub, img); err != nil {
		fmt.Fprintf(e.stderr, "kiosk verify-image: %v\n", err)
		return 1
	}
	return 0
}

func verifyImageUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk verify-image --pub KEY DIR|DIR/kiosk-VERSION.img.zst")
	fmt.Fprintln(w, "\nChecks the image folder's SHA256SUMS.sig with the release public key, then the")
	fmt.Fprintln(w, "SHA-256 of every file SHA256SUMS lists, which must include the image and its")
	fmt.Fprintln(w, "bmap; then that the bmap is a sha256 bmaptool map. A folder must hold one image.")
	fmt.Fprintln(w, "Prints image=, bmap=, version=, image-sha256=, image-size= and mapped-bytes= lines.")
	fmt.Fprintln(w, "Exit status: 0 verified, 1 refused (the reason on stderr), 2 usage error.")
}

// findImage gives the image's path from a folder holding exactly one, or
// from the image's own path.
func findImage(arg string) (string, error) {
	fi, err := os.Stat(arg)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		if !strings.HasSuffix(arg, imageExt) {
			return "", fmt.Errorf("%s is not a *%s image", arg, imageExt)
		}
		return arg, nil
	}
	found, err := filepath.Glob(filepath.Join(arg, "*"+imageExt))
	if err != nil {
		return "", err
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%s holds no *%s image", arg, imageExt)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%s holds %d images; name one", arg, len(found))
}

func verifyImage(w io.Writer, pubPath, img string) error {
	pk, err := release.ReadPublicKey(pubPath)
	if err != nil {
		return err
	}
	dir, name := filepath.Split(img)
	if dir == "" {
		dir = "."
	}
	stem := strings.TrimSuffix(name, imageExt)
	bmapName := stem + bmapExt
	if err := release.VerifyDir(pk, dir, name, bmapName); err != nil {
		var he *release.HashError
		if errors.As(err, &he) && he.Err == nil {
			return fmt.Errorf("%w: the file is damaged or was changed after signing", err)
		}
		return err
	}
	m, err := bmap.ReadFile(filepath.Join(dir, bmapName))
	if err != nil {
		return err
	}
	// The hash as signed: the list was just checked against the files.
	list, err := os.ReadFile(filepath.Join(dir, release.SumsFile))
	if err != nil {
		return err
	}
	sums, err := release.ParseSums(list)
	if err != nil {
		return err
	}
	var sum string
	for _, s := range sums {
		if s.Name == name {
			sum = fmt.Sprintf("%x", s.SHA256)
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "image=%s\n", filepath.Join(abs, name))
	fmt.Fprintf(w, "bmap=%s\n", filepath.Join(abs, bmapName))
	fmt.Fprintf(w, "version=%s\n", strings.TrimPrefix(stem, "kiosk-"))
	fmt.Fprintf(w, "image-sha256=%s\n", sum)
	fmt.Fprintf(w, "image-size=%d\n", m.ImageSize)
	fmt.Fprintf(w, "mapped-bytes=%d\n", m.MappedBytes())
	return nil
}
