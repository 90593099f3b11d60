package central_test

import (
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/config/zone/zonetest"
)

// TestBranchZoneIgnoresOldZoneinfo: on an image whose zone files put Almaty
// at +06 (older than tzdata 2024a), the backend still reads the branch's
// days at +05, from the zone data built into the binary.
func TestBranchZoneIgnoresOldZoneinfo(t *testing.T) {
	if !zonetest.UnderOldZoneinfo(t) {
		return
	}
	reg := central.Demo(1)
	if err := reg.Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
	srv, err := central.NewServer(central.Options{Store: newStore(t), Registry: reg, Key: storetest.Key()})
	if err != nil {
		t.Fatal(err)
	}
	b := reg.Branches[0]
	loc := srv.BranchZone(b.ID)
	if loc == nil {
		t.Fatalf("BranchZone(%s) = nil", b.ID)
	}
	at := time.Date(2024, time.March, 1, 0, 0, 0, 0, loc)
	if name, off := at.Zone(); off != 5*60*60 {
		t.Errorf("branch %s (%s) on 2024-03-01 = %s (UTC%+d), want +05", b.ID, b.Zone, name, off/3600)
	}
}
