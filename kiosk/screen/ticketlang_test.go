package screen_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/mrz/mrztest"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
)

// TestTicketPageInAnyLanguage applies in one language and taps each other
// language on the ticket page: the page says the wait, the ready date and
// what to bring in the language tapped, whatever languages the printed
// ticket has (Kazakh and the language the visitor applied in).
func TestTicketPageInAnyLanguage(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	doc, err := mrz.Parse(mrztest.TD3{Code: "P", State: "RUS", Names: "IVANOVA<<ANNA", Number: "X12345678",
		Nationality: "RUS", Birth: "900215", Sex: "F", Expiry: "300101"}.String(), at)
	if err != nil {
		t.Fatal(err)
	}
	for _, applied := range i18n.Languages() {
		for _, shown := range i18n.Languages() {
			t.Run(string(applied)+"→"+string(shown), func(t *testing.T) {
				h, cat, send := kiosk(t, config.DefaultFlow())
				h.TapAction("lang-" + string(applied))
				for _, in := range []journey.Input{journey.ChooseService{}, journey.ChooseApplicant{}, journey.Scanned{Doc: doc}, journey.ConfirmData{},
					journey.Continue{}, journey.SkipPhone{}, journey.Submitted{Number: "AP007", PeopleAhead: 3, WaitMinutes: 12}} {
					send(in)
				}
				h.TapAction("lang-" + string(shown))
				text := words(h.Text())
				for _, m := range []i18n.Message{
					{Key: "ticket.people_ahead", Args: i18n.Args{"Count": 3}},
					{Key: "ticket.iin_ready", Args: i18n.Args{"Date": config.Day{Year: 2026, Month: 11, Day: 26}}},
					i18n.M("precheck.item.passport"),
				} {
					want := words(strings.ReplaceAll(cat.Format(shown, m), "\u00a0", " "))
					if !strings.Contains(strings.ReplaceAll(text, "\u00a0", " "), want) {
						t.Errorf("ticket page after tapping %s lacks %s (%q):\n%s", shown, m.Key, want, h.Text())
					}
				}
			})
		}
	}
}
