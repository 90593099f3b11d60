package central_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// lockedBuffer is a log written from the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestActParkRedirect: the console's park, call back and redirect move
// the ticket, tell the branch's watchers (a call back is a call, for the
// display) and leave an audit entry; a redirect that leads nowhere and an
// action that does not fit change nothing and tell nobody.
func TestActParkRedirect(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	logs := &lockedBuffer{}
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(1), Key: storetest.Key(), Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); hs.Close(); store.Close() })
	ts := hs.URL
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a guard, not a wait
	defer cancel()
	kiosk := storetest.Bearer(http.DefaultClient, storetest.Mint(t, store, central.RoleKiosk, "ALA-01", "K-01"))
	st, b := storetest.Do(t, kiosk, "POST", ts+"/v1/applications", storetest.Application("K-01", api.LaneOrdinary, clock.Now()))
	if st != http.StatusCreated {
		t.Fatalf("submit = %d: %s", st, b)
	}
	id := storetest.Decode[api.Ticket](t, b).ApplicationID
	events, err := srv.Watch(ctx, "ALA-01", -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CallNextAt(ctx, "u1", "ALA-01", 2); err != nil {
		t.Fatal(err)
	}
	if e := <-events; e.Kind != api.ChangeCalled {
		t.Fatalf("first event %+v, want the call", e)
	}
	note := "копия свидетельства о рождении"
	for _, tc := range []struct {
		name       string
		act        central.ClerkAction
		err        error
		state      api.State
		kind       api.Change
		window     string
		auditEntry string
	}{
		{"park", central.ClerkAction{Action: central.ActionPark, Window: 2}, nil, api.StateParked, api.ChangeParked, "2", "action=parked"},
		{"recall of parked", central.ClerkAction{Action: central.ActionRecall, Window: 2}, central.ErrBadState, api.StateParked, "", "", ""},
		{"call back to no window", central.ClerkAction{Action: central.ActionCallBack}, central.ErrBadState, api.StateParked, "", "", ""},
		{"call back", central.ClerkAction{Action: central.ActionCallBack, Window: 3}, nil, api.StateCalled, api.ChangeCalled, "3", `action="called back"`},
		{"call back of called", central.ClerkAction{Action: central.ActionCallBack, Window: 3}, central.ErrBadState, api.StateCalled, "", "", ""},
		{"redirect nowhere", central.ClerkAction{Action: central.ActionRedirect, Window: 3}, central.ErrBadRedirect, api.StateCalled, "", "", ""},
		{"redirect to both", central.ClerkAction{Action: central.ActionRedirect, Window: 3, Service: "iin", ToWindow: 4}, central.ErrBadRedirect, api.StateCalled, "", "", ""},
		{"redirect to own window", central.ClerkAction{Action: central.ActionRedirect, Window: 3, ToWindow: 3}, central.ErrBadRedirect, api.StateCalled, "", "", ""},
		{"redirect to window 9", central.ClerkAction{Action: central.ActionRedirect, Window: 3, ToWindow: 9}, central.ErrBadRedirect, api.StateCalled, "", "", ""},
		{"redirect to no service", central.ClerkAction{Action: central.ActionRedirect, Window: 3, Service: "nope"}, central.ErrBadRedirect, api.StateCalled, "", "", ""},
		{"another branch", central.ClerkAction{Branch: "AST-01", Action: central.ActionPark, Window: 3}, central.ErrOtherBranch, api.StateCalled, "", "", ""},
		{"redirect to window 5", central.ClerkAction{Action: central.ActionRedirect, Window: 3, ToWindow: 5, Note: note}, nil, api.StateWaiting, api.ChangeRedirected, "5", "action=redirected"},
	} {
		a := tc.act
		a.ID, a.User = id, "u1"
		if a.Branch == "" {
			a.Branch = "ALA-01"
		}
		clock.Set(clock.Now().Add(time.Minute))
		_, err := srv.Act(ctx, a)
		if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("%s: Act = %v, want %v", tc.name, err, tc.err)
		}
		if rec, err := store.Get(ctx, id); err != nil || rec.State != tc.state {
			t.Errorf("%s: the ticket is %s (%v), want %s", tc.name, rec.State, err, tc.state)
		}
		if tc.kind == "" {
			continue // the next event read must be the next success's
		}
		select {
		case e := <-events:
			if e.Kind != tc.kind || e.Window != tc.window || !e.At.Equal(clock.Now()) {
				t.Errorf("%s: event %+v, want %s at window %q", tc.name, e, tc.kind, tc.window)
			}
		case <-ctx.Done():
			t.Fatalf("%s: no event", tc.name)
		}
		if !strings.Contains(logs.String(), tc.auditEntry) {
			t.Errorf("%s: no audit entry %s", tc.name, tc.auditEntry)
		}
	}
	rds, err := srv.Redirects(ctx, "ALA-01")
	if err != nil {
		t.Fatal(err)
	}
	if rd := rds[id]; rd.From != "3" || rd.Window != "5" || rd.Service != "iin" || rd.Note != note {
		t.Errorf("Redirects = %+v, want from 3 to 5 with the note", rds)
	}
	if strings.Contains(logs.String(), note) {
		t.Error("the log holds the redirect's comment")
	}
}
