package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// testBranchEvents: events are stored with growing ids, read back per
// branch in id order after an id, and dropped when the branch appends one
// two days later.
func testBranchEvents(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	t.Cleanup(func() { s.Close() })
	if last, err := s.LastBranchEvent(ctx, "ALA-01"); err != nil || last != 0 {
		t.Fatalf("LastBranchEvent of an empty store = %d, %v; want 0", last, err)
	}
	at := Morning()
	in := []api.BranchEvent{
		{Kind: api.ChangeIssued, Branch: "ALA-01", Number: "A001", Service: "passport", Kiosk: "K-01", At: at},
		{Kind: api.ChangeKiosk, Branch: "AST-01", Kiosk: "K-02", At: at.Add(time.Second)},
		{Kind: api.ChangeCalled, Branch: "ALA-01", Number: "A001", Window: "3", Service: "passport", At: at.Add(2 * time.Second)},
	}
	var prev int64
	for i := range in {
		id, err := s.AppendBranchEvent(ctx, in[i])
		if err != nil {
			t.Fatalf("AppendBranchEvent: %v", err)
		}
		if id <= prev {
			t.Fatalf("id %d after %d, want growing ids", id, prev)
		}
		in[i].ID, prev = id, id
	}
	got, err := s.BranchEventsAfter(ctx, "ALA-01", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []api.BranchEvent{in[0], in[2]}; !sameEvents(got, want) {
		t.Errorf("BranchEventsAfter(ALA-01, 0) = %+v, want %+v", got, want)
	}
	if got, _ := s.BranchEventsAfter(ctx, "ALA-01", in[0].ID, 10); !sameEvents(got, in[2:]) {
		t.Errorf("BranchEventsAfter(ALA-01, %d) = %+v, want %+v", in[0].ID, got, in[2:])
	}
	if got, _ := s.BranchEventsAfter(ctx, "ALA-01", 0, 1); !sameEvents(got, in[:1]) {
		t.Errorf("BranchEventsAfter(limit 1) = %+v, want %+v", got, in[:1])
	}
	if last, err := s.LastBranchEvent(ctx, "ALA-01"); err != nil || last != in[2].ID {
		t.Errorf("LastBranchEvent = %d, %v; want %d", last, err, in[2].ID)
	}
	// Two days and a second later the first events are dropped.
	late := api.BranchEvent{Kind: api.ChangeIssued, Branch: "ALA-01", Number: "A001", At: at.Add(48*time.Hour + 1500*time.Millisecond)}
	if late.ID, err = s.AppendBranchEvent(ctx, late); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.BranchEventsAfter(ctx, "ALA-01", 0, 10); !sameEvents(got, []api.BranchEvent{in[2], late}) {
		t.Errorf("after two days = %+v, want the last call and the new event", got)
	}
	// Another branch's are its own appends' to drop.
	if got, _ := s.BranchEventsAfter(ctx, "AST-01", 0, 10); !sameEvents(got, in[1:2]) {
		t.Errorf("AST-01 after ALA-01's append = %+v, want its event kept", got)
	}
}

// testBranchEventsConcurrent: appends at once all get distinct ids and are
// all read back.
func testBranchEventsConcurrent(t *testing.T, open Open) {
	s := open(t)
	t.Cleanup(func() { s.Close() })
	appendMany(t, s, s, 40)
}

// appendMany appends n events at once, half through each store, and
// checks the branch's events read back are those, in id order.
func appendMany(t *testing.T, a, b central.Store, n int) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make(chan int64, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			id, err := s.AppendBranchEvent(ctx, api.BranchEvent{Kind: api.ChangeIssued, Branch: "ALA-01", Number: fmt.Sprintf("A%03d", i+1), At: Morning()})
			if err != nil {
				t.Errorf("AppendBranchEvent: %v", err)
			}
			ids <- id
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("id %d given twice", id)
		}
		seen[id] = true
	}
	for _, s := range []central.Store{a, b} {
		got, err := s.BranchEventsAfter(ctx, "ALA-01", 0, 2*n)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Errorf("read %d events back, want %d", len(got), n)
		}
		for i, e := range got {
			if !seen[e.ID] || (i > 0 && e.ID <= got[i-1].ID) {
				t.Errorf("event %d: id %d unknown or out of order", i, e.ID)
			}
		}
	}
}

func sameEvents(got, want []api.BranchEvent) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.At.Equal(w.At) {
			return false
		}
		g.At, w.At = time.Time{}, time.Time{}
		if g != w {
			return false
		}
	}
	return true
}

// OpenTwo returns two stores on one fresh database, as two server
// processes would open it; the caller closes them.
type OpenTwo func(t *testing.T) (a, b central.Store)

// RunShared runs the cases of several server processes on one database.
func RunShared(t *testing.T, open OpenTwo) {
	t.Run("CallNextAcrossStores", func(t *testing.T) { testCallNextAcross(t, open) })
	t.Run("BranchEventsAcrossStores", func(t *testing.T) {
		a, b := open(t)
		t.Cleanup(func() { a.Close(); b.Close() })
		appendMany(t, a, b, 40)
	})
}

// testCallNextAcross: clerks of two servers on one database call next at
// once; no ticket is called twice and every one is called.
func testCallNextAcross(t *testing.T, open OpenTwo) {
	const tickets, clerks = 60, 6
	a, b := open(t)
	clock := NewClock(Morning())
	servers := []*Server{Start(t, a, clock, 2), Start(t, b, clock, 2)}
	for i := 0; i < tickets; i++ {
		mustSubmit(t, servers[i%2], Application(fmt.Sprintf("K-%02d", i%2+1), api.LaneOrdinary, clock.Now()))
	}
	for _, ts := range servers {
		ts.Clerk(t, "ALA-01") // minted before the goroutines
	}
	var mu sync.Mutex
	called := map[string]string{}
	var wg sync.WaitGroup
	for w := 1; w <= clerks; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts := servers[w%2]
			for {
				st, call := callNext(t, ts, fmt.Sprint(w))
				if st != 200 {
					if st != 204 {
						t.Errorf("call-next = %d", st)
					}
					return
				}
				id := call.Status.Ticket.ApplicationID
				mu.Lock()
				if prev, dup := called[id]; dup {
					t.Errorf("ticket %s called to window %s and %d", call.Status.Ticket.Number, prev, w)
				}
				called[id] = fmt.Sprint(w)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(called) != tickets {
		t.Errorf("%d tickets called, want %d", len(called), tickets)
	}
}
