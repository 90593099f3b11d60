package tech_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// TestOutboxCheck: entries waiting are the outbox working; entries set
// aside fail the check with what to do, on real outboxes put in each state.
func TestOutboxCheck(t *testing.T) {
	tests := map[string]struct {
		// spoil puts the outbox of o in its state and returns the options
		// the kiosk starts with.
		spoil  func(t *testing.T, o uplink.Options) uplink.Options
		state  tech.State
		value  string
		reason []string
	}{
		"empty": {spoil: func(t *testing.T, o uplink.Options) uplink.Options { return o },
			state: tech.Loaded, value: "0"},
		"waiting": {spoil: func(t *testing.T, o uplink.Options) uplink.Options {
			uplinktest.Offline(t, o, 2)
			return o
		}, state: tech.Loaded, value: "2"},
		"replaced key": {spoil: func(t *testing.T, o uplink.Options) uplink.Options {
			uplinktest.Offline(t, o, 2)
			o.OutboxKey = bytes.Repeat([]byte{5}, 32)
			return o
		}, state: tech.Failed, value: "0", reason: []string{"2 outbox entries sealed under a replaced outbox key set aside: put the old key file back"}},
		"damaged entries": {spoil: func(t *testing.T, o uplink.Options) uplink.Options {
			got := uplinktest.Offline(t, o, 3)
			uplinktest.Spoil(t, o.OutboxPath, got[0].Ticket.ApplicationID)
			uplinktest.Spoil(t, o.OutboxPath, got[2].Ticket.ApplicationID)
			return o
		}, state: tech.Failed, value: "1", reason: []string{"2 outbox entries damaged (corrupt ×2) and set aside; the backend may not have their tickets"}},
		"key file replaced": {spoil: func(t *testing.T, o uplink.Options) uplink.Options {
			uplinktest.Offline(t, o, 1)
			o.OutboxKey, o.KeyFileMoved = bytes.Repeat([]byte{5}, 32), "/var/lib/kiosk/outbox.key.replaced-20261125T100000.000Z"
			return o
		}, state: tech.Failed, value: "0", reason: []string{
			"1 outbox entry sealed under a replaced outbox key set aside",
			"the outbox key file could not be used (damaged or readable by others) and was moved aside to outbox.key.replaced-20261125T100000.000Z",
		}},
		"damaged file": {spoil: func(t *testing.T, o uplink.Options) uplink.Options {
			if err := os.WriteFile(o.OutboxPath, []byte(strings.Repeat("no database here ", 100)), 0o600); err != nil {
				t.Fatal(err)
			}
			return o
		}, state: tech.Failed, value: "0", reason: []string{"the outbox file was damaged and moved aside to outbox.db.corrupt-", "keep that file"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Kiosk.StateDir = t.TempDir()
			cfg.Backend.URL = deadURL(t)
			cfg.Backend.OutboxKeyFile = filepath.Join(cfg.Kiosk.StateDir, "outbox.key")
			if _, err := uplink.LoadKey(cfg.Backend.OutboxKeyFile, true); err != nil {
				t.Fatal(err)
			}
			o, err := uplink.FromConfig(cfg.Backend, cfg.Kiosk)
			if err != nil {
				t.Fatal(err)
			}
			u, err := uplink.Open(context.Background(), tc.spoil(t, o))
			if err != nil {
				t.Fatalf("uplink.Open = %v; the kiosk must start", err)
			}
			defer u.Close()
			var got tech.Check
			for _, c := range tech.Checks(context.Background(), tech.Parts{Config: cfg, Outbox: u}) {
				if c.Name == "outbox" {
					got = c
				}
			}
			if got.State != tc.state || got.Value != tc.value {
				t.Errorf("outbox check = %v (value %q), want %v with value %q", got, got.Value, tc.state, tc.value)
			}
			for _, want := range tc.reason {
				if !strings.Contains(got.Reason, want) {
					t.Errorf("outbox check's reason lacks %q:\n%s", want, got.Reason)
				}
			}
		})
	}
}
