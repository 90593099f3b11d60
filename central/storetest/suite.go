package storetest

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// Open returns a fresh, empty store for one test; the suite closes it.
type Open func(t *testing.T) central.Store

// Morning is 09:00 in Almaty (UTC+5) on a busy day, the suite's start time.
func Morning() time.Time { return time.Date(2025, 9, 24, 4, 0, 0, 0, time.UTC) }

// Run runs the whole suite against the stores open makes.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Open)
	}{
		{"Idempotent", testIdempotent},
		{"NumbersRestartAtLocalMidnight", testMidnight},
		{"PriorityRatio", testPriority},
		{"Bookings", testBookings},
		{"BookedApplication", testBookedApplication},
		{"BookedApplicationRace", testBookedApplicationRace},
		{"Attach", testAttach},
		{"NotPrintedHeldBack", testNotPrinted},
		{"ClerkActions", testClerk},
		{"Offline", testOffline},
		{"CanonicalNumbers", testCanonicalNumbers},
		{"OfflinePlacement", testOfflinePlacement},
		{"OfflineHeld", testOfflineHeld},
		{"LendPrefixOnly", testLendPrefixOnly},
		{"Refused", testRefused},
		{"BadInput", testBadInput},
		{"Display", testDisplay},
		{"Reports", testReports},
		{"UniqueUnderConcurrency", testConcurrency},
		{"Tokens", testTokens},
		{"LendLimit", testLendLimit},
		{"Users", testUsers},
		{"SignInLockout", testSignInLockout},
		{"Sessions", testSessions},
		{"TicketsAndServed", testTicketsAndServed},
		{"RedirectFirst", testRedirectFirst},
		{"ParkAndCallBack", testParkAndCallBack},
		{"ServiceFigures", testServiceFigures},
		{"DeskGuards", testDeskGuards},
		{"BranchEvents", testBranchEvents},
		{"BranchEventsConcurrent", testBranchEventsConcurrent},
		{"CallWithEvent", testCallWithEvent},
		{"IssueWithEvent", testIssueWithEvent},
		{"Audit", testAudit},
		{"SupervisorReads", testSupervisorReads},
		{"EnrolCodes", testEnrolCodes},
		{"EnrolRace", testEnrolRace},
		{"KioskRevoke", testKioskRevoke},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// submit sends an application as the kiosk it names.
func submit(t *testing.T, ts *Server, a api.Application) (int, api.Ticket) {
	t.Helper()
	st, b := Do(t, ts.Kiosk(t, a.KioskID), "POST", ts.URL+"/v1/applications", a)
	if st != http.StatusCreated && st != http.StatusOK {
		return st, api.Ticket{}
	}
	return st, Decode[api.Ticket](t, b)
}

func mustSubmit(t *testing.T, ts *Server, a api.Application) api.Ticket {
	t.Helper()
	st, tk := submit(t, ts, a)
	if st != http.StatusCreated {
		t.Fatalf("POST /v1/applications = %d, want 201", st)
	}
	return tk
}

// callNext calls the next visitor of ALA-01 to a window, as its clerk.
func callNext(t *testing.T, ts *Server, window string) (int, api.Call) {
	t.Helper()
	st, b := Do(t, ts.Clerk(t, "ALA-01"), "POST", ts.URL+"/v1/branches/ALA-01/windows/"+window+"/call-next", nil)
	if st != http.StatusOK {
		return st, api.Call{}
	}
	return st, Decode[api.Call](t, b)
}

func testIdempotent(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 2)
	c, base := ts.Kiosk(t, "K-01"), ts.URL
	a := Application("K-01", api.LaneOrdinary, clock.Now())
	first := mustSubmit(t, ts, a)
	if first.Number != "A001" || first.PeopleAhead != 0 || first.Offline {
		t.Errorf("first ticket = %+v, want A001, nobody ahead, online", first)
	}
	st, again := submit(t, ts, a)
	if st != http.StatusOK || again != first {
		t.Errorf("same id again = %d %+v, want 200 %+v", st, again, first)
	}
	other := a
	other.Language = "kk"
	if st, b := Do(t, c, "POST", base+"/v1/applications", other); st != http.StatusConflict || Decode[api.Error](t, b).Code != api.CodeConflict {
		t.Errorf("same id, other body = %d %s, want 409 conflict", st, b)
	}
	second := mustSubmit(t, ts, Application("K-02", api.LaneOrdinary, clock.Now()))
	if second.Number != "A002" || second.PeopleAhead != 1 || second.EstimatedWaitSeconds <= 0 {
		t.Errorf("second ticket = %+v, want A002 with one ahead and a wait", second)
	}
	st, b := Do(t, c, "GET", base+"/v1/applications/"+a.ID, nil)
	if s := Decode[api.Status](t, b); st != http.StatusOK || s.State != api.StateWaiting || s.Ticket.Number != "A001" || s.Printed != nil {
		t.Errorf("GET = %d %+v, want 200 waiting A001, print unknown", st, s)
	}
	if st, _ := Do(t, c, "GET", base+"/v1/applications/"+api.NewID(), nil); st != http.StatusNotFound {
		t.Errorf("GET unknown id = %d, want 404", st)
	}
}

