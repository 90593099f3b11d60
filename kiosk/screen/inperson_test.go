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
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

// kiosk runs the journey's pages on a simulated screen, as kiosk.Kiosk
// does: every input goes to the journey and the page is drawn again.
func kiosk(t *testing.T, flow config.Flow) (*uitest.Harness, *i18n.Catalog, func(journey.Input)) {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	chk, err := precheck.ForBranch(flow, "Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	clk := uitest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	j, err := journey.New(journey.Options{Flow: flow, Languages: i18n.Languages(), Checker: chk, Clock: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	sim := uitest.NewScreen()
	app := ui.New(ui.Options{Screen: sim, Now: clk.Now, TapGuard: -1})
	b := &screen.Builder{Cat: cat}
	render := func() { app.Show(b.Page(j.View(), screen.Status{})) }
	b.Send = func(in journey.Input) { j.Handle(in); render() }
	b.Refresh = render
	h := uitest.New(t, sim, app, 120, 40)
	h.Do(render)
	return h, cat, func(in journey.Input) { h.Do(func() { b.Send(in) }) }
}

// words is text with its white space made single, so a sentence wrapped
// over rows can be found.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestSomeoneElseInPerson taps "someone else" on a kiosk with the default
// settings, where an IIN is applied for in person only, and reads the page
// in each language: come yourself; a power of attorney only corrects an
// existing IIN; the information desk helps. Back returns to the choice.
func TestSomeoneElseInPerson(t *testing.T) {
	for _, l := range i18n.Languages() {
		t.Run(string(l), func(t *testing.T) {
			h, cat, _ := kiosk(t, config.DefaultFlow())
			h.TapAction("lang-" + string(l))
			h.TapAction("representative")
			shown := words(h.Text())
			for _, key := range []string{"screen.in_person.title", "screen.in_person.come", "screen.in_person.poa", "screen.in_person.desk"} {
				if want := words(cat.Text(l, key)); !strings.Contains(shown, want) {
					t.Errorf("in-person page lacks %s (%q):\n%s", key, want, h.Text())
				}
			}
			if !h.HasAction("cancel") {
				t.Errorf("in-person page has no way to start over:\n%s", h.Text())
			}
			h.TapAction("back")
			if !h.HasAction("self") || !h.HasAction("representative") {
				t.Errorf("Back from the in-person page does not return to the choice:\n%s", h.Text())
			}
		})
	}
}

// TestPlaceOfBirthQuestion answers the one question about the place of
// birth, for a state the policy table asks about, with each button: "in
// Latin or Cyrillic" needs no translation, "only in other letters" does.
func TestPlaceOfBirthQuestion(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	doc, err := mrz.Parse(mrztest.TD3{Code: "P", State: "IND", Names: "SHARMA<<PRIYA", Number: "X12345678",
		Nationality: "IND", Birth: "900215", Sex: "F", Expiry: "300101"}.String(), at)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tap         string
		translation bool
	}{{"yes", false}, {"no", true}} {
		t.Run(tt.tap, func(t *testing.T) {
			h, cat, send := kiosk(t, config.DefaultFlow())
			h.TapAction("lang-en")
			h.TapAction("self")
			send(journey.Scanned{Doc: doc})
			h.TapAction("confirm")
			shown := words(h.Text())
			for _, key := range []string{"screen.script.question", "screen.place_of_birth.yes", "screen.place_of_birth.no"} {
				if want := words(cat.Text(i18n.English, key)); !strings.Contains(shown, want) {
					t.Fatalf("question page lacks %s (%q):\n%s", key, want, h.Text())
				}
			}
			h.TapAction(tt.tap)
			translation := words(cat.Text(i18n.English, "precheck.item.notarized_translation"))
			if got := strings.Contains(words(h.Text()), translation); got != tt.translation {
				t.Errorf("after %q the list shows the translation = %v, want %v:\n%s", tt.tap, got, tt.translation, h.Text())
			}
		})
	}
}
