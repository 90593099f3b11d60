package uplink_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestCheckInNoBooking checks a check-in tells the backend's "no such
// booking" apart from a backend that could not be asked: only the first
// is ErrNoBooking. A booked visitor told "no booking" when the link is
// down loses the slot.
func TestCheckInNoBooking(t *testing.T) {
	b := newBackend(t)
	b.start()
	o := b.options(t)
	answer := func(status int, body string) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	tests := []struct {
		name, url string
		noBooking bool
	}{
		{"the backend has no such booking", b.url(), true},
		{"the backend is stopped", "", false},
		{"the backend fails", answer(http.StatusServiceUnavailable, `{"code":"unavailable","message":"down for maintenance"}`), false},
		{"a proxy's 404", answer(http.StatusNotFound, `<html>not here</html>`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oo := down(o)
			oo.OutboxPath = t.TempDir() + "/outbox.db"
			if tt.url == "" {
				oo.Client.BaseURL = b.url()
				b.stop()
				t.Cleanup(b.start)
			} else {
				oo.Client.BaseURL = tt.url
			}
			u := open(t, oo)
			// No deadline of the caller's own: the uplink bounds the wait.
			_, err := u.CheckIn(context.Background(), api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: "000000"})
			if err == nil {
				t.Fatal("CheckIn of an unknown code = nil error")
			}
			if got := errors.Is(err, uplink.ErrNoBooking); got != tt.noBooking {
				t.Errorf("CheckIn: %v; errors.Is ErrNoBooking = %v, want %v", err, got, tt.noBooking)
			}
		})
	}
}