func testMidnight(t *testing.T, open Open) {
	// 23:59 and 00:01 in Almaty are 18:59 and 19:01 UTC.
	clock := NewClock(time.Date(2025, 9, 24, 18, 59, 0, 0, time.UTC))
	ts := Start(t, open(t), clock, 1)
	mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	if tk := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now())); tk.Number != "A002" {
		t.Errorf("before midnight = %s, want A002", tk.Number)
	}
	clock.Set(time.Date(2025, 9, 24, 19, 1, 0, 0, time.UTC))
	tk := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	if tk.Number != "A001" || tk.PeopleAhead != 0 || tk.IssuedAt.Format(time.DateOnly) != "2025-09-25" {
		t.Errorf("after local midnight = %s ahead %d on %s, want A001, 0, 2025-09-25", tk.Number, tk.PeopleAhead, tk.IssuedAt.Format(time.DateOnly))
	}
	if tk := mustSubmit(t, ts, Application("K-01", api.LanePriority, clock.Now())); tk.Number != "AP001" {
		t.Errorf("priority lane = %s, want AP001", tk.Number)
	}
}

func testPriority(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	for _, lane := range []api.Lane{api.LaneOrdinary, api.LaneOrdinary, api.LaneOrdinary, api.LanePriority, api.LanePriority, api.LanePriority} {
		mustSubmit(t, ts, Application("K-01", lane, clock.Now()))
		clock.Set(clock.Now().Add(time.Second))
	}
	// The demo branch calls two priority visitors per ordinary one.
	want := []string{"AP001", "AP002", "A001", "AP003", "A002", "A003"}
	for i, w := range want {
		st, call := callNext(t, ts, "1")
		if st != http.StatusOK || call.Status.Ticket.Number != w {
			t.Fatalf("call %d = %d %s, want 200 %s", i+1, st, call.Status.Ticket.Number, w)
		}
		if call.Application == nil || call.Application.Applicant.DocumentNumber != "L898902C3" {
			t.Errorf("call %d: the clerk did not get the application", i+1)
		}
	}
	if st, _ := callNext(t, ts, "1"); st != http.StatusNoContent {
		t.Errorf("call on an empty queue = %d, want 204", st)
	}
}

