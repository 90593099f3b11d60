package uplink_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestBookedOfflineThenSync: the backend goes away between a booked
// visitor's check-in and the application. Submit gives a number of the
// kiosk's own range, and the later sync is answered with the check-in's
// ticket: the outbox empties, the application joins the booked number, and
// the offline number is never queued.
func TestBookedOfflineThenSync(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	b.start()
	o := b.options(t)
	u := open(t, o)
	told(t, b, u)
	bk := api.Booking{Code: "482913", BranchID: "ALA-01", Service: "iin", SlotAt: time.Now().Add(time.Hour)}
	if st, body := storetest.Do(t, b.as(central.RoleBooking), "POST", b.url()+"/v1/bookings", bk); st != http.StatusNoContent {
		t.Fatalf("POST /v1/bookings = %d %s, want 204", st, body)
	}
	booked, err := u.CheckIn(ctx, api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: bk.Code})
	if err != nil {
		t.Fatalf("CheckIn: %v", err)
	}

	b.stop()
	u = reopen(t, u, down(o))
	a := application()
	a.ID, a.Lane, a.CheckInID = api.NewID(), api.LaneBooked, booked.ApplicationID
	r, err := u.Submit(ctx, a)
	if err != nil || !r.Offline || r.Ticket.Number != "K001" {
		t.Fatalf("Submit while down = %+v, %v; want the offline K001", r, err)
	}

	b.start()
	u = reopen(t, u, o)
	if n, err := u.Sync(ctx); n != 1 || err != nil {
		t.Fatalf("Sync after the link returned = %d, %v; want 1, nil", n, err)
	}
	if n := depth(t, u); n != 0 {
		t.Errorf("outbox depth after sync = %d, want 0", n)
	}
	if st, s := b.status(booked.ApplicationID); st != http.StatusOK || s.Ticket.Number != booked.Number || s.Ticket.Offline {
		t.Errorf("the check-in's ticket is %d %+v, want %s online", st, s.Ticket, booked.Number)
	}
	if st, _ := b.status(a.ID); st != http.StatusNotFound {
		t.Errorf("GET the application's own id = %d, want 404: no ticket under the offline number", st)
	}
	st, body := storetest.Do(t, b.as(central.RoleClerk), "POST", b.url()+"/v1/branches/ALA-01/windows/1/call-next", nil)
	if st != http.StatusOK {
		t.Fatalf("call-next = %d %s, want 200", st, body)
	}
	if call := storetest.Decode[api.Call](t, body); call.Status.Ticket.Number != booked.Number || call.Application == nil || call.Application.ID != a.ID {
		t.Errorf("call-next = %s with application %v, want %s with the synced application", call.Status.Ticket.Number, call.Application != nil, booked.Number)
	}
}
