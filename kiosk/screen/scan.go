package screen

import (
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

func (c *ctx) scan() *ui.Page {
	p := &ui.Page{Title: c.t("screen.scan.title"), Lines: []ui.Line{{Text: c.t("screen.scan.hint")}}}
	switch {
	case c.v.State == journey.BookingScan:
		// What the page is for, then how: the code page's "or scan your
		// passport" would read back to front here.
		p.Title = c.t("screen.booking.title")
		p.Lines = append([]ui.Line{{Text: c.t("screen.booking_check.scan_why")}}, p.Lines...)
		if c.v.Error.Key != "" {
			p.Lines = append(p.Lines, ui.Line{Text: c.f(c.v.Error), Tone: ui.Bad})
		}
	case c.v.Applicant == precheck.Representative:
		p.Title = c.t("screen.scan.representative")
	}
	// The word "Sample" heads the buttons once, so each button's label is
	// the specimen's short name and fits the keypad's width.
	if len(c.st.Samples) > 0 {
		p.Lines = append(p.Lines, ui.Line{Text: c.t("screen.sample") + ":", Tone: ui.Muted})
	}
	for _, s := range c.st.Samples {
		id := s.ID
		p.Keypad = append(p.Keypad, ui.Action{ID: "sample-" + id, Label: s.Label,
			Kind: ui.Secondary, Do: func() { c.b.Scan(id) }})
	}
	return p
}

// scannerDown says the scanner does not work and where to go instead; the
// visitor can end the visit here.
func (c *ctx) scannerDown() *ui.Page {
	return &ui.Page{
		Title:   c.t("device.scanner_unavailable"),
		Actions: []ui.Action{{ID: "done", Label: c.t("button.done"), Do: c.send(journey.Done{})}},
	}
}

// confirm shows what was read for the visitor to check. The Russian
// internal passport's names are shown in Cyrillic as the clerk will see
// them, with the Latin form beside.
func (c *ctx) confirm() *ui.Page {
	p := &ui.Page{Title: c.t("screen.confirm.title")}
	d := c.v.Document
	if d != nil {
		surname, given := d.Surname, d.GivenNames
		if r := d.Russian; r != nil {
			surname += " (" + r.LatinSurname + ")"
			if r.LatinGivenNames != "" {
				given += " (" + r.LatinGivenNames + ")"
			}
		}
		field := func(key, value string) {
			if value == "" {
				value = "—"
			}
			p.Lines = append(p.Lines, ui.Line{Text: c.t(key) + ":  " + value})
		}
		field("field.surname", surname)
		field("field.given_names", given)
		field("field.document_number", d.DocumentNumber)
		field("field.nationality", c.b.Cat.Country(c.lang, d.Nationality))
		field("field.birth_date", c.date(d.BirthDate))
		if d.Format != mrz.RUSInternal || d.ExpiryDate.Known() {
			field("field.expiry_date", c.date(d.ExpiryDate))
		}
		field("field.sex", c.sex(d.Sex))
	}
	p.Lines = append(p.Lines, ui.Line{Text: c.t("screen.confirm.question"), Tone: ui.Warn})
	p.Actions = []ui.Action{
		{ID: "data-wrong", Label: c.t("button.data_wrong"), Kind: ui.Secondary, Do: c.send(journey.RejectData{})},
		{ID: "confirm", Label: c.t("button.confirm"), Do: c.send(journey.ConfirmData{})},
	}
	return p
}

func (c *ctx) date(d mrz.Date) string {
	if dd, ok := day(d); ok {
		return c.b.Cat.Date(c.lang, dd)
	}
	return c.t("field.not_shown")
}

func (c *ctx) sex(s mrz.Sex) string {
	switch s {
	case mrz.Male:
		return c.t("sex.male")
	case mrz.Female:
		return c.t("sex.female")
	}
	return c.t("sex.unspecified")
}
