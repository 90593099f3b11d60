package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// twoBranches is the demo registry with a second branch whose kiosk K-AST
// can check in visits there.
func twoBranches() central.Registry {
	reg := central.Demo(1)
	reg.Branches = append(reg.Branches, central.Branch{ID: "AST-01", Zone: "Asia/Almaty", Windows: 2,
		Kiosks: []central.Kiosk{{ID: "K-AST", OfflinePrefix: "S"}}})
	return reg
}

// checkIn books a visit at the slot, as the branch's booking feed, and
// checks it in from kiosk, as the kiosk does before the visitor's
// application.
func checkIn(t *testing.T, ts *Server, kiosk, branch, code string, slot time.Time) (api.CheckIn, api.Ticket) {
	t.Helper()
	bk := api.Booking{Code: code, BranchID: branch, Service: "iin", SlotAt: slot}
	if st, b := Do(t, ts.As(t, central.RoleBooking, branch, ""), "POST", ts.URL+"/v1/bookings", bk); st != http.StatusNoContent {
		t.Fatalf("POST /v1/bookings = %d %s, want 204", st, b)
	}
	ci := api.CheckIn{ID: api.NewID(), KioskID: kiosk, BranchID: branch, BookingCode: code}
	st, b := Do(t, ts.Kiosk(t, kiosk), "POST", ts.URL+"/v1/bookings/check-in", ci)
	if st != http.StatusCreated {
		t.Fatalf("check-in = %d %s, want 201", st, b)
	}
	return ci, Decode[api.Ticket](t, b)
}

// bookedApplication is a booked visitor's application from K-01 for the
// check-in with the given id.
func bookedApplication(checkInID string, at time.Time) api.Application {
	a := Application("K-01", api.LaneBooked, at)
	a.CheckInID = checkInID
	return a
}

