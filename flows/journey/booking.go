package journey

import "github.com/hcsc-kz/kiosk/config"

// Keys of what the BookingProblem page says when the backend could not be
// asked, in the catalogs' table [screen.booking_unchecked]: by the code
// the visitor typed, or by the passport.
const (
	keyUncheckedCode     = "screen.booking_unchecked.code"
	keyUncheckedPassport = "screen.booking_unchecked.passport"
)

// BookingTrouble is why a booked visit is on the BookingProblem page. The
// visitor is told differently: a booking the backend does not know is not
// one; a booking the backend could not be asked about is still kept.
type BookingTrouble int

// The booking troubles.
const (
	NoBookingTrouble BookingTrouble = iota
	// BookingNotFound: the backend answered that it has no such booking.
	BookingNotFound
	// BookingOtherDay: the booking is for another day.
	BookingOtherDay
	// BookingUnchecked: the backend could not be asked (no connection, a
	// server error, no answer in time); the booking may well exist.
	BookingUnchecked
)

// String names the trouble for logs and tests.
func (b BookingTrouble) String() string {
	switch b {
	case BookingNotFound:
		return "not-found"
	case BookingOtherDay:
		return "other-day"
	case BookingUnchecked:
		return "unchecked"
	}
	return "none"
}

// bookingUnchecked leaves the booking's look-up unanswered: the page says
// so and offers an ordinary ticket, the booking itself untouched.
func (j *Journey) bookingUnchecked() {
	j.v.trouble, j.v.problem, j.v.problemDay = BookingUnchecked, keyUncheckedPassport, config.Day{}
	if j.v.bookingCode != "" {
		j.v.problem = keyUncheckedCode
	}
}
