package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// testCallWithEvent: a call-next that carries its branch event stores it
// with the call, named after the ticket it called; a call of an empty
// queue stores none.
func testCallWithEvent(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	t.Cleanup(func() { s.Close() })
	const day = "2025-09-24"
	r := central.Record{ID: api.NewID(), Branch: "ALA-01", Kiosk: "K-01", Service: "iin", Lane: api.LaneOrdinary, Day: day, IssuedAt: Morning()}
	issued, _, err := s.Issue(ctx, central.IssueRequest{Record: r, Prefix: "A"})
	if err != nil {
		t.Fatal(err)
	}
	at := Morning().Add(time.Minute)
	call := func() (central.Record, error) {
		return s.CallNext(ctx, central.CallRequest{Branch: "ALA-01", Day: day, Window: "3", Now: at, PriorityRatio: 2,
			Event: &api.BranchEvent{Kind: api.ChangeCalled, Branch: "ALA-01", Window: "3", At: at}})
	}
	got, err := call()
	if err != nil || got.Number != issued.Number {
		t.Fatalf("CallNext = %s, %v; want %s", got.Number, err, issued.Number)
	}
	if _, err := call(); !errors.Is(err, central.ErrEmpty) {
		t.Fatalf("CallNext of an empty queue = %v, want ErrEmpty", err)
	}
	evs, err := s.BranchEventsAfter(ctx, "ALA-01", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("events = %+v, want the one call", evs)
	}
	if e := evs[0]; e.Kind != api.ChangeCalled || e.Number != issued.Number || e.Service != "iin" || e.Window != "3" || !e.At.Equal(at) || e.ID <= 0 {
		t.Errorf("event = %+v, want %s called to window 3 at %v", e, issued.Number, at)
	}
}

// testIssueWithEvent: an issue that carries its branch event stores it
// with the ticket, named after it; a retry of the same id stores none.
func testIssueWithEvent(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	t.Cleanup(func() { s.Close() })
	r := central.Record{ID: api.NewID(), Branch: "ALA-01", Kiosk: "K-07", Service: "iin", Lane: api.LaneOrdinary, Day: "2025-09-24",
		IssuedAt: Morning(), BodyHash: []byte("h")}
	req := central.IssueRequest{Record: r, Prefix: "A", Event: &api.BranchEvent{Kind: api.ChangeIssued, Branch: "ALA-01", At: Morning()}}
	issued, created, err := s.Issue(ctx, req)
	if err != nil || !created {
		t.Fatalf("Issue = %v, %v; want created", created, err)
	}
	if _, created, err := s.Issue(ctx, req); err != nil || created {
		t.Fatalf("Issue again = %v, %v; want the stored ticket", created, err)
	}
	evs, err := s.BranchEventsAfter(ctx, "ALA-01", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("events = %+v, want the one issue", evs)
	}
	if e := evs[0]; e.Kind != api.ChangeIssued || e.Number != issued.Number || e.Service != "iin" || e.Kiosk != "K-07" || !e.At.Equal(Morning()) {
		t.Errorf("event = %+v, want %s issued at K-07", e, issued.Number)
	}
}
