package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// heartbeatOf is the heartbeat the demo backend keeps for kiosk, if any.
func heartbeatOf(t *testing.T, d *demo.Demo, kiosk string) (api.Heartbeat, bool) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(filepath.Dir(d.Tickets), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var body string
	var hb api.Heartbeat
	if err := db.QueryRow(`SELECT body FROM heartbeats WHERE kiosk = ?`, kiosk).Scan(&body); err != nil {
		return hb, false
	}
	if err := json.Unmarshal([]byte(body), &hb); err != nil {
		t.Fatal(err)
	}
	return hb, true
}

// TestDoctorOutboxTrouble: a printed ticket the backend refused, and an
// entry that no longer opens, fail the outbox check with what to do, in the
// JSON and in the text, and the heartbeat doctor sends carries them.
func TestDoctorOutboxTrouble(t *testing.T) {
	d := demotest.Demo(t)
	refused := "1 application refused by the backend (409 number-taken); its ticket was printed: tell the supervisor"
	damaged := "1 outbox entry damaged (corrupt) and set aside"
	tests := map[string]struct {
		make        func(t *testing.T, o uplink.Options)
		quarantined int
		lines       []string // in the text, after the check's name and state
	}{
		"refused": {make: func(t *testing.T, o uplink.Options) { uplinktest.Refused(t, o, d.BackendURL, t.TempDir()) },
			lines: []string{doctorLine("outbox", "failed", refused)}},
		"refused and damaged": {make: func(t *testing.T, o uplink.Options) { uplinktest.Troubled(t, o, d.BackendURL, t.TempDir()) },
			quarantined: 1, lines: []string{doctorLine("outbox", "failed", refused), doctorLine("", "", damaged)}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := *d.Config
			dir := t.TempDir()
			c.Kiosk.StateDir, c.Backend.OutboxKeyFile, c.Scanner.Port = dir, filepath.Join(dir, "outbox.key"), ""
			if _, err := uplink.LoadKey(c.Backend.OutboxKeyFile, true); err != nil {
				t.Fatal(err)
			}
			uo, err := uplink.FromConfig(c.Backend, c.Kiosk)
			if err != nil {
				t.Fatal(err)
			}
			tc.make(t, uo)
			path := writeConfig(t, &c)

			out, errOut, code := runKiosk(t, "", "--config", path, "doctor", "--json", "--timeout", "5s")
			if code != 1 {
				t.Errorf("kiosk doctor = exit %d, want 1:\n%s%s", code, out, errOut)
			}
			var r doctorReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("output is not one JSON object: %v\n%s", err, out)
			}
			st, reason := r.state("outbox")
			if st != "failed" || !strings.Contains(reason, refused) || strings.Contains(reason, damaged) != (tc.quarantined > 0) {
				t.Errorf("outbox = %s (%s), want failed with %q", st, reason, refused)
			}
			if st, reason := r.state("backend"); st != "loaded" {
				t.Errorf("backend = %s (%s), want loaded", st, reason)
			}
			// Doctor's heartbeat replaces the kiosk's at the backend: it
			// carries the outbox as it is.
			if hb, _ := heartbeatOf(t, d, c.Kiosk.ID); hb.OutboxRejected != 1 || hb.OutboxQuarantined != tc.quarantined || hb.OutboxDepth != 0 {
				t.Errorf("heartbeat stored = %+v, want 1 rejected, %d quarantined, 0 waiting", hb, tc.quarantined)
			}

			out, _, _ = runKiosk(t, "", "--config", path, "doctor", "--timeout", "5s")
			for _, want := range tc.lines {
				if !strings.Contains(out, want) {
					t.Errorf("doctor's text lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// doctorLine is a line of doctor's text as it writes it: a check's name,
// state and first reason line, or (name "") a further reason line.
func doctorLine(name, state, text string) string {
	if name == "" {
		return fmt.Sprintf("\n%-23s %s", "", text)
	}
	return fmt.Sprintf("%-14s %-8s %s", name, state, text)
}
