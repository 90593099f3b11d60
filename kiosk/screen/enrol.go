package screen

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// Enrolment is the first-boot enrolment page for the form's view: the
// hardware id in block letters, the one-time code typed so far (grouped
// 4-4-4) over a digit keypad, and why the last try failed, in the chosen
// language (Kazakh first, the switch on top). send hands each tap to the
// form (enrol.Form); the page keeps nothing of its own.
func Enrolment(cat *i18n.Catalog, v enrol.View, send func(enrol.Input)) *ui.Page {
	t := func(key string) string { return cat.Text(v.Lang, key) }
	do := func(in enrol.Input) func() { return func() { send(in) } }
	p := &ui.Page{}
	for _, l := range v.Languages {
		kind := ui.Secondary
		if l == v.Lang {
			kind = ui.Selected
		}
		p.Languages = append(p.Languages, ui.Action{ID: "lang-" + string(l), Label: cat.Text(l, "lang.name"),
			Kind: kind, Do: do(enrol.ChooseLanguage{Lang: l})})
	}
	switch v.State {
	case enrol.Sending:
		p.ID = "enrol-sending"
		p.Title, p.Big = t("enrol.sending"), v.HardwareID
	case enrol.Enrolled:
		p.ID = "enrol-done"
		p.Title = t("enrol.done.title")
		if id := v.Identity; id != nil {
			p.Big = id.KioskID
			p.Lines = []ui.Line{
				{Text: cat.Format(v.Lang, i18n.Message{Key: "enrol.done.kiosk", Args: i18n.Args{"Kiosk": id.KioskID}})},
				{Text: cat.Format(v.Lang, i18n.Message{Key: "enrol.done.branch", Args: i18n.Args{"Branch": id.Branch}})},
				{Text: cat.Format(v.Lang, i18n.Message{Key: "enrol.done.until", Args: i18n.Args{"Date": id.Until()}}), Tone: ui.Muted},
			}
		}
		p.Actions = []ui.Action{{ID: "start", Label: t("enrol.button.start"), Do: do(enrol.Continue{})}}
	default:
		p.ID = "enrol"
		p.Title, p.Big = t("enrol.title"), v.HardwareID
		p.Lines = []ui.Line{{Text: t("enrol.hardware_id"), Tone: ui.Muted}, {Text: t("enrol.prompt")}}
		f := &ui.Field{Label: t("enrol.code"), Value: GroupCode(v.Code), Hint: t("enrol.code_hint"), Tone: ui.Muted}
		if v.Problem.Key != "" {
			f.Hint, f.Tone = cat.Format(v.Lang, v.Problem), ui.Bad
		}
		p.Field = f
		for _, d := range "123456789" {
			p.Keypad = append(p.Keypad, ui.Action{ID: "key-" + string(d), Label: string(d), Kind: ui.Secondary, Rune: d,
				Do: do(enrol.Digit{D: byte(d)})})
		}
		p.Keypad = append(p.Keypad,
			ui.Action{ID: "key-clear", Label: cat.Text(v.Lang, "button.clear"), Kind: ui.Secondary, Do: do(enrol.Clear{})},
			ui.Action{ID: "key-0", Label: "0", Kind: ui.Secondary, Rune: '0', Do: do(enrol.Digit{D: '0'})},
			ui.Action{ID: "key-delete", Label: "⌫ " + cat.Text(v.Lang, "button.delete"), Kind: ui.Secondary,
				Key: tcell.KeyBackspace2, Do: do(enrol.Delete{})})
		p.Actions = []ui.Action{{ID: "enrol", Label: t("enrol.button.enrol"), Do: do(enrol.Submit{})}}
	}
	return p
}

// GroupCode writes a code typed so far in groups of four digits, as the
// supervisor's page shows it: "1234 5678 9012".
func GroupCode(code string) string {
	var b strings.Builder
	for i := range len(code) {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(code[i])
	}
	return b.String()
}
