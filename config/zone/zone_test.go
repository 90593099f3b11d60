package zone_test

import (
	"slices"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/config/zone/zonetest"
)

// kazakh are Kazakhstan's zones in the tz database.
var kazakh = []string{"Asia/Almaty", "Asia/Aqtau", "Asia/Aqtobe", "Asia/Atyrau", "Asia/Oral", "Asia/Qostanay", "Asia/Qyzylorda"}

// offsets are the zone's offsets from UTC, in hours, a minute before and at
// 00:00 on 1 March 2024 at +06, when Kazakhstan became one zone.
func offsets(t *testing.T, name string) (before, after int) {
	t.Helper()
	loc, err := zone.Load(name)
	if err != nil {
		t.Fatalf("Load(%q) error = %v", name, err)
	}
	change := time.Date(2024, time.February, 29, 18, 0, 0, 0, time.UTC)
	_, before = change.Add(-time.Minute).In(loc).Zone()
	_, after = change.In(loc).Zone()
	return before / 3600, after / 3600
}

func TestKazakhZones(t *testing.T) {
	if got := zone.Kazakh(); !slices.Equal(got, kazakh) {
		t.Errorf("Kazakh() = %v, want %v", got, kazakh)
	}
	for _, name := range kazakh {
		before, after := offsets(t, name)
		if after != 5 {
			t.Errorf("%s on 2024-03-01 = UTC%+d, want +5", name, after)
		}
		wantBefore := 5
		if name == "Asia/Almaty" || name == "Asia/Qostanay" {
			wantBefore = 6
		}
		if before != wantBefore {
			t.Errorf("%s before 2024-03-01 = UTC%+d, want %+d", name, before, wantBefore)
		}
	}
}

func TestLoadOtherZones(t *testing.T) {
	for _, name := range []string{"UTC", "Europe/Moscow"} {
		loc, err := zone.Load(name)
		if err != nil || loc.String() != name {
			t.Errorf("Load(%q) = %v, %v; want the zone", name, loc, err)
		}
	}
	for _, name := range []string{"Asia/Nowhere", "../Asia/Almaty", "Asia"} {
		if _, err := zone.Load(name); err == nil {
			t.Errorf("Load(%q) error = nil, want an error", name)
		}
	}
}

// TestLoadIgnoresOldZoneinfo proves Load does not read the image's files:
// with ZONEINFO at files that say +06, every Kazakh zone is still +05.
func TestLoadIgnoresOldZoneinfo(t *testing.T) {
	if !zonetest.UnderOldZoneinfo(t) {
		return
	}
	for _, name := range kazakh {
		if _, after := offsets(t, name); after != 5 {
			t.Errorf("%s on 2024-03-01 under old zone files = UTC%+d, want +5", name, after)
		}
	}
}
