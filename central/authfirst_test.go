package central_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestAnonymousRefused: with no credential, no clerk, booking or kiosk
// operation runs, and call-next does not hand out the visitor's passport.
func TestAnonymousRefused(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	ts := storetest.Start(t, store, clock, 2)
	anon := http.DefaultClient
	a := storetest.Application("K-01", api.LaneOrdinary, clock.Now())
	cases := []struct {
		name, method, path string
		body               any
	}{
		{"submit", "POST", "/v1/applications", a},
		{"call-next", "POST", "/v1/branches/ALA-01/windows/1/call-next", nil},
		{"recall", "POST", "/v1/applications/" + a.ID + "/recall", nil},
		{"no-show", "POST", "/v1/applications/" + a.ID + "/no-show", nil},
		{"booking", "POST", "/v1/bookings", api.Booking{Code: "X1", BranchID: "ALA-01", Service: "iin", SlotAt: clock.Now()}},
		{"events", "POST", "/v1/kiosks/K-01/events", api.Events{}},
		{"lend", "POST", "/v1/kiosks/K-01/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: 5}},
	}
	for _, tc := range cases {
		st, b := storetest.Do(t, anon, tc.method, ts.URL+tc.path, tc.body)
		if st != http.StatusUnauthorized {
			t.Errorf("anonymous %s = %d %s, want 401", tc.name, st, b)
		}
		if bytes.Contains(b, []byte("L898902C3")) || bytes.Contains(b, []byte("ERIKSSON")) {
			t.Errorf("anonymous %s got personal data: %s", tc.name, b)
		}
	}
}

// TestKioskCertificateLimits: behind mutual TLS a kiosk's certificate is a
// kiosk's, not a clerk's: it cannot call next, nor hold back another
// kiosk's ticket, nor borrow the whole day's numbers.
func TestKioskCertificateLimits(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	ca := storetest.NewCA(t)
	ts := startTLS(t, store, clock, ca)
	k1, k2 := ca.Client(t, "K-01"), ca.Client(t, "K-02")
	a := storetest.Application("K-01", api.LaneOrdinary, clock.Now())
	if st, b := storetest.Do(t, k1, "POST", ts.URL+"/v1/applications", a); st != http.StatusCreated {
		t.Fatalf("K-01 submits = %d %s, want 201", st, b)
	}
	failed := api.Events{Events: []api.Event{{Kind: api.EventPrintFailed, At: clock.Now(), Session: "s", ApplicationID: a.ID}}}
	for _, path := range []string{"/v1/kiosks/K-01/events", "/v1/kiosks/K-02/events"} {
		storetest.Do(t, k2, "POST", ts.URL+path, failed)
	}
	st, b := storetest.Do(t, ca.Client(t, ""), "GET", ts.URL+"/v1/applications/"+a.ID, nil)
	if s := storetest.Decode[api.Status](t, b); st != http.StatusOK || s.State != api.StateWaiting || s.Printed != nil {
		t.Errorf("after K-02's print-failed for K-01's ticket: %d %s %v, want waiting, print unknown", st, s.State, s.Printed)
	}
	if st, b := storetest.Do(t, k2, "POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil); st != http.StatusForbidden {
		t.Errorf("kiosk certificate calls next = %d %s, want 403", st, b)
	}
	if st, b := storetest.Do(t, k2, "POST", ts.URL+"/v1/bookings", api.Booking{Code: "X1", BranchID: "ALA-01", Service: "iin", SlotAt: clock.Now()}); st != http.StatusForbidden {
		t.Errorf("kiosk certificate adds a booking = %d %s, want 403", st, b)
	}
	// A kiosk borrows at most central.MaxOutstanding numbers a day.
	lent := 0
	for i := 0; i < 20; i++ {
		st, b := storetest.Do(t, k2, "POST", ts.URL+"/v1/kiosks/K-02/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: 1000})
		if st != http.StatusCreated {
			break
		}
		lent += len(storetest.Decode[api.Block](t, b).Numbers)
	}
	if lent > 500 {
		t.Errorf("one kiosk borrowed %d numbers in a day, want at most 500", lent)
	}
}

// TestPrintFailedOnlyFromIssuer: a print-failed event holds a ticket back
// only when the kiosk that issued the ticket sends it: not anonymously, not
// another kiosk in the issuer's name, not another kiosk in its own.
func TestPrintFailedOnlyFromIssuer(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	ts := storetest.Start(t, store, clock, 2)
	a := storetest.Application("K-01", api.LaneOrdinary, clock.Now())
	if st, b := storetest.Do(t, ts.Kiosk(t, "K-01"), "POST", ts.URL+"/v1/applications", a); st != http.StatusCreated {
		t.Fatalf("submit = %d %s", st, b)
	}
	failed := api.Events{Events: []api.Event{{Kind: api.EventPrintFailed, At: clock.Now(), Session: "s", ApplicationID: a.ID}}}
	attempts := []struct {
		name   string
		c      *http.Client
		kiosk  string
		status int
	}{
		{"anonymous", http.DefaultClient, "K-01", http.StatusUnauthorized},
		{"K-02 in K-01's name", ts.Kiosk(t, "K-02"), "K-01", http.StatusForbidden},
		{"K-02 in its own", ts.Kiosk(t, "K-02"), "K-02", http.StatusNoContent},
	}
	for _, at := range attempts {
		if st, b := storetest.Do(t, at.c, "POST", ts.URL+"/v1/kiosks/"+at.kiosk+"/events", failed); st != at.status {
			t.Errorf("%s: events = %d %s, want %d", at.name, st, b, at.status)
		}
		st, b := storetest.Do(t, http.DefaultClient, "GET", ts.URL+"/v1/applications/"+a.ID, nil)
		if s := storetest.Decode[api.Status](t, b); st != http.StatusOK || s.State != api.StateWaiting || s.Printed != nil {
			t.Errorf("after %s's print-failed: %d %s %v, want waiting, print unknown", at.name, st, s.State, s.Printed)
		}
	}
	storetest.Do(t, ts.Kiosk(t, "K-01"), "POST", ts.URL+"/v1/kiosks/K-01/events", failed)
	st, b := storetest.Do(t, http.DefaultClient, "GET", ts.URL+"/v1/applications/"+a.ID, nil)
	if s := storetest.Decode[api.Status](t, b); st != http.StatusOK || s.State != api.StateNotPrinted {
		t.Errorf("after the issuer's print-failed: %d %s, want not-printed", st, s.State)
	}
}
