package slots

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// Install's steps, in order, as Layout.Step is told of them. Before
// StepChecked nothing is written; only StepEntry makes the new slot boot.
const (
	StepChecked        = "checked"         // the bundle passed its full first pass
	StepEntriesRemoved = "entries-removed" // the other slot's old entries and boot files are gone
	StepRootPartial    = "root-partial"    // the first MiB of the root is written
	StepRootWritten    = "root-written"    // the root is written and synced
	StepRootReadBack   = "root-read-back"  // the partition read back matches the manifest
	StepKernelWritten  = "kernel-written"  // the kernel is written under a temporary name
	StepInitrdWritten  = "initrd-written"  // the initrd too
	StepBootFiles      = "boot-files"      // both renamed into the slot's folder
	StepEntryTemp      = "entry-temp"      // the entry is written under a temporary name
	StepEntry          = "entry"           // kiosk-X+3.conf is in place
)

// Tries is the boot counter a new entry starts with.
const Tries = 3

// Errors Install gives for the caller to branch on, beside the bundle's
// own (release.ErrUnsigned and the others).
var (
	// ErrRefused wraps every error Install gives before it wrote anything:
	// a bad bundle, one too large, a kiosk not running from the image.
	ErrRefused = errors.New("update refused, nothing written")
	// ErrNoSlot: the kernel command line names no kiosk.slot, so this is
	// not a kiosk booted from the image.
	ErrNoSlot = errors.New("the kernel command line has no kiosk.slot=a|b (not booted from the kiosk image?)")
	// ErrTooLarge: the root does not fit its partition, or the kernel and
	// initrd the ESP.
	ErrTooLarge = errors.New("does not fit")
	// ErrReadBack: the partition read back differs from what was written.
	ErrReadBack = errors.New("the partition read back differs from the bundle's root")
)

// Result says what Install did.
type Result struct {
	// Slot is the slot written, which the next boot tries.
	Slot string
	// Release is the bundle's release.
	Release release.Release
	// Partition is the root partition written; RootBytes its bytes.
	Partition string
	RootBytes int64
	// Direct: the read-back bypassed the page cache (O_DIRECT); false
	// where the file system does not allow it (tmpfs).
	Direct bool
	// Entry is the new loader entry's path.
	Entry string
}

// Install installs the bundle at path into the slot that is not running.
// It first checks everything (the bundle's full first pass, the sizes, the
// running entry) and refuses with ErrRefused before writing anything; then
// it removes the other slot's old entries, writes and reads back its root,
// puts its kernel and initrd in place and, last, writes its boot-counted
// entry. The caller reboots.
func Install(ctx context.Context, path string, l Layout) (Result, error) {
	p, err := l.plan(path)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	if err := l.step(StepChecked); err != nil {
		return p.res, err
	}
	return p.res, p.install(ctx, l)
}

func (l Layout) step(name string) error {
	if l.Step == nil {
		return nil
	}
	if err := l.Step(name); err != nil {
		return fmt.Errorf("stopped after %s: %w", name, err)
	}
	return nil
}

// plan is what Install checked before writing.
type plan struct {
	res     Result
	bundle  string
	pk      ed25519.PublicKey
	running release.Release
	cur     string
	options string
	m       *release.Manifest
}

// plan makes every check that needs no write.
func (l Layout) plan(path string) (*plan, error) {
	cur, rel, err := l.running()
	if err != nil {
		return nil, err
	}
	pk, err := release.ReadPublicKey(l.PublicKey)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := release.CheckBundle(f, pk, rel)
	if err != nil {
		return nil, err
	}
	p := &plan{bundle: path, pk: pk, running: rel, cur: cur, m: m}
	next := Other(cur)
	p.res = Result{Slot: next, Release: m.Release(), Partition: l.Partition(next),
		Entry: filepath.Join(l.entries(), fmt.Sprintf("kiosk-%s+%d.conf", next, Tries))}
	root, _ := m.File(release.RootFile)
	p.res.RootBytes = root.Size
	if err := fits(p.res.Partition, root.Size); err != nil {
		return nil, err
	}
	if err := l.espRoom(next, m); err != nil {
		return nil, err
	}
	if p.options, err = l.options(cur, rel); err != nil {
		return nil, err
	}
	return p, nil
}

