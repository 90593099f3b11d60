package screen

import (
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// welcome is the kiosk at rest: the choice of language, each in its own
// words, Kazakh first. A printer out of paper is said here, before anyone
// starts, in every language.
func (c *ctx) welcome() *ui.Page {
	p := &ui.Page{Title: c.b.Cat.Text(i18n.Kazakh, "lang.choose")}
	for _, l := range c.v.Languages {
		if l != i18n.Kazakh {
			p.Lines = append(p.Lines, ui.Line{Text: c.b.Cat.Text(l, "lang.choose"), Tone: ui.Muted})
		}
	}
	if c.st.ScannerDown {
		for _, l := range c.v.Languages {
			p.Lines = append(p.Lines, ui.Line{Text: c.b.Cat.Text(l, "device.scanner_unavailable"), Tone: ui.Bad})
		}
	}
	if c.st.PaperOut {
		for _, l := range c.v.Languages {
			p.Lines = append(p.Lines, ui.Line{Text: c.b.Cat.Text(l, "screen.paper_out"), Tone: ui.Warn})
		}
	}
	for _, l := range c.v.Languages {
		p.Choices = append(p.Choices, ui.Choice{Action: ui.Action{
			ID: "lang-" + string(l), Label: c.b.Cat.Text(l, "lang.name"), Do: c.send(journey.ChooseLanguage{Lang: l}),
		}, Hint: c.b.Cat.Text(l, "service.iin.title")})
	}
	return p
}

// service is the first question after the language, and it is also who
// applies: one tap instead of two, since nearly every visitor comes for the
// IIN for themselves. A tap on an IIN choice is two journey inputs (the
// service, then the applicant); the booked visit is the third choice.
func (c *ctx) service() *ui.Page {
	iin := func(rep bool) func() {
		return func() {
			c.b.Send(journey.ChooseService{})
			c.b.Send(journey.ChooseApplicant{Representative: rep})
		}
	}
	return c.whoApplies(iin, c.send(journey.ChooseService{Booking: true}))
}

// applicant is where Back from the scan returns. On the usual way in it is
// the same three choices; after a booked visit was found it asks only who
// applies.
func (c *ctx) applicant() *ui.Page {
	choose := func(rep bool) func() { return c.send(journey.ChooseApplicant{Representative: rep}) }
	if c.v.Booking {
		return c.whoApplies(choose, nil)
	}
	booking := func() {
		c.b.Send(journey.Back{})
		c.b.Send(journey.ChooseService{Booking: true})
	}
	return c.whoApplies(choose, booking)
}

func (c *ctx) whoApplies(choose func(rep bool) func(), booking func()) *ui.Page {
	// With representatives off, a power of attorney does not get an IIN:
	// the hint sends the visitor to the page that says what does.
	repHint := c.t("screen.applicant_in_person.representative_hint")
	if c.v.Representatives {
		repHint = c.t("screen.applicant.representative_hint")
	}
	p := &ui.Page{
		Title: c.t("screen.applicant.title"),
		Choices: []ui.Choice{
			{Action: ui.Action{ID: "self", Label: c.t("screen.applicant.self"), Do: choose(false)},
				Hint: c.t("screen.applicant.self_hint")},
			{Action: ui.Action{ID: "representative", Label: c.t("screen.applicant.representative"), Kind: ui.Secondary,
				Do: choose(true)}, Hint: repHint},
		},
	}
	if booking != nil && c.b.Booking {
		p.Choices = append(p.Choices, ui.Choice{Action: ui.Action{ID: "service-booking", Label: c.t("service.booking.title"),
			Kind: ui.Secondary, Do: booking}, Hint: c.t("service.booking.subtitle")})
	}
	return p
}
