package uplink_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// countPosts counts the submissions that reach the backend.
func countPosts(n *atomic.Int32) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "POST" && r.URL.Path == "/v1/applications" {
				n.Add(1)
			}
			h.ServeHTTP(w, r)
		})
	}
}

// TestRejectedKept: the backend refuses an offline ticket's application
// because its number is already another ticket's (a second outbox of the
// same kiosk printed it too). The visitor holds the paper, so the entry
// stays, sealed, counted as rejected with the server's code, through a
// restart; a number taken stays taken, so it is not sent again.
func TestRejectedKept(t *testing.T) {
	b := newBackend(t)
	var posts atomic.Int32
	b.wrap = countPosts(&posts)
	other := b.options(t)
	offlineTickets(t, other, 1)
	clk := storetest.NewClock(time.Now())
	o := b.options(t)
	o.Now, o.RejectedRetry = clk.Now, time.Minute
	got := offlineTickets(t, o, 1)[0]
	b.start()
	if n, err := open(t, other).Sync(context.Background()); n != 1 || err != nil {
		t.Fatalf("the other outbox's K001 = %d, %v; want delivered", n, err)
	}

	u := open(t, o)
	if n, err := u.Sync(context.Background()); n != 0 || err != nil {
		t.Fatalf("Sync of a refused entry = %d, %v; want 0, nil", n, err)
	}
	want := uplink.Counts{Rejected: 1, RejectedBy: map[string]int{"409 " + api.CodeNumberTaken: 1}}
	if c := counts(t, u); c.Pending != 0 || c.Rejected != 1 || c.RejectedBy["409 number-taken"] != 1 || c.Quarantined != 0 {
		t.Errorf("counts after the refusal = %+v, want %+v", c, want)
	}
	if n := depth(t, u); n != 0 {
		t.Errorf("Depth = %d, want 0: a refused entry does not wait for delivery", n)
	}
	if st, _ := b.status(got.Ticket.ApplicationID); st != 404 {
		t.Errorf("the backend has the refused application: %d", st)
	}
	u.Close()

	sent := posts.Load()
	clk.Set(clk.Now().Add(time.Hour))
	u = open(t, o)
	if c := counts(t, u); c.Rejected != 1 || c.RejectedBy["409 number-taken"] != 1 {
		t.Errorf("counts after a restart = %+v, want the refusal kept", c)
	}
	if _, err := u.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if posts.Load() != sent {
		t.Errorf("a number-taken refusal was sent again (%d submissions, want %d)", posts.Load(), sent)
	}
}

