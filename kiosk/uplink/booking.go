package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hcsc-kz/kiosk/central/api"
)

// ErrNoBooking: the backend answered a check-in that it has no such
// booking (404 with the protocol's not-found code). It is the only
// check-in error that says anything about the booking: a 404 without that
// code is a proxy or a wrong URL, and ErrUnreachable, a 5xx or a timeout
// leave the booking as it was.
var ErrNoBooking = errors.New("uplink: no such booking")

// noBooking marks the backend's "no such booking" answer with ErrNoBooking.
func noBooking(err error) error {
	var re *RejectedError
	if errors.As(err, &re) && re.Status == http.StatusNotFound && re.Body.Code == api.CodeNotFound {
		return fmt.Errorf("%w: %w", ErrNoBooking, err)
	}
	return err
}

// CheckIn returns the ticket of a booked visit, trying the backend for at
// most SubmitWait: a visitor at the screen waits no longer for a look-up
// than for a ticket. Errors: ErrNoBooking when the backend has no such
// booking; anything else (ErrUnreachable above all) leaves the booking
// unchecked.
func (u *Uplink) CheckIn(ctx context.Context, ci api.CheckIn) (api.Ticket, error) {
	c, cancel := context.WithTimeout(ctx, u.o.SubmitWait)
	defer cancel()
	return u.Client.CheckIn(c, ci)
}
