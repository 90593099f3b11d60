package screen

import (
	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// Status is what the kiosk knows beside the journey: its devices and its
// link, and whether it is a demo.
type Status struct {
	// PaperOut: the printer cannot print; the welcome screen says so before
	// the visitor starts.
	PaperOut bool
	// ScannerDown: the MRZ scanner is not working; the welcome screen says
	// so before the visitor starts.
	ScannerDown bool
	// Samples are the demo's specimen passports; set only in the demo, where
	// the scan screens show a button per sample and F2 scans the first.
	Samples []Sample
	// BookingCodes are the demo's booked visits for today; set only in the
	// demo, where the booking-code page shows them.
	BookingCodes []string
	// Console is where the demo's clerk calls the number just printed; set
	// only in the demo, where the ticket page says so.
	Console *Console
}

// Console is the demo backend's clerk side, named on the demo's ticket page
// so that a newcomer can call the ticket they just took.
type Console struct {
	URL, Login, Password string
}

// Sample is one demo specimen.
type Sample struct {
	ID    string
	Label string
}

// Builder makes pages. Its fields are set once; Page is called on the UI's
// event loop for every change.
type Builder struct {
	Cat *i18n.Catalog
	// Send hands a visitor's input to the journey.
	Send func(journey.Input)
	// Refresh redraws the current page after a keypad press, which changes
	// the typed text but not the journey.
	Refresh func()
	// Scan writes a demo specimen into the simulated scanner.
	Scan func(sampleID string)
	// Technician opens technician mode (the hidden key).
	Technician func()
	// Quit ends the demo (F10); nil on a visitor's kiosk.
	Quit func()
	// Booking offers the booked-visit check-in (flow.booking_enabled).
	Booking bool

	phone, code Entry
}

// Wipe zeroes what the visitor typed: called on every reset.
func (b *Builder) Wipe() {
	b.phone.Wipe()
	b.code.Wipe()
}

// Page is the page for the journey's view.
func (b *Builder) Page(v journey.View, st Status) *ui.Page {
	lang := v.Lang
	if lang == "" {
		lang = i18n.Kazakh
	}
	c := &ctx{b: b, v: v, st: st, lang: lang}
	var p *ui.Page
	switch v.State {
	case journey.Language:
		p = c.welcome()
	case journey.Service:
		p = c.service()
	case journey.Applicant:
		p = c.applicant()
	case journey.RepresentativeOff:
		p = c.representativeOff()
	case journey.Scan, journey.BookingScan:
		p = c.scan()
	case journey.ScannerDown:
		p = c.scannerDown()
	case journey.Confirm:
		p = c.confirm()
	case journey.ScriptQuestion:
		p = c.script()
	case journey.Result:
		p = c.result()
	case journey.Phone:
		p = c.phone()
	case journey.Submitting:
		p = c.wait("screen.submit.sending")
	case journey.BookingLookup:
		p = c.wait("screen.booking.checking")
	case journey.Ticket:
		p = c.ticket()
	case journey.Goodbye:
		p = c.goodbye()
	case journey.BookingCode:
		p = c.bookingCode()
	case journey.BookingProblem:
		p = c.bookingProblem()
	case journey.StillThere:
		p = c.stillThere()
	default:
		p = c.welcome()
	}
	p.ID = v.State.String()
	c.visitor(p)
	c.frame(p)
	return p
}

// ctx is one page being built.
type ctx struct {
	b    *Builder
	v    journey.View
	st   Status
	lang i18n.Lang
}

func (c *ctx) t(key string) string { return c.b.Cat.Text(c.lang, key) }

func (c *ctx) f(m i18n.Message) string { return c.b.Cat.Format(c.lang, m) }

func (c *ctx) send(in journey.Input) func() { return func() { c.b.Send(in) } }

// frame adds what every page has: the language switch, the step, the
// back and cancel buttons the journey allows, the notices, the demo line
// and the hidden keys.
func (c *ctx) frame(p *ui.Page) {
	if c.v.State != journey.Language && c.v.State != journey.StillThere {
		for _, l := range c.v.Languages {
			kind := ui.Secondary
			if l == c.lang {
				kind = ui.Selected
			}
			p.Languages = append(p.Languages, ui.Action{ID: "lang-" + string(l), Label: c.b.Cat.Text(l, "lang.name"),
				Kind: kind, Do: c.send(journey.ChooseLanguage{Lang: l})})
		}
	}
	if step, steps := stepOf(c.v.State); step > 0 {
		p.Step, p.Steps = step, steps
		p.StepLabel = c.f(i18n.Message{Key: "screen.step", Args: i18n.Args{"Step": step, "Steps": steps}})
	}
	var nav []ui.Action
	if c.v.CanBack {
		nav = append(nav, ui.Action{ID: "back", Label: "← " + c.t("button.back"), Kind: ui.Secondary,
			Key: tcell.KeyEscape, Do: c.send(journey.Back{})})
	}
	// On the ticket, Done ends the visit; a Cancel there would read as
	// giving the number back.
	if c.v.CanCancel && c.v.State != journey.Ticket {
		nav = append(nav, ui.Action{ID: "cancel", Label: c.t("button.cancel"), Kind: ui.Danger, Do: c.send(journey.Cancel{})})
	}
	p.Actions = append(nav, p.Actions...)
	if c.v.Notice.Key != "" && c.v.State != journey.Ticket && c.v.State != journey.ScannerDown {
		p.Lines = append(p.Lines, ui.Line{Text: c.f(c.v.Notice), Tone: ui.Warn})
	}
	if len(c.st.Samples) > 0 {
		p.Footer = c.t("screen.demo")
		first := c.st.Samples[0].ID
		p.Hidden = append(p.Hidden, ui.Action{ID: "demo-scan", Key: tcell.KeyF2, Do: func() { c.b.Scan(first) }})
	}
	if c.b.Quit != nil {
		p.Hidden = append(p.Hidden, ui.Action{ID: "quit", Key: tcell.KeyF10, Do: c.b.Quit})
	}
	if c.b.Technician != nil {
		p.Hidden = append(p.Hidden, ui.Action{ID: "technician", Key: tcell.KeyF12, Do: c.b.Technician})
	}
}

// stepOf numbers the steps of the main path for the step indicator; side
// screens show none.
func stepOf(s journey.State) (step, steps int) {
	order := map[journey.State]int{
		journey.Service: 1, journey.Applicant: 1, journey.BookingCode: 1, journey.BookingScan: 1, journey.BookingLookup: 1,
		journey.BookingProblem: 1, journey.Scan: 2, journey.Confirm: 3, journey.ScriptQuestion: 3,
		journey.Result: 4, journey.Phone: 5, journey.Submitting: 5, journey.Ticket: 6,
	}
	return order[s], 6
}

// day turns an MRZ date into the calendar's day, for the catalog's date
// format; false when the date is not known.
func day(d mrz.Date) (config.Day, bool) {
	if !d.Known() {
		return config.Day{}, false
	}
	return config.Day{Year: d.Year, Month: d.Month, Day: d.Day}, true
}

// Entry is text typed on the keypad. Wipe overwrites it before dropping
// it, so a phone number does not linger in memory after a reset.
type Entry struct {
	buf []byte
	// edited: changed since it was last submitted, so the refusal of what
	// was submitted no longer applies to it.
	edited bool
}

// Max is the longest entry: an E.164 number with its plus sign.
const Max = 16

// Add appends a character when there is room.
func (e *Entry) Add(c byte) {
	if len(e.buf) < Max {
		e.buf = append(e.buf, c)
		e.edited = true
	}
}

// Delete removes the last character.
func (e *Entry) Delete() {
	if n := len(e.buf); n > 0 {
		e.buf[n-1] = 0
		e.buf = e.buf[:n-1]
		e.edited = true
	}
}

// String returns the text typed.
func (e *Entry) String() string { return string(e.buf) }

// Wipe zeroes and empties the entry.
func (e *Entry) Wipe() {
	clear(e.buf[:cap(e.buf)])
	e.buf = e.buf[:0]
	e.edited = true
}

// keypad is the on-screen keypad writing into e; plus adds a "+" key.
func (c *ctx) keypad(e *Entry, plus bool) []ui.Action {
	var keys []ui.Action
	press := func(ch byte) func() {
		return func() { e.Add(ch); c.b.Refresh() }
	}
	for _, d := range "123456789" {
		keys = append(keys, ui.Action{ID: "key-" + string(d), Label: string(d), Kind: ui.Secondary, Rune: d, Do: press(byte(d))})
	}
	if plus {
		keys = append(keys, ui.Action{ID: "key-plus", Label: "+", Kind: ui.Secondary, Rune: '+', Do: press('+')})
	} else {
		keys = append(keys, ui.Action{ID: "key-clear", Label: c.t("button.clear"), Kind: ui.Secondary,
			Do: func() { e.Wipe(); c.b.Refresh() }})
	}
	keys = append(keys, ui.Action{ID: "key-0", Label: "0", Kind: ui.Secondary, Rune: '0', Do: press('0')})
	keys = append(keys, ui.Action{ID: "key-delete", Label: "⌫ " + c.t("button.delete"), Kind: ui.Secondary,
		Key: tcell.KeyBackspace2, Do: func() { e.Delete(); c.b.Refresh() }})
	return keys
}
