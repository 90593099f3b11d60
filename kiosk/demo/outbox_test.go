package demo_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// waitHeartbeat waits until the demo backend has stored a heartbeat of
// kiosk for which ok holds, and returns it.
func (x *hall) waitHeartbeat(kiosk string, ok func(api.Heartbeat) bool) api.Heartbeat {
	x.t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(filepath.Dir(x.d.Tickets), "central.db"))
	if err != nil {
		x.t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(waitLimit)
	var hb api.Heartbeat
	for {
		var body string
		if db.QueryRow(`SELECT body FROM heartbeats WHERE kiosk = ?`, kiosk).Scan(&body) == nil {
			hb = api.Heartbeat{}
			if json.Unmarshal([]byte(body), &hb) == nil && ok(hb) {
				return hb
			}
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the backend never got the heartbeat wanted; the last: %+v", hb)
		}
		x.h.Settle()
	}
}

// waitOnPage settles the UI until text is on the page shown, on screen or
// scrolled below it.
func (x *hall) waitOnPage(text string) {
	x.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		var p *ui.Page
		x.h.App.Read(func() { p = x.h.App.Page() })
		if p != nil && strings.Contains(flat(strings.Join(pageTexts(p), " ")), flat(text)) {
			return
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("%q never on the page; the screen:\n%s", text, x.h.Text())
		}
		x.h.Settle()
	}
}

// TestOutboxTroubleReported: a kiosk whose outbox holds a printed ticket
// the backend refused, or also an entry that no longer opens, says so in
// its heartbeat, which the backend stores, and on the technician's page.
func TestOutboxTroubleReported(t *testing.T) {
	refused := "1 application refused by the backend (409 number-taken); its ticket was printed: tell the supervisor"
	damaged := "1 outbox entry damaged (corrupt) and set aside; the backend may not have its ticket: tell the supervisor"
	tests := map[string]struct {
		damaged bool
		page    []string
	}{
		"refused":             {page: []string{refused}},
		"refused and damaged": {damaged: true, page: []string{refused, damaged}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			x := startHall(t, setup{opts: func(tb testing.TB, d *demo.Demo, o *kiosk.Options) {
				c := *d.Config
				dir := t.TempDir()
				c.Kiosk.StateDir, c.Backend.OutboxKeyFile = dir, filepath.Join(dir, "outbox.key")
				if _, err := uplink.LoadKey(c.Backend.OutboxKeyFile, true); err != nil {
					t.Fatal(err)
				}
				uo, err := uplink.FromConfig(c.Backend, c.Kiosk)
				if err != nil {
					t.Fatal(err)
				}
				if tc.damaged {
					uplinktest.Troubled(t, uo, d.BackendURL, t.TempDir())
				} else {
					uplinktest.Refused(t, uo, d.BackendURL, t.TempDir())
				}
				uo.LendSize = -1 // not under test; see TestRunStartsOverDamagedOutbox
				u, err := uplink.Open(context.Background(), uo)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { u.Close() })
				o.Uplink = u
			}})
			quarantined := 0
			if tc.damaged {
				quarantined = 1
			}
			x.waitHeartbeat("K-01", func(hb api.Heartbeat) bool {
				return hb.OutboxRejected == 1 && hb.OutboxQuarantined == quarantined && hb.OutboxDepth == 0
			})

			x.h.Key(tcell.KeyF12)
			x.h.Type(demo.DemoPIN)
			x.h.Key(tcell.KeyEnter)
			// The page's own words in its language; the drivers' English,
			// with what to do, on the English page.
			x.waitOnPage(x.cat.Format(i18n.Russian, i18n.Message{Key: "tech.fault.outbox_problems",
				Args: i18n.Args{"Refused": 1, "SetAside": quarantined, "Files": 0}}))
			x.tap("lang-en")
			for _, want := range tc.page {
				x.waitOnPage(want)
			}
		})
	}
}
