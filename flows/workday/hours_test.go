package workday_test

import (
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

func schedule(t *testing.T, h config.Hours) config.Schedule {
	t.Helper()
	s, err := h.Schedule()
	if err != nil {
		t.Fatalf("Schedule(%+v): %v", h, err)
	}
	return s
}

func ordinary(t *testing.T) config.Schedule { return schedule(t, config.OrdinaryHours()) }

// TestOpeningHours walks a duty centre's and an ordinary centre's week:
// whether the branch is open, the day an application counts for (its queue
// day), the ready date, and when the branch opens next.
func TestOpeningHours(t *testing.T) {
	c := kz(t)
	duty, ord := schedule(t, config.DutyHours()), ordinary(t)
	const none = "-"
	tests := []struct {
		why       string
		at        string // in Almaty, +05
		s         config.Schedule
		open      bool
		countsFor string
		ready     string
		opens     string // "2006-01-02 15:04 Mon", or none while open
	}{
		{"before opening", "2026-11-25T08:59:59", duty, false, "2026-11-25", "2026-11-26", "2026-11-25 09:00 Wed"},
		{"at opening", "2026-11-25T09:00:00", duty, true, "2026-11-25", "2026-11-26", none},
		{"just before closing", "2026-11-25T19:59:59", duty, true, "2026-11-25", "2026-11-26", none},
		{"at closing", "2026-11-25T20:00:00", duty, false, "2026-11-26", "2026-11-27", "2026-11-26 09:00 Thu"},
		{"ordinary centre after 18:00", "2026-11-25T18:00:00", ord, false, "2026-11-26", "2026-11-27", "2026-11-26 09:00 Thu"},
		{"late on midnight's edge", "2026-11-25T23:59:59", ord, false, "2026-11-26", "2026-11-27", "2026-11-26 09:00 Thu"},
		{"Friday evening at a duty centre counts for Saturday", "2026-11-27T20:30:00", duty, false, "2026-11-28", "2026-11-30", "2026-11-28 09:00 Sat"},
		{"Friday evening at an ordinary centre counts for Monday", "2026-11-27T18:30:00", ord, false, "2026-11-30", "2026-12-01", "2026-11-30 09:00 Mon"},
		{"Saturday morning at a duty centre", "2026-11-28T12:59:00", duty, true, "2026-11-28", "2026-11-30", none},
		{"Saturday afternoon", "2026-11-28T14:00:00", duty, false, "2026-11-30", "2026-12-01", "2026-11-30 09:00 Mon"},
		{"Saturday at an ordinary centre", "2026-11-28T10:00:00", ord, false, "2026-11-30", "2026-12-01", "2026-11-30 09:00 Mon"},
		{"Sunday", "2026-11-29T10:00:00", duty, false, "2026-11-30", "2026-12-01", "2026-11-30 09:00 Mon"},
		{"holiday on a weekday", "2026-12-16T10:00:00", duty, false, "2026-12-17", "2026-12-18", "2026-12-17 09:00 Thu"},
		{"holiday on a Saturday closes a duty centre", "2026-03-21T10:00:00", duty, false, "2026-03-26", "2026-03-27", "2026-03-26 09:00 Thu"},
		{"the day before Nauryz, after closing", "2026-03-20T20:00:00", duty, false, "2026-03-26", "2026-03-27", "2026-03-26 09:00 Thu"},
		{"a weekday the calendar gives off", "2025-01-03T10:00:00", ord, false, "2025-01-05", "2025-01-06", "2025-01-05 09:00 Sun"},
		{"a Saturday beside a transfer keeps a duty centre's Saturday", "2025-01-03T10:00:00", duty, false, "2025-01-04", "2025-01-05", "2025-01-04 09:00 Sat"},
		{"a Sunday the calendar makes working keeps Monday's hours", "2025-01-05T19:00:00", duty, true, "2025-01-05", "2025-01-06", none},
		{"the working Sunday closes at Monday's time", "2025-01-05T18:00:00", ord, false, "2025-01-06", "2025-01-08", "2025-01-06 09:00 Mon"},
	}
	almaty := time.FixedZone("+05", 5*60*60)
	for _, tt := range tests {
		t.Run(tt.at+" "+tt.why, func(t *testing.T) {
			at, err := time.ParseInLocation("2006-01-02T15:04:05", tt.at, almaty)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.IsOpen(at, tt.s); got != tt.open {
				t.Errorf("IsOpen = %v, want %v (%s)", got, tt.open, tt.why)
			}
			if got := c.CountsFor(at, tt.s).String(); got != tt.countsFor {
				t.Errorf("CountsFor = %s, want %s (%s)", got, tt.countsFor, tt.why)
			}
			if got := c.ReadyDate(at, tt.s).String(); got != tt.ready {
				t.Errorf("ReadyDate = %s, want %s (%s)", got, tt.ready, tt.why)
			}
			got := none
			if o, ok := c.NextOpening(at, tt.s); ok {
				got = o.Format("2006-01-02 15:04 Mon")
				if o.Location() != almaty {
					t.Errorf("NextOpening in %v, want the branch's zone", o.Location())
				}
			}
			if got != tt.opens {
				t.Errorf("NextOpening = %s, want %s (%s)", got, tt.opens, tt.why)
			}
		})
	}
}