func testBookings(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	feed, c, base := ts.As(t, central.RoleBooking, "ALA-01", ""), ts.Kiosk(t, "K-01"), ts.URL
	slot := Morning().Add(30 * time.Minute)
	bk := api.Booking{Code: "B7K2Q9", BranchID: "ALA-01", Service: "iin", SlotAt: slot, DocumentNumber: "N1234567"}
	if st, b := Do(t, feed, "POST", base+"/v1/bookings", bk); st != http.StatusNoContent {
		t.Fatalf("POST /v1/bookings = %d %s, want 204", st, b)
	}
	if st, _ := Do(t, feed, "POST", base+"/v1/bookings", bk); st != http.StatusConflict {
		t.Errorf("same booking code again = %d, want 409", st)
	}
	walkIn := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	byCode := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: "B7K2Q9"}
	st, b := Do(t, c, "POST", base+"/v1/bookings/check-in", byCode)
	booked := Decode[api.Ticket](t, b)
	if st != http.StatusCreated || booked.Number != "AB001" || booked.Lane != api.LaneBooked || booked.SlotAt == nil || !booked.SlotAt.Equal(slot) {
		t.Fatalf("check-in by code = %d %+v, want 201 AB001 booked at the slot", st, booked)
	}
	byDoc := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", DocumentNumber: "N1234567"}
	if st, b := Do(t, c, "POST", base+"/v1/bookings/check-in", byDoc); st != http.StatusOK || Decode[api.Ticket](t, b).ApplicationID != booked.ApplicationID {
		t.Errorf("check-in by document after by code = %d %s, want 200 with the same ticket", st, b)
	}
	unknown := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: "NOPE"}
	if st, _ := Do(t, c, "POST", base+"/v1/bookings/check-in", unknown); st != http.StatusNotFound {
		t.Errorf("check-in of an unknown code = %d, want 404", st)
	}
	// Before the slot the walk-in goes first; at the slot the booking does.
	mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	if _, call := callNext(t, ts, "1"); call.Status.Ticket.Number != walkIn.Number {
		t.Errorf("before the slot called %s, want the walk-in %s", call.Status.Ticket.Number, walkIn.Number)
	}
	clock.Set(slot)
	if _, call := callNext(t, ts, "2"); call.Status.Ticket.Number != "AB001" || call.Application != nil {
		t.Errorf("at the slot called %s (application %v), want AB001 without application", call.Status.Ticket.Number, call.Application != nil)
	}
}

func testNotPrinted(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	c, base := ts.Kiosk(t, "K-01"), ts.URL
	lost := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	kept := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	ev := api.Events{Events: []api.Event{
		{Kind: api.EventPrintFailed, At: clock.Now(), Session: "s1", ApplicationID: lost.ApplicationID, Reason: "no-paper"},
		{Kind: api.EventPrinted, At: clock.Now(), Session: "s2", ApplicationID: kept.ApplicationID},
	}}
	if st, b := Do(t, c, "POST", base+"/v1/kiosks/K-01/events", ev); st != http.StatusNoContent {
		t.Fatalf("events = %d %s, want 204", st, b)
	}
	_, b := Do(t, c, "GET", base+"/v1/applications/"+lost.ApplicationID, nil)
	if s := Decode[api.Status](t, b); s.State != api.StateNotPrinted || s.Printed == nil || *s.Printed {
		t.Errorf("unprinted ticket = %s printed %v, want not-printed, false", s.State, s.Printed)
	}
	if _, call := callNext(t, ts, "1"); call.Status.Ticket.Number != kept.Number || call.Status.Printed == nil || !*call.Status.Printed {
		t.Errorf("call-next = %s, want the printed %s", call.Status.Ticket.Number, kept.Number)
	}
	if st, _ := callNext(t, ts, "1"); st != http.StatusNoContent {
		t.Errorf("call-next with only an unprinted ticket = %d, want 204", st)
	}
}

