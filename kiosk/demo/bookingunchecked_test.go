package demo_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestBookingUnchecked checks a booked visitor whose booking cannot be
// checked (the backend stopped, or answering 503) is told so, that the
// booking is kept, and offered an ordinary ticket; never "no booking",
// which sends them away from their slot. Through the real uplink.
func TestBookingUnchecked(t *testing.T) {
	stopped := func(t testing.TB) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
		return "http://" + ln.Addr().String()
	}
	failing := func(t testing.TB) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"code":"unavailable","message":"down for maintenance"}`))
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	backends := map[string]func(t testing.TB) string{"stopped": stopped, "503": failing}
	ways := map[string]struct {
		look func(x *hall)
		key  string
	}{
		"by code": {func(x *hall) {
			for _, k := range x.d.BookingCodes[0] {
				x.tap("key-" + string(k))
			}
			x.tap("submit")
		}, "screen.booking_unchecked.code"},
		"by passport": {func(x *hall) {
			x.tap("booking-by-passport")
			x.d.Scan(demo.BookingPassport)
		}, "screen.booking_unchecked.passport"},
	}
	for bname, backend := range backends {
		for wname, way := range ways {
			t.Run(bname+"/"+wname, func(t *testing.T) {
				x := startHall(t, setup{opts: func(t testing.TB, d *demo.Demo, o *kiosk.Options) {
					uo, err := uplink.FromConfig(d.Config.Backend, d.Config.Kiosk)
					if err != nil {
						t.Fatal(err)
					}
					uo.Client.BaseURL, uo.SubmitWait, uo.LendSize = backend(t), 300*time.Millisecond, -1
					uo.OutboxPath = filepath.Join(t.TempDir(), "outbox.db")
					u, err := uplink.Open(t.Context(), uo)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { u.Close() })
					o.Uplink = u
				}})
				x.tap("lang-kk")
				x.tap("service-booking")
				way.look(x)
				x.waitShows(x.kk(way.key))
				for _, no := range []string{"screen.booking.not_found", "screen.booking_check.not_found_passport"} {
					if x.shows(x.kk(no)) {
						t.Errorf("an unreachable backend is told as %s:\n%s", no, x.h.Text())
					}
				}
				x.tap("walk-in")
				x.waitFor("self")
			})
		}
	}
}
