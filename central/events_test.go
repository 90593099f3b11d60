package central_test

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
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

func newServer(t *testing.T, store central.Store) *central.Server {
	t.Helper()
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(2), Key: storetest.Key(), Now: storetest.Morning})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// next takes the next event of a stream, failing the test when it ends
// first or ctx (the test's guard) does.
func next(t *testing.T, ctx context.Context, ch <-chan api.BranchEvent) api.BranchEvent {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("the stream ended")
		}
		return e
	case <-ctx.Done():
		t.Fatal("no event before the guard's deadline")
	}
	return api.BranchEvent{}
}

func event(n int) api.BranchEvent {
	return api.BranchEvent{Kind: api.ChangeCalled, Branch: "ALA-01", Number: fmt.Sprintf("A%03d", n), Window: "1", At: storetest.Morning()}
}

// TestWatchResumesAfterRestart: the events a server emitted are there for
// the next server on the database: a stream resuming after an id gets the
// stored ones after it, then the live ones, each once, in order.
func TestWatchResumesAfterRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store := newStore(t)
	t.Cleanup(func() { store.Close() })
	first := newServer(t, store)
	for i := 1; i <= 3; i++ {
		first.Emit(ctx, event(i))
	}
	first.Close()

	again := newServer(t, store)
	all, err := again.Watch(ctx, "ALA-01", 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := 1; i <= 3; i++ {
		e := next(t, ctx, all)
		if e.Number != event(i).Number {
			t.Fatalf("event %d = %+v, want %s", i, e, event(i).Number)
		}
		ids = append(ids, e.ID)
	}
	resumed, err := again.Watch(ctx, "ALA-01", ids[0])
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := again.Watch(ctx, "ALA-01", -1)
	if err != nil {
		t.Fatal(err)
	}
	again.Emit(ctx, event(4))
	for _, c := range []struct {
		name string
		ch   <-chan api.BranchEvent
		want []string
	}{
		{"from the start", all, []string{"A004"}},
		{"resumed after the first", resumed, []string{"A002", "A003", "A004"}},
		{"new events only", fresh, []string{"A004"}},
	} {
		for _, w := range c.want {
			if e := next(t, ctx, c.ch); e.Number != w {
				t.Errorf("%s: got %s, want %s", c.name, e.Number, w)
			}
		}
	}
	// Each once: after A005, nothing else is waiting before it.
	again.Emit(ctx, event(5))
	for _, ch := range []<-chan api.BranchEvent{all, resumed, fresh} {
		if e := next(t, ctx, ch); e.Number != "A005" {
			t.Errorf("after A004 came %+v, want A005", e)
		}
	}
}