func testClerk(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	c, base := ts.Clerk(t, "ALA-01"), ts.URL
	a := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	act := func(action string, body any) (int, api.Status) {
		st, b := Do(t, c, "POST", base+"/v1/applications/"+a.ApplicationID+"/"+action, body)
		if st != http.StatusOK {
			return st, api.Status{}
		}
		return st, Decode[api.Status](t, b)
	}
	if st, _ := act("complete", nil); st != http.StatusConflict {
		t.Errorf("complete before the call = %d, want 409", st)
	}
	callNext(t, ts, "4")
	steps := []struct {
		action string
		body   any
		status int
		state  api.State
	}{
		{"recall", nil, 200, api.StateCalled},
		{"redirect", api.Redirect{Service: "iin"}, 200, api.StateWaiting},
		{"redirect", api.Redirect{Service: "iin"}, 409, ""},
		{"no-show", nil, 409, ""},
	}
	for _, s := range steps {
		if st, got := act(s.action, s.body); st != s.status || got.State != s.state {
			t.Errorf("%s = %d %q, want %d %q", s.action, st, got.State, s.status, s.state)
		}
	}
	if _, call := callNext(t, ts, "5"); call.Status.Ticket.Number != a.Number || call.Status.Window != "5" {
		t.Errorf("after redirect call-next = %s at %q, want %s at 5", call.Status.Ticket.Number, call.Status.Window, a.Number)
	}
	if st, got := act("no-show", nil); st != 200 || got.State != api.StateNoShow {
		t.Errorf("no-show = %d %s, want 200 no-show", st, got.State)
	}
	b := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	callNext(t, ts, "5")
	if st, _ := Do(t, c, "POST", base+"/v1/applications/"+b.ApplicationID+"/complete", nil); st != 200 {
		t.Errorf("complete = %d, want 200", st)
	}
}

func testOffline(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 2)
	c, base := ts.Kiosk(t, "K-01"), ts.URL
	mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now())) // A001
	st, b := Do(t, c, "POST", base+"/v1/kiosks/K-01/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: 3})
	blk := Decode[api.Block](t, b)
	if st != http.StatusCreated || strings.Join(blk.Numbers, ",") != "A002,A003,A004" || blk.Day != "2025-09-24" {
		t.Fatalf("lend = %d %+v, want 201 A002..A004 for 2025-09-24", st, blk)
	}
	if tk := mustSubmit(t, ts, Application("K-02", api.LaneOrdinary, clock.Now())); tk.Number != "A005" {
		t.Errorf("online number after a lend = %s, want A005", tk.Number)
	}
	issued := clock.Now().Add(-10 * time.Minute)
	offline := func(kiosk, number string, src api.OfflineSource) api.Application {
		a := Application(kiosk, api.LaneOrdinary, issued)
		a.Offline = &api.OfflineTicket{Number: number, Source: src, IssuedAt: issued}
		return a
	}
	cases := []struct {
		name   string
		app    api.Application
		status int
		code   string
	}{
		{"lent number kept", offline("K-01", "A003", api.OfflineLent), 201, ""},
		{"lent number used twice", offline("K-01", "A003", api.OfflineLent), 409, api.CodeNumberTaken},
		{"number lent to another kiosk", offline("K-02", "A004", api.OfflineLent), 409, api.CodeNumberTaken},
		{"number never lent", offline("K-01", "A050", api.OfflineLent), 409, api.CodeNumberTaken},
		{"kiosk range kept", offline("K-01", "K001", api.OfflineKiosk), 201, ""},
		{"another kiosk's range", offline("K-02", "K002", api.OfflineKiosk), 422, api.CodeUnprocessable},
		{"kiosk range used twice", offline("K-01", "K001", api.OfflineKiosk), 409, api.CodeNumberTaken},
	}
	for _, tc := range cases {
		st, b := Do(t, ts.Kiosk(t, tc.app.KioskID), "POST", base+"/v1/applications", tc.app)
		if st != tc.status {
			t.Errorf("%s = %d %s, want %d", tc.name, st, b, tc.status)
			continue
		}
		if tc.code != "" {
			if e := Decode[api.Error](t, b); e.Code != tc.code {
				t.Errorf("%s: code %q, want %q", tc.name, e.Code, tc.code)
			}
			continue
		}
		tk := Decode[api.Ticket](t, b)
		if tk.Number != tc.app.Offline.Number || !tk.Offline || !tk.IssuedAt.Equal(issued) {
			t.Errorf("%s: ticket %+v, want number %s, offline, issued at the kiosk's time", tc.name, tk, tc.app.Offline.Number)
		}
	}
	// The first attempt reached the server but the answer was lost; the
	// kiosk printed an offline number; the retry carries it and it wins.
	a := Application("K-01", api.LaneOrdinary, clock.Now())
	online := mustSubmit(t, ts, a)
	a.Offline = &api.OfflineTicket{Number: "K002", Source: api.OfflineKiosk, IssuedAt: clock.Now()}
	st, again := submit(t, ts, a)
	if st != http.StatusOK || again.Number != "K002" || again.ApplicationID != online.ApplicationID {
		t.Errorf("retry with the printed offline number = %d %+v, want 200 K002", st, again)
	}
	// The offline ticket issued ten minutes ago is called before later ones.
	if _, call := callNext(t, ts, "1"); call.Status.Ticket.Number != "A003" {
		t.Errorf("first call = %s, want the earliest issued A003", call.Status.Ticket.Number)
	}
}

