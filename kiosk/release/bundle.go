package release

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// An update bundle is one uncompressed tar (USTAR) holding, in this order
// and nothing else:
//
//	manifest.json   {"version", "epoch", "arch", "files": [{"name", "size", "sha256"}...]}
//	manifest.sig    Sign over manifest.json's exact bytes
//	root.squashfs   the new root, written raw to the inactive root partition
//	vmlinuz         its kernel, copied to the ESP's slot folder
//	initrd.img      its initrd, beside the kernel
//
// The manifest lists the three payloads in that order with their sizes and
// SHA-256. A kiosk reads a bundle twice: a first full pass checks the
// signature, the architecture, that the release is newer than the running
// one (by epoch, the release's commit time), and every payload's size and
// hash, before anything is written; the second pass writes, hashing again
// as it streams, so a bundle that changed between the passes still cannot
// pass. The order is fixed and checked entry by entry, so a tar with an
// extra, a duplicate or a reordered entry, a link, or a payload larger than
// any kiosk partition is refused as malformed instead of being read on
// trust.
//
// The constants name a bundle's entries.
const (
	ManifestFile = "manifest.json"
	ManifestSig  = "manifest.sig"
	RootFile     = "root.squashfs"
	KernelFile   = "vmlinuz"
	InitrdFile   = "initrd.img"
)

// Payloads names the bundle's payloads in their order.
func Payloads() []string { return []string{RootFile, KernelFile, InitrdFile} }

// Size limits: far above any real kiosk's (a 768 MiB root partition, a
// 256 MiB ESP), low enough that a hostile header cannot make a reader
// allocate or stream without end.
const (
	maxManifest = 64 << 10
	maxSig      = 1 << 10
	maxRoot     = 4 << 30
	maxBoot     = 256 << 20
)

func maxSize(name string) int64 {
	switch name {
	case ManifestFile:
		return maxManifest
	case ManifestSig:
		return maxSig
	case RootFile:
		return maxRoot
	}
	return maxBoot
}

// Errors a bundle's reader gives, for the caller to branch on. A payload
// whose bytes differ from the manifest is a *HashError wrapping
// ErrHashMismatch.
var (
	// ErrUnsigned: the bundle has no manifest.sig.
	ErrUnsigned = errors.New("not signed (no manifest.sig)")
	// ErrWrongArch: the bundle is for another processor architecture.
	ErrWrongArch = errors.New("for another architecture")
	// ErrNotNewer: the bundle's release is not newer than the running one.
	ErrNotNewer = errors.New("not newer than the running release")
	// ErrAlreadyRunning: the bundle's release is the running one; it comes
	// wrapped with ErrNotNewer.
	ErrAlreadyRunning = errors.New("already running")
	// ErrTruncated: the bundle ends before its last payload does.
	ErrTruncated = errors.New("truncated")
	// ErrMalformed: the tar is not a bundle (an unexpected, duplicate or
	// misplaced entry, a link, a size beyond the limits, a bad manifest).
	ErrMalformed = errors.New("not a well-formed update bundle")
	// ErrHashMismatch: a payload's bytes differ from the manifest's
	// SHA-256; it comes in a *HashError naming the payload.
	ErrHashMismatch = errors.New("SHA-256 differs from the manifest")
)

// Release is a root's /etc/kiosk-release: its version, its epoch (the
// commit time; releases compare by epoch) and its architecture (GOARCH
// spelling).
type Release struct {
	Version string
	Epoch   int64
	Arch    string
}

