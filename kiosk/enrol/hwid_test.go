package enrol_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/enrol"
)

// TestHardwareID reads ids from a made-up /sys: the DMI UUID first, the
// serial when the UUID is a placeholder, else the first permanent MAC by
// interface name, never loopback's or a random one.
func TestHardwareID(t *testing.T) {
	type nic struct{ name, typ, assign, addr string }
	tests := []struct {
		name         string
		uuid, serial string // "" leaves the file out
		nics         []nic
		want         string
		err          error
	}{
		{"uuid", "4c4c4544-0042-3510-8051-b4c04f564433\n", "PF2ABCDE\n", nil, "4C4C4544-0042-3510-8051-B4C04F564433", nil},
		{"uuid zeros, serial", "00000000-0000-0000-0000-000000000000\n", " pf2 abcde \n", nil, "PF2ABCDE", nil},
		{"placeholders, MAC", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\n", "To be filled by O.E.M.\n", []nic{
			{"lo", "772", "0", "00:00:00:00:00:00"},
			{"wlan0", "1", "0", "a4:5e:60:01:02:03"},
			{"eth0", "1", "0", "52:54:00:12:34:56"},
			{"dock0", "1", "1", "de:ad:be:ef:00:01"},
		}, "525400123456", nil},
		{"random address only", "", "", []nic{{"eth0", "1", "1", "de:ad:be:ef:00:01"}, {"lo", "772", "0", "00:00:00:00:00:00"}},
			"", enrol.ErrNoHardwareID},
		{"nothing", "", "", nil, "", enrol.ErrNoHardwareID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dmi := filepath.Join(root, "sys", "class", "dmi", "id")
			write := func(path, s string) {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.uuid != "" {
				write(filepath.Join(dmi, "product_uuid"), tt.uuid)
			}
			if tt.serial != "" {
				write(filepath.Join(dmi, "product_serial"), tt.serial)
			}
			for _, n := range tt.nics {
				d := filepath.Join(root, "sys", "class", "net", n.name)
				write(filepath.Join(d, "type"), n.typ+"\n")
				write(filepath.Join(d, "addr_assign_type"), n.assign+"\n")
				write(filepath.Join(d, "address"), n.addr+"\n")
			}
			got, err := enrol.HardwareID(root)
			if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("HardwareID = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}
