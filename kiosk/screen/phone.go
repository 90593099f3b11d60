package screen

import (
	"strings"

	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// phone asks for the optional SMS number on the on-screen keypad: the
// terminal has no physical keyboard.
func (c *ctx) phone() *ui.Page {
	e := &c.b.phone
	// The title says what the number is for; the expected format stands
	// under what is typed until a problem takes its place.
	f := &ui.Field{Value: groupPhone(e.String()), Hint: c.t("screen.phone.placeholder"), Tone: ui.Muted}
	if c.v.Error.Key != "" && !e.edited {
		f.Hint, f.Tone = c.f(c.v.Error), ui.Bad
	}
	return &ui.Page{
		Title:  c.t("screen.phone.title"),
		Lines:  []ui.Line{{Text: c.t("screen.phone.subtitle"), Tone: ui.Muted}},
		Field:  f,
		Keypad: c.keypad(e, true),
		Actions: []ui.Action{
			{ID: "skip", Label: c.t("button.skip"), Kind: ui.Secondary, Do: c.send(journey.SkipPhone{})},
			{ID: "submit", Label: c.t("button.submit"), Do: func() { e.edited = false; c.b.Send(journey.EnterPhone{Text: e.String()}) }},
		},
	}
}

func (c *ctx) bookingCode() *ui.Page {
	e := &c.b.code
	f := &ui.Field{Label: c.t("screen.booking.code"), Value: e.String()}
	if c.v.Error.Key != "" && !e.edited {
		f.Hint, f.Tone = c.f(c.v.Error), ui.Bad
	}
	var lines []ui.Line
	if len(c.st.BookingCodes) > 0 {
		lines = append(lines, ui.Line{Tone: ui.Muted, Text: c.f(i18n.Message{Key: "screen.demo_booking.codes",
			Args: i18n.Args{"Codes": strings.Join(c.st.BookingCodes, ", ")}})})
	}
	return &ui.Page{
		Title:  c.t("screen.booking.title"),
		Lines:  lines,
		Field:  f,
		Keypad: c.keypad(e, false),
		Actions: []ui.Action{
			{ID: "booking-by-passport", Label: c.t("button.booking_by_passport"), Kind: ui.Secondary, Do: c.send(journey.ScanForBooking{})},
			{ID: "submit", Label: c.t("button.continue"), Do: func() { e.edited = false; c.b.Send(journey.EnterBookingCode{Code: e.String()}) }},
		},
	}
}

// bookingProblem says why the booking was not checked in and offers the
// ordinary ticket instead: the visitor is in the hall already.
func (c *ctx) bookingProblem() *ui.Page {
	return &ui.Page{
		Title: c.t("screen.booking.title"),
		Lines: []ui.Line{{Text: c.f(c.v.Problem), Tone: ui.Warn}},
		Actions: []ui.Action{{ID: "walk-in", Label: c.t("screen.booking_check.walk_in"),
			Do: c.send(journey.WalkIn{})}},
	}
}

// wait is a page with nothing to press: the kiosk is busy for the visitor.
func (c *ctx) wait(key string) *ui.Page {
	return &ui.Page{Title: c.t(key)}
}

// stillThere is the walk-away prompt. It covers an empty page: whatever
// the visitor left on screen is not shown to the next person in the hall.
func (c *ctx) stillThere() *ui.Page {
	secs := int((c.v.Countdown + 999_999_999) / 1_000_000_000)
	return &ui.Page{Overlay: &ui.Overlay{
		Title: c.t("screen.still_there.title"),
		Lines: []ui.Line{{Text: c.f(i18n.Message{Key: "screen.still_there.countdown", Args: i18n.Args{"Count": secs}})}},
		Actions: []ui.Action{{ID: "still-here", Label: c.t("button.still_here"),
			Do: c.send(journey.StillHere{})}},
	}}
}
