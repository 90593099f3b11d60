package journey_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
)

// run feeds steps to a new journey, starting from the language chosen.
func run(t *testing.T, lang i18n.Lang, steps []step) {
	t.Helper()
	j, c := newJourney(t, nil)
	steps = append([]step{{in: journey.ChooseLanguage{Lang: lang}, want: journey.Service}}, steps...)
	for i, s := range steps {
		c.t = c.t.Add(s.wait)
		eff := j.Handle(s.in)
		if got := j.State(); got != s.want {
			t.Fatalf("step %d: Handle(%T%+v) state = %v, want %v", i, s.in, s.in, got, s.want)
		}
		if got := effectNames(eff); !reflect.DeepEqual(got, s.effects) {
			t.Fatalf("step %d: Handle(%T) effects = %v, want %v", i, s.in, got, s.effects)
		}
		if s.check != nil {
			s.check(t, j.View(), eff)
		}
	}
}

// TestVisitorNeverSeesThePrevious checks what the next visitor in the
// hall could see of the one before: the ticket page leaves by itself once
// the ticket is printed, and the welcome page is always in Kazakh.
func TestVisitorNeverSeesThePrevious(t *testing.T) {
	rus := passport("RUS", "IVANOVA<<ANNA", "900215", "300101")
	flow := config.DefaultFlow()
	ticket, goodbye, idle := flow.TicketTimeout.D(), flow.GoodbyeTimeout.D(), flow.IdleTimeout.D()
	if ticket <= 0 || ticket >= idle {
		t.Fatalf("default flow.ticket_timeout = %v, want positive and shorter than idle_timeout %v", ticket, idle)
	}
	kazakh := func(t *testing.T, v journey.View, _ []journey.Effect) {
		if v.Lang != i18n.Kazakh {
			t.Errorf("View().Lang on the welcome page = %v, want kk", v.Lang)
		}
	}
	toTicket := []step{
		{in: journey.ChooseService{}, want: journey.Applicant},
		{in: journey.ChooseApplicant{}, want: journey.Scan},
		{in: journey.Scanned{Doc: doc(t, rus)}, want: journey.Confirm},
		{in: journey.ConfirmData{}, want: journey.Result},
		{in: journey.Continue{}, want: journey.Phone},
		{in: journey.SkipPhone{}, want: journey.Submitting, effects: []string{"Submit"}},
		{in: journey.Submitted{Number: "A-042", PeopleAhead: 3, WaitMinutes: 12}, want: journey.Ticket, effects: []string{"Print"}},
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"printed: goodbye after ticket_timeout, then the welcome page in Kazakh", append(append([]step(nil), toTicket...),
			step{wait: ticket, in: journey.Tick{}, want: journey.Ticket}, // not printed yet: the timer has not started
			step{in: journey.Printed{}, want: journey.Ticket},
			step{wait: ticket - time.Second, in: journey.Tick{}, want: journey.Ticket},
			step{wait: time.Second, in: journey.Tick{}, want: journey.Goodbye},
			step{wait: goodbye, in: journey.Tick{}, want: journey.Language, effects: []string{"Wiped"}, check: kazakh},
		)},
		{"out of paper: the screen is the only record of the number, so it stays until the walk-away prompt", append(append([]step(nil), toTicket...),
			step{in: journey.Printed{OutOfPaper: true}, want: journey.Ticket},
			step{wait: ticket, in: journey.Tick{}, want: journey.Ticket},
			step{wait: idle - ticket, in: journey.Tick{}, want: journey.StillThere},
		)},
		{"a visitor still reading the ticket page keeps it", append(append([]step(nil), toTicket...),
			step{in: journey.Printed{}, want: journey.Ticket},
			step{wait: ticket - time.Second, in: journey.Touch{}, want: journey.Ticket},
			step{wait: ticket - time.Second, in: journey.Tick{}, want: journey.Ticket},
			step{wait: time.Second, in: journey.Tick{}, want: journey.Goodbye},
		)},
		{"back to the welcome page resets the language", []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.Back{}, want: journey.Service},
			{in: journey.Back{}, want: journey.Language, check: kazakh},
		}},
		{"done on the ticket, then a touch: Kazakh", append(append([]step(nil), toTicket...),
			step{in: journey.Done{}, want: journey.Goodbye},
			step{in: journey.Touch{}, want: journey.Language, effects: []string{"Wiped"}, check: kazakh},
		)},
	}
	for _, tt := range tests {
		for _, lang := range []i18n.Lang{i18n.Russian, i18n.English} {
			t.Run(tt.name+"/"+string(lang), func(t *testing.T) { run(t, lang, tt.steps) })
		}
	}
}

