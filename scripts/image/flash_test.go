// Package flash tests scripts/image/flash.sh on loop devices: a good flash
// with its record and read-back, and every refusal with its reason, before
// anything is written.
package flash

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// tools are what the flash tests run, each with its Debian package.
var tools = [][2]string{
	{"bmaptool", "bmap-tools"}, {"zstd", "zstd"}, {"sfdisk", "fdisk"}, {"losetup", "mount"},
	{"lsblk", "util-linux"}, {"findmnt", "util-linux"}, {"blkid", "util-linux"},
}

// need skips a test that cannot run here, saying why.
func need(t testing.TB, extra ...string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("flash tests need root (loop devices)")
	}
	for _, tl := range tools {
		if _, err := exec.LookPath(tl[0]); err != nil {
			t.Skipf("%s is missing (Debian package %s)", tl[0], tl[1])
		}
	}
	for _, x := range extra {
		if _, err := exec.LookPath(x); err != nil {
			t.Skipf("%s is missing", x)
		}
	}
	if _, err := os.Stat("/dev/loop-control"); err != nil {
		t.Skipf("no loop devices here: %v", err)
	}
}

// The kiosk binary, built once for all tests by the first that needs it.
var (
	builtOnce sync.Once
	built     string
	builtErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
	os.Exit(code)
}

// kioskBin builds the kiosk binary once per test binary run.
func kioskBin(t testing.TB) string {
	t.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "flash-test-kiosk")
		if err != nil {
			builtErr = err
			return
		}
		built = filepath.Join(dir, "kiosk")
		cmd := exec.Command("go", "build", "-o", built, "../../cmd/kiosk")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			builtErr = fmt.Errorf("go build ./cmd/kiosk: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return built
}

// image is a signed synthetic image folder as the build makes one.
type image struct {
	dir, pub string // the folder, the public key
	raw      string // the uncompressed image
	bmap     string
	size     int64
}

// imageSize is the synthetic image's size: 16 MiB, a GPT of two
// partitions and data in four places, holes between.
const imageSize = 16 << 20

// dataAt are the synthetic image's written blocks (4 KiB): each run is a
// range of its bmap (with the GPT's own at the start and the end).
var dataAt = [][2]int64{{300, 7}, {1000, 7}, {2500, 7}, {3000, 7}}

