package printer_test

import (
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
)

// maxBilingualMM is the longest a bilingual ticket may be on 58 mm paper:
// a ticket twice a hand's length is torn off, folded and lost.
const maxBilingualMM = 120

// realisticTicket is the ticket the kiosk prints for a visitor who chose
// lang: the words come from the flow's catalogs through the journey, as
// in the kiosk, with the queue and the dates a busy morning has and a
// ticket id as the kiosk's QR code carries. No personal data.
func realisticTicket(t testing.TB, lang i18n.Lang, booked, translation bool) *printer.Ticket {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	td := journey.TicketData{
		Number: "A042", PeopleAhead: 12, WaitMinutes: 25, Booked: booked,
		ReadyDate: config.Day{Year: 2026, Month: 12, Day: 2},
		Bring:     []i18n.Message{i18n.M("precheck.item.passport")},
		KioskID:   "K-07", Branch: "ALA-01", Lang: lang,
		Issued: time.Date(2026, 12, 1, 10, 32, 0, 0, time.FixedZone("+05", 5*3600)),
	}
	if translation {
		td.Bring = append(td.Bring, i18n.M("precheck.item.notarized_translation"))
	}
	p := td.Printable(cat)
	p.Status = "0f6f3a52-9d7e-4c1b-8a43-2b9e61d0c7aa" // an api.NewID, as the kiosk prints
	return &p
}

// ticketMM returns the paper ticket tk takes on l's profile, from the
// first line past the cut (or the tear bar), in millimetres.
func ticketMM(t testing.TB, l *printer.Layout, tk *printer.Ticket) float64 {
	t.Helper()
	job, err := l.Ticket(tk)
	if err != nil {
		t.Fatal(err)
	}
	return l.Profile().Millimetres(decode(t, l, job).Length())
}

// TestBilingualTicketLength: a realistic ticket in Kazakh and the
// visitor's language fits in 12 cm of 58 mm paper. Today's layout
// printed every line twice and took 17–22 cm.
func TestBilingualTicketLength(t *testing.T) {
	for _, p := range printer.Profiles() {
		if p.Dots > 384 { // 58 mm paper
			continue
		}
		for _, lang := range []i18n.Lang{i18n.Russian, i18n.English} {
			mm := ticketMM(t, layout(t, p.Name), realisticTicket(t, lang, false, false))
			t.Logf("%s, kk+%s: %.1f mm", p.Name, lang, mm)
			if mm > maxBilingualMM {
				t.Errorf("%s: the kk+%s ticket is %.0f mm long, want at most %d mm", p.Name, lang, mm, maxBilingualMM)
			}
		}
	}
}

// BenchmarkTicketLength reports the paper each profile's tickets take, in
// millimetres (mm): Kazakh alone, Kazakh and Russian, and Kazakh and
// Russian with the booked mark and the translation on the list. Its time
// is a layout and a decode; the figure is the length.
func BenchmarkTicketLength(b *testing.B) {
	cases := []struct {
		name                string
		lang                i18n.Lang
		booked, translation bool
	}{
		{"kk", i18n.Kazakh, false, false},
		{"kk-ru", i18n.Russian, false, false},
		{"kk-ru-full", i18n.Russian, true, true},
	}
	for _, p := range printer.Profiles() {
		for _, c := range cases {
			b.Run(p.Name+"/"+c.name, func(b *testing.B) {
				l := layout(b, p.Name)
				tk := realisticTicket(b, c.lang, c.booked, c.translation)
				var mm float64
				for b.Loop() {
					mm = ticketMM(b, l, tk)
				}
				b.ReportMetric(mm, "mm")
			})
		}
	}
}
