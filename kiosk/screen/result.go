package screen

import (
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// result is the precheck's checklist, each item with its reason, and the
// way on the decision allows.
func (c *ctx) result() *ui.Page {
	p := &ui.Page{}
	r := c.v.Precheck
	if r == nil {
		r = &precheck.Result{}
	}
	var next ui.Action
	switch r.Decision {
	case precheck.OK:
		p.Title = c.t("screen.result.ok")
		next = ui.Action{ID: "continue", Label: c.t("button.continue"), Do: c.send(journey.Continue{})}
	case precheck.NeedsDocuments:
		p.Title = c.t("screen.result.needs_documents")
		next = ui.Action{ID: "continue", Label: c.t("button.continue"), Do: c.send(journey.Continue{})}
	case precheck.Rescan:
		p.Title = c.t("screen.result.rescan")
		next = ui.Action{ID: "scan-again", Label: c.t("button.scan_again"), Do: c.send(journey.Continue{})}
	case precheck.CannotApply:
		p.Title = c.t("screen.result.cannot_apply")
		next = ui.Action{ID: "done", Label: c.t("button.done"), Do: c.send(journey.Done{})}
	default:
		p.Title = c.t("screen.result.see_clerk")
		next = ui.Action{ID: "done", Label: c.t("button.done"), Do: c.send(journey.Done{})}
	}
	for _, it := range r.Items {
		item := ui.Item{Text: c.f(it.Text)}
		if it.Reason.Key != "" {
			item.Reason = c.f(it.Reason)
		}
		switch it.Kind {
		case precheck.Bring:
			// Still to bring: a to-do, not a tick.
			item.Tone, item.Mark = ui.Warn, toDo
		case precheck.Warning, precheck.Info:
			item.Tone = ui.Warn
		case precheck.Refusal:
			item.Tone = ui.Bad
		}
		p.Items = append(p.Items, item)
	}
	if r.Decision == precheck.NeedsDocuments {
		p.Notes = append(p.Notes, ui.Line{Text: c.t("screen.result.have_everything")})
	}
	for _, n := range r.Notices {
		p.Notes = append(p.Notes, ui.Line{Text: c.f(n), Tone: ui.Muted})
	}
	p.Actions = []ui.Action{next}
	return p
}
