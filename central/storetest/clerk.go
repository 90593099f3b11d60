package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// testTicketsAndServed checks the console's reads: a day's tickets in
// issue order without payloads, and the count of a user's completed
// visits, which only completions with an outcome add to.
func testTicketsAndServed(t *testing.T, open Open) {
	ctx := context.Background()
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	a := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now()))
	clock.Set(clock.Now().Add(time.Minute))
	b := mustSubmit(t, ts, Application("K-01", api.LanePriority, clock.Now()))
	day := Morning().Format(time.DateOnly) // 09:00 in Almaty, the same date as in UTC
	recs, err := ts.Store.Tickets(ctx, "ALA-01", day)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ID != a.ApplicationID || recs[1].ID != b.ApplicationID {
		t.Fatalf("Tickets = %+v, want %s then %s", recs, a.ApplicationID, b.ApplicationID)
	}
	if recs[0].Payload != nil || recs[1].Lane != api.LanePriority || recs[0].State != api.StateWaiting {
		t.Errorf("Tickets gave %+v: want no payload, the lanes and states", recs)
	}
	if other, err := ts.Store.Tickets(ctx, "ALA-02", day); err != nil || len(other) != 0 {
		t.Errorf("Tickets of another branch = %v, %v; want none", other, err)
	}
	for range 2 {
		callNext(t, ts, "2")
	}
	now := clock.Now()
	if _, err := ts.Store.Transition(ctx, central.TransitionRequest{ID: a.ApplicationID, Action: central.ActionComplete, Now: now,
		Outcome: &central.Outcome{User: "u1", Result: central.ResultMissing, Note: []byte("sealed")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.Transition(ctx, central.TransitionRequest{ID: b.ApplicationID, Action: central.ActionComplete, Now: now}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		user  string
		since time.Time
		want  int
	}{{"u1", now, 1}, {"u1", now.Add(time.Second), 0}, {"u2", now.Add(-time.Hour), 0}} {
		if n, err := ts.Store.Served(ctx, tc.user, tc.since); err != nil || n != tc.want {
			t.Errorf("Served(%s, %v) = %d, %v; want %d", tc.user, tc.since, n, err, tc.want)
		}
	}
}