// testBookedApplication: a booked visitor's application joins the check-in's
// ticket instead of taking a number; a retry gets that ticket again, another
// application for the same check-in is refused, and the clerk calls the
// booked number once, with the application.
func testBookedApplication(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := StartRegistry(t, open(t), clock, twoBranches())
	c, base := ts.Kiosk(t, "K-01"), ts.URL
	slot := Morning().Add(30 * time.Minute)
	ci, booked := checkIn(t, ts, "K-01", "ALA-01", "B7K2Q9", slot)
	_, elsewhere := checkIn(t, ts, "K-AST", "AST-01", "ASTANA1", slot)
	walkIn := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))

	a := bookedApplication(booked.ApplicationID, clock.Now())
	printedOffline := a
	printedOffline.Offline = &api.OfflineTicket{Number: "K001", Source: api.OfflineKiosk, IssuedAt: clock.Now()}
	other := bookedApplication(booked.ApplicationID, clock.Now())
	cases := []struct {
		name   string
		app    api.Application
		status int
		code   string
	}{
		{"attached", a, http.StatusCreated, ""},
		{"retry", a, http.StatusOK, ""},
		{"retry with the offline number printed meanwhile", printedOffline, http.StatusOK, ""},
		{"another application for the same check-in", other, http.StatusConflict, api.CodeConflict},
		{"unknown check-in", bookedApplication(api.NewID(), clock.Now()), http.StatusNotFound, api.CodeNotFound},
		{"check-in of another branch", bookedApplication(elsewhere.ApplicationID, clock.Now()), http.StatusNotFound, api.CodeNotFound},
		{"a walk-in's ticket", bookedApplication(walkIn.ApplicationID, clock.Now()), http.StatusNotFound, api.CodeNotFound},
	}
	for _, tc := range cases {
		st, b := Do(t, c, "POST", base+"/v1/applications", tc.app)
		if st != tc.status {
			t.Errorf("%s = %d %s, want %d", tc.name, st, b, tc.status)
			continue
		}
		if tc.code != "" {
			if e := Decode[api.Error](t, b); e.Code != tc.code || e.Message == "" {
				t.Errorf("%s: error %+v, want code %q with a message", tc.name, e, tc.code)
			}
			continue
		}
		tk := Decode[api.Ticket](t, b)
		if tk.ApplicationID != booked.ApplicationID || tk.Number != booked.Number || tk.Lane != api.LaneBooked ||
			tk.Offline || tk.SlotAt == nil || !tk.SlotAt.Equal(slot) {
			t.Errorf("%s: ticket %+v, want the check-in's %s (%s) at the slot, online", tc.name, tk, booked.Number, api.MaskID(booked.ApplicationID))
		}
	}
	// No application got a ticket of its own.
	for _, id := range []string{a.ID, other.ID} {
		if st, _ := Do(t, c, "GET", base+"/v1/applications/"+id, nil); st != http.StatusNotFound {
			t.Errorf("GET the application's own id = %d, want 404: it has no ticket of its own", st)
		}
	}
	// The check-in itself is untouched: its retry still matches.
	if st, b := Do(t, c, "POST", base+"/v1/bookings/check-in", ci); st != http.StatusOK || Decode[api.Ticket](t, b).Number != booked.Number {
		t.Errorf("check-in retry after the attach = %d %s, want 200 %s", st, b, booked.Number)
	}

	clock.Set(slot)
	st, call := callNext(t, ts, "1")
	if st != http.StatusOK || call.Status.Ticket.Number != booked.Number || call.Status.Ticket.ApplicationID != booked.ApplicationID {
		t.Fatalf("call-next at the slot = %d %s, want 200 the booked %s", st, call.Status.Ticket.Number, booked.Number)
	}
	if got := call.Application; got == nil {
		t.Errorf("the clerk got no application with the booked number")
	} else if got.ID != a.ID || got.CheckInID != booked.ApplicationID || got.Applicant.DocumentNumber != "L898902C3" || got.Offline != nil {
		// Ids only: the application's personal data stay out of the log.
		t.Errorf("the clerk got application %s for check-in %s (offline %v), want %s, the first attached, without an offline number",
			api.MaskID(got.ID), api.MaskID(got.CheckInID), got.Offline != nil, api.MaskID(a.ID))
	}
	if _, call := callNext(t, ts, "2"); call.Status.Ticket.Number != walkIn.Number {
		t.Errorf("second call = %s, want the walk-in %s", call.Status.Ticket.Number, walkIn.Number)
	}
	if st, call := callNext(t, ts, "3"); st != http.StatusNoContent {
		t.Errorf("third call = %d %s, want 204: the booked visitor has one number", st, call.Status.Ticket.Number)
	}
}

// testBookedApplicationRace: several applications for one check-in at once,
// each sent twice; exactly one is attached, its twin is answered as a retry,
// every other is refused.
func testBookedApplicationRace(t *testing.T, open Open) {
	const apps = 8
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	c, base := ts.Kiosk(t, "K-01"), ts.URL
	_, booked := checkIn(t, ts, "K-01", "ALA-01", "RACE01", Morning())
	type answer struct {
		app    int
		status int
	}
	answers := make(chan answer, 2*apps)
	var wg sync.WaitGroup
	for i := range apps {
		a := bookedApplication(booked.ApplicationID, clock.Now())
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, _ := Do(t, c, "POST", base+"/v1/applications", a)
				answers <- answer{i, st}
			}()
		}
	}
	wg.Wait()
	close(answers)
	byApp := map[int][]int{}
	winner := -1
	for an := range answers {
		byApp[an.app] = append(byApp[an.app], an.status)
		if an.status == http.StatusCreated {
			if winner >= 0 {
				t.Errorf("applications %d and %d were both attached", winner, an.app)
			}
			winner = an.app
		}
	}
	if winner < 0 {
		t.Fatalf("no application was attached: %v", byApp)
	}
	for i, sts := range byApp {
		want := fmt.Sprint([]int{http.StatusConflict, http.StatusConflict})
		if i == winner {
			want = fmt.Sprint([]int{http.StatusCreated, http.StatusOK})
			if sts[0] == http.StatusOK {
				sts[0], sts[1] = sts[1], sts[0]
			}
		}
		if got := fmt.Sprint(sts); got != want {
			t.Errorf("application %d answered %s, want %s", i, got, want)
		}
	}
	if st, call := callNext(t, ts, "1"); st != http.StatusOK || call.Application == nil || call.Status.Ticket.Number != booked.Number {
		t.Errorf("call-next = %d %s, want the booked %s with the attached application", st, call.Status.Ticket.Number, booked.Number)
	}
	if st, _ := callNext(t, ts, "1"); st != http.StatusNoContent {
		t.Errorf("second call-next = %d, want 204", st)
	}
}