func makeImage(t testing.TB) image {
	t.Helper()
	work := t.TempDir()
	im := image{dir: filepath.Join(work, "out"), raw: filepath.Join(work, "raw.img"), size: imageSize}
	im.bmap = filepath.Join(im.dir, "kiosk-test-1.bmap")
	if err := os.Mkdir(im.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(im.raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(imageSize); err != nil {
		t.Fatal(err)
	}
	rng := rand.NewChaCha8([32]byte{12})
	for _, d := range dataAt {
		b := make([]byte, d[1]*4096)
		rng.Read(b)
		if _, err := f.WriteAt(b, d[0]*4096); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// Fixed UUIDs, as the build's: the image is the same every run.
	script := "label: gpt\nlabel-id: 6E0A3D5C-0E6B-4B8C-9C1A-6B1E2F3A4B5C\n" +
		"size=4MiB, name=esp, uuid=1A7E3694-86BF-ED42-B7B0-0D0A09CB3F50\n" +
		"name=data, uuid=CCD233E1-D943-9949-ACF6-8C66FC8761B4\n"
	run(t, script, "sfdisk", "-q", im.raw)
	run(t, "", "bmaptool", "create", "-o", im.bmap, im.raw)
	run(t, "", "zstd", "-q", im.raw, "-o", filepath.Join(im.dir, "kiosk-test-1.img.zst"))
	keys := t.TempDir()
	im.pub = filepath.Join(keys, "release.pub")
	if _, err := release.NewKey(filepath.Join(keys, "release.key"), im.pub); err != nil {
		t.Fatal(err)
	}
	sk, err := release.ReadPrivateKey(filepath.Join(keys, "release.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := release.SignDir(sk, im.dir, []string{"kiosk-test-1.img.zst", "kiosk-test-1.bmap"}); err != nil {
		t.Fatal(err)
	}
	return im
}

func run(t testing.TB, stdin string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "LVM_SUPPRESS_FD_WARNINGS=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// sparse makes a sparse file of size bytes.
func sparse(t testing.TB, size int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "disk")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// loop attaches file to a loop device, detached when the test ends
// however it ends. partscan makes the partitions' devices.
func loop(t testing.TB, file string, partscan bool) string {
	t.Helper()
	args := []string{"--find", "--show"}
	if partscan {
		args = append(args, "--partscan")
	}
	dev := strings.TrimSpace(run(t, "", "losetup", append(args, file)...))
	if !strings.HasPrefix(dev, "/dev/loop") {
		t.Fatalf("losetup gave %q", dev)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("losetup", "--detach", dev).CombinedOutput(); err != nil {
			t.Errorf("losetup --detach %s: %v %s", dev, err, out)
		}
	})
	return dev
}

// guard is a PATH whose bmaptool and sfdisk only note that they were run:
// a refusal test's disk can never be written, even by a broken script.
func guard(t testing.TB) (path, marker string) {
	t.Helper()
	dir := t.TempDir()
	marker = filepath.Join(dir, "written")
	for _, n := range []string{"bmaptool", "sfdisk"} {
		body := fmt.Sprintf("#!/bin/sh\necho \"$0 $*\" >> %s\nexit 1\n", marker)
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir + ":" + os.Getenv("PATH"), marker
}

type result struct {
	stdout, stderr string
	code           int
	log            string // the flash records appended
}

// flash runs flash.sh with stdin, path as PATH ("" keeps it).
func flash(t testing.TB, stdin, path string, args ...string) result {
	t.Helper()
	return flashIn(t, nil, stdin, path, args...)
}

// flashIn runs flash.sh as the last arguments of the command pre.
func flashIn(t testing.TB, pre []string, stdin, path string, args ...string) result {
	t.Helper()
	logf := filepath.Join(t.TempDir(), "flash-records.log")
	argv := append(append(pre, "bash", "flash.sh"), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "KIOSK_BIN="+kioskBin(t), "KIOSK_FLASH_LOG="+logf, "KIOSK_RELEASE_PUB=")
	if path != "" {
		cmd.Env = append(cmd.Env, "PATH="+path)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(logf); err == nil {
		res.log = string(b)
	}
	return res
}

// hashDev hashes a whole (small) device or file.
func hashDev(t testing.TB, path string) [sha256.Size]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

var recordRE = regexp.MustCompile(`^flash-record version=test-1 image-sha256=([0-9a-f]{64}) device=(/dev/loop\d+) serial=- size=(\d+) result=ok read-back=\d+\.\d\ds time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// TestFlash writes the synthetic image to a loop device larger than the
// image: the record names the image's signed hash and the device, the
// device reads back, and the backup GPT is moved to the device's end.
func TestFlash(t *testing.T) {
	need(t)
	im := makeImage(t)
	dev := loop(t, sparse(t, 64<<20), false)
	res := flash(t, "", "", im.dir, dev, "--yes", "--allow-fixed", "--pub", im.pub)
	if res.code != 0 {
		t.Fatalf("flash.sh = exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	rec := lines[len(lines)-1]
	m := recordRE.FindStringSubmatch(rec)
	sum, _ := release.HashFile(filepath.Join(im.dir, "kiosk-test-1.img.zst"))
	if m == nil || m[1] != fmt.Sprintf("%x", sum) || m[2] != dev || m[3] != fmt.Sprint(64<<20) {
		t.Errorf("record %q; want the image's SHA-256 %x, %s, %d bytes", rec, sum, dev, 64<<20)
	}
	if res.log != rec+"\n" {
		t.Errorf("log %q, want the record %q", res.log, rec)
	}
	if !strings.Contains(res.stdout, "read-back ok: "+dev+": ") || !strings.Contains(res.stderr, "bmaptool: info: copying image") {
		t.Errorf("no bmaptool copy or read-back in\n%s\n%s", res.stdout, res.stderr)
	}
	// 64 MiB is 131072 sectors: the backup GPT's header in the last one
	// and its 32 sectors of entries make the last usable 131038.
	if d := run(t, "", "sfdisk", "--dump", dev); !strings.Contains(d, "last-lba: 131038") || !strings.Contains(d, `name="data"`) {
		t.Errorf("after the flash sfdisk sees\n%s\nwant the GPT relocated to the end", d)
	}
}

// TestFlashReadBackNamesRange: a byte changed on the device after a good
// flash makes kiosk read-back fail, naming the range that holds it.
func TestFlashReadBackNamesRange(t *testing.T) {
	need(t)
	im := makeImage(t)
	// The device as large as the image: the backup GPT is already at its
	// end, so the flash changes nothing the bmap maps.
	dev := loop(t, sparse(t, imageSize), false)
	if res := flash(t, "", "", im.dir, dev, "--yes", "--allow-fixed", "--pub", im.pub); res.code != 0 {
		t.Fatalf("flash.sh = exit %d\n%s", res.code, res.stderr)
	}
	readBack := func() (string, error) {
		out, err := exec.Command(kioskBin(t), "read-back", "--quiet", "--bmap", im.bmap, dev).CombinedOutput()
		return string(out), err
	}
	if out, err := readBack(); err != nil {
		t.Fatalf("read-back of the fresh flash: %v\n%s", err, out)
	}
	off := int64(2503*4096 + 17)
	b := []byte{0}
	f, err := os.OpenFile(dev, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0x10
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := readBack()
	want := fmt.Sprintf("FAILED: %s: range 2500-2506 (bytes %d-%d): SHA-256 differs from the bmap", dev, 2500*4096, 2507*4096-1)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(out, want) {
		t.Errorf("read-back after a flipped byte: %v\n%s\nwant exit 1 saying %q", err, out, want)
	}
}

// TestFlashConfirm: without --yes the operator types the device's name;
// anything else refuses before writing.
func TestFlashConfirm(t *testing.T) {
	need(t)
	im := makeImage(t)
	for _, tc := range []struct {
		name, typed string
		ok          bool
	}{
		{"name", "%s\n", true},
		{"path", "/dev/%s\n", true},
		{"another", "sda\n", false},
		{"nothing", "", false},
		{"the name and more", "%s please\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dev := loop(t, sparse(t, imageSize), false)
			typed := tc.typed
			if strings.Contains(typed, "%s") {
				typed = fmt.Sprintf(typed, filepath.Base(dev))
			}
			path, marker := "", ""
			if !tc.ok {
				path, marker = guard(t)
			}
			res := flash(t, typed, path, im.dir, dev, "--allow-fixed", "--pub", im.pub)
			if !strings.Contains(res.stderr, "Type its name ("+filepath.Base(dev)+") to write it") {
				t.Errorf("no question in\n%s", res.stderr)
			}
			if tc.ok {
				if res.code != 0 || !recordRE.MatchString(strings.TrimSpace(res.log)) {
					t.Errorf("typed %q: exit %d, log %q\n%s", typed, res.code, res.log, res.stderr)
				}
				return
			}
			want := fmt.Sprintf("flash: refused: typed %q, not %s: nothing written\n", strings.TrimSuffix(typed, "\n"), filepath.Base(dev))
			if res.code != 2 || !strings.HasSuffix(res.stderr, want) || res.log != "" {
				t.Errorf("typed %q: exit %d, stderr\n%s\nwant 2 ending %q", typed, res.code, res.stderr, want)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Error("bmaptool or sfdisk ran after a wrong name")
			}
		})
	}
}

// systemDisk gives the whole disk holding /, or "" when / is on no disk
// (an overlay in a container).
func systemDisk(t *testing.T) string {
	out, err := exec.Command("findmnt", "-nvo", "SOURCE", "-M", "/").Output()
	src := strings.TrimSpace(string(out))
	if err != nil || !strings.HasPrefix(src, "/dev/") {
		return ""
	}
	out, err = exec.Command("lsblk", "-nslpo", "NAME,TYPE", src).Output()
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[1] == "disk" {
			return f[0]
		}
	}
	return ""
}

// TestFlashRefuses: each disk flash.sh must not write, refused with its
// reason, exit 2, before bmaptool or sfdisk runs (both are guards here that
// write nothing), and the loop device's content unchanged.
func TestFlashRefuses(t *testing.T) {
	need(t)
	im := makeImage(t)
	for _, tc := range []struct {
		name string
		// disk gives the device to write and the flags beyond --yes and
		// --pub; "" as device skips the case with the reason in flags[0].
		disk func(t *testing.T) (dev string, flags []string)
		want string // the refusal, after "flash: refused: "; %s is dev
	}{
		{"system disk", func(t *testing.T) (string, []string) {
			if d := systemDisk(t); d != "" {
				return d, []string{"--allow-fixed", "--allow-large"}
			}
			return "", []string{"/ is on no disk here"}
		}, "%s holds /: it is this system's disk"},
		{"partition", func(t *testing.T) (string, []string) {
			file := sparse(t, imageSize)
			if err := exec.Command("cp", "--sparse=always", im.raw, file).Run(); err != nil {
				t.Fatal(err)
			}
			dev := loop(t, file, true)
			// A kernel without GPT parsing (this one) leaves the
			// partitions to user space. partx's BLKPG ioctl returns once
			// the kernel has added the partition, and devtmpfs makes
			// the node before device_add returns: no wait is needed.
			if out, err := exec.Command("partx", "--add", dev).CombinedOutput(); err != nil && !strings.Contains(string(out), "busy") {
				t.Fatalf("partx --add %s: %v: %s", dev, err, out)
			}
			part := dev + "p2"
			if _, err := os.Stat(part); err != nil {
				t.Fatalf("no partition node after partx: %v", err)
			}
			return part, []string{"--allow-fixed"}
		}, "%s is a partition, not a whole disk (the disk is /dev/loop"},
		{"file", func(t *testing.T) (string, []string) {
			return sparse(t, imageSize), []string{"--allow-fixed"}
		}, "%s is not a block device (give a whole disk, such as /dev/sdb)"},
		{"missing", func(t *testing.T) (string, []string) {
			return "/dev/loop-none", []string{"--allow-fixed"}
		}, "%s does not exist"},
		{"mounted", func(t *testing.T) (string, []string) {
			dev := loop(t, sparse(t, 32<<20), false)
			run(t, "", "mkfs.ext4", "-q", dev)
			mnt := t.TempDir()
			run(t, "", "mount", dev, mnt)
			t.Cleanup(func() { exec.Command("umount", mnt).Run() })
			return dev, []string{"--allow-fixed"}
		}, "%s is mounted on /"},
		{"swap", func(t *testing.T) (string, []string) {
			dev := loop(t, sparse(t, 32<<20), false)
			run(t, "", "mkswap", dev)
			return dev, []string{"--allow-fixed"}
		}, "%s holds a swap area"},
		{"LVM", func(t *testing.T) (string, []string) {
			if _, err := exec.LookPath("pvcreate"); err != nil {
				return "", []string{"pvcreate is missing (Debian package lvm2)"}
			}
			dev := loop(t, sparse(t, 32<<20), false)
			run(t, "", "pvcreate", "-qq", "-y", dev)
			return dev, []string{"--allow-fixed"}
		}, "%s is an LVM physical volume"},
		{"RAID", func(t *testing.T) (string, []string) {
			// An md metadata 0.90 superblock's first words, where md puts
			// it: the last 64 KiB-aligned 64 KiB of the device. This
			// host has no mdadm (and no md to assemble with); blkid
			// knows the member by these.
			const size = 32 << 20
			file := sparse(t, size)
			sb := binary.LittleEndian.AppendUint32(nil, 0xa92b4efc) // magic
			sb = binary.LittleEndian.AppendUint32(sb, 0)            // major
			sb = binary.LittleEndian.AppendUint32(sb, 90)           // minor
			f, err := os.OpenFile(file, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteAt(sb, size-64<<10); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			return loop(t, file, false), []string{"--allow-fixed"}
		}, "%s is a RAID member"},
		{"fixed", func(t *testing.T) (string, []string) {
			return loop(t, sparse(t, imageSize), false), nil
		}, "%s is a fixed disk (not removable, not USB); --allow-fixed writes it"},
		{"2 TB", func(t *testing.T) (string, []string) {
			return loop(t, sparse(t, 2e12), false), []string{"--allow-fixed"}
		}, "%s is 2000.0 GB, larger than 256 GB"},
		{"smaller than the image", func(t *testing.T) (string, []string) {
			return loop(t, sparse(t, imageSize-1<<20), false), []string{"--allow-fixed"}
		}, "%s is 15728640 bytes, smaller than the image's 16777216"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dev, flags := tc.disk(t)
			if dev == "" {
				t.Skip(flags[0])
			}
			var before [sha256.Size]byte
			// Only the loop devices the test made; not the 2 TB one, nor
			// the mounted one, which ext4 itself writes (lazy init).
			fi, err := os.Stat(dev)
			small := err == nil && fi.Mode()&os.ModeDevice != 0 && strings.HasPrefix(dev, "/dev/loop") &&
				tc.name != "2 TB" && tc.name != "mounted"
			if small {
				before = hashDev(t, dev)
			}
			path, marker := guard(t)
			res := flash(t, "", path, append([]string{im.dir, dev, "--yes", "--pub", im.pub}, flags...)...)
			want := "flash: refused: " + strings.Replace(tc.want, "%s", dev, 1)
			last := strings.TrimSpace(res.stderr)
			last = last[strings.LastIndex(last, "\n")+1:]
			if res.code != 2 || !strings.HasPrefix(last, want) {
				t.Errorf("flash.sh = exit %d, last line %q; want 2, %q\n%s", res.code, last, want, res.stderr)
			}
			if b, err := os.ReadFile(marker); err == nil {
				t.Errorf("the write tools ran: %s", b)
			}
			if small && hashDev(t, dev) != before {
				t.Errorf("%s changed", dev)
			}
		})
	}
}

// TestFlashRefusesBoot: the disk holding /boot or /boot/efi is refused,
// whatever else it is. Each case mounts a loop device there in a mount
// namespace of its own, so the host's /boot is never covered.
func TestFlashRefusesBoot(t *testing.T) {
	need(t, "unshare", "mkfs.ext4")
	im := makeImage(t)
	for _, tc := range []struct{ at, script string }{
		{"/boot", `mount "$1" /boot`},
		{"/boot/efi", `mount -t tmpfs none /boot && mkdir /boot/efi && mount "$1" /boot/efi`},
	} {
		t.Run(tc.at, func(t *testing.T) {
			dev := loop(t, sparse(t, 32<<20), false)
			run(t, "", "mkfs.ext4", "-q", dev)
			path, marker := guard(t)
			pre := []string{"unshare", "--mount", "--propagation", "private", "sh", "-c",
				"set -e; " + tc.script + `; shift; exec "$@"`, "sh", dev}
			res := flashIn(t, pre, "", path, im.dir, dev, "--yes", "--allow-fixed", "--pub", im.pub)
			want := fmt.Sprintf("flash: refused: %s holds %s: it is this system's disk\n", dev, tc.at)
			if res.code != 2 || !strings.HasSuffix(res.stderr, want) {
				t.Errorf("flash.sh = exit %d\n%s\nwant 2 ending %q", res.code, res.stderr, want)
			}
			if b, err := os.ReadFile(marker); err == nil {
				t.Errorf("the write tools ran: %s", b)
			}
		})
	}
}

// TestFlashRefusesImage: an image or signature that does not verify is
// refused before the disk is looked at; the real bmaptool is on the PATH,
// and the device's content is the same after.
func TestFlashRefusesImage(t *testing.T) {
	need(t)
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, im *image) []string // gives extra flags
		want  string
	}{
		{"image byte flipped", func(t *testing.T, im *image) []string {
			flipByte(t, filepath.Join(im.dir, "kiosk-test-1.img.zst"), 100)
			return []string{"--pub", im.pub}
		}, "the image does not verify: release: kiosk-test-1.img.zst: SHA-256 differs from SHA256SUMS: the file is damaged or was changed after signing"},
		{"bmap byte flipped", func(t *testing.T, im *image) []string {
			flipByte(t, im.bmap, 2000)
			return []string{"--pub", im.pub}
		}, "the image does not verify: release: kiosk-test-1.bmap: SHA-256 differs"},
		{"signature flipped", func(t *testing.T, im *image) []string {
			flipByte(t, filepath.Join(im.dir, release.SigFile), 10)
			return []string{"--pub", im.pub}
		}, "the image does not verify: release: SHA256SUMS: signature does not verify with this key"},
		{"list changed", func(t *testing.T, im *image) []string {
			flipByte(t, filepath.Join(im.dir, release.SumsFile), 0)
			return []string{"--pub", im.pub}
		}, "the image does not verify: release: SHA256SUMS: signature does not verify with this key"},
		{"another key", func(t *testing.T, im *image) []string {
			other := makeImage(t)
			return []string{"--pub", other.pub}
		}, "the image does not verify: release: SHA256SUMS: signature does not verify with this key"},
		{"no key given", func(t *testing.T, im *image) []string {
			return nil // the development key: absent, or not the one that signed
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im := makeImage(t)
			dev := loop(t, sparse(t, imageSize), false)
			// Something on the device to stay there.
			run(t, "", "dd", "if="+im.raw, "of="+dev, "bs=1M", "count=2", "conv=fsync", "status=none")
			before := hashDev(t, dev)
			flags := tc.spoil(t, &im)
			res := flash(t, "", "", append([]string{im.dir, dev, "--yes", "--allow-fixed"}, flags...)...)
			if res.code != 2 || !strings.Contains(res.stderr, "flash: refused: "+tc.want) || strings.Contains(res.stderr, "bmaptool") {
				t.Errorf("flash.sh = exit %d\n%s\nwant 2, refused: %q, no bmaptool", res.code, res.stderr, tc.want)
			}
			if flags == nil && !strings.Contains(res.stderr, "the DEVELOPMENT key") {
				t.Errorf("no warning about the development key:\n%s", res.stderr)
			}
			if hashDev(t, dev) != before {
				t.Errorf("%s changed though the image was refused", dev)
			}
		})
	}
}

func flipByte(t *testing.T, path string, off int) {
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