// fits checks the partition (a block device, or a file in tests) holds
// size bytes: a root cut short would not mount.
func fits(part string, size int64) error {
	f, err := os.OpenFile(part, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	end, err := f.Seek(0, io.SeekEnd) // a block device's Stat has no size
	if err != nil {
		return fmt.Errorf("%s: %w", part, err)
	}
	if size > end {
		return fmt.Errorf("root of %d bytes %w in %s (%d bytes)", size, ErrTooLarge, part, end)
	}
	return nil
}

// espRoom checks the ESP has room for the slot's kernel and initrd once
// its old ones are removed.
func (l Layout) espRoom(slot string, m *release.Manifest) error {
	var need int64
	for _, n := range []string{release.KernelFile, release.InitrdFile} {
		f, _ := m.File(n)
		need += f.Size
		if fi, err := os.Stat(filepath.Join(l.ESP, "slot-"+slot, n)); err == nil {
			need -= fi.Size()
		}
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(l.ESP, &st); err != nil {
		return fmt.Errorf("ESP %s: %w", l.ESP, err)
	}
	if free := int64(st.Bavail) * st.Bsize; need+1<<20 > free {
		return fmt.Errorf("kernel and initrd %w on the ESP %s (%d bytes more wanted, %d free)", ErrTooLarge, l.ESP, need, free)
	}
	return nil
}

// options gives the running entry's kernel options (or the running
// command line's), which the new entry takes with the slot switched.
func (l Layout) options(cur string, rel release.Release) (string, error) {
	es, err := Entries(l.ESP)
	if err != nil {
		return "", fmt.Errorf("boot entries: %w", err)
	}
	opts := ""
	for _, e := range es {
		if e.Slot == cur && e.Options != "" && (opts == "" || e.Version == rel.Version) {
			opts = e.Options
		}
	}
	if opts == "" {
		b, err := os.ReadFile(l.Cmdline)
		if err != nil {
			return "", err
		}
		var keep []string
		for _, w := range strings.Fields(string(b)) {
			// What the boot loader adds, not the entry's options.
			if !strings.HasPrefix(w, "initrd=") && !strings.HasPrefix(w, "BOOT_IMAGE=") {
				keep = append(keep, w)
			}
		}
		opts = strings.Join(keep, " ")
	}
	return SwitchOptions(opts, cur)
}

// SwitchOptions gives a slot's kernel options for the other slot:
// root=PARTLABEL=root-<cur> and kiosk.slot=<cur> switched. Both must be
// there, or the new entry would boot the old root.
func SwitchOptions(opts, cur string) (string, error) {
	next := Other(cur)
	words := strings.Fields(opts)
	var root, slot bool
	for i, w := range words {
		switch w {
		case "root=PARTLABEL=root-" + cur:
			words[i], root = "root=PARTLABEL=root-"+next, true
		case "kiosk.slot=" + cur:
			words[i], slot = "kiosk.slot="+next, true
		}
	}
	if !root || !slot {
		return "", fmt.Errorf("the running kernel options %q lack root=PARTLABEL=root-%s or kiosk.slot=%s", opts, cur, cur)
	}
	return strings.Join(words, " "), nil
}

// install makes the writes, in the order that keeps the old slot booting
// until the last rename.
func (p *plan) install(ctx context.Context, l Layout) error {
	next := p.res.Slot
	if err := l.removeSlot(next); err != nil {
		return err
	}
	if err := l.step(StepEntriesRemoved); err != nil {
		return err
	}
	f, err := os.Open(p.bundle)
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := release.OpenBundle(f, p.pk, p.running)
	if err != nil {
		return err
	}
	if !sameManifest(&b.Manifest, p.m) {
		return errors.New("the bundle changed since it was checked")
	}
	dir := filepath.Join(l.ESP, "slot-"+next)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var temps []string
	defer func() {
		for _, t := range temps {
			os.Remove(t) // after the rename it is gone already
		}
	}()
	for {
		file, r, err := b.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch file.Name {
		case release.RootFile:
			if err := p.writeRoot(ctx, l, r, file); err != nil {
				return err
			}
		default:
			t := filepath.Join(dir, "."+file.Name+".new")
			temps = append(temps, t)
			if err := writeSynced(ctx, t, r); err != nil {
				return err
			}
			step := StepKernelWritten
			if file.Name == release.InitrdFile {
				step = StepInitrdWritten
			}
			if err := l.step(step); err != nil {
				return err
			}
		}
	}
	for _, n := range []string{release.KernelFile, release.InitrdFile} {
		if err := os.Rename(filepath.Join(dir, "."+n+".new"), filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	if err := l.step(StepBootFiles); err != nil {
		return err
	}
	return p.writeEntry(l)
}

func sameManifest(a, b *release.Manifest) bool {
	if a.Release() != b.Release() || len(a.Files) != len(b.Files) {
		return false
	}
	for i := range a.Files {
		if a.Files[i] != b.Files[i] {
			return false
		}
	}
	return true
}

// removeSlot removes the slot's entries first, so nothing boots it while
// it is half written, then its boot files (room on the ESP), and what an
// earlier Install cut short left.
func (l Layout) removeSlot(slot string) error {
	es, err := Entries(l.ESP)
	if err != nil {
		return err
	}
	for _, e := range es {
		if e.Slot == slot {
			if err := os.Remove(filepath.Join(l.entries(), e.File)); err != nil {
				return err
			}
		}
	}
	stale, _ := filepath.Glob(filepath.Join(l.entries(), ".kiosk-*.tmp"))
	for _, s := range stale {
		os.Remove(s)
	}
	if err := syncDir(l.entries()); err != nil {
		return err
	}
	dir := filepath.Join(l.ESP, "slot-"+slot)
	for _, n := range []string{release.KernelFile, release.InitrdFile, "." + release.KernelFile + ".new", "." + release.InitrdFile + ".new"} {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// writeRoot writes the root raw to the slot's partition, syncs it and
// reads it back.
func (p *plan) writeRoot(ctx context.Context, l Layout, r io.Reader, file release.File) error {
	part, err := os.OpenFile(p.res.Partition, os.O_WRONLY, 0) // never O_TRUNC: a file-backed slot keeps its size
	if err != nil {
		return err
	}
	defer part.Close()
	first := true
	err = copyCtx(ctx, part, r, func() error {
		if !first {
			return nil
		}
		first = false
		return l.step(StepRootPartial)
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", p.res.Partition, err)
	}
	if err := part.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", p.res.Partition, err)
	}
	if err := part.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", p.res.Partition, err)
	}
	if err := l.step(StepRootWritten); err != nil {
		return err
	}
	sum, direct, err := readBack(ctx, p.res.Partition, file.Size)
	if err != nil {
		return fmt.Errorf("reading back %s: %w", p.res.Partition, err)
	}
	p.res.Direct = direct
	if hex.EncodeToString(sum[:]) != file.SHA256 {
		return fmt.Errorf("%s: %w", p.res.Partition, ErrReadBack)
	}
	return l.step(StepRootReadBack)
}

// chunk is the unit of copying and of the read-back: a multiple of any
// block size, so O_DIRECT reads stay aligned.
const chunk = 1 << 20

// copyCtx copies r to w in chunks, calling after once per chunk written,
// and stops when ctx is done.
func copyCtx(ctx context.Context, w io.Writer, r io.Reader, after func() error) error {
	buf := make([]byte, chunk)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
			if aerr := after(); aerr != nil {
				return aerr
			}
		}
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return nil
		case err != nil:
			return err
		}
	}
}

// writeSynced writes r to a new file at path and syncs it.
func writeSynced(ctx context.Context, path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	err = copyCtx(ctx, f, r, func() error { return nil })
	if err == nil {
		err = f.Sync()
	}
	if err := errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeEntry writes the new slot's boot-counted entry under a temporary
// name systemd-boot ignores, then renames it: the one step that makes the
// next boot try the new slot.
func (p *plan) writeEntry(l Layout) error {
	next, v := p.res.Slot, p.res.Release.Version
	body := fmt.Sprintf("title   Kiosk %s (slot %s)\nversion %s\nlinux   /slot-%s/%s\ninitrd  /slot-%s/%s\noptions %s\n",
		v, next, v, next, release.KernelFile, next, release.InitrdFile, p.options)
	tmp := filepath.Join(l.entries(), ".kiosk-"+next+".tmp")
	if err := writeSynced(context.Background(), tmp, strings.NewReader(body)); err != nil {
		return err
	}
	if err := l.step(StepEntryTemp); err != nil {
		return err
	}
	if err := os.Rename(tmp, p.res.Entry); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := syncDir(l.entries()); err != nil {
		return err
	}
	return l.step(StepEntry)
}

// syncDir makes a folder's renames and removals durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// hashN hashes the first n bytes r gives, in chunks read into buf.
func hashN(ctx context.Context, r io.Reader, n int64, buf []byte) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	h := sha256.New()
	for n > 0 {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		k, err := r.Read(buf)
		if k > 0 {
			use := min(int64(k), n)
			h.Write(buf[:use])
			n -= use
		}
		if n > 0 && (err == io.EOF || err == nil && k == 0) {
			return sum, io.ErrUnexpectedEOF
		}
		if err != nil && err != io.EOF {
			return sum, err
		}
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}
