package tech_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"periph.io/x/conn/v3/conntest"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// englishWords are short English words a check in English would leave on
// the page; longer ones are caught as any word of Latin letters.
var englishWords = map[string]bool{"the": true, "and": true, "not": true, "no": true, "of": true, "is": true,
	"to": true, "on": true, "in": true, "for": true, "out": true, "yet": true, "off": true, "ok": true, "set": true}

// names are words of Latin letters the page gives as they are: the
// command a technician runs for the details.
var names = map[string]bool{"kiosk": true, "doctor": true}

// pageTexts lists every text of the page on screen, wherever it is
// scrolled: the title, lines, items and their reasons, notes and buttons.
// The language switch is left out: it names the languages.
func pageTexts(x *hall) []string {
	var p *ui.Page
	x.h.App.Read(func() { p = x.h.App.Page() })
	if p == nil {
		x.t.Fatal("no page on screen")
	}
	out := []string{p.Title, p.Footer, p.StepLabel}
	for _, l := range append(append([]ui.Line(nil), p.Lines...), p.Notes...) {
		out = append(out, l.Text)
	}
	for _, it := range p.Items {
		out = append(out, it.Text, it.Reason)
	}
	for _, a := range append(append(append([]ui.Action(nil), p.Actions...), p.Keypad...), p.Hidden...) {
		out = append(out, a.Label)
	}
	return out
}

// latinWords flags words of English in texts: a word of the small list, or
// an ASCII word longer than three letters that is not a name. Tokens with
// a path's, a URL's or a version's marks are names and pass, as do
// abbreviations in capitals (PIN, UTC, TD3).
func latinWords(texts []string) []string {
	var out []string
	word := regexp.MustCompile(`[A-Za-z]+`)
	for _, text := range texts {
		for _, tok := range strings.Fields(text) {
			if strings.ContainsAny(strings.TrimRight(tok, ",;:)»\""), "/\\.:@") {
				continue // a path, a device, a URL, a version
			}
			for _, w := range word.FindAllString(tok, -1) {
				lw := strings.ToLower(w)
				switch {
				case names[lw], w == strings.ToUpper(w) && len(w) <= 4:
				case englishWords[lw], len(w) > 3:
					out = append(out, w)
				}
			}
		}
	}
	return out
}

func TestLatinWords(t *testing.T) {
	tests := []struct {
		texts []string
		want  string
	}{
		{[]string{"Сканер — қосылмаған: /dev/ttyACM0"}, ""},
		{[]string{"Орталық — жоқ: http://127.0.0.1:8080", "PIN, UTC+5, TD3"}, ""},
		{[]string{"uplink: backend unreachable: connection refused"}, "uplink backend unreachable connection refused"},
		{[]string{"Принтер: paper-out", "no link"}, "paper out no link"},
		{[]string{"толығырақ: kiosk doctor"}, ""},
		{[]string{"Asia/Almaty: UTC+5", "uplink: scanner /dev/ttyMRZ: open"}, "uplink scanner open"},
	}
	for _, tt := range tests {
		if got := strings.Join(latinWords(tt.texts), " "); got != tt.want {
			t.Errorf("latinWords(%q) = %q, want %q", tt.texts, got, tt.want)
		}
	}
}