// TestWatchNeverSkips: streams opened while events are emitted, and one
// that reads nothing until the end, each get every event once, in order:
// nothing lost between the replay and the live events, nothing lost by
// falling behind.
func TestWatchNeverSkips(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	store := newStore(t)
	t.Cleanup(func() { store.Close() })
	srv := newServer(t, store)
	const n = 300
	slow, err := srv.Watch(ctx, "ALA-01", 0)
	if err != nil {
		t.Fatal(err)
	}
	var streams []<-chan api.BranchEvent
	for i := 1; i <= n; i++ {
		srv.Emit(ctx, event(i))
		if i%50 == 0 {
			ch, err := srv.Watch(ctx, "ALA-01", 0)
			if err != nil {
				t.Fatal(err)
			}
			streams = append(streams, ch)
		}
	}
	var wg sync.WaitGroup
	for k, ch := range append(streams, slow) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= n; i++ {
				select {
				case e := <-ch:
					if want := event(i).Number; e.Number != want {
						t.Errorf("stream %d: event %d = %s, want %s", k, i, e.Number, want)
						return
					}
				case <-ctx.Done():
					t.Errorf("stream %d: %d events, want %d", k, i-1, n)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// failingEvents is a store whose branch events cannot be stored.
type failingEvents struct{ central.Store }

func (failingEvents) AppendBranchEvent(context.Context, api.BranchEvent) (int64, error) {
	return 0, errors.New("disk full")
}

// TestEmitFailureLeavesTheCall: a clerk's call stands when its event
// cannot be stored; the event is lost, not the call.
func TestEmitFailureLeavesTheCall(t *testing.T) {
	clock := storetest.NewClock(storetest.Morning())
	ts := storetest.Start(t, failingEvents{newStore(t)}, clock, 1)
	st, _ := storetest.Do(t, ts.Kiosk(t, "K-01"), "POST", ts.URL+"/v1/applications", storetest.Application("K-01", api.LaneOrdinary, clock.Now()))
	if st != http.StatusCreated {
		t.Fatalf("submit = %d, want 201", st)
	}
	if st, b := storetest.Do(t, ts.Clerk(t, "ALA-01"), "POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil); st != http.StatusOK {
		t.Fatalf("call-next = %d %s, want 200", st, b)
	}
}

// TestWatchAcrossProcesses: two servers on one PostgreSQL database, as
// two processes: each one's streams get the events the other emits.
func TestWatchAcrossProcesses(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var srv [2]*central.Server
	var streams [2]<-chan api.BranchEvent
	for i := range srv {
		store, err := postgres.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		srv[i] = newServer(t, store)
		if streams[i], err = srv[i].Watch(ctx, "ALA-01", -1); err != nil {
			t.Fatal(err)
		}
	}
	srv[0].Emit(ctx, event(1))
	srv[1].Emit(ctx, event(2))
	for i, ch := range streams {
		for _, want := range []string{"A001", "A002"} {
			if e := next(t, ctx, ch); e.Number != want {
				t.Errorf("server %d: got %s, want %s", i+1, e.Number, want)
			}
		}
	}
}

// TestWatchResumesAheadOfTheFeed: a display that saw an event another
// process stored, whose notice this process has not had yet, resumes on
// this process after that event: it never hears it twice.
func TestWatchResumesAheadOfTheFeed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store := newStore(t)
	t.Cleanup(func() { store.Close() })
	srv := newServer(t, store)
	// A stream already open: this process follows the branch.
	open, err := srv.Watch(ctx, "ALA-01", -1)
	if err != nil {
		t.Fatal(err)
	}
	srv.Emit(ctx, event(1))
	next(t, ctx, open)
	// Stored by "another process": this server's feed is not told.
	seen, err := store.AppendBranchEvent(ctx, event(2))
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := srv.Watch(ctx, "ALA-01", seen)
	if err != nil {
		t.Fatal(err)
	}
	srv.Emit(ctx, event(3))
	if e := next(t, ctx, resumed); e.Number != "A003" {
		t.Errorf("after resuming at A002 came %+v, want A003", e)
	}
}

// silentNotifier is a store whose listening connection died without a
// word: it never sends a notice.
type silentNotifier struct{ central.Store }

func (silentNotifier) Notifications(ctx context.Context) <-chan central.EventNotice {
	ch := make(chan central.EventNotice)
	go func() { <-ctx.Done(); close(ch) }()
	return ch
}

// TestWatchRechecks: a server sharing its database reads the branches it
// follows now and then without a notice, so an event another process
// stored reaches its streams even when the notice was lost.
func TestWatchRechecks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store := newStore(t)
	t.Cleanup(func() { store.Close() })
	srv, err := central.NewServer(central.Options{Store: silentNotifier{store}, Registry: central.Demo(2), Key: storetest.Key(),
		Now: storetest.Morning, EventRecheck: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ch, err := srv.Watch(ctx, "ALA-01", -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.AppendBranchEvent(ctx, event(7)); err != nil { // another process's, its notice lost
		t.Fatal(err)
	}
	if e := next(t, ctx, ch); e.Number != "A007" {
		t.Errorf("got %+v, want A007", e)
	}
}
