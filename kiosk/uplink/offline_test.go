package uplink_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// told lets u hear its offline prefix from b, as a kiosk does on its first
// sync, and leaves b up or down as it found it.
func told(t *testing.T, b *backend, u *uplink.Uplink) {
	t.Helper()
	up := b.ts != nil
	if !up {
		b.start()
	}
	if _, err := u.Sync(context.Background()); err != nil {
		t.Fatalf("Sync to hear the offline prefix: %v", err)
	}
	if !up {
		b.stop()
	}
}

// TestOfflinePrefixFromBackend: the kiosk's own offline numbers take the
// prefix the backend's registry gives the kiosk (K-02 has "KAB" in the demo
// registry), learned with a block of no numbers when it lends none, kept
// across a restart; before it has heard it, a visitor with no lent number
// left is sent to the desk and the application arrives marked not printed.
func TestOfflinePrefixFromBackend(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	b.start()
	o := b.kioskOptions(t, "K-02")
	u := open(t, o)
	bk := api.Booking{Code: "482913", BranchID: "ALA-01", Service: "iin", SlotAt: time.Now().Add(time.Hour)}
	if st, body := storetest.Do(t, b.as(central.RoleBooking), "POST", b.url()+"/v1/bookings", bk); st != http.StatusNoContent {
		t.Fatalf("POST /v1/bookings = %d %s, want 204", st, body)
	}
	checkIn, err := u.CheckIn(ctx, api.CheckIn{ID: api.NewID(), KioskID: "K-02", BranchID: "ALA-01", BookingCode: bk.Code})
	if err != nil {
		t.Fatal(err)
	}
	b.stop() // the link goes before the sync loop has run once
	u = reopen(t, u, down(o))
	if n, err := u.Numbering(ctx); err != nil || n.Prefix != "" {
		t.Fatalf("Numbering of a new kiosk = %+v, %v; want none", n, err)
	}
	never := application()
	never.ID = api.NewID()
	_, err = u.Submit(ctx, never)
	if !errors.Is(err, uplink.ErrNoOfflinePrefix) || !errors.Is(err, uplink.ErrUnreachable) {
		t.Fatalf("Submit, down, never told = %v; want ErrNoOfflinePrefix (the visitor goes to the desk)", err)
	}
	// A booked visitor is printed the check-in's number all the same.
	booked := application()
	booked.Lane, booked.CheckInID = api.LaneBooked, checkIn.ApplicationID
	if r, err := u.Submit(ctx, booked); err != nil || !r.Offline || r.Ticket.Number != "" {
		t.Errorf("Submit of a booked visit, down, never told = %+v, %v; want offline with no number of its own", r, err)
	}

	b.start()
	u = reopen(t, u, o)
	if n, err := u.Sync(ctx); n != 2 || err != nil {
		t.Fatalf("Sync = %d, %v; want both delivered", n, err)
	}
	if st, s := b.status(never.ID); st != http.StatusOK || s.State != api.StateNotPrinted {
		t.Errorf("the application no ticket was printed for is %d %s at the backend, want it there, not printed", st, s.State)
	}
	n, err := u.Numbering(ctx)
	if err != nil || n.Prefix != "KAB" || n.Width != 3 || n.Learned == "" {
		t.Fatalf("Numbering after a sync = %+v, %v; want KAB, 3 digits, learned today", n, err)
	}
	b.stop()
	u = reopen(t, u, down(o))
	first, err := u.Submit(ctx, application())
	if err != nil || first.Ticket.Number != "KAB001" {
		t.Fatalf("Submit, down, told = %+v, %v; want KAB001", first.Ticket, err)
	}

	// A restart without the network keeps what the backend said.
	u = reopen(t, u, down(o))
	second, err := u.Submit(ctx, application())
	if err != nil || second.Ticket.Number != "KAB002" {
		t.Fatalf("Submit after a restart, down = %+v, %v; want KAB002", second.Ticket, err)
	}
	b.start()
	u = reopen(t, u, o)
	if n, err := u.Sync(ctx); n != 2 || err != nil {
		t.Fatalf("Sync = %d, %v; want 2 delivered", n, err)
	}
	for _, r := range []uplink.Receipt{first, second} {
		if st, s := b.status(r.Ticket.ApplicationID); st != http.StatusOK || s.Ticket.Number != r.Ticket.Number || s.State != api.StateWaiting {
			t.Errorf("the backend has %d %s %s, want %s waiting", st, s.Ticket.Number, s.State, r.Ticket.Number)
		}
	}
}

