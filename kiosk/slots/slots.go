// Package slots installs signed update bundles into the kiosk image's A/B
// root slots and reports the update state, following the image's layout:
//
//   - two root partitions, PARTLABEL root-a and root-b, each holding a
//     squashfs written raw;
//   - the ESP at /efi, with each slot's kernel and initrd in slot-a/ and
//     slot-b/ and a systemd-boot entry per slot in loader/entries;
//   - the running slot on the kernel command line (kiosk.slot=a), the
//     running release in /etc/kiosk-release, the release key in
//     /etc/kiosk/release.pub.
//
// Install writes the slot that is not running and, last, a boot-counted
// entry kiosk-X+3.conf. systemd-boot boots the entry with the highest
// version first and counts its tries in the name (kiosk-b+2-1.conf, ...);
// systemd-bless-boot renames it kiosk-b.conf once the kiosk reached
// boot-complete.target; an entry whose tries are used up (kiosk-b+0-3.conf)
// sorts last, so the old slot boots again. Until that last rename nothing
// points at the slot being written: a power cut at any earlier step leaves
// the running slot booting.
package slots

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/release"
)

// Layout is where the image keeps what Install and Status read and write.
// Tests point it at plain files and temporary folders.
type Layout struct {
	// Cmdline is the kernel command line (/proc/cmdline).
	Cmdline string
	// Release is the running root's kiosk-release (/etc/kiosk-release).
	Release string
	// PublicKey is the release public key (/etc/kiosk/release.pub).
	PublicKey string
	// ESP is where the EFI system partition is mounted (/efi).
	ESP string
	// Partitions is the folder holding the root partitions as root-a and
	// root-b (/dev/disk/by-partlabel).
	Partitions string
	// Arch is the running architecture; "" means the kiosk-release's, or
	// this program's when that has none.
	Arch string
	// Step, when set, is called after each step of Install (the names are
	// the Step* constants), and an error from it stops Install there as a
	// power cut would: for tests.
	Step func(step string) error
}

// DefaultLayout is the image's layout.
func DefaultLayout() Layout {
	return Layout{
		Cmdline:    "/proc/cmdline",
		Release:    "/etc/kiosk-release",
		PublicKey:  "/etc/kiosk/release.pub",
		ESP:        "/efi",
		Partitions: "/dev/disk/by-partlabel",
	}
}

// Partition gives a slot's root partition.
func (l Layout) Partition(slot string) string {
	return filepath.Join(l.Partitions, "root-"+slot)
}

func (l Layout) entries() string { return filepath.Join(l.ESP, "loader", "entries") }

// Other gives the slot that is not s.
func Other(s string) string {
	if s == "a" {
		return "b"
	}
	return "a"
}

// RunningSlot reads the running slot from a kernel command line:
// kiosk.slot=a or kiosk.slot=b; "" when it names none.
func RunningSlot(cmdline []byte) string {
	for _, w := range strings.Fields(string(cmdline)) {
		if v, ok := strings.CutPrefix(w, "kiosk.slot="); ok && (v == "a" || v == "b") {
			return v
		}
	}
	return ""
}

// Entry is one of the kiosk's boot loader entries (loader/entries/kiosk-*).
type Entry struct {
	// File is the entry's file name, which carries its boot counter.
	File string
	// Slot is "a" or "b".
	Slot string
	// Counted: the name has a boot counter (kiosk-b+2-1.conf), so the
	// entry is on trial; a blessed or factory entry has none.
	Counted bool
	// Left and Done are the counter's tries left and used.
	Left, Done int
	Version    string
	Options    string
}

// Failed: the entry used up its tries without being blessed, so
// systemd-boot sorts it last.
func (e Entry) Failed() bool { return e.Counted && e.Left == 0 }

// parseName reads kiosk-<slot>[+LEFT[-DONE]].conf.
func parseName(name string) (Entry, bool) {
	s, ok := strings.CutPrefix(name, "kiosk-")
	if !ok {
		return Entry{}, false
	}
	s, ok = strings.CutSuffix(s, ".conf")
	if !ok || s == "" || (s[0] != 'a' && s[0] != 'b') {
		return Entry{}, false
	}
	e := Entry{File: name, Slot: s[:1]}
	s = s[1:]
	if s == "" {
		return e, true
	}
	counter, ok := strings.CutPrefix(s, "+")
	if !ok {
		return Entry{}, false
	}
	left, done, hasDone := strings.Cut(counter, "-")
	var err error
	if e.Left, err = strconv.Atoi(left); err != nil || e.Left < 0 {
		return Entry{}, false
	}
	if hasDone {
		if e.Done, err = strconv.Atoi(done); err != nil || e.Done < 0 {
			return Entry{}, false
		}
	}
	e.Counted = true
	return e, true
}

// Entries reads the kiosk's entries in esp's loader/entries, sorted by
// file name. Files that are not kiosk entries are left out.
func Entries(esp string) ([]Entry, error) {
	des, err := os.ReadDir(filepath.Join(esp, "loader", "entries"))
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, de := range des {
		e, ok := parseName(de.Name())
		if !ok || !de.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(esp, "loader", "entries", de.Name()))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			k, v, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
			switch k {
			case "version":
				e.Version = strings.TrimSpace(v)
			case "options":
				e.Options = strings.TrimSpace(v)
			}
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

// running reads the running slot and release.
func (l Layout) running() (slot string, rel release.Release, err error) {
	cmdline, err := os.ReadFile(l.Cmdline)
	if err != nil {
		return "", rel, err
	}
	if slot = RunningSlot(cmdline); slot == "" {
		return "", rel, ErrNoSlot
	}
	rel, err = release.ReadRelease(l.Release)
	if err != nil {
		return "", rel, err
	}
	switch {
	case l.Arch != "":
		rel.Arch = l.Arch
	case rel.Arch == "":
		rel.Arch = runtime.GOARCH
	}
	return slot, rel, nil
}

// Status gives the update state for the heartbeat: the running slot and
// release, a release in the other slot that used up its tries (Failed),
// and one still on trial (Pending). What cannot be read is left empty: a
// heartbeat should still go when the ESP is not mounted.
func Status(l Layout) api.UpdateState {
	var st api.UpdateState
	if b, err := os.ReadFile(l.Cmdline); err == nil {
		st.Slot = RunningSlot(b)
	}
	if r, err := release.ReadRelease(l.Release); err == nil {
		st.Version = r.Version
	}
	if st.Slot == "" {
		return st
	}
	es, _ := Entries(l.ESP)
	for _, e := range es {
		switch {
		case e.Slot == st.Slot || !e.Counted:
		case e.Failed():
			st.Failed = e.Version
		default:
			st.Pending = e.Version
		}
	}
	return st
}
