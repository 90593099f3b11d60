package uplink_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestOfflineAfterClosing: numbers lent at 17:59 are Friday's; a ticket
// printed offline at 18:01 counts for Monday, so it takes none of them
// (the backend would refuse a Friday number in Monday's queue, and the
// visitor would never be called) but the kiosk's own range, counted by
// queue day; delivered, it is called on Monday, and the top-up then
// lends Monday's numbers.
func TestOfflineAfterClosing(t *testing.T) {
	almaty := time.FixedZone("+05", 5*3600)
	clock := storetest.NewClock(time.Date(2026, 11, 27, 17, 59, 0, 0, almaty)) // a Friday
	b := newBackend(t)
	hours := config.OrdinaryHours()
	b.hours, b.now = &hours, clock.Now
	b.start()
	o := b.options(t)
	o.LendSize, o.Now = 4, clock.Now
	var err error
	if o.QueueDay, err = uplink.QueueDayFunc(hours, almaty); err != nil {
		t.Fatal(err)
	}
	u := open(t, o)
	if _, err := u.Sync(context.Background()); err != nil {
		t.Fatalf("Sync (lend at 17:59): %v", err)
	}
	clock.Set(time.Date(2026, 11, 27, 18, 1, 0, 0, almaty))
	b.stop()
	u = reopen(t, u, down(o))
	var got []string
	for range 2 {
		r, err := u.Submit(context.Background(), application())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Ticket.Number)
	}
	if want := "K001 K002"; join(got) != want {
		t.Errorf("offline at 18:01 = %s, want %s (none of Friday's lent numbers)", join(got), want)
	}
	b.start()
	u = reopen(t, u, o)
	if n, err := u.Sync(context.Background()); n != 2 || err != nil {
		t.Fatalf("Sync = %d, %v; want both delivered", n, err)
	}
	clock.Set(time.Date(2026, 11, 30, 9, 1, 0, 0, almaty))
	for _, want := range got {
		st, body := storetest.Do(t, b.as(central.RoleClerk), "POST", b.url()+"/v1/branches/ALA-01/windows/1/call-next", nil)
		if st != http.StatusOK {
			t.Fatalf("call-next Monday 09:01 = %d, want 200 calling %s", st, want)
		}
		if n := storetest.Decode[api.Call](t, body).Status.Ticket.Number; n != want {
			t.Errorf("Monday's call = %s, want %s", n, want)
		}
	}
}