func testRefused(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	c, base := ts.Kiosk(t, "K-01"), ts.URL
	good := Application("K-01", api.LaneOrdinary, clock.Now())
	mk := func(f func(a *api.Application)) api.Application {
		a := good
		a.ID = api.NewID()
		f(&a)
		return a
	}
	huge := bytes.Repeat([]byte(" "), api.MaxBodyBytes+1)
	cases := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
	}{
		{"not json", "/v1/applications", []byte("{"), 400, api.CodeMalformed},
		{"empty", "/v1/applications", []byte(""), 400, api.CodeMalformed},
		{"two values", "/v1/applications", []byte("{}{}"), 400, api.CodeMalformed},
		{"unknown field", "/v1/applications", []byte(`{"id":"x","passport":"123"}`), 400, api.CodeMalformed},
		{"wrong type", "/v1/applications", []byte(`{"id":5}`), 400, api.CodeMalformed},
		{"oversized", "/v1/applications", append([]byte(`{"id":"`), huge...), 413, api.CodeTooLarge},
		{"bad id", "/v1/applications", mk(func(a *api.Application) { a.ID = "123" }), 400, api.CodeMalformed},
		{"unknown kiosk", "/v1/applications", mk(func(a *api.Application) { a.KioskID = "K-99" }), 403, api.CodeUnknownKiosk},
		{"kiosk of another branch", "/v1/applications", mk(func(a *api.Application) { a.BranchID = "AST-01" }), 403, api.CodeUnknownKiosk},
		{"unknown service", "/v1/applications", mk(func(a *api.Application) { a.Service = "visa" }), 400, api.CodeMalformed},
		{"booked lane", "/v1/applications", mk(func(a *api.Application) { a.Lane = api.LaneBooked }), 400, api.CodeMalformed},
		{"check-in id in the ordinary lane", "/v1/applications", mk(func(a *api.Application) { a.CheckInID = api.NewID() }), 400, api.CodeMalformed},
		{"bad check-in id", "/v1/applications", mk(func(a *api.Application) { a.Lane, a.CheckInID = api.LaneBooked, "AB001" }), 400, api.CodeMalformed},
		{"bad phone", "/v1/applications", mk(func(a *api.Application) { a.Phone = "8 701 123" }), 400, api.CodeMalformed},
		{"no document", "/v1/applications", mk(func(a *api.Application) { a.Applicant.DocumentNumber = "" }), 400, api.CodeMalformed},
		{"bad decision", "/v1/applications", mk(func(a *api.Application) { a.Precheck.Decision = "maybe" }), 400, api.CodeMalformed},
		{"offline in 1970", "/v1/applications", mk(func(a *api.Application) {
			a.Offline = &api.OfflineTicket{Number: "K001", Source: api.OfflineKiosk, IssuedAt: time.Unix(0, 0)}
		}), 422, api.CodeUnprocessable},
		{"offline in 9999", "/v1/applications", mk(func(a *api.Application) {
			a.Offline = &api.OfflineTicket{Number: "K001", Source: api.OfflineKiosk, IssuedAt: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}
		}), 422, api.CodeUnprocessable},
		{"heartbeat unknown kiosk", "/v1/kiosks/K-99/heartbeat", api.Heartbeat{Version: "1", Paper: "ok", At: clock.Now()}, 403, api.CodeUnknownKiosk},
		{"events unknown kiosk", "/v1/kiosks/K-99/events", api.Events{}, 403, api.CodeUnknownKiosk},
		{"lend unknown kiosk", "/v1/kiosks/K-99/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: 5}, 403, api.CodeUnknownKiosk},
		{"lend fewer than nothing", "/v1/kiosks/K-01/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: -1}, 400, api.CodeMalformed},
		{"heartbeat for another kiosk", "/v1/kiosks/K-02/heartbeat", api.Heartbeat{Version: "1", Paper: "ok", At: clock.Now()}, 403, api.CodeForbidden},
		{"check-in both keys", "/v1/bookings/check-in", api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: "X", DocumentNumber: "Y"}, 400, api.CodeMalformed},
		{"call-next unknown branch", "/v1/branches/NOPE/windows/1/call-next", nil, 404, api.CodeNotFound},
	}
	for _, tc := range cases {
		// Each request comes from the kiosk it names, with a token of its
		// own even when it is not registered; call-next from an admin.
		who := c
		if a, ok := tc.body.(api.Application); ok {
			who = ts.Kiosk(t, a.KioskID)
		}
		if strings.HasPrefix(tc.path, "/v1/kiosks/K-99/") {
			who = ts.Kiosk(t, "K-99")
		}
		if strings.HasSuffix(tc.path, "/call-next") {
			who = ts.As(t, central.RoleAdmin, "", "")
		}
		st, b := Do(t, who, "POST", base+tc.path, tc.body)
		if st != tc.status {
			t.Errorf("%s: POST %s = %d %s, want %d", tc.name, tc.path, st, b, tc.status)
			continue
		}
		if e := Decode[api.Error](t, b); e.Code != tc.code || e.Message == "" {
			t.Errorf("%s: error %+v, want code %q with a message", tc.name, e, tc.code)
		}
		if bytes.Contains(b, []byte("L898902C3")) || bytes.Contains(b, []byte("ERIKSSON")) {
			t.Errorf("%s: the error echoes personal data: %s", tc.name, b)
		}
		if a, ok := tc.body.(api.Application); ok && api.ValidID(a.ID) {
			if st, _ := Do(t, c, "GET", base+"/v1/applications/"+a.ID, nil); st != http.StatusNotFound {
				t.Errorf("%s: refused application was stored (GET = %d)", tc.name, st)
			}
		}
	}
	// Nothing was stored and nothing crashed: the next number is the first.
	if tk := mustSubmit(t, ts, good); tk.Number != "A001" {
		t.Errorf("after the refusals = %s, want A001", tk.Number)
	}
}

