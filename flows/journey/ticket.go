package journey

import (
	"strconv"
	"strings"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// Printable puts the ticket into words for the printer: a Kazakh block
// first, then one in the visitor's language when that is another. It holds
// no personal data: no name, no passport number, no phone.
func (t TicketData) Printable(cat *i18n.Catalog) printer.Ticket {
	p := printer.Ticket{Number: t.Number, Booked: t.Booked}
	langs := []i18n.Lang{i18n.Kazakh}
	if t.Lang != "" && t.Lang != i18n.Kazakh {
		langs = append(langs, t.Lang)
	}
	for _, l := range langs {
		p.Blocks = append(p.Blocks, t.block(cat, l))
	}
	t.sharedLines(cat, &p)
	return p
}

// sharedLines adds the lines every language shares: the kiosk and the time
// of issue in digits (for the staff, once, however many languages), and
// what the QR code is for, in each block's language.
func (t TicketData) sharedLines(cat *i18n.Catalog, p *printer.Ticket) {
	var parts []string
	if t.KioskID != "" {
		parts = append(parts, t.KioskID)
	}
	if !t.Issued.IsZero() {
		parts = append(parts, strings.ReplaceAll(t.Issued.Format("02.01.2006 15:04"), " ", string(printer.NoBreakSpace)))
	}
	p.KioskLine = strings.Join(parts, " · ")
	for i := range p.Blocks {
		p.Blocks[i].StatusCaption = cat.Text(i18n.Lang(p.Blocks[i].Lang), "ticket.status_qr.caption")
	}
}

// Block puts the ticket into words in one language, any of the kiosk's:
// the ticket page follows the language switch, while the printed ticket
// has only Kazakh and the language the visitor applied in.
func (t TicketData) Block(cat *i18n.Catalog, l i18n.Lang) printer.Block { return t.block(cat, l) }

func (t TicketData) block(cat *i18n.Catalog, l i18n.Lang) printer.Block {
	f := func(key string, args i18n.Args) string { return cat.Format(l, i18n.Message{Key: key, Args: args}) }
	b := printer.Block{
		Lang:         string(l),
		NumberLabel:  cat.Text(l, "ticket.your_number"),
		Booked:       cat.Text(l, "ticket.booked"),
		Service:      cat.Text(l, "ticket.service"),
		BringHeading: cat.Text(l, "ticket.bring"),
		Notice:       cat.Text(l, "ticket.free"),
	}
	if t.Branch != "" {
		b.Branch = f("ticket.branch", i18n.Args{"Branch": t.Branch})
	}
	if t.KioskID != "" {
		b.Kiosk = f("ticket.kiosk", i18n.Args{"Kiosk": t.KioskID})
	}
	if !t.Issued.IsZero() {
		b.Issued = f("ticket.issued", i18n.Args{"Date": unbroken(cat, l, workday.DayOf(t.Issued)), "Time": t.Issued.Format("15:04")})
	}
	switch {
	case t.Offline:
		b.Wait = cat.Text(l, "ticket.offline")
	case t.PeopleAhead == 0:
		b.Wait = cat.Text(l, "ticket.nobody_ahead")
	case t.PeopleAhead > 0:
		b.Wait = f("ticket.people_ahead", i18n.Args{"Count": t.PeopleAhead})
	}
	if t.Priority {
		b.Priority = f("ticket.lane.priority", i18n.Args{"Count": t.PriorityAge})
	}
	if w := t.wait(cat, l); w != "" {
		if b.Wait != "" {
			b.Wait += ". " + w
		} else {
			b.Wait = w
		}
	}
	if t.ReadyDate.Year != 0 {
		b.Ready = f("ticket.iin_ready", i18n.Args{"Date": unbroken(cat, l, t.ReadyDate)})
	}
	for _, m := range t.Bring {
		b.Bring = append(b.Bring, cat.Format(l, m))
	}
	return b
}

// unbroken writes a day as the language writes dates, its words joined by
// no-break spaces: a date split over two lines of a ticket ("2026 жылғы 2"
// and "желтоқсан") is misread, so the printer moves it to the next line
// whole.
func unbroken(cat *i18n.Catalog, l i18n.Lang, d config.Day) string {
	return strings.ReplaceAll(cat.Date(l, d), " ", string(printer.NoBreakSpace))
}

// wait is the estimated wait; while the centre is closed, when it opens
// instead (a wait of "1 min" at night would send the visitor to the hall).
func (t TicketData) wait(cat *i18n.Catalog, l i18n.Lang) string {
	switch {
	case !t.Opens.IsZero():
		return opensText(cat, l, t.Opens)
	case t.WaitMinutes > 0 && !t.Offline:
		return cat.Format(l, i18n.Message{Key: "ticket.wait", Args: i18n.Args{"Minutes": strconv.Itoa(t.WaitMinutes)}})
	}
	return ""
}
