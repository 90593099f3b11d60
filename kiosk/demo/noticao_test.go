package demo_test

import (
	"testing"

	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// A document whose MRZ is not an ICAO one is named on screen, in the
// visitor's language, and the passport scanned next is taken: the kiosk
// neither reads it as a TD2 card nor asks for it to be scanned again. (A
// one-line driving licence does not get this far: the scanner's assembler
// waits for a TD1's three lines; flows/journey tests the licence.)
func TestNotICAODocumentNamed(t *testing.T) {
	docs := []struct {
		name  string
		lines []string
		key   string
	}{
		{"french-id", []string{"IDFRADUPONT<<<<<<<<<<<<<<<<<<<750123", "0512750123456JEAN<<PIERRE<<8800101M2"}, "precheck.item.french_id_card"},
	}
	for _, doc := range docs {
		for _, lang := range []i18n.Lang{i18n.Kazakh, i18n.Russian, i18n.English} {
			t.Run(doc.name+"/"+string(lang), func(t *testing.T) {
				var port *scannertest.Port
				x := startHall(t, setup{opts: ownScanner(&port)})
				x.tap("lang-" + string(lang))
				x.tap("self")
				x.waitFor("back")
				if _, err := port.Write(scannertest.Frame(doc.lines, "\r\n")); err != nil {
					t.Fatal(err)
				}
				x.waitFor("done")
				for _, key := range []string{"screen.result.cannot_apply", doc.key, "precheck.reason.not_icao"} {
					if text := x.cat.Text(lang, key); !x.shows(text) {
						t.Errorf("the page lacks %s (%q):\n%s", key, text, x.h.Text())
					}
				}
				if x.shows("mrz:") || x.shows("DUPONT") || x.shows(x.cat.Text(lang, "precheck.item.rescan")) {
					t.Errorf("the page shows an error, the card's data or a plain rescan:\n%s", x.h.Text())
				}
				if _, err := port.Write(scannertest.Frame(specimen(t, "latin"), "\r\n")); err != nil {
					t.Fatal(err)
				}
				x.waitFor("confirm")
			})
		}
	}
}
