package demo_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
	_ "modernc.org/sqlite" // reads the demo backend's database
)

// hall is one demo kiosk on a simulation screen.
type hall struct {
	t    *testing.T
	d    *demo.Demo
	k    *kiosk.Kiosk
	h    *uitest.Harness
	clk  *uitest.Clock
	cat  *i18n.Catalog
	taps int
}

func newHall(t *testing.T) *hall { return startHall(t, setup{}) }

func (x *hall) tap(id string) {
	x.t.Helper()
	x.clk.Add(time.Second)
	x.h.TapAction(id)
	x.taps++
}

// waitFor settles the UI until the action is on screen: the scanner and
// the backend answer from their own goroutines. Bounded by a count, each
// round a trip through the event loop.
func (x *hall) waitFor(id string) {
	x.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !x.h.HasAction(id) {
		if time.Now().After(deadline) {
			x.t.Fatalf("%q never appeared; the screen:\n%s", id, x.h.Text())
		}
		x.h.Settle()
	}
}

func callNext(t *testing.T, d *demo.Demo) central.Record {
	t.Helper()
	loc, _ := time.LoadLocation(d.Config.Kiosk.TimeZone)
	rec, err := d.Store.CallNext(context.Background(), central.CallRequest{Branch: d.Config.Kiosk.Branch,
		Day: time.Now().In(loc).Format("2006-01-02"), Window: "1", Now: time.Now(), PriorityRatio: 2})
	if err != nil {
		t.Fatalf("clerk's call-next: %v", err)
	}
	return rec
}

// writePNG keeps a picture of the screen when KIOSK_SCREENS names a folder.
func writePNG(t *testing.T, h *uitest.Harness, name string) {
	dir := os.Getenv("KIOSK_SCREENS")
	if dir == "" {
		return
	}
	if err := h.WritePNG(filepath.Join(dir, name+".png")); err != nil {
		t.Error(err)
	}
}

// waitEvents waits until the demo backend has stored statistics events of
// every kind given; the kiosk sends them in the background.
func (x *hall) waitEvents(kinds ...string) {
	x.t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(filepath.Dir(x.d.Tickets), "central.db"))
	if err != nil {
		x.t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(waitLimit)
	for {
		have := map[string]bool{}
		rows, err := db.Query(`SELECT DISTINCT kind FROM events`)
		if err == nil {
			for rows.Next() {
				var k string
				if rows.Scan(&k) == nil {
					have[k] = true
				}
			}
			rows.Close()
		}
		var missing []string
		for _, k := range kinds {
			if !have[k] {
				missing = append(missing, k)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the backend never got events %v (has %v)", missing, have)
		}
		x.h.Settle()
	}
}

// waitFile waits for a file the printer writes.
func (x *hall) waitFile(path string) []byte {
	x.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return b
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("%s was never written", path)
		}
		x.h.Settle()
	}
}

func TestJourneyByTaps(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Kazakh, i18n.Russian, i18n.English} {
		t.Run(string(lang), func(t *testing.T) {
			x := newHall(t)
			if !x.h.Contains(x.cat.Text(i18n.Kazakh, "lang.choose")) {
				t.Fatalf("the welcome screen is not in Kazakh:\n%s", x.h.Text())
			}
			x.tap("lang-" + string(lang))
			x.tap("self")
			if !x.h.Contains(x.cat.Text(lang, "screen.scan.title")) {
				t.Fatalf("not on the scan screen:\n%s", x.h.Text())
			}
			x.d.Scan("latin") // the visitor puts the passport on the glass: no tap
			x.waitFor("confirm")
			for _, s := range []string{"MUSTERMANN", "ERIKA", "C01X00T47"} {
				if !x.h.Contains(s) {
					t.Errorf("confirm screen lacks %q:\n%s", s, x.h.Text())
				}
			}
			x.tap("confirm")
			x.tap("continue")
			x.tap("skip")
			x.waitFor("done")
			if x.taps > 5 {
				t.Errorf("%d taps from the welcome screen to the ticket, want at most 5", x.taps)
			}
			if !x.h.Contains(x.cat.Text(lang, "screen.ticket.title")) {
				t.Errorf("ticket screen not shown:\n%s", x.h.Text())
			}
			writePNG(t, x.h, "ticket-"+string(lang))

			// The printer's bytes, read back: the number, Kazakh first.
			job := x.waitFile(filepath.Join(x.d.Tickets, "ticket-0001.bin"))
			x.waitFile(filepath.Join(x.d.Tickets, "ticket-0001.png"))
			res, err := preview.Decode(job, x.d.Printer.Layout().Profile().PreviewOptions())
			if err != nil {
				t.Fatal(err)
			}
			text := res.String()
			// The clerk calls the number the visitor holds, and the
			// application is there, sealed.
			rec := callNext(t, x.d)
			if len(rec.Payload) == 0 || !strings.Contains(text, rec.Number) {
				t.Errorf("the clerk called %q (payload %d bytes); the ticket says:\n%s", rec.Number, len(rec.Payload), text)
			}
			if !strings.Contains(text, x.cat.Text(i18n.Kazakh, "ticket.service")) {
				t.Errorf("ticket text lacks the Kazakh service:\n%s", text)
			}
			if lang != i18n.Kazakh && !strings.Contains(text, x.cat.Text(lang, "ticket.service")) {
				t.Errorf("ticket text lacks the %s block:\n%s", lang, text)
			}
			for _, pd := range []string{"MUSTERMANN", "ERIKA", "C01X00T47", "640812"} {
				if strings.Contains(text, pd) || bytes.Contains(job, []byte(pd)) {
					t.Errorf("personal data %q on the ticket", pd)
				}
			}

			// The center's statistics got each step of the visit.
			x.waitEvents("session-started", "language", "scan-ok", "precheck", "submitted", "printed")

			x.tap("done")
			x.clk.Add(time.Second)
			x.h.TapAction("start-over")
			if !x.h.Contains(x.cat.Text(i18n.Kazakh, "lang.choose")) || x.h.Contains("MUSTERMANN") {
				t.Errorf("after goodbye the kiosk is not back at rest:\n%s", x.h.Text())
			}
		})
	}
}
