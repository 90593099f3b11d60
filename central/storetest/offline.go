package storetest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// offlineApp is an application from kiosk with an offline ticket.
func offlineApp(kiosk, number string, src api.OfflineSource, issued time.Time, clock *api.Clock) api.Application {
	a := Application(kiosk, api.LaneOrdinary, issued)
	a.Offline = &api.OfflineTicket{Number: number, Source: src, IssuedAt: issued, Clock: clock}
	return a
}

// testCanonicalNumbers: an offline number has one spelling, the server's;
// a lent one is taken from the kiosk it was lent to, once.
func testCanonicalNumbers(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 2) // K-01 has the offline prefix "K", K-02 "KAB"
	c, base := ts.Client(), ts.URL
	lend := func(kiosk string, n int) api.Block {
		st, b := Do(t, ts.Kiosk(t, kiosk), "POST", base+"/v1/kiosks/"+kiosk+"/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: n})
		if st != http.StatusCreated {
			t.Fatalf("lend %d to %s = %d %s, want 201", n, kiosk, st, b)
		}
		return Decode[api.Block](t, b)
	}
	if blk := lend("K-01", 5); strings.Join(blk.Numbers, ",") != "A001,A002,A003,A004,A005" {
		t.Fatalf("lent to K-01: %v, want A001..A005", blk.Numbers)
	}
	lend("K-02", 2) // A006, A007
	issued := clock.Now().Add(-5 * time.Minute)
	lent := func(kiosk, number string) api.Application {
		return offlineApp(kiosk, number, api.OfflineLent, issued, nil)
	}
	own := func(kiosk, number string) api.Application {
		return offlineApp(kiosk, number, api.OfflineKiosk, issued, nil)
	}
	cases := []struct {
		name   string
		app    api.Application
		status int
		code   string
	}{
		// Every other spelling of the lent A005 is refused before the
		// store is asked: each would otherwise be a second ticket with
		// the same number called out.
		{"lent A5", lent("K-01", "A5"), 422, api.CodeUnprocessable},
		{"lent A05", lent("K-01", "A05"), 422, api.CodeUnprocessable},
		{"lent A+5", lent("K-01", "A+5"), 422, api.CodeUnprocessable},
		{"lent A-5", lent("K-01", "A-5"), 422, api.CodeUnprocessable},
		{"lent with a leading space", lent("K-01", " A005"), 422, api.CodeUnprocessable},
		{"lent with a trailing space", lent("K-01", "A005 "), 422, api.CodeUnprocessable},
		{"lent A0005", lent("K-01", "A0005"), 422, api.CodeUnprocessable},
		{"lent in lower case", lent("K-01", "a005"), 422, api.CodeUnprocessable},
		{"lent with Arabic-Indic digits", lent("K-01", "A٠٠٥"), 422, api.CodeUnprocessable},
		{"lent A000", lent("K-01", "A000"), 422, api.CodeUnprocessable},
		{"lent with the kiosk's prefix", lent("K-01", "K005"), 422, api.CodeUnprocessable},
		{"lent A005", lent("K-01", "A005"), 201, ""},
		{"lent A005 again", lent("K-01", "A005"), 409, api.CodeNumberTaken},
		{"lent to the other kiosk", lent("K-01", "A006"), 409, api.CodeNumberTaken},
		{"lent A006 by its kiosk", lent("K-02", "A006"), 201, ""},
		{"lent A006 twice by its kiosk", lent("K-02", "A006"), 409, api.CodeNumberTaken},
		{"never lent", lent("K-01", "A050"), 409, api.CodeNumberTaken},
		// The same for the kiosks' own ranges.
		{"own K1", own("K-01", "K1"), 422, api.CodeUnprocessable},
		{"own K01", own("K-01", "K01"), 422, api.CodeUnprocessable},
		{"own K+1", own("K-01", "K+1"), 422, api.CodeUnprocessable},
		{"own with a leading space", own("K-01", " K001"), 422, api.CodeUnprocessable},
		{"own K0001", own("K-01", "K0001"), 422, api.CodeUnprocessable},
		{"own in lower case", own("K-01", "k001"), 422, api.CodeUnprocessable},
		{"own with a service prefix", own("K-01", "A001"), 422, api.CodeUnprocessable},
		{"own K001", own("K-01", "K001"), 201, ""},
		{"own K001 again", own("K-01", "K001"), 409, api.CodeNumberTaken},
		{"another kiosk's range", own("K-02", "K002"), 422, api.CodeUnprocessable},
		{"the other kiosk's own KAB001", own("K-02", "KAB001"), 201, ""},
		{"KAB001 from the kiosk whose prefix it only starts with", own("K-01", "KAB002"), 422, api.CodeUnprocessable},
		{"own past the width KAB1000", own("K-02", "KAB1000"), 201, ""},
		{"own KAB01000", own("K-02", "KAB01000"), 422, api.CodeUnprocessable},
	}
	for _, tc := range cases {
		st, b := Do(t, ts.Kiosk(t, tc.app.KioskID), "POST", base+"/v1/applications", tc.app)
		if st != tc.status {
			t.Errorf("%s: offline %q = %d %s, want %d", tc.name, tc.app.Offline.Number, st, b, tc.status)
			continue
		}
		if tc.code != "" {
			if e := Decode[api.Error](t, b); e.Code != tc.code || e.Message == "" {
				t.Errorf("%s: error %+v, want code %q with a reason", tc.name, e, tc.code)
			}
			if st, _ := Do(t, c, "GET", base+"/v1/applications/"+tc.app.ID, nil); st != http.StatusNotFound {
				t.Errorf("%s: refused application was stored (GET = %d)", tc.name, st)
			}
			continue
		}
		if tk := Decode[api.Ticket](t, b); tk.Number != tc.app.Offline.Number || !tk.Offline {
			t.Errorf("%s: ticket %+v, want offline %s", tc.name, tk, tc.app.Offline.Number)
		}
	}
}