// ParseRelease reads the shell-style KEY=VALUE lines of /etc/kiosk-release
// (KIOSK_VERSION, KIOSK_EPOCH, KIOSK_ARCH; quotes around a value allowed).
func ParseRelease(b []byte) (Release, error) {
	var r Release
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return Release{}, fmt.Errorf("kiosk-release: %q is not KEY=VALUE", line)
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "KIOSK_VERSION":
			r.Version = v
		case "KIOSK_EPOCH":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return Release{}, fmt.Errorf("kiosk-release: KIOSK_EPOCH %q is not a number", v)
			}
			r.Epoch = n
		case "KIOSK_ARCH":
			r.Arch = v
		}
	}
	if err := sc.Err(); err != nil {
		return Release{}, fmt.Errorf("kiosk-release: %w", err)
	}
	if err := r.check(); err != nil {
		return Release{}, fmt.Errorf("kiosk-release: %w", err)
	}
	return r, nil
}

// ReadRelease reads a kiosk-release file.
func ReadRelease(path string) (Release, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Release{}, err
	}
	r, err := ParseRelease(b)
	if err != nil {
		return Release{}, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// check refuses what would not fit a loader entry's one-line version and
// title, or could not be compared.
func (r Release) check() error {
	if r.Version == "" || len(r.Version) > 64 || strings.IndexFunc(r.Version, func(c rune) bool {
		return !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.ContainsRune(".-_+~", c))
	}) >= 0 {
		return fmt.Errorf("version %q is not a plain version", r.Version)
	}
	if r.Epoch <= 0 {
		return errors.New("no epoch")
	}
	if r.Arch == "" || strings.ContainsAny(r.Arch, " \t\n") {
		return fmt.Errorf("architecture %q", r.Arch)
	}
	return nil
}

// Manifest is a bundle's manifest.json.
type Manifest struct {
	Version string `json:"version"`
	Epoch   int64  `json:"epoch"`
	Arch    string `json:"arch"`
	Files   []File `json:"files"`
}

// File is one payload of a bundle.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // hex
}

// Release gives the manifest's release.
func (m *Manifest) Release() Release { return Release{m.Version, m.Epoch, m.Arch} }

