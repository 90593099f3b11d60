package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// BookingPassport is the specimen whose passport finds the first of the
// demo's bookings ("scan my passport instead").
const BookingPassport = "latin"

// BookingPassportLabel is the BookingPassport specimen's label, as its
// button on the scan page shows it.
func BookingPassportLabel() string {
	for _, s := range Specimens() {
		if s.ID == BookingPassport {
			return s.Label
		}
	}
	return BookingPassport
}

// SampleBookingCodes are the codes of the demo's two booked visits on day:
// the day, the month and the year's last digit, then 1 or 2 ("011261" and
// "011262" on 1 December 2026), cut or padded to length digits. A code is
// the day's own, so the demo's backend, which keeps every code it was
// given, takes it again the next day, and a reader can work it out.
func SampleBookingCodes(day config.Day, length int) []string {
	var codes []string
	for i := 1; i <= 2; i++ {
		c := fmt.Sprintf("%02d%02d%d%d", day.Day, int(day.Month), day.Year%10, i)
		if len(c) > length {
			c = c[len(c)-length:]
		}
		codes = append(codes, strings.Repeat("0", length-len(c))+c)
	}
	return codes
}

// SampleBookingSlots are the times of the demo's n booked visits for a
// demo started at now, in now's zone: on the half hour after next (after
// any booking a test makes for now), then half an hour apart, all on now's
// day. A slot that would fall tomorrow is put in the last minutes before
// midnight instead: the codes are today's, and a booking for tomorrow
// would answer "booked for another day".
func SampleBookingSlots(now time.Time, n int) []time.Time {
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, now.Location())
	first := now.Truncate(30 * time.Minute).Add(time.Hour)
	slots := make([]time.Time, n)
	for i := range slots {
		s := first.Add(time.Duration(i) * 30 * time.Minute)
		if !s.Before(midnight) {
			s = midnight.Add(-time.Duration(n-i) * time.Minute)
		}
		slots[i] = s
	}
	return slots
}

// addBookings registers today's sample bookings with the demo's backend as
// the branch's booking feed would, at SampleBookingSlots: the first found
// also by the BookingPassport specimen. A code already registered (the
// demo started before today) stays as it is.
func (d *Demo) addBookings(ctx context.Context, now time.Time) error {
	loc, err := zone.Load(d.Config.Kiosk.TimeZone)
	if err != nil {
		return err
	}
	now = now.In(loc)
	codes := SampleBookingCodes(config.Day{Year: now.Year(), Month: now.Month(), Day: now.Day()}, d.Config.Flow.BookingCodeLength)
	slots := SampleBookingSlots(now, len(codes))
	var doc string
	for _, s := range Specimens() {
		if s.ID == BookingPassport {
			m, err := mrz.Parse(strings.Join(s.Lines, "\n"), now)
			if err != nil {
				return fmt.Errorf("specimen %s: %w", s.ID, err)
			}
			doc = m.DocumentNumber
		}
	}
	for i, code := range codes {
		b := api.Booking{Code: code, BranchID: d.Config.Kiosk.Branch, Service: "iin", SlotAt: slots[i]}
		if i == 0 {
			b.DocumentNumber = doc
		}
		if err := d.postBooking(ctx, b); err != nil {
			return err
		}
	}
	d.BookingCodes = codes
	return nil
}

func (d *Demo) postBooking(ctx context.Context, b api.Booking) error {
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.BackendURL+"/v1/bookings", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+d.Token(central.RoleBooking))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNoContent, http.StatusConflict: // a conflict: registered by an earlier start today
		return nil
	}
	return fmt.Errorf("POST /v1/bookings: %s", resp.Status)
}
