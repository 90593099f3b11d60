package demo_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

func TestSampleBookingCodes(t *testing.T) {
	day := config.Day{Year: 2026, Month: time.December, Day: 1}
	tests := []struct {
		length int
		want   []string
	}{
		{6, []string{"011261", "011262"}},
		{8, []string{"00011261", "00011262"}},
		{4, []string{"1261", "1262"}},
	}
	for _, tt := range tests {
		if got := demo.SampleBookingCodes(day, tt.length); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SampleBookingCodes(%v, %d) = %v, want %v", day, tt.length, got, tt.want)
		}
	}
}

// TestDemoBookings checks the demo's booked visits work as a visitor
// tries them: the codes are on the booking page, the first code is found
// and confirmed with its time, the sample passport "D" finds it too, and a
// passport with no booking says so and offers a walk-in ticket.
func TestDemoBookings(t *testing.T) {
	loc, err := zone.Load("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	// confirmed is the confirmation of the first booking, made on either
	// side of a half hour the test may cross.
	confirmed := func(x *hall, before time.Time) bool {
		for _, now := range []time.Time{before, time.Now()} {
			slot := demo.SampleBookingSlots(now.In(loc), 2)[0]
			if x.shows(x.cat.Format(i18n.Kazakh, i18n.Message{Key: "screen.booking_check.found_at", Args: i18n.Args{
				"Date": config.Day{Year: slot.Year(), Month: slot.Month(), Day: slot.Day()}, "Time": slot.Format("15:04")}})) {
				return true
			}
		}
		return false
	}
	tests := map[string]func(t *testing.T, x *hall, before time.Time){
		"by code": func(t *testing.T, x *hall, before time.Time) {
			now := before.In(loc)
			codes := demo.SampleBookingCodes(config.Day{Year: now.Year(), Month: now.Month(), Day: now.Day()}, 6)
			if !reflect.DeepEqual(x.d.BookingCodes, codes) {
				t.Fatalf("demo booking codes = %v, want %v", x.d.BookingCodes, codes)
			}
			x.waitFor("booking-by-passport")
			if !x.shows(codes[0]) || !x.shows(codes[1]) {
				t.Errorf("the booking-code page does not show the demo's codes %v:\n%s", codes, x.h.Text())
			}
			for _, k := range codes[0] {
				x.tap("key-" + string(k))
			}
			x.tap("submit")
			x.waitFor("self")
			if !confirmed(x, before) {
				t.Errorf("the booking found is not confirmed with its time:\n%s", x.h.Text())
			}
		},
		"by the sample passport": func(t *testing.T, x *hall, before time.Time) {
			x.tap("booking-by-passport")
			x.d.Scan(demo.BookingPassport)
			x.waitFor("self")
			if !confirmed(x, before) {
				t.Errorf("the booking found is not confirmed with its time:\n%s", x.h.Text())
			}
		},
		"a passport with no booking": func(t *testing.T, x *hall, _ time.Time) {
			x.tap("booking-by-passport")
			x.d.Scan("kaz-citizen")
			x.waitShows(x.kk("screen.booking_check.not_found_passport"))
			if x.shows(x.kk("screen.booking.not_found")) {
				t.Errorf("a passport look-up says to check the code:\n%s", x.h.Text())
			}
			x.tap("walk-in")
			x.waitFor("self")
			if !x.has("service-booking") {
				t.Errorf("walk-in did not lead to the ordinary way in:\n%s", x.h.Text())
			}
		},
	}
	for name, walk := range tests {
		t.Run(name, func(t *testing.T) {
			before := time.Now()
			x := startHall(t, setup{})
			x.tap("lang-kk")
			x.tap("service-booking")
			walk(t, x, before)
		})
	}
}
