package console_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestDeskSkipsKiosks: a kiosk's heartbeat is the supervisor's news, not
// the desk's: the desk's stream does not pass it on, so a hall of kiosks
// does not make every desk fetch itself once a minute each.
func TestDeskSkipsKiosks(t *testing.T) {
	h := start(t)
	w := h.atWindow(t, "clerk1", 1, "en")
	rd := deskEvents(t, h, w)
	// The heartbeat's event is emitted before the heartbeat is answered,
	// so the ticket's comes after it: the first event the desk sees must
	// be the ticket's.
	h.heartbeat(t, "K-01", api.Heartbeat{Version: "1", Paper: "low"})
	tk := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			if want := `{"kind":"issued","number":"` + tk.Number + `"}`; strings.TrimSpace(data) != want {
				t.Errorf("the desk's first event = %s, want %s", strings.TrimSpace(data), want)
			}
			return
		}
	}
}

// TestDeskHearsPrintReports: a kiosk's report that a ticket did not print
// moves it to "not printed" in the waiting list, so the desks hear of it:
// without the event their marks would wait for an unrelated change.
func TestDeskHearsPrintReports(t *testing.T) {
	h := start(t)
	tk := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	w := h.atWindow(t, "clerk1", 1, "en")
	rd := deskEvents(t, h, w)
	c := storetest.Bearer(h.Client(), storetest.Mint(t, h.st, central.RoleKiosk, "ALA-01", "K-01"))
	if st, b := storetest.Do(t, c, "POST", h.URL+"/v1/kiosks/K-01/events", api.Events{Events: []api.Event{
		{Kind: api.EventPrintFailed, At: h.clock.Now(), Session: api.NewID(), ApplicationID: tk.ApplicationID, Reason: "no-paper"}}}); st != http.StatusNoContent {
		t.Fatalf("events = %d: %s", st, b)
	}
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			if !strings.Contains(data, `"kind":"printed"`) {
				t.Errorf("the desk's event after a print report = %s, want printed", strings.TrimSpace(data))
			}
			return
		}
	}
}

// deskEvents opens a signed-in desk's event stream, for a minute at most,
// and reads up to its first line.
func deskEvents(t *testing.T, h *hall, w *browser) *bufio.Reader {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/console/events", nil)
	resp, err := w.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /console/events = %d", resp.StatusCode)
	}
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == ": subscribed\n" {
			return rd
		}
	}
}
