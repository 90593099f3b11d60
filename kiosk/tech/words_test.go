package tech_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// english finds a word of Latin letters that is not a name the page must
// give as it is: a path, a zone name, a version, an abbreviation (PIN, QR,
// TD3) or a document's format.
func english(screen string, paths ...string) []string {
	// A path wrapped at the screen's edge leaves its last parts alone on a
	// line: they are names too.
	names := map[string]bool{}
	for _, p := range paths {
		for _, n := range regexp.MustCompile(`[A-Za-z]+`).FindAllString(p, -1) {
			names[n] = true
		}
	}
	var out []string
	for _, tok := range strings.Fields(screen) {
		if strings.ContainsAny(tok, "/\\.") || tok == "English" {
			continue // a path, a zone name, a version; the language switch
		}
		for _, w := range regexp.MustCompile(`[A-Za-z]{2,}`).FindAllString(tok, -1) {
			if w == strings.ToUpper(w) && len(w) <= 4 || names[w] {
				continue // PIN, QR, UTC, TD3
			}
			out = append(out, w)
		}
	}
	return out
}

// TestTechnicianSpeaksTheLanguage opens the demo's technician pages in
// Kazakh and Russian and looks for English on them: the reasons and values
// of the checks were the drivers' English. The printer that writes files
// is called that, with its folder; and the test scan works in the demo,
// from a sample's button.
func TestTechnicianSpeaksTheLanguage(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Kazakh, i18n.Russian} {
		t.Run(string(lang), func(t *testing.T) {
			x := newHall(t)
			x.scannerReady()
			x.h.Key(tcell.KeyF12)
			x.typePIN(demo.DemoPIN)
			x.until("the status page", func() bool { return x.h.HasAction("tech-print") })
			x.tap("lang-" + string(lang))
			x.until("the checks", func() bool { return !x.h.Contains(x.cat.Text(lang, "tech.checking")) })
			paths := []string{x.d.Tickets, x.d.Config.Kiosk.StateDir, x.d.Config.Backend.OutboxKeyFile, x.d.Config.Scanner.Port}
			if w := english(x.h.Text(), paths...); len(w) > 0 {
				t.Errorf("English on the %s status page: %q\n%s", lang, w, x.h.Text())
			}
			file := x.cat.Text(lang, "tech.check.printer") + " — " +
				x.cat.Format(lang, i18n.Message{Key: "tech.device.file", Args: i18n.Args{"Path": ""}})
			if !strings.Contains(strings.Join(strings.Fields(x.h.Text()), " "), strings.TrimSpace(file)) {
				t.Errorf("the status page does not call the printer a file, %q:\n%s", file, x.h.Text())
			}

			x.tap("tech-scan")
			if !x.h.HasAction("sample-latin") {
				t.Fatalf("the demo's test-scan page has no sample to scan:\n%s", x.h.Text())
			}
			x.tap("sample-latin")
			x.until("the test scan", func() bool {
				return x.h.Contains(x.cat.Format(lang, i18n.Message{Key: "tech.scan.format", Args: i18n.Args{"Format": "TD3", "Code": "P"}}))
			})
			if w := english(x.h.Text(), paths...); len(w) > 0 {
				t.Errorf("English on the %s test-scan page: %q\n%s", lang, w, x.h.Text())
			}
		})
	}
}