// testAttach asks the store itself: only a booked ticket of the branch
// takes a payload, only once, and the attach leaves the ticket's number
// and the check-in's body hash alone.
func testAttach(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	day := now.In(time.FixedZone("ALA", 5*3600)).Format(time.DateOnly)
	if err := st.AddBooking(ctx, central.BookingRecord{CodeMAC: []byte("B1"), Branch: "ALA-01", Service: "iin", Day: day, SlotAt: now}); err != nil {
		t.Fatal(err)
	}
	checkInID, walkInID := api.NewID(), api.NewID()
	hash := []byte("check-in body hash")
	booked, _, err := st.CheckIn(ctx, central.CheckInRequest{
		Record:  central.Record{ID: checkInID, Branch: "ALA-01", Kiosk: "K-01", Day: day, IssuedAt: now, BodyHash: hash},
		CodeMAC: []byte("B1"), Prefix: func(string) string { return "AB" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Issue(ctx, central.IssueRequest{Prefix: "A", Record: central.Record{ID: walkInID, Branch: "ALA-01", Kiosk: "K-01",
		Service: "iin", Lane: api.LaneOrdinary, Day: day, IssuedAt: now, BodyHash: []byte("walk-in"), Payload: []byte("sealed walk-in")}}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		req      central.AttachRequest
		attached bool
		err      error
		payload  string
	}{
		{"unknown id", central.AttachRequest{ID: api.NewID(), Branch: "ALA-01", Payload: []byte("x")}, false, central.ErrNotFound, ""},
		{"another branch", central.AttachRequest{ID: checkInID, Branch: "AST-01", Payload: []byte("x")}, false, central.ErrNotFound, ""},
		{"a walk-in", central.AttachRequest{ID: walkInID, Branch: "ALA-01", Payload: []byte("x")}, false, central.ErrNotFound, ""},
		{"first", central.AttachRequest{ID: checkInID, Branch: "ALA-01", Payload: []byte("first")}, true, nil, "first"},
		{"second", central.AttachRequest{ID: checkInID, Branch: "ALA-01", Payload: []byte("second")}, false, nil, "first"},
	}
	for _, s := range steps {
		rec, attached, err := st.Attach(ctx, s.req)
		if !errors.Is(err, s.err) || (s.err == nil && err != nil) {
			t.Errorf("%s: err = %v, want %v", s.name, err, s.err)
			continue
		}
		if err != nil {
			continue
		}
		if attached != s.attached || string(rec.Payload) != s.payload || rec.Number != booked.Number ||
			string(rec.BodyHash) != string(hash) || rec.Lane != api.LaneBooked || rec.State != api.StateWaiting {
			t.Errorf("%s: attached %v, record %+v; want attached %v with payload %q on %s, the check-in's hash kept", s.name,
				attached, rec, s.attached, s.payload, booked.Number)
		}
	}
	if rec, err := st.Get(ctx, checkInID); err != nil || string(rec.Payload) != "first" {
		t.Errorf("Get after the attaches = %q, %v; want the first payload", rec.Payload, err)
	}
	if rec, err := st.Get(ctx, walkInID); err != nil || string(rec.Payload) != "sealed walk-in" {
		t.Errorf("the walk-in's payload = %q, %v; want it untouched", rec.Payload, err)
	}
}