func testDisplay(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	base := ts.URL
	if st, _ := Do(t, ts.As(t, central.RoleAdmin, "", ""), "GET", base+"/v1/display?branch=NOPE", nil); st != http.StatusNotFound {
		t.Errorf("display of an unknown branch = %d, want 404", st)
	}
	resp, err := ts.As(t, central.RoleDisplay, "ALA-01", "").Get(base + "/v1/display?branch=ALA-01")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type = %q, want text/event-stream", ct)
	}
	rd := bufio.NewReader(resp.Body)
	if line, _ := rd.ReadString('\n'); line != ": subscribed\n" {
		t.Fatalf("first line = %q, want the subscribed comment", line)
	}
	tk := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	callNext(t, ts, "7")
	Do(t, ts.Clerk(t, "ALA-01"), "POST", base+"/v1/applications/"+tk.ApplicationID+"/recall", nil)
	var got []string
	for len(got) < 2 {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended: %v", err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			ev := Decode[api.Called](t, []byte(data))
			got = append(got, fmt.Sprintf("%s@%s recall=%v", ev.Number, ev.Window, ev.Recall))
		}
	}
	if want := "A001@7 recall=false,A001@7 recall=true"; strings.Join(got, ",") != want {
		t.Errorf("display events = %v, want %s", got, want)
	}
}