// skewed is the clock of a kiosk whose offset from the server is off, known
// to half a second, measured an hour before the suite's morning.
func skewed(off time.Duration) *api.Clock {
	return &api.Clock{OffsetMs: off.Milliseconds(), UncertaintyMs: 500, MeasuredAt: Morning().Add(-time.Hour)}
}

// testOfflinePlacement: an offline ticket delivered the day it was printed
// waits in that day's queue at its time of printing by the server's clock
// (the kiosk's clock moved by its offset), in issue order among the rest.
func testOfflinePlacement(t *testing.T, open Open) {
	clock := NewClock(Morning()) // 09:00 in Almaty
	ts := Start(t, open(t), clock, 3)
	at := func(min int) time.Time { return Morning().Add(time.Duration(min) * time.Minute) }
	// K-01's clock is 40 minutes slow, and K-01 knows it.
	slow := skewed(40 * time.Minute)
	clock.Set(at(3))
	online := mustSubmit(t, ts, Application("K-02", api.LaneOrdinary, clock.Now()))
	clock.Set(at(10))
	first := offlineApp("K-01", "K001", api.OfflineKiosk, at(5).Add(-40*time.Minute), slow)
	second := offlineApp("K-01", "K002", api.OfflineKiosk, at(6).Add(-40*time.Minute), slow)
	// K-03 had no measurement: its clock is taken at its word.
	unmeasured := offlineApp("K-03", "KAC001", api.OfflineKiosk, at(-30), nil)
	for _, d := range []struct {
		app  api.Application
		want time.Time
	}{{second, at(6)}, {first, at(5)}, {unmeasured, at(-30)}} {
		tk := mustSubmit(t, ts, d.app)
		if !tk.IssuedAt.Equal(d.want) {
			t.Errorf("offline %s issued at %s by the kiosk: ticket at %s, want %s by the server's clock",
				tk.Number, d.app.Offline.IssuedAt.Format(time.TimeOnly), tk.IssuedAt.UTC().Format(time.TimeOnly), d.want.Format(time.TimeOnly))
		}
	}
	var got []string
	for {
		st, call := callNext(t, ts, "1")
		if st != http.StatusOK {
			break
		}
		got = append(got, call.Status.Ticket.Number)
	}
	if want := "KAC001 " + online.Number + " K001 K002"; strings.Join(got, " ") != want {
		t.Errorf("called %v, want %s: in order of printing by the server's clock", got, want)
	}
}

