package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// testRedirectFirst: a redirected visitor is called before the ordinary
// waiting tickets (and the priority lane), by any window for a redirect to
// a service and only by its window for a redirect to a window; the latest
// redirect is kept with its sealed comment.
func testRedirectFirst(t *testing.T, open Open) {
	ctx := context.Background()
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	var tks []api.Ticket
	for _, lane := range []api.Lane{api.LaneOrdinary, api.LaneOrdinary, api.LanePriority, api.LaneOrdinary} {
		tks = append(tks, mustSubmit(t, ts, Application("K-01", lane, clock.Now())))
		clock.Set(clock.Now().Add(time.Minute))
	}
	// The first ordinary ticket waits longest; priority goes first.
	if _, c := callNext(t, ts, "1"); c.Status.Ticket.ApplicationID != tks[2].ApplicationID {
		t.Fatalf("first call = %s, want the priority ticket", c.Status.Ticket.Number)
	}
	if _, c := callNext(t, ts, "2"); c.Status.Ticket.ApplicationID != tks[0].ApplicationID {
		t.Fatalf("second call = %s, want %s", c.Status.Ticket.Number, tks[0].Number)
	}
	now := clock.Now()
	// Window 1 sends the priority visitor to window 5, window 2 sends
	// theirs back to the service's queue.
	if r, err := ts.Store.Transition(ctx, central.TransitionRequest{ID: tks[2].ApplicationID, Action: central.ActionRedirect, Service: "iin", Now: now,
		Redirect: &central.Redirect{User: "u1", From: "1", Window: "5", Note: []byte("sealed")}}); err != nil || r.State != api.StateWaiting || r.Window != "" {
		t.Fatalf("redirect to window 5 = %+v, %v", r, err)
	}
	clock.Set(now.Add(time.Second))
	if st, b := Do(t, ts.Clerk(t, "ALA-01"), "POST", ts.URL+"/v1/applications/"+tks[0].ApplicationID+"/redirect", api.Redirect{Service: "iin"}); st != 200 {
		t.Fatalf("protocol redirect = %d: %s", st, b)
	}
	// Window 3 gets the service redirect before the older ordinary ticket
	// but never window 5's; window 5 then gets its own.
	for _, tc := range []struct{ window, want string }{{"3", tks[0].ApplicationID}, {"3", tks[1].ApplicationID}, {"5", tks[2].ApplicationID}, {"3", tks[3].ApplicationID}} {
		if _, c := callNext(t, ts, tc.window); c.Status.Ticket.ApplicationID != tc.want {
			t.Errorf("call-next at window %s = %q, want %s", tc.window, c.Status.Ticket.Number, api.MaskID(tc.want))
		}
	}
	rds, err := ts.Store.Redirects(ctx, "ALA-01", Morning().Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	if len(rds) != 2 {
		t.Fatalf("Redirects = %+v, want 2", rds)
	}
	if r := rds[0]; r.ID != tks[2].ApplicationID || r.User != "u1" || r.From != "1" || r.Window != "5" || string(r.Note) != "sealed" || !r.At.Equal(now) {
		t.Errorf("window redirect stored as %+v", r)
	}
	if r := rds[1]; r.ID != tks[0].ApplicationID || r.User != "" || r.From != "2" || r.Window != "" || r.Service != "iin" || len(r.Note) != 0 {
		t.Errorf("service redirect stored as %+v", r)
	}
}

// testParkAndCallBack: park sets a called visitor aside, listed with who
// parked them until called back to a window; actions that do not fit the
// state are refused with ErrBadState and change nothing.
func testParkAndCallBack(t *testing.T, open Open) {
	ctx := context.Background()
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	day := Morning().Format(time.DateOnly)
	a := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	b := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	callNext(t, ts, "4")
	callNext(t, ts, "4")
	tr := func(id string, act central.Action, window string) (central.Record, error) {
		return ts.Store.Transition(ctx, central.TransitionRequest{ID: id, Action: act, Now: clock.Now(), Window: window, User: "u4"})
	}
	for _, tc := range []struct {
		id     string
		action central.Action
		window string
		want   api.State // "" for ErrBadState
	}{
		{a.ApplicationID, central.ActionCallBack, "4", ""}, // called, not parked
		{a.ApplicationID, central.ActionPark, "", api.StateParked},
		{a.ApplicationID, central.ActionPark, "", ""},
		{a.ApplicationID, central.ActionRecall, "", ""},
		{a.ApplicationID, central.ActionComplete, "", ""},
		{b.ApplicationID, central.ActionPark, "", api.StateParked},
		{b.ApplicationID, central.ActionNoShow, "", api.StateNoShow}, // never came back
		{a.ApplicationID, central.ActionCallBack, "", ""},            // to no window
		{a.ApplicationID, central.ActionCallBack, "6", api.StateCalled},
		{a.ApplicationID, central.ActionCallBack, "6", ""},
	} {
		clock.Set(clock.Now().Add(time.Minute))
		r, err := tr(tc.id, tc.action, tc.window)
		if tc.want == "" {
			if !errors.Is(err, central.ErrBadState) {
				t.Errorf("%s of %s = %v, want ErrBadState", tc.action, api.MaskID(tc.id), err)
			}
			continue
		}
		if err != nil || r.State != tc.want {
			t.Errorf("%s of %s = %s, %v; want %s", tc.action, api.MaskID(tc.id), r.State, err, tc.want)
		}
		if tc.action == central.ActionPark {
			ps, err := ts.Store.Parked(ctx, "ALA-01", day)
			if err != nil {
				t.Fatal(err)
			}
			last := ps[len(ps)-1]
			if last.Record.ID != tc.id || last.User != "u4" || last.Window != "4" || !last.ParkedAt.Equal(clock.Now()) || last.Record.Payload != nil {
				t.Errorf("Parked after parking %s: %+v", api.MaskID(tc.id), last)
			}
		}
	}
	if ps, err := ts.Store.Parked(ctx, "ALA-01", day); err != nil || len(ps) != 0 {
		t.Errorf("Parked after call back and no-show = %+v, %v; want none", ps, err)
	}
	if r, err := ts.Store.Get(ctx, a.ApplicationID); err != nil || r.State != api.StateCalled || r.Window != "6" || !r.CalledAt.Equal(clock.Now().Add(-time.Minute)) {
		t.Errorf("called back ticket = %+v, %v; want called at window 6", r, err)
	}
}

// testServiceFigures: a clerk's count and service time, from the last call
// to the completion, of visits completed with an outcome since a time.
func testServiceFigures(t *testing.T, open Open) {
	ctx := context.Background()
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	for _, d := range []time.Duration{4 * time.Minute, 8 * time.Minute} {
		tk := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
		callNext(t, ts, "1")
		clock.Set(clock.Now().Add(d))
		if _, err := ts.Store.Transition(ctx, central.TransitionRequest{ID: tk.ApplicationID, Action: central.ActionComplete, Now: clock.Now(),
			Outcome: &central.Outcome{User: "u1", Result: central.ResultIIN}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		user  string
		since time.Time
		want  central.ServiceFigures
	}{
		{"u1", Morning(), central.ServiceFigures{Served: 2, Total: 12 * time.Minute}},
		{"u1", Morning().Add(5 * time.Minute), central.ServiceFigures{Served: 1, Total: 8 * time.Minute}},
		{"u2", Morning(), central.ServiceFigures{}},
	} {
		if f, err := ts.Store.ServiceFigures(ctx, tc.user, tc.since); err != nil || f != tc.want {
			t.Errorf("ServiceFigures(%s, %v) = %+v, %v; want %+v", tc.user, tc.since, f, err, tc.want)
		}
	}
}

// testDeskGuards: the store's checks for the console, made in the
// transaction that would change the ticket: a call (next or back) to a
// window with a visitor called is refused with ErrWindowBusy when asked; an
// action from another window than the visitor's with ErrNotYourWindow; a
// redirect to a window nobody staffs, or older than StaleBefore, is any
// window's, still first.
func testDeskGuards(t *testing.T, open Open) {
	ctx := context.Background()
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	day := Morning().Format(time.DateOnly)
	var tks []api.Ticket
	for range 5 {
		tks = append(tks, mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now())))
		clock.Set(clock.Now().Add(time.Minute))
	}
	call := func(window string, free bool, staffed []string, stale time.Time) (central.Record, error) {
		return ts.Store.CallNext(ctx, central.CallRequest{Branch: "ALA-01", Day: day, Window: window, Now: clock.Now(),
			PriorityRatio: 2, Free: free, Staffed: staffed, StaleBefore: stale})
	}
	tr := func(id string, act central.Action, window, at string) (central.Record, error) {
		return ts.Store.Transition(ctx, central.TransitionRequest{ID: id, Action: act, Now: clock.Now(), Window: window, AtWindow: at, User: "u1"})
	}
	if r, err := call("1", true, nil, time.Time{}); err != nil || r.ID != tks[0].ApplicationID {
		t.Fatalf("first call = %+v, %v", r, err)
	}
	if _, err := call("1", true, nil, time.Time{}); !errors.Is(err, central.ErrWindowBusy) {
		t.Errorf("a free call at a busy window = %v, want ErrWindowBusy", err)
	}
	for _, act := range []central.Action{central.ActionRecall, central.ActionPark, central.ActionComplete, central.ActionNoShow, central.ActionRedirect} {
		if _, err := tr(tks[0].ApplicationID, act, "", "2"); !errors.Is(err, central.ErrNotYourWindow) {
			t.Errorf("%s from window 2 of window 1's visitor = %v, want ErrNotYourWindow", act, err)
		}
	}
	if _, err := tr(tks[0].ApplicationID, central.ActionPark, "", "1"); err != nil {
		t.Fatalf("park at the visitor's window: %v", err)
	}
	if r, err := call("1", false, nil, time.Time{}); err != nil || r.ID != tks[1].ApplicationID {
		t.Fatalf("call after the park = %+v, %v", r, err)
	}
	if _, err := tr(tks[0].ApplicationID, central.ActionCallBack, "1", "1"); !errors.Is(err, central.ErrWindowBusy) {
		t.Errorf("call back to a busy window = %v, want ErrWindowBusy", err)
	}
	if r, err := tr(tks[0].ApplicationID, central.ActionCallBack, "2", "2"); err != nil || r.State != api.StateCalled || r.Window != "2" {
		t.Errorf("call back to a free window = %+v, %v", r, err)
	}
	// Window 1 sends its visitor to window 5.
	redirect := func(id string) {
		t.Helper()
		if _, err := ts.Store.Transition(ctx, central.TransitionRequest{ID: id, Action: central.ActionRedirect, Service: "iin", Now: clock.Now(),
			AtWindow: "1", Redirect: &central.Redirect{User: "u1", From: "1", Window: "5"}}); err != nil {
			t.Fatal(err)
		}
	}
	redirect(tks[1].ApplicationID)
	for _, tc := range []struct {
		name    string
		window  string
		staffed []string
		stale   time.Time
		want    string
	}{
		{"window 5 staffed", "3", []string{"3", "5"}, clock.Now().Add(-time.Minute), tks[2].ApplicationID},
		{"no session at window 5", "4", []string{"4"}, time.Time{}, tks[1].ApplicationID},
	} {
		if r, err := call(tc.window, true, tc.staffed, tc.stale); err != nil || r.ID != tc.want {
			t.Errorf("%s: call at %s = %s, %v; want %s", tc.name, tc.window, r.Number, err, api.MaskID(tc.want))
		}
	}
	clock.Set(clock.Now().Add(time.Minute))
	if _, err := tr(tks[2].ApplicationID, central.ActionComplete, "", "3"); err != nil {
		t.Fatal(err)
	}
	if _, err := tr(tks[1].ApplicationID, central.ActionComplete, "", "4"); err != nil {
		t.Fatal(err)
	}
	if _, err := tr(tks[0].ApplicationID, central.ActionComplete, "", "2"); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Minute))
	if r, err := call("1", true, nil, time.Time{}); err != nil || r.ID != tks[3].ApplicationID {
		t.Fatalf("call at window 1 = %+v, %v", r, err)
	}
	redirect(tks[3].ApplicationID)
	at := clock.Now()
	clock.Set(at.Add(time.Minute))
	if r, err := call("3", true, []string{"3", "5"}, at.Add(-time.Second)); err != nil || r.ID != tks[4].ApplicationID {
		t.Errorf("call before the redirect is stale = %s, %v; want %s", r.Number, err, tks[4].Number)
	}
	if r, err := call("2", true, []string{"2", "5"}, at); err != nil || r.ID != tks[3].ApplicationID {
		t.Errorf("call once the redirect is stale = %s, %v; want %s", r.Number, err, tks[3].Number)
	}
}