// TestOfflinePrefixWithLending: a kiosk that lends numbers hears its prefix
// with the block and asks for nothing more.
func TestOfflinePrefixWithLending(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	var mu sync.Mutex
	var sizes []int
	b.wrap = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/number-blocks") {
				body, _ := io.ReadAll(r.Body)
				var br api.BlockRequest
				json.Unmarshal(body, &br)
				mu.Lock()
				sizes = append(sizes, br.Size)
				mu.Unlock()
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			h.ServeHTTP(w, r)
		})
	}
	b.start()
	o := b.kioskOptions(t, "K-03")
	o.LendSize = 2
	u := open(t, o)
	for i := 0; i < 2; i++ {
		if _, err := u.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := u.Numbering(ctx); n.Prefix != "KAC" {
		t.Errorf("prefix after lending = %q, want KAC", n.Prefix)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sizes) != 1 || sizes[0] != 2 {
		t.Errorf("block requests = %v, want one for 2 numbers: the prefix comes with it", sizes)
	}
}

// TestClockOffset: a kiosk whose clock is 40 minutes slow measures that
// from the backend's answers, reports it in its heartbeat and with its
// offline tickets, and the backend queues those tickets when they were
// printed by its own clock: after the visitor who came online at 09:03,
// not before.
func TestClockOffset(t *testing.T) {
	ctx := context.Background()
	server := storetest.NewClock(storetest.Morning()) // 09:00 in Almaty
	kiosk := storetest.NewClock(storetest.Morning().Add(-40 * time.Minute))
	b := newBackend(t)
	b.now = server.Now
	var mu sync.Mutex
	var beats []api.Heartbeat
	b.wrap = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/heartbeat") {
				body, _ := io.ReadAll(r.Body)
				var hb api.Heartbeat
				json.Unmarshal(body, &hb)
				mu.Lock()
				beats = append(beats, hb)
				mu.Unlock()
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			h.ServeHTTP(w, r)
		})
	}
	b.start()
	o := b.options(t)
	o.Now = kiosk.Now
	// One uplink throughout, since it measures the clock in memory: the
	// tickets printed while down wait this long each.
	o.SubmitWait = 2 * time.Second
	u := open(t, o)
	if c := u.Clock(); c != nil {
		t.Errorf("Clock before any answer = %+v, want nil", c)
	}
	if _, err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// The kiosk's clock stood still during the exchange: the Date header's
	// second is all the uncertainty there is.
	c := u.Clock()
	want := 40 * time.Minute
	if c == nil || c.UncertaintyMs != 500 || !within(c, want) || !c.MeasuredAt.Equal(server.Now()) {
		t.Fatalf("Clock = %+v, want %v ± 500 ms measured at %s", c, want, server.Now())
	}
	if err := u.Heartbeat(ctx, "K-01", api.Heartbeat{Version: "1", Paper: "ok", At: kiosk.Now()}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(beats) != 1 || beats[0].Clock == nil || !within(beats[0].Clock, want) {
		t.Errorf("heartbeats = %+v, want one carrying the offset %v", beats, want)
	}
	mu.Unlock()

	b.stop()
	var printed []uplink.Receipt
	for _, min := range []int{25, 26} { // 09:05 and 09:06 by the server's clock
		kiosk.Set(storetest.Morning().Add(time.Duration(min-60) * time.Minute))
		r, err := u.Submit(ctx, application())
		if err != nil || !r.Offline {
			t.Fatalf("Submit while down = %+v, %v", r, err)
		}
		printed = append(printed, r)
	}
	server.Set(storetest.Morning().Add(3 * time.Minute))
	b.start()
	online := storetest.Application("K-02", api.LaneOrdinary, server.Now())
	if st, body := storetest.Do(t, b.kiosk("K-02"), "POST", b.url()+"/v1/applications", online); st != http.StatusCreated {
		t.Fatalf("online submission = %d %s", st, body)
	}
	server.Set(storetest.Morning().Add(10 * time.Minute))
	kiosk.Set(storetest.Morning().Add(-30 * time.Minute))
	if n, err := u.Sync(ctx); n != 2 || err != nil {
		t.Fatalf("Sync = %d, %v; want 2 delivered", n, err)
	}
	var called []string
	for {
		st, body := storetest.Do(t, b.as(central.RoleClerk), "POST", b.url()+"/v1/branches/ALA-01/windows/1/call-next", nil)
		if st != http.StatusOK {
			break
		}
		called = append(called, storetest.Decode[api.Call](t, body).Status.Ticket.Number)
	}
	if want := "A001 " + printed[0].Ticket.Number + " " + printed[1].Ticket.Number; strings.Join(called, " ") != want {
		t.Errorf("called %v, want %s: the offline tickets at 09:05 and 09:06 by the server's clock", called, want)
	}
}

// within reports whether c's offset is want to within its uncertainty.
func within(c *api.Clock, want time.Duration) bool {
	d := time.Duration(c.OffsetMs)*time.Millisecond - want
	return d.Abs() <= time.Duration(c.UncertaintyMs)*time.Millisecond
}