// testOfflineHeld: a ticket that cannot have been printed when it says
// (the future, a past day, before the kiosk last proved its outbox empty)
// is stored held for a supervisor, never called and never dropped; a time
// no clock gives is refused with a reason.
func testOfflineHeld(t *testing.T, open Open) {
	store := open(t)
	clock := NewClock(Morning().Add(-16 * time.Hour)) // 17:00 the day before
	ts := Start(t, store, clock, 2)
	base := ts.URL
	st, b := Do(t, ts.Kiosk(t, "K-01"), "POST", base+"/v1/kiosks/K-01/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: 2})
	if blk := Decode[api.Block](t, b); st != http.StatusCreated || blk.Day != "2025-09-23" || blk.Numbers[1] != "A002" {
		t.Fatalf("lend the day before = %d %s", st, b)
	}
	clock.Set(Morning())
	now := Morning()
	on := func(min int) time.Time { return now.Add(time.Duration(min) * time.Minute) }
	exact := skewed(0)
	// K-01 reports an empty outbox at 08:50 with its clock: whatever it
	// printed before then has been delivered.
	heartbeat := func(kiosk string, at time.Time, depth int, clock *api.Clock) {
		hb := api.Heartbeat{Version: "1", Paper: "ok", OutboxDepth: depth, At: at, Clock: clock}
		if st, b := Do(t, ts.Kiosk(t, kiosk), "POST", base+"/v1/kiosks/"+kiosk+"/heartbeat", hb); st != http.StatusNoContent {
			t.Fatalf("heartbeat = %d %s", st, b)
		}
	}
	heartbeat("K-01", on(-10), 0, exact)
	heartbeat("K-02", on(-10), 3, exact) // not empty: proves nothing
	heartbeat("K-02", on(-5), 0, nil)    // no clock: its time proves nothing
	epoch := time.Unix(0, 0).UTC()
	sinceEpoch := &api.Clock{OffsetMs: on(-2).Sub(epoch).Milliseconds(), UncertaintyMs: 700, MeasuredAt: on(-20)}
	cases := []struct {
		name   string
		app    api.Application
		status int
		state  api.State
		day    string
		hold   central.HoldReason
	}{
		{"twenty minutes ahead", offlineApp("K-01", "K001", api.OfflineKiosk, on(20), nil), 201, api.StateHeld, "2025-09-24", central.HoldFuture},
		{"three minutes ahead", offlineApp("K-01", "K002", api.OfflineKiosk, on(3), nil), 201, api.StateWaiting, "2025-09-24", ""},
		{"lent yesterday, printed yesterday", offlineApp("K-01", "A002", api.OfflineLent, on(-15*60+60), nil), 201, api.StateHeld, "2025-09-23", central.HoldPastDay},
		{"before the empty outbox", offlineApp("K-01", "K003", api.OfflineKiosk, on(-20), exact), 201, api.StateHeld, "2025-09-24", central.HoldBeforeContact},
		{"after the empty outbox", offlineApp("K-01", "K004", api.OfflineKiosk, on(-5), exact), 201, api.StateWaiting, "2025-09-24", ""},
		{"no proof for K-02", offlineApp("K-02", "KAB001", api.OfflineKiosk, on(-60), nil), 201, api.StateWaiting, "2025-09-24", ""},
		{"1970 on a kiosk that knows its offset", offlineApp("K-01", "K005", api.OfflineKiosk, epoch, sinceEpoch), 201, api.StateWaiting, "2025-09-24", ""},
		{"1970 without an offset", offlineApp("K-01", "K006", api.OfflineKiosk, epoch, nil), 422, "", "", ""},
		{"9999", offlineApp("K-01", "K006", api.OfflineKiosk, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), nil), 422, "", "", ""},
		{"two years ahead", offlineApp("K-01", "K006", api.OfflineKiosk, on(2*366*24*60), nil), 422, "", "", ""},
		{"an offset of two centuries", offlineApp("K-01", "K006", api.OfflineKiosk, on(0), skewed(-200*366*24*time.Hour)), 422, "", "", ""},
		// Past what a time.Duration holds in nanoseconds: converted before
		// the check, they wrapped round to about nothing and were taken.
		{"an offset of 2^64 nanoseconds", offlineApp("K-01", "K006", api.OfflineKiosk, on(0), &api.Clock{OffsetMs: 18446744073710, MeasuredAt: on(-1)}), 422, "", "", ""},
		{"an uncertainty of 2^64 nanoseconds", offlineApp("K-01", "K006", api.OfflineKiosk, on(0), &api.Clock{UncertaintyMs: 18446744073710, MeasuredAt: on(-1)}), 422, "", "", ""},
		{"a negative uncertainty (the schema)", offlineApp("K-01", "K006", api.OfflineKiosk, on(0), &api.Clock{UncertaintyMs: -1, MeasuredAt: on(-1)}), 400, "", "", ""},
		{"an offset known to two hours", offlineApp("K-01", "K006", api.OfflineKiosk, on(0), &api.Clock{UncertaintyMs: 2 * 3600_000, MeasuredAt: on(-1)}), 422, "", "", ""},
		{"measured in 1970", offlineApp("K-01", "K006", api.OfflineKiosk, on(0), &api.Clock{MeasuredAt: epoch}), 422, "", "", ""},
	}
	var held []string
	for _, tc := range cases {
		clock.Set(clock.Now().Add(time.Second)) // held in this order
		st, b := Do(t, ts.Kiosk(t, tc.app.KioskID), "POST", base+"/v1/applications", tc.app)
		if st != tc.status {
			t.Errorf("%s: = %d %s, want %d", tc.name, st, b, tc.status)
			continue
		}
		if st != http.StatusCreated {
			want := api.CodeUnprocessable
			if st == http.StatusBadRequest {
				want = api.CodeMalformed // refused by the document's schema
			}
			if e := Decode[api.Error](t, b); e.Code != want || e.Message == "" {
				t.Errorf("%s: error %+v, want %s with a reason", tc.name, e, want)
			}
			continue
		}
		rec, err := store.Get(context.Background(), tc.app.ID)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if rec.State != tc.state || rec.Day != tc.day || rec.Number != tc.app.Offline.Number {
			t.Errorf("%s: stored %s %s on %s, want %s %s on %s", tc.name, rec.Number, rec.State, rec.Day, tc.app.Offline.Number, tc.state, tc.day)
		}
		if tc.hold != "" {
			held = append(held, fmt.Sprintf("%s %s", rec.Number, tc.hold))
		}
		// A retry is answered as before and changes nothing.
		if st, b := Do(t, ts.Kiosk(t, tc.app.KioskID), "POST", base+"/v1/applications", tc.app); st != http.StatusOK {
			t.Errorf("%s: retry = %d %s, want 200", tc.name, st, b)
		}
	}
	list, err := store.Held(context.Background(), "ALA-01")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range list {
		got = append(got, fmt.Sprintf("%s %s", h.Record.Number, h.Hold.Reason))
		if h.Record.State != api.StateHeld || h.Hold.Claimed.IsZero() || h.Hold.At.Before(now) || h.Hold.At.After(clock.Now()) {
			t.Errorf("held %s: %+v, want state held with the claimed time and when it was held", h.Record.Number, h)
		}
	}
	if strings.Join(got, ", ") != strings.Join(held, ", ") {
		t.Errorf("Held(ALA-01) = %v, want %v", got, held)
	}
	if len(list) == 3 && (list[2].Hold.Clock == nil || *list[2].Hold.Clock != *exact) {
		t.Errorf("held before contact: clock %+v, want the ticket's %+v kept as evidence", list[2].Hold.Clock, exact)
	}
	checkHeldRoute(t, ts, list)
	// The held are never called: only the four placed ones are.
	var called []string
	for {
		st, call := callNext(t, ts, "1")
		if st != http.StatusOK {
			break
		}
		called = append(called, call.Status.Ticket.Number)
	}
	if want := "KAB001 K004 K005 K002"; strings.Join(called, " ") != want {
		t.Errorf("called %v, want %s", called, want)
	}
	// A retry of an application the server took online keeps the server's
	// time even when the kiosk's clock is unset: the number on paper wins.
	a := Application("K-01", api.LaneOrdinary, now)
	first := mustSubmit(t, ts, a)
	a.Offline = &api.OfflineTicket{Number: "K007", Source: api.OfflineKiosk, IssuedAt: epoch}
	if st, tk := submit(t, ts, a); st != http.StatusOK || tk.Number != "K007" || !tk.IssuedAt.Equal(first.IssuedAt) {
		t.Errorf("retry with a printed number and an unset clock = %d %+v, want 200 K007 at %s", st, tk, first.IssuedAt)
	}
}