// File gives the manifest's entry for a payload.
func (m *Manifest) File(name string) (File, bool) {
	for _, f := range m.Files {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}

func (m *Manifest) check() error {
	if err := m.Release().check(); err != nil {
		return err
	}
	names := Payloads()
	if len(m.Files) != len(names) {
		return fmt.Errorf("lists %d files, want %s", len(m.Files), strings.Join(names, ", "))
	}
	for i, f := range m.Files {
		if f.Name != names[i] {
			return fmt.Errorf("file %d is %q, want %s", i+1, f.Name, names[i])
		}
		if f.Size < 0 || f.Size > maxSize(f.Name) {
			return fmt.Errorf("%s: size %d beyond the limit", f.Name, f.Size)
		}
		if raw, err := hex.DecodeString(f.SHA256); err != nil || len(raw) != sha256.Size {
			return fmt.Errorf("%s: %q is not a SHA-256", f.Name, f.SHA256)
		}
	}
	return nil
}

// BundleReader reads a bundle's payloads in order, after OpenBundle has
// checked its manifest.
type BundleReader struct {
	Manifest Manifest
	tr       *tar.Reader
	next     int // index in Manifest.Files of the payload Next gives
	cur      *payload
}

// OpenBundle reads a bundle's manifest and signature and checks them
// against pk and the running release, in this order: signed at all
// (ErrUnsigned), signed by pk (ErrBadSignature), the running architecture
// (ErrWrongArch), newer than the running epoch (ErrNotNewer; equal wraps
// ErrAlreadyRunning too). The payloads are checked as Next's readers read
// them.
func OpenBundle(r io.Reader, pk ed25519.PublicKey, running Release) (*BundleReader, error) {
	b := &BundleReader{tr: tar.NewReader(r)}
	if _, err := b.header(ManifestFile); err != nil {
		return nil, err
	}
	manifest, err := readAll(b.tr, ManifestFile)
	if err != nil {
		return nil, err
	}
	h, err := b.tr.Next()
	switch {
	case err == io.EOF || err == nil && h.Name != ManifestSig:
		return nil, fmt.Errorf("bundle: %w", ErrUnsigned)
	case err != nil:
		return nil, tarError(err)
	}
	if err := b.check(h, ManifestSig); err != nil {
		return nil, err
	}
	sig, err := readAll(b.tr, ManifestSig)
	if err != nil {
		return nil, err
	}
	if err := Verify(pk, manifest, sig); err != nil {
		return nil, fmt.Errorf("bundle: %s: %w", ManifestFile, err)
	}
	if err := json.Unmarshal(manifest, &b.Manifest); err != nil {
		return nil, fmt.Errorf("bundle: %s: %w: %v", ManifestFile, ErrMalformed, err)
	}
	if err := b.Manifest.check(); err != nil {
		return nil, fmt.Errorf("bundle: %s: %w: %v", ManifestFile, ErrMalformed, err)
	}
	m := b.Manifest
	if m.Arch != running.Arch {
		return nil, fmt.Errorf("bundle: %w: %s, this kiosk is %s", ErrWrongArch, m.Arch, running.Arch)
	}
	switch {
	case m.Epoch == running.Epoch:
		return nil, fmt.Errorf("bundle: %w: %s %w", ErrNotNewer, m.Version, ErrAlreadyRunning)
	case m.Epoch < running.Epoch:
		return nil, fmt.Errorf("bundle: %w: %s (%s) is older than the running %s (%s)", ErrNotNewer,
			m.Version, time.Unix(m.Epoch, 0).UTC().Format(time.DateTime), running.Version, time.Unix(running.Epoch, 0).UTC().Format(time.DateTime))
	}
	return b, nil
}

// Next gives the next payload's manifest entry and a reader of its bytes,
// or io.EOF after the last one (once the tar is seen to hold nothing
// more). The reader gives io.EOF only once the payload's size and SHA-256
// matched the manifest: ErrTruncated or a *HashError instead. So a caller
// that keeps what it wrote only after a clean io.EOF never keeps a bad
// payload.
func (b *BundleReader) Next() (File, io.Reader, error) {
	if b.cur != nil && !b.cur.done {
		return File{}, nil, fmt.Errorf("bundle: %s was not read to its end", b.cur.f.Name)
	}
	if b.next == len(b.Manifest.Files) {
		switch h, err := b.tr.Next(); {
		case err == io.EOF:
			return File{}, nil, io.EOF
		case err != nil:
			return File{}, nil, tarError(err)
		default:
			return File{}, nil, fmt.Errorf("bundle: %w: %q after %s", ErrMalformed, h.Name, InitrdFile)
		}
	}
	f := b.Manifest.Files[b.next]
	h, err := b.header(f.Name)
	if err != nil {
		return File{}, nil, err
	}
	if h.Size != f.Size {
		return File{}, nil, fmt.Errorf("bundle: %w: %s is %d bytes in the tar, %d in the manifest", ErrMalformed, f.Name, h.Size, f.Size)
	}
	b.next++
	b.cur = &payload{f: f, r: b.tr, h: sha256.New()}
	return f, b.cur, nil
}

// header reads the next entry's header, which must be the regular file
// name.
func (b *BundleReader) header(name string) (*tar.Header, error) {
	h, err := b.tr.Next()
	if err == io.EOF {
		return nil, fmt.Errorf("bundle: %w: ends before %s", ErrTruncated, name)
	}
	if err != nil {
		return nil, tarError(err)
	}
	return h, b.check(h, name)
}

func (b *BundleReader) check(h *tar.Header, name string) error {
	if h.Name != name {
		return fmt.Errorf("bundle: %w: entry %q where %s belongs", ErrMalformed, h.Name, name)
	}
	if h.Typeflag != tar.TypeReg {
		return fmt.Errorf("bundle: %w: %s is not a regular file", ErrMalformed, name)
	}
	if h.Size < 0 || h.Size > maxSize(name) {
		return fmt.Errorf("bundle: %w: %s of %d bytes is beyond the limit", ErrMalformed, name, h.Size)
	}
	return nil
}

// tarError names a tar's own failure: a short read is a truncated bundle.
func tarError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("bundle: %w", ErrTruncated)
	}
	return fmt.Errorf("bundle: %w: %v", ErrMalformed, err)
}

