package enrol

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoHardwareID: neither the board's DMI nor a network interface gave
// an id.
var ErrNoHardwareID = errors.New("enrol: no hardware id: the board's DMI (product_uuid, product_serial) is unreadable and no network interface has a permanent address")

// HardwareID names this box for the supervisor: the board's DMI product
// UUID, else its serial number, when readable and not a placeholder, else
// the permanent MAC address of the first network interface by name that
// is not loopback. root is the file system root the /sys paths are read
// under ("" means "/"), so tests can give a folder of their own.
//
// The value is normalised so one box always gives the same string:
// upper-case, a UUID in its canonical 8-4-4-4-12 form, a MAC as twelve hex
// digits with no separators. On most boards the DMI files are readable by
// root only: a kiosk run as another user falls back to the MAC, so the
// image must make product_uuid readable to the kiosk user, or enrolment
// and the running kiosk could show different ids.
func HardwareID(root string) (string, error) {
	if root == "" {
		root = "/"
	}
	dmi := filepath.Join(root, "sys", "class", "dmi", "id")
	if b, err := os.ReadFile(filepath.Join(dmi, "product_uuid")); err == nil {
		if id, ok := normUUID(string(b)); ok {
			return id, nil
		}
	}
	if b, err := os.ReadFile(filepath.Join(dmi, "product_serial")); err == nil {
		if id, ok := normSerial(string(b)); ok {
			return id, nil
		}
	}
	netDir := filepath.Join(root, "sys", "class", "net")
	ents, err := os.ReadDir(netDir)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNoHardwareID, err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		if id, ok := permanentMAC(filepath.Join(netDir, n)); ok {
			return id, nil
		}
	}
	return "", ErrNoHardwareID
}

// normUUID returns a UUID's canonical upper-case form; false for what is
// not a UUID or is a placeholder (all zeros, all Fs), as firmware without
// a real one reports.
func normUUID(s string) (string, bool) {
	hex := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	if len(hex) != 32 || !allHex(hex) || strings.Trim(hex, "0") == "" || strings.Trim(hex, "F") == "" {
		return "", false
	}
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], true
}

// placeholders are serial numbers board makers leave in the DMI.
var placeholders = []string{"", "0", "NONE", "N/A", "NA", "DEFAULT STRING", "NOT SPECIFIED", "NOT APPLICABLE",
	"TO BE FILLED BY O.E.M.", "SYSTEM SERIAL NUMBER", "0123456789", "123456789", "UNKNOWN"}

// normSerial returns a serial number upper-cased with its spaces removed;
// false for a placeholder or one with characters other than printable ASCII.
func normSerial(s string) (string, bool) {
	v := strings.ToUpper(strings.TrimSpace(s))
	for _, p := range placeholders {
		if v == p {
			return "", false
		}
	}
	v = strings.Join(strings.Fields(v), "")
	if len(v) > 64 {
		return "", false
	}
	for _, r := range v {
		if r < '!' || r > '~' {
			return "", false
		}
	}
	return v, v != ""
}

// permanentMAC reads an interface's address when it is a real device's
// permanent one: not loopback (type 772), assigned by the device
// (addr_assign_type 0: not random, not set by a user) and not all zeros.
// A locally administered address is taken when the device gave it:
// virtual machines' network cards (QEMU's 52:54:00:…) have only those.
func permanentMAC(dir string) (string, bool) {
	typ, _ := os.ReadFile(filepath.Join(dir, "type"))
	if strings.TrimSpace(string(typ)) == "772" {
		return "", false
	}
	if t, err := os.ReadFile(filepath.Join(dir, "addr_assign_type")); err != nil || strings.TrimSpace(string(t)) != "0" {
		return "", false
	}
	b, err := os.ReadFile(filepath.Join(dir, "address"))
	if err != nil {
		return "", false
	}
	mac, err := net.ParseMAC(strings.TrimSpace(string(b)))
	if err != nil || len(mac) != 6 {
		return "", false
	}
	if strings.Trim(mac.String(), "0:") == "" {
		return "", false
	}
	return strings.ToUpper(strings.ReplaceAll(mac.String(), ":", "")), true
}

func allHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789ABCDEF", r) {
			return false
		}
	}
	return true
}
