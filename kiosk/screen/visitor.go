package screen

import (
	"strings"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// toDo marks a document still to bring: the tone's ✓ would read as done.
const toDo = "☐"

// visitor adds what covers or heads any page of the visit: the question
// before Cancel wipes the visitor's data, and the confirmation of a booking
// found.
func (c *ctx) visitor(p *ui.Page) {
	if c.v.Booked && c.v.State == journey.Applicant {
		line := ui.Line{Text: c.t("screen.booking_check.found"), Tone: ui.Good}
		if s := c.v.BookedSlot; !s.IsZero() {
			line.Text = c.f(i18n.Message{Key: "screen.booking_check.found_at", Args: i18n.Args{
				"Date": config.Day{Year: s.Year(), Month: s.Month(), Day: s.Day()}, "Time": s.Format("15:04")}})
		}
		p.Lines = append([]ui.Line{line}, p.Lines...)
	}
	if c.v.ConfirmCancel {
		p.Overlay = &ui.Overlay{
			Title: c.t("screen.cancel.question"),
			Lines: []ui.Line{{Text: c.t("screen.cancel.hint")}},
			Actions: []ui.Action{
				{ID: "cancel-no", Label: c.t("screen.cancel.no"), Kind: ui.Secondary, Do: c.send(journey.KeepVisit{})},
				{ID: "cancel-yes", Label: c.t("screen.cancel.yes"), Kind: ui.Danger, Do: c.send(journey.Cancel{})},
			},
		}
	}
}

// groupPhone writes a phone number as it is typed the way it is read
// aloud: a Kazakh number as +7 7xx xxx xx xx (or 8 7xx …, or the ten
// digits alone), anything else as typed. Without a plus, digits from 7
// are the ten digits alone until an eleventh comes after 77, which makes
// the first 7 the country's, as validate.ParsePhone reads them: the field
// is regrouped at that digit only, and always shows the number as it is
// taken.
func groupPhone(s string) string {
	var head, rest string
	switch {
	case strings.HasPrefix(s, "+7"):
		head, rest = "+7", s[2:]
	case strings.HasPrefix(s, "8"):
		head, rest = "8", s[1:]
	case strings.HasPrefix(s, "77") && len(s) >= 11:
		head, rest = "7", s[1:]
	case strings.HasPrefix(s, "7"):
		rest = s
	default:
		return s
	}
	if strings.ContainsAny(rest, "+") {
		return s
	}
	var b strings.Builder
	b.WriteString(head)
	for i, g := range []int{3, 3, 2, 2} {
		if rest == "" {
			break
		}
		n := min(g, len(rest))
		if i == 3 {
			n = len(rest) // a digit too many stays visible, for the error to name
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(rest[:n])
		rest = rest[n:]
	}
	return b.String()
}
