package journey

import (
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// priorityByAge reports whether the branch's policy (flow.priority_age)
// puts the document's holder in the priority lane on the day t. The age is
// read from the passport, so the visitor need not ask; a birth date not
// known puts nobody there.
func priorityByAge(f config.Flow, doc *mrz.Document, t time.Time) bool {
	if f.PriorityAge <= 0 || doc == nil {
		return false
	}
	return age(doc.BirthDate, t) >= f.PriorityAge
}

// priority is whether this visit's walk-in goes to the priority lane; a
// booked visit keeps its booked lane.
func (j *Journey) priority(now time.Time) bool {
	return !j.v.booked && priorityByAge(j.opt.Flow, j.v.doc, now.In(j.opt.Location))
}

// age is the holder's age in whole years on the day of t (in t's zone); -1
// when the birth date is not known.
func age(b mrz.Date, t time.Time) int {
	if !b.Known() {
		return -1
	}
	y := t.Year() - b.Year
	if t.Month() < b.Month || (t.Month() == b.Month && t.Day() < b.Day) {
		y--
	}
	return y
}

// opensKeys are the catalog's "the centre opens on …" texts by weekday:
// one key a day, because the weekday's name takes the case the sentence
// wants (Russian "в понедельник", "во вторник").
var opensKeys = [7]string{"ticket.opens.sun", "ticket.opens.mon", "ticket.opens.tue",
	"ticket.opens.wed", "ticket.opens.thu", "ticket.opens.fri", "ticket.opens.sat"}

// opensText says when the centre opens, in the branch's zone as the
// journey has it (opens is already in it).
func opensText(cat *i18n.Catalog, l i18n.Lang, opens time.Time) string {
	return cat.Format(l, i18n.Message{Key: opensKeys[opens.Weekday()], Args: i18n.Args{"Time": opens.Format("15:04")}})
}