// refusing answers submissions 403, as a backend does to a kiosk whose
// credential is not enrolled yet, while refuse is set.
func refusing(refuse *atomic.Bool) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if refuse.Load() && r.Method == "POST" && r.URL.Path == "/v1/applications" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				w.Write([]byte(`{"code":"forbidden","message":"credential not enrolled"}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// TestRejectedRetried: a refusal of the kiosk's identity (401, 403) or of
// the route (404, 408) says nothing about the application; once the
// credential is enrolled the printed tickets are delivered, at the next
// retry (RejectedRetry) or at once after a restart.
func TestRejectedRetried(t *testing.T) {
	tests := map[string]func(t *testing.T, u *uplink.Uplink, o uplink.Options, clk *storetest.Clock) *uplink.Uplink{
		"later": func(t *testing.T, u *uplink.Uplink, o uplink.Options, clk *storetest.Clock) *uplink.Uplink {
			if n, err := u.Sync(context.Background()); n != 0 || err != nil {
				t.Errorf("Sync before the retry is due = %d, %v; want 0", n, err)
			}
			clk.Set(clk.Now().Add(o.RejectedRetry))
			return u
		},
		"after a restart": func(t *testing.T, u *uplink.Uplink, o uplink.Options, clk *storetest.Clock) *uplink.Uplink {
			u.Close()
			return open(t, o)
		},
	}
	for name, then := range tests {
		t.Run(name, func(t *testing.T) {
			b := newBackend(t)
			var refuse atomic.Bool
			refuse.Store(true)
			b.wrap = refusing(&refuse)
			clk := storetest.NewClock(time.Now())
			o := b.options(t)
			o.Now, o.RejectedRetry = clk.Now, time.Minute
			got := offlineTickets(t, o, 2)
			b.start()
			u := open(t, o)
			if n, err := u.Sync(context.Background()); n != 0 || err != nil {
				t.Fatalf("Sync while refused = %d, %v", n, err)
			}
			if c := counts(t, u); c.Rejected != 2 || c.RejectedBy["403 forbidden"] != 2 {
				t.Fatalf("counts while refused = %+v, want 2 rejected (403 forbidden)", c)
			}
			refuse.Store(false)
			u = then(t, u, o, clk)
			if n, err := u.Sync(context.Background()); n != 2 || err != nil {
				t.Fatalf("Sync once enrolled = %d, %v; want 2", n, err)
			}
			if c := counts(t, u); c.Rejected != 0 || c.Pending != 0 {
				t.Errorf("counts after delivery = %+v, want none", c)
			}
			for _, r := range got {
				if st, s := b.status(r.Ticket.ApplicationID); st != 200 || s.Ticket.Number != r.Ticket.Number {
					t.Errorf("server has %d %+v, want the printed %s", st, s.Ticket, r.Ticket.Number)
				}
			}
		})
	}
}

// TestRejectedUnprintedWiped: refused while the visitor waits, nothing was
// printed and the screen says so; nothing is kept of it.
func TestRejectedUnprintedWiped(t *testing.T) {
	b := newBackend(t)
	b.start()
	o := b.options(t)
	u := open(t, o)
	a := application()
	a.Service = "no-such-service"
	if _, err := u.Submit(context.Background(), a); !errors.Is(err, uplink.ErrRejected) {
		t.Fatalf("Submit for an unknown service = %v, want ErrRejected", err)
	}
	if c := counts(t, u); c.Pending != 0 || c.Rejected != 0 || c.Quarantined != 0 {
		t.Errorf("counts = %+v, want nothing kept", c)
	}
	db, err := sql.Open("sqlite", o.OutboxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows int
	if err := db.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("outbox rows = %d, %v; want none", rows, err)
	}
}

// TestLegacyRejected: an outbox from before this change marked refusals
// with the whole error and never counted them. At start they are counted
// under the server's code; those never printed are wiped.
func TestLegacyRejected(t *testing.T) {
	b := newBackend(t)
	o := b.options(t)
	got := offlineTickets(t, o, 1)[0]
	out, err := uplink.OpenOutbox(context.Background(), o.OutboxPath, o.OutboxKey)
	if err != nil {
		t.Fatal(err)
	}
	unprinted := storetest.Application("K-01", api.LaneOrdinary, time.Now())
	if err := out.Put(context.Background(), unprinted, time.Now()); err != nil {
		t.Fatal(err)
	}
	out.Close()
	old := "uplink: backend rejected the request: 409 number-taken: central: number K001 already in use"
	outboxSQL(t, o.OutboxPath, `UPDATE outbox SET rejected = ?`, old)
	u := open(t, o)
	if c := counts(t, u); c.Pending != 0 || c.Rejected != 1 || c.RejectedBy["409 number-taken"] != 1 {
		t.Errorf("counts of a legacy outbox = %+v, want %s counted once as 409 number-taken", c, api.MaskID(got.Ticket.ApplicationID))
	}
}

// refusingWith answers submissions with status while refuse is set, as a
// backend does to a kiosk whose credential is revoked (403) or a proxy
// during an upgrade (404) or a slow link (408).
func refusingWith(status int, refuse *atomic.Bool) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if refuse.Load() && r.Method == "POST" && r.URL.Path == "/v1/applications" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				w.Write([]byte(`{"code":"forbidden","message":"not for this kiosk"}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// TestSubmitRefusedForTheKiosk: a refusal about the kiosk rather than the
// application (Retryable: 401, 403, 404, 408) while the visitor waits is
// handled as no answer: the visitor gets an offline ticket and the entry
// stays, to be delivered once the kiosk is fixed. Refusing every visitor
// of a kiosk with a revoked token or behind a proxy being upgraded would
// be worse than printing offline.
func TestSubmitRefusedForTheKiosk(t *testing.T) {
	for _, status := range []int{http.StatusForbidden, http.StatusNotFound, http.StatusRequestTimeout} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			b := newBackend(t)
			var refuse atomic.Bool
			refuse.Store(true)
			b.wrap = refusingWith(status, &refuse)
			b.start()
			clk := storetest.NewClock(time.Now())
			o := b.options(t)
			o.Now, o.RejectedRetry = clk.Now, time.Minute
			uplinktest.Learn(t, o)
			u := open(t, o)
			r, err := u.Submit(context.Background(), application())
			if err != nil || !r.Offline || r.Ticket.Number != "K001" {
				t.Fatalf("Submit refused %d = %+v, %v; want the offline K001", status, r, err)
			}
			if c := counts(t, u); c.Pending != 1 {
				t.Fatalf("counts after Submit refused %d = %+v; want the entry kept", status, c)
			}
			if _, err := u.Sync(context.Background()); err != nil {
				t.Fatal(err)
			}
			if c := counts(t, u); c.Pending+c.Rejected != 1 {
				t.Fatalf("counts after a Sync refused %d = %+v; want the entry kept", status, c)
			}
			refuse.Store(false)
			clk.Set(clk.Now().Add(o.RejectedRetry))
			if n, err := u.Sync(context.Background()); n != 1 || err != nil {
				t.Fatalf("Sync once fixed = %d, %v; want 1", n, err)
			}
			if st, s := b.status(r.Ticket.ApplicationID); st != http.StatusOK || s.Ticket.Number != "K001" {
				t.Errorf("the backend has %d %+v, want the printed K001", st, s.Ticket)
			}
		})
	}
}

// TestUnprintedRefusedForTheKiosk: an entry that was never printed (the
// kiosk stopped first) and is refused for the kiosk's sake is not wiped:
// it is delivered once the kiosk is fixed, through a restart, and reported
// not printed.
func TestUnprintedRefusedForTheKiosk(t *testing.T) {
	b := newBackend(t)
	var refuse atomic.Bool
	refuse.Store(true)
	b.wrap = refusingWith(http.StatusForbidden, &refuse)
	o := b.options(t)
	out, err := uplink.OpenOutbox(context.Background(), o.OutboxPath, o.OutboxKey)
	if err != nil {
		t.Fatal(err)
	}
	a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
	if err := out.Put(context.Background(), a, time.Now()); err != nil {
		t.Fatal(err)
	}
	out.Close()
	b.start()
	u := open(t, o)
	if _, err := u.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c := counts(t, u); c.Pending+c.Rejected != 1 {
		t.Fatalf("counts after a refusal of the kiosk = %+v; want the entry kept", c)
	}
	u.Close()
	refuse.Store(false)
	u = open(t, o) // refusals of the kiosk are sent again at a start
	if n, err := u.Sync(context.Background()); n != 1 || err != nil {
		t.Fatalf("Sync once fixed = %d, %v; want 1", n, err)
	}
	if st, s := b.status(a.ID); st != http.StatusOK || s.State != api.StateNotPrinted {
		t.Errorf("the backend has %d %s, want the application, not printed", st, s.State)
	}
}