// TestCancelAsksOnce checks that Cancel after the scan asks before it
// wipes the visitor's data, once, and that before the scan it needs no
// question.
func TestCancelAsksOnce(t *testing.T) {
	rus := passport("RUS", "IVANOVA<<ANNA", "900215", "300101")
	asking := func(want bool) func(*testing.T, journey.View, []journey.Effect) {
		return func(t *testing.T, v journey.View, _ []journey.Effect) {
			if v.ConfirmCancel != want {
				t.Errorf("View().ConfirmCancel = %v, want %v", v.ConfirmCancel, want)
			}
			if want && v.Document == nil {
				t.Error("View().Document = nil while asking, want the data kept until the visitor says yes")
			}
		}
	}
	scanned := []step{
		{in: journey.ChooseService{}, want: journey.Applicant},
		{in: journey.ChooseApplicant{}, want: journey.Scan},
		{in: journey.Scanned{Doc: doc(t, rus)}, want: journey.Confirm},
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"before the scan: no question", []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: journey.Cancel{}, want: journey.Language, effects: []string{"Wiped"}},
		}},
		{"after the scan: yes wipes", append(append([]step(nil), scanned...),
			step{in: journey.Cancel{}, want: journey.Confirm, check: asking(true)},
			step{in: journey.Cancel{}, want: journey.Language, effects: []string{"Wiped"}, check: asking(false)},
		)},
		{"after the scan: no keeps the visit", append(append([]step(nil), scanned...),
			step{in: journey.Cancel{}, want: journey.Confirm, check: asking(true)},
			step{in: journey.KeepVisit{}, want: journey.Confirm, check: asking(false)},
			step{in: journey.ConfirmData{}, want: journey.Result},
			step{in: journey.Continue{}, want: journey.Phone},
			step{in: journey.Cancel{}, want: journey.Phone, check: asking(true)},
			step{in: journey.Back{}, want: journey.Phone, check: asking(false)},
		)},
		{"the question covers the page: its buttons wait", append(append([]step(nil), scanned...),
			step{in: journey.Cancel{}, want: journey.Confirm, check: asking(true)},
			step{in: journey.ConfirmData{}, want: journey.Confirm, check: asking(true)},
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { run(t, i18n.Russian, tt.steps) })
	}
}

// TestBookingStates checks the booked visit's screens: a found booking is
// confirmed with its time, a passport that finds none says so (not "check
// the code"), and a failed look-up offers a walk-in ticket.
func TestBookingStates(t *testing.T) {
	rus := passport("RUS", "IVANOVA<<ANNA", "900215", "300101")
	slot := time.Date(2026, 11, 25, 11, 30, 0, 0, time.UTC)
	today := config.Day{Year: 2026, Month: 11, Day: 25}
	problem := func(key string) func(*testing.T, journey.View, []journey.Effect) {
		return func(t *testing.T, v journey.View, _ []journey.Effect) {
			if v.Problem.Key != key {
				t.Errorf("View().Problem = %q, want %q", v.Problem.Key, key)
			}
		}
	}
	trouble := func(want journey.BookingTrouble, key string) func(*testing.T, journey.View, []journey.Effect) {
		return func(t *testing.T, v journey.View, _ []journey.Effect) {
			if v.Trouble != want || v.Problem.Key != key {
				t.Errorf("View() = trouble %v problem %q, want %v %q", v.Trouble, v.Problem.Key, want, key)
			}
		}
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"found by code: confirmed with its time", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "123456"}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{Found: true, Day: today, Slot: slot}, want: journey.Applicant,
				check: func(t *testing.T, v journey.View, _ []journey.Effect) {
					if !v.Booked || !v.BookedSlot.Equal(slot) {
						t.Errorf("View() = booked %v at %v, want booked at %v", v.Booked, v.BookedSlot, slot)
					}
				}},
		}},
		{"not found by passport: says so, offers a walk-in ticket", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.ScanForBooking{}, want: journey.BookingScan},
			{in: journey.Scanned{Doc: doc(t, rus)}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{}, want: journey.BookingProblem, check: problem("screen.booking_check.not_found_passport")},
			{in: journey.WalkIn{}, want: journey.Applicant, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Booking || v.Booked || v.Problem.Key != "" {
					t.Errorf("View() after WalkIn = booking %v booked %v problem %q, want a walk-in", v.Booking, v.Booked, v.Problem.Key)
				}
			}},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
		}},
		{"not found by code: check the code, walk-in offered", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "999999"}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{}, want: journey.BookingProblem, check: problem("screen.booking.not_found")},
			{in: journey.WalkIn{}, want: journey.Applicant},
		}},
		{"backend unreachable by code: kept, not 'not found', walk-in offered", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "123456"}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{Unchecked: true}, want: journey.BookingProblem, check: trouble(journey.BookingUnchecked, "screen.booking_unchecked.code")},
			{in: journey.WalkIn{}, want: journey.Applicant, check: trouble(journey.NoBookingTrouble, "")},
		}},
		{"backend unreachable by passport: kept, walk-in offered", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.ScanForBooking{}, want: journey.BookingScan},
			{in: journey.Scanned{Doc: doc(t, rus)}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{Unchecked: true}, want: journey.BookingProblem, check: trouble(journey.BookingUnchecked, "screen.booking_unchecked.passport")},
			{in: journey.WalkIn{}, want: journey.Applicant},
		}},
		{"not found names its trouble", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "999999"}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{}, want: journey.BookingProblem, check: trouble(journey.BookingNotFound, "screen.booking.not_found")},
		}},
		{"another day names its trouble", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "123456"}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{Found: true, Day: config.Day{Year: 2026, Month: 11, Day: 27}}, want: journey.BookingProblem, check: trouble(journey.BookingOtherDay, "screen.booking.other_day")},
		}},
		{"walk-in only from a problem", []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.WalkIn{}, want: journey.BookingCode},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { run(t, i18n.Kazakh, tt.steps) })
	}
}