// faultyHall is the demo kiosk with its backend stopped, its scanner
// unplugged and its printer out of paper: the real uplink on an address
// nobody answers, the real scanner driver on a pty pulled out, the real
// printer driver answering "paper out" to every status request.
func faultyHall(t *testing.T) (x *hall, port, url string) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	h := demotest.Start(t, demotest.Setup{
		Start: time.Date(2026, 11, 25, 10, 0, 0, 0, loc),
		Options: func(tb testing.TB, d *demo.Demo, o *kiosk.Options) {
			o.ConfigPath, o.Version = "/etc/kiosk/kiosk.toml", "1.2.3-test"
			p, err := scannertest.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { p.Close() })
			c := *d.Config
			c.Scanner.Port, port = p.Path(), p.Path()
			c.Printer.Transport, c.Printer.Path = "device", "/dev/usb/lp0"
			o.Config = &c
			if err := p.Unplug(); err != nil {
				t.Fatal(err)
			}
			opener, sopts, err := scanner.FromConfig(c.Scanner)
			if err != nil {
				t.Fatal(err)
			}
			if o.Scanner, err = scanner.New(opener, sopts); err != nil {
				t.Fatal(err)
			}

			pb := &conntest.Playback{DontPanic: true}
			for range 50 {
				pb.Ops = append(pb.Ops, conntest.IO{W: escpos.StatusRequest(escpos.StatusPrinter, escpos.StatusOffline, escpos.StatusError, escpos.StatusPaper),
					R: []byte{0x1A, 0x32, 0x12, 0x72}}) // offline; paper stop; no error; roll end
			}
			prof, err := printer.LookupProfile(c.Printer.Profile)
			if err != nil {
				t.Fatal(err)
			}
			prof.Status = printer.DLEEOT
			if o.Printer, err = printer.New(pb, &printer.Opts{Profile: prof, PollInterval: time.Hour}); err != nil {
				t.Fatal(err)
			}

			uo, err := uplink.FromConfig(c.Backend, c.Kiosk)
			if err != nil {
				t.Fatal(err)
			}
			url = deadURL(t)
			c.Backend.URL = url
			uo.Client.BaseURL, uo.SubmitWait, uo.LendSize = url, 100*time.Millisecond, -1
			uo.OutboxPath = filepath.Join(t.TempDir(), "outbox.db")
			u, err := uplink.Open(t.Context(), uo)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { u.Close() })
			o.Uplink = u
		},
	})
	return &hall{t: t, d: h.D, k: h.K, h: h.H, clk: h.Clock, cat: h.Cat, loc: loc}, port, url
}

// TestTechnicianFaultsSpeakTheLanguage opens the technician's page with
// the backend stopped, the scanner unplugged and the printer out of paper,
// in Kazakh and Russian: each failed check is said in the page's language
// (not the drivers' English), and no word of English is left on the page.
func TestTechnicianFaultsSpeakTheLanguage(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Kazakh, i18n.Russian} {
		t.Run(string(lang), func(t *testing.T) {
			x, port, url := faultyHall(t)
			x.h.Key(tcell.KeyF12)
			x.typePIN(demo.DemoPIN)
			x.until("the status page", func() bool { return x.h.HasAction("tech-print") })
			x.tap("lang-" + string(lang))
			x.until("the checks", func() bool { return !x.h.Contains(x.cat.Text(lang, "tech.checking")) })
			texts := pageTexts(x)
			all := strings.Join(texts, "\n")
			for _, want := range []i18n.Message{
				{Key: "tech.fault.backend_unreachable", Args: i18n.Args{"URL": url}},
				{Key: "tech.fault.scanner_unplugged", Args: i18n.Args{"Port": port}},
				{Key: "tech.fault.printer_paper_out"},
			} {
				if s := x.cat.Format(lang, want); !strings.Contains(all, s) {
					t.Errorf("the %s status page does not say %s (%q):\n%s", lang, want.Key, s, all)
				}
			}
			if w := latinWords(texts); len(w) > 0 {
				t.Errorf("English on the %s status page: %q\n%s", lang, w, all)
			}
		})
	}
}

// TestTechnicianFaultsEnglishDetail: the English page keeps the drivers'
// own words under the check's, for whoever reads them.
func TestTechnicianFaultsEnglishDetail(t *testing.T) {
	x, _, _ := faultyHall(t)
	x.h.Key(tcell.KeyF12)
	x.typePIN(demo.DemoPIN)
	x.until("the status page", func() bool { return x.h.HasAction("tech-print") })
	x.tap("lang-en")
	x.until("the checks", func() bool { return !x.h.Contains(x.cat.Text(i18n.English, "tech.checking")) })
	all := strings.Join(pageTexts(x), "\n")
	for _, want := range []string{x.cat.Text(i18n.English, "tech.fault.printer_paper_out"), printer.ErrPaperOut.Error(), "connection refused"} {
		if !strings.Contains(all, want) {
			t.Errorf("the English status page lacks %q:\n%s", want, all)
		}
	}
}
