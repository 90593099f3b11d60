package uplink

import (
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// QueueDayFunc returns Options.QueueDay for a branch open the hours h
// ([flow.hours], which must be the backend's registry hours for the
// branch) in zone loc, read with the Kazakh working-day calendar: the day
// a ticket printed at t counts for, as the backend decides it. After
// closing that is the next day the branch opens, so a ticket printed then
// takes none of the day's lent numbers: the backend files it under the
// next day, where the same number may be another visitor's.
func QueueDayFunc(h config.Hours, loc *time.Location) (func(time.Time) string, error) {
	s, err := h.Schedule()
	if err != nil {
		return nil, fmt.Errorf("uplink: opening hours: %w", err)
	}
	data, err := config.KazakhstanCalendar()
	if err != nil {
		return nil, fmt.Errorf("uplink: calendar: %w", err)
	}
	cal, err := workday.New(data)
	if err != nil {
		return nil, fmt.Errorf("uplink: calendar: %w", err)
	}
	if loc == nil {
		loc = time.UTC
	}
	return func(t time.Time) string { return cal.CountsFor(t.In(loc), s).String() }, nil
}