func readAll(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("bundle: %s: %w", name, tarError(err))
	}
	return b, nil
}

// payload reads one payload, hashing it, and checks it at its end.
type payload struct {
	f    File
	r    io.Reader
	h    hash.Hash
	n    int64
	done bool
}

func (p *payload) Read(b []byte) (int, error) {
	if p.done {
		return 0, io.EOF
	}
	n, err := p.r.Read(b)
	p.h.Write(b[:n])
	p.n += int64(n)
	switch {
	case err == io.EOF:
		if p.n != p.f.Size {
			return n, fmt.Errorf("bundle: %s: %w", p.f.Name, ErrTruncated)
		}
		if hex.EncodeToString(p.h.Sum(nil)) != p.f.SHA256 {
			return n, fmt.Errorf("bundle: %w", &HashError{Name: p.f.Name, Err: ErrHashMismatch})
		}
		p.done = true
	case errors.Is(err, io.ErrUnexpectedEOF):
		return n, fmt.Errorf("bundle: %s: %w", p.f.Name, ErrTruncated)
	}
	return n, err
}

// CheckBundle makes the first, full pass over a bundle: OpenBundle's
// checks, then every payload's size and hash, then that nothing follows.
// It writes nothing.
func CheckBundle(r io.Reader, pk ed25519.PublicKey, running Release) (*Manifest, error) {
	b, err := OpenBundle(r, pk, running)
	if err != nil {
		return nil, err
	}
	for {
		_, p, err := b.Next()
		if err == io.EOF {
			return &b.Manifest, nil
		}
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			return nil, err
		}
	}
}

// WriteBundle writes a bundle of the root, kernel and initrd files for the
// release rel, signed with sk. The output depends only on its inputs: every
// header has the release's epoch for its time, owner root (0) and mode
// 0644, so two builds of one commit give the same bytes.
func WriteBundle(w io.Writer, sk ed25519.PrivateKey, rel Release, root, kernel, initrd string) error {
	if err := rel.check(); err != nil {
		return fmt.Errorf("bundle: release: %w", err)
	}
	m := Manifest{Version: rel.Version, Epoch: rel.Epoch, Arch: rel.Arch}
	paths := []string{root, kernel, initrd}
	for i, name := range Payloads() {
		fi, err := os.Stat(paths[i])
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		if fi.Size() > maxSize(name) {
			return fmt.Errorf("bundle: %s: %d bytes, beyond the limit of %d", paths[i], fi.Size(), maxSize(name))
		}
		sum, err := HashFile(paths[i])
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		m.Files = append(m.Files, File{Name: name, Size: fi.Size(), SHA256: hex.EncodeToString(sum[:])})
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	manifest = append(manifest, '\n')
	tw := tar.NewWriter(w)
	at := time.Unix(rel.Epoch, 0)
	head := func(name string, size int64) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o644,
			ModTime: at, Uname: "root", Gname: "root", Format: tar.FormatUSTAR})
	}
	for _, e := range []struct {
		name string
		body []byte
	}{{ManifestFile, manifest}, {ManifestSig, Sign(sk, manifest)}} {
		if err := head(e.name, int64(len(e.body))); err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		if _, err := tw.Write(e.body); err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
	}
	for i, f := range m.Files {
		if err := head(f.Name, f.Size); err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		if err := copyChecked(tw, paths[i], f); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// copyChecked copies a payload into the tar and checks it is still the
// file that was hashed, so a file changed meanwhile fails the build rather
// than making a bundle every kiosk refuses.
func copyChecked(w io.Writer, path string, f File) error {
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer src.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(src, f.Size))
	if err != nil {
		return fmt.Errorf("bundle: %s: %w", path, err)
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return fmt.Errorf("bundle: %s changed while the bundle was made", path)
	}
	return nil
}
