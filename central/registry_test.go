package central_test

import (
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
)

// TestRegistryValidate checks that a registry whose numbers could collide
// is refused at load, naming both parties, and that sound ones load.
func TestRegistryValidate(t *testing.T) {
	branch := func(kiosks ...central.Kiosk) []central.Branch {
		return []central.Branch{{ID: "ALA-01", Zone: "Asia/Almaty", Kiosks: kiosks}}
	}
	svc := func(pairs ...string) []central.Service {
		var out []central.Service
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, central.Service{ID: pairs[i], Prefix: pairs[i+1]})
		}
		return out
	}
	tests := map[string]struct {
		reg  central.Registry
		want []string // each must be in the error; none means valid
	}{
		"demo":                   {reg: central.Demo(30)},
		"two services":           {reg: central.Registry{Branches: branch(central.Kiosk{ID: "K-01", OfflinePrefix: "K"}), Services: svc("iin", "A", "visa", "V")}},
		"letters after a prefix": {reg: central.Registry{Services: svc("iin", "A", "ab", "AX")}},
		"same prefix":            {reg: central.Registry{Services: svc("iin", "A", "visa", "A")}, want: []string{`"iin"`, `"visa"`, `"A"`}},
		"priority lane": {
			reg:  central.Registry{Services: svc("iin", "A", "visa", "AP")},
			want: []string{`service "iin"`, `priority`, `"AP"`, `service "visa"`},
		},
		"booked lane": {
			reg:  central.Registry{Services: svc("visa", "AB", "iin", "A")},
			want: []string{`service "iin"`, `booked`, `"AB"`, `service "visa"`},
		},
		"letters extend a lane": {
			// "APB001" is never "AP" with a number: numbers are digits.
			reg: central.Registry{Services: svc("iin", "A", "visa", "APB")},
		},
		"digits extend a prefix": {
			// A1's number 7 is "A1007", which is also A's number 1007.
			reg:  central.Registry{Services: svc("iin", "A", "visa", "A1")},
			want: []string{`"iin"`, `"visa"`, `"A1"`},
		},
		"digits extend a lane": {
			reg:  central.Registry{Services: svc("iin", "A", "visa", "AP2")},
			want: []string{`service "iin"`, `priority`, `service "visa"`, `"AP2"`},
		},
		"kiosk takes a lane": {
			reg:  central.Registry{Branches: branch(central.Kiosk{ID: "K-01", OfflinePrefix: "AP"}), Services: svc("iin", "A")},
			want: []string{`kiosk "K-01"`, `"AP"`, `service "iin"`, `priority`},
		},
		"kiosk takes an ordinary lane": {
			reg:  central.Registry{Branches: branch(central.Kiosk{ID: "K-01", OfflinePrefix: "A"}), Services: svc("iin", "A")},
			want: []string{`kiosk "K-01"`, `service "iin"`},
		},
		"kiosk extends a lane with digits": {
			reg:  central.Registry{Branches: branch(central.Kiosk{ID: "K-01", OfflinePrefix: "AB9"}), Services: svc("iin", "A")},
			want: []string{`kiosk "K-01"`, `"AB9"`, `service "iin"`, `booked`},
		},
		"lane extends a kiosk with digits": {
			reg:  central.Registry{Branches: branch(central.Kiosk{ID: "K-01", OfflinePrefix: "K"}), Services: svc("iin", "K1")},
			want: []string{`kiosk "K-01"`, `service "iin"`, `"K1"`},
		},
		"kiosks in one branch": {
			reg: central.Registry{Branches: branch(central.Kiosk{ID: "K-01", OfflinePrefix: "K"}, central.Kiosk{ID: "K-02", OfflinePrefix: "K2"}),
				Services: svc("iin", "A")},
			want: []string{`kiosk "K-01"`, `kiosk "K-02"`},
		},
		"id the protocol refuses": {
			reg:  central.Registry{Branches: branch(central.Kiosk{ID: "K 01", OfflinePrefix: "K"}), Services: svc("iin", "A")},
			want: []string{`kiosk id "K 01"`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for i := range tc.reg.Branches {
				if tc.reg.Branches[i].Zone == "" {
					tc.reg.Branches[i].Zone = "Asia/Almaty"
				}
			}
			err := tc.reg.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error naming %v", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to name %s", err, w)
				}
			}
		})
	}
}
