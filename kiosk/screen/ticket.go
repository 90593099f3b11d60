package screen

import (
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// ticket shows the queue number large on screen as well: the printer may be
// out of paper, and then this screen is the visitor's only record of it.
func (c *ctx) ticket() *ui.Page {
	t := c.v.Ticket
	p := &ui.Page{Title: c.t("screen.ticket.title")}
	if t == nil {
		return p
	}
	p.Big = t.Number
	if c.v.Notice.Key != "" {
		p.Title = c.f(c.v.Notice)
	}
	// The page is in the screen's language, whichever the printed ticket
	// has: a visitor may tap another language after the ticket is out.
	b := t.Block(c.b.Cat, c.lang)
	if t.Booked {
		p.Lines = append(p.Lines, ui.Line{Text: b.Booked, Tone: ui.Good})
	}
	if b.Priority != "" {
		p.Lines = append(p.Lines, ui.Line{Text: b.Priority, Tone: ui.Good})
	}
	if b.Wait != "" {
		p.Lines = append(p.Lines, ui.Line{Text: b.Wait})
	}
	if b.Ready != "" {
		p.Lines = append(p.Lines, ui.Line{Text: b.Ready, Tone: ui.Good})
	}
	for _, item := range b.Bring {
		p.Items = append(p.Items, ui.Item{Text: item, Tone: ui.Warn, Mark: toDo})
	}
	p.Notes = append(p.Notes, ui.Line{Text: c.t("screen.ticket.wait_for_number"), Tone: ui.Muted})
	if con := c.st.Console; con != nil {
		// The address and the sign-in on lines of their own: a line break
		// inside one (after a slash or a hyphen) would make it hard to type.
		p.Notes = append(p.Notes, ui.Line{Tone: ui.Muted, Text: c.t("screen.demo_console.call")},
			ui.Line{Tone: ui.Muted, Text: con.URL},
			ui.Line{Tone: ui.Muted, Text: c.f(i18n.Message{Key: "screen.demo_console.sign_in",
				Args: i18n.Args{"Login": con.Login, "Password": con.Password}})})
	}
	p.Actions = []ui.Action{{ID: "done", Label: c.t("button.done"), Do: c.send(journey.Done{})}}
	return p
}

func (c *ctx) goodbye() *ui.Page {
	return &ui.Page{
		Title: c.t("screen.goodbye.title"),
		Lines: []ui.Line{{Text: c.t("screen.goodbye.subtitle"), Tone: ui.Warn}},
		Actions: []ui.Action{{ID: "start-over", Label: c.b.Cat.Text(c.lang, "button.start_over"),
			Do: c.send(journey.Touch{})}},
	}
}