func testReports(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	c, base := ts.Kiosk(t, "K-01"), ts.URL
	hb := api.Heartbeat{Version: "1.0.0", Devices: []api.Device{{Name: "printer", State: "loaded"}}, Paper: "low", OutboxDepth: 3, At: clock.Now()}
	for i := 0; i < 2; i++ {
		if st, b := Do(t, c, "POST", base+"/v1/kiosks/K-01/heartbeat", hb); st != http.StatusNoContent {
			t.Errorf("heartbeat %d = %d %s, want 204", i, st, b)
		}
	}
	ev := api.Events{Events: []api.Event{
		{Kind: api.EventSessionStarted, At: clock.Now(), Session: "s1"},
		{Kind: api.EventAbandoned, At: clock.Now(), Session: "s1", Reason: "timeout"},
	}}
	if st, b := Do(t, c, "POST", base+"/v1/kiosks/K-01/events", ev); st != http.StatusNoContent {
		t.Errorf("events = %d %s, want 204", st, b)
	}
}

// testConcurrency: many kiosks submitting and many clerks calling at once;
// every number is issued once and every ticket is called once.
func testConcurrency(t *testing.T, open Open) {
	const kiosks, each, clerks = 20, 15, 4
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, kiosks)
	base := ts.URL
	clients := map[string]*http.Client{}
	for k := 1; k <= kiosks; k++ {
		id := fmt.Sprintf("K-%02d", k)
		clients[id] = ts.Kiosk(t, id)
	}
	ts.Clerk(t, "ALA-01") // minted here, not in the clerks' goroutines
	var mu sync.Mutex
	numbers := map[string]string{}
	called := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan string, kiosks*each+clerks)
	for k := 1; k <= kiosks; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				lane := api.LaneOrdinary
				if i%4 == 0 {
					lane = api.LanePriority
				}
				a := Application(fmt.Sprintf("K-%02d", k), lane, clock.Now())
				st, b := Do(t, clients[a.KioskID], "POST", base+"/v1/applications", a)
				if st != http.StatusCreated {
					errs <- fmt.Sprintf("submit = %d %s", st, b)
					return
				}
				tk := Decode[api.Ticket](t, b)
				mu.Lock()
				if prev, dup := numbers[tk.Number]; dup {
					errs <- fmt.Sprintf("number %s issued to %s and %s", tk.Number, prev, tk.ApplicationID)
				}
				numbers[tk.Number] = tk.ApplicationID
				mu.Unlock()
			}
		}()
	}
	done := make(chan struct{})
	var cw sync.WaitGroup
	for w := 1; w <= clerks; w++ {
		cw.Add(1)
		go func() {
			defer cw.Done()
			for {
				st, call := callNext(t, ts, fmt.Sprint(w))
				if st == http.StatusOK {
					mu.Lock()
					called[call.Status.Ticket.ApplicationID]++
					mu.Unlock()
					continue
				}
				select {
				case <-done:
					return
				default:
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	cw.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// Drain what the clerks left.
	for {
		st, call := callNext(t, ts, "9")
		if st != http.StatusOK {
			break
		}
		called[call.Status.Ticket.ApplicationID]++
	}
	if len(numbers) != kiosks*each {
		t.Errorf("%d distinct numbers, want %d", len(numbers), kiosks*each)
	}
	for id, n := range called {
		if n != 1 {
			t.Errorf("ticket %s called %d times, want once", api.MaskID(id), n)
		}
	}
	if len(called) != kiosks*each {
		t.Errorf("%d tickets called, want %d", len(called), kiosks*each)
	}
}
