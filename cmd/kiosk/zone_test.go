package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone/zonetest"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestZoneIgnoresOldZoneinfo: on an image whose zone files put Almaty at
// +06 (older than tzdata 2024a), the kiosk still reads Almaty's time at
// +05, and kiosk doctor says the kiosk is right and the image's files old.
func TestZoneIgnoresOldZoneinfo(t *testing.T) {
	if !zonetest.UnderOldZoneinfo(t) {
		return
	}
	cfg := config.Default()
	cfg.Kiosk.StateDir = t.TempDir()
	cfg.Backend.OutboxKeyFile = filepath.Join(cfg.Kiosk.StateDir, "outbox.key")

	// 12:30 UTC on Friday 1 March 2024 is 17:30 in Almaty, before closing:
	// ready on Monday 4 March. At +06 it would be 18:30, ready on Tuesday.
	checker, err := precheck.ForBranch(cfg.Flow, cfg.Kiosk.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, time.March, 1, 12, 30, 0, 0, time.UTC)
	if got := checker.ReadyDate(at).String(); got != "2024-03-04" {
		t.Errorf("ReadyDate(%v) in %s = %s, want 2024-03-04 (17:30 at +05)", at, cfg.Kiosk.TimeZone, got)
	}

	tk, err := sampleTicket(cfg, []string{"kk"}, "A001", at, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tk.Blocks[0].Issued, "17:30") {
		t.Errorf("ticket issued %q, want 17:30 (12:30 UTC at +05)", tk.Blocks[0].Issued)
	}
	cfg.Backend.TokenFile = ""
	if _, err := uplink.LoadKey(cfg.Backend.OutboxKeyFile, true); err != nil {
		t.Fatal(err)
	}
	o, err := uplink.FromConfig(cfg.Backend, cfg.Kiosk)
	if err != nil {
		t.Fatal(err)
	}
	if _, off := at.In(o.Zone).Zone(); off != 5*60*60 {
		t.Errorf("uplink zone on 2024-03-01 = UTC%+d, want +5", off/3600)
	}

	out, errOut, _ := runKiosk(t, "", "--config", writeConfig(t, cfg), "doctor", "--json", "--timeout", "500ms")
	var r doctorReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s\n%s", err, out, errOut)
	}
	for _, name := range []string{"config", "time-zone", "zone-data"} {
		if st, reason := r.state(name); st != "loaded" {
			t.Errorf("%s = %s (%s), want loaded", name, st, reason)
		}
	}
	if v := r.value("zone-data"); !strings.Contains(v, "UTC+5 on 2024-03-01") || !strings.Contains(v, "image's own zone files say UTC+6") {
		t.Errorf("zone-data value = %q, want +5 and a word on the image's old files", v)
	}
}
