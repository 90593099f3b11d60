package central_test

import (
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
)

// TestRegistryOfflinePrefix: a kiosk's offline prefix is sent to the kiosk,
// which writes its own numbers with it, so the registry takes only what a
// kiosk can use: 1 to 8 capital Latin letters.
func TestRegistryOfflinePrefix(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		ok     bool
	}{{"K", true}, {"KAB", true}, {"KABCDEFG", true}, {"", false}, {"k", false}, {"K-1", false}, {"KÄ", false}, {"KABCDEFGH", false}, {" K", false}} {
		reg := central.Demo(1)
		reg.Branches[0].Kiosks[0].OfflinePrefix = tc.prefix
		err := reg.Validate()
		if (err == nil) != tc.ok || (err != nil && !strings.Contains(err.Error(), "offline prefix")) {
			t.Errorf("Validate with offline prefix %q = %v, want ok %t", tc.prefix, err, tc.ok)
		}
	}
}
