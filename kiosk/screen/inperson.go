package screen

import (
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// representativeOff answers "someone else" when the branch takes no
// representatives (flow.representative_allowed off, the default): under the
// MIA rules amended on 29 February 2024 the foreigner applies in person,
// and a power of attorney serves only to correct an existing IIN. Back
// returns to the choice, for the person who came themselves; Cancel starts
// over.
func (c *ctx) representativeOff() *ui.Page {
	return &ui.Page{
		Title: c.t("screen.in_person.title"),
		Lines: []ui.Line{
			{Text: c.t("screen.in_person.come"), Tone: ui.Warn},
			{Text: c.t("screen.in_person.poa")},
			{Text: c.t("screen.in_person.desk")},
		},
	}
}

// script asks the one question the translation rule may leave: is the
// place of birth written in Latin or Cyrillic letters? The buttons say the
// answer in words, since "yes" here means no translation.
func (c *ctx) script() *ui.Page {
	return &ui.Page{
		Title: c.t("screen.result.question"),
		Lines: []ui.Line{{Text: c.t("screen.script.question")}, {Text: c.t("screen.script.example"), Tone: ui.Muted}},
		Actions: []ui.Action{
			{ID: "no", Label: c.t("screen.place_of_birth.no"), Kind: ui.Secondary, Do: c.send(journey.AnswerScript{OtherScriptOnly: true})},
			{ID: "yes", Label: c.t("screen.place_of_birth.yes"), Kind: ui.Secondary, Do: c.send(journey.AnswerScript{OtherScriptOnly: false})},
		},
	}
}