// testLendPrefixOnly: a kiosk that lends no numbers still learns its
// offline prefix, with a request for none.
func testLendPrefixOnly(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 2)
	base := ts.URL
	for _, tc := range []struct {
		kiosk  string
		size   int
		status int
		prefix string
		n      int
	}{{"K-02", 0, 200, "KAB", 0}, {"K-02", 2, 201, "KAB", 2}, {"K-01", 0, 200, "K", 0}} {
		st, b := Do(t, ts.Kiosk(t, tc.kiosk), "POST", base+"/v1/kiosks/"+tc.kiosk+"/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: tc.size})
		blk := Decode[api.Block](t, b)
		if st != tc.status || blk.OfflinePrefix != tc.prefix || blk.NumberWidth != central.NumberWidth || len(blk.Numbers) != tc.n || blk.Numbers == nil {
			t.Errorf("%s asks for %d = %d %s, want %d with prefix %s, width %d and %d numbers", tc.kiosk, tc.size, st, b, tc.status, tc.prefix, central.NumberWidth, tc.n)
		}
	}
	if tk := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now())); tk.Number != "A003" {
		t.Errorf("online after lending two = %s, want A003: a request for none lends none", tk.Number)
	}
}

// checkHeldRoute reads the held tickets of ALA-01 as its supervisor and as
// an admin, and finds the store's list with its evidence and no personal
// data; a clerk, a kiosk and another branch's supervisor are refused.
func checkHeldRoute(t *testing.T, ts *Server, want []central.HeldTicket) {
	t.Helper()
	url := ts.URL + "/v1/branches/ALA-01/held"
	for _, c := range []struct {
		name   string
		client *http.Client
		status int
	}{
		{"supervisor", ts.As(t, central.RoleSupervisor, "ALA-01", ""), http.StatusOK},
		{"admin", ts.As(t, central.RoleAdmin, "", ""), http.StatusOK},
		{"clerk", ts.Clerk(t, "ALA-01"), http.StatusForbidden},
		{"kiosk", ts.Kiosk(t, "K-01"), http.StatusForbidden},
		{"display", ts.As(t, central.RoleDisplay, "ALA-01", ""), http.StatusForbidden},
		{"another branch's supervisor", ts.As(t, central.RoleSupervisor, "AST-01", ""), http.StatusForbidden},
		{"nobody", ts.Client(), http.StatusUnauthorized},
	} {
		st, b := Do(t, c.client, "GET", url, nil)
		if st != c.status {
			t.Errorf("held tickets as %s = %d %s, want %d", c.name, st, b, c.status)
			continue
		}
		if st != http.StatusOK {
			continue
		}
		for _, secret := range []string{"L898902C3", "ERIKSSON", "1974-08-12"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("held tickets as %s carry personal data: %s", c.name, b)
			}
		}
		got := Decode[api.HeldList](t, b).Held
		if len(got) != len(want) {
			t.Errorf("held tickets as %s: %d, want %d: %s", c.name, len(got), len(want), b)
			continue
		}
		for i, h := range want {
			g, r := got[i], h.Record
			if g.ApplicationID != r.ID || g.Number != r.Number || g.KioskID != r.Kiosk || g.Service != r.Service || g.Lane != r.Lane ||
				g.Day != r.Day || g.Reason != string(h.Hold.Reason) || !g.ClaimedAt.Equal(h.Hold.Claimed) || !g.HeldAt.Equal(h.Hold.At) ||
				!g.IssuedAt.Equal(r.IssuedAt) || (g.Clock == nil) != (h.Hold.Clock == nil) || (g.Clock != nil && *g.Clock != *h.Hold.Clock) {
				t.Errorf("held ticket %d as %s = %+v, want %+v", i, c.name, g, h)
			}
		}
	}
	if st, b := Do(t, ts.As(t, central.RoleAdmin, "", ""), "GET", ts.URL+"/v1/branches/NOPE-01/held", nil); st != http.StatusNotFound {
		t.Errorf("held tickets of an unknown branch = %d %s, want 404", st, b)
	}
}
