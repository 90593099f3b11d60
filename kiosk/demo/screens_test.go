package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"periph.io/x/conn/v3/conntest"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// snap checks the screen as a reviewer would and, when KIOSK_SCREENS names
// a folder (make screens), keeps a picture of its top as
// <state>-kk-<W>x<H>.png there. Each action in ids must be on screen whole,
// scrolled to if need be, and at least ui.ButtonHeight rows tall; each of
// texts must be on screen whole, however it is wrapped, at the top of the
// page or scrolled to.
func (x *hall) snap(state string, ids []string, texts ...string) {
	x.t.Helper()
	_, sw, sh := x.h.Cells()
	for _, id := range ids {
		x.h.Reveal(id)
		var bh int
		var ok, shown bool
		x.h.App.Do(func() {
			_, _, _, bh, ok = x.h.App.ActionRect(id)
			shown = x.h.App.ActionVisible(id)
		})
		switch {
		case !ok:
			x.t.Errorf("%s: no action %q on screen:\n%s", state, id, x.h.Text())
		case bh < ui.ButtonHeight:
			x.t.Errorf("%s: action %q is %d rows tall, want at least %d", state, id, bh, ui.ButtonHeight)
		case !shown:
			x.t.Errorf("%s: action %q is not whole on the %d×%d screen, scrolled or not:\n%s", state, id, sw, sh, x.h.Text())
		}
	}
	x.topText()
	views := x.scrollThrough()
	for _, s := range texts {
		found := false
		for _, v := range views {
			found = found || strings.Contains(v, flat(s))
		}
		if !found {
			x.t.Errorf("%s: %q is not on screen whole, scrolled or not:\n%s", state, s, x.topText())
		}
	}
	x.topText()
	writePNG(x.t, x.h, fmt.Sprintf("%s-kk-%dx%d", state, sw, sh))
}

// ids is a list of action ids, for snap.
func ids(s ...string) []string { return s }

// TestScreens takes the demo to every screen of the journey in Kazakh at
// 80×24 and 120×40 and checks and pictures each; `make screens` keeps the
// pictures in var/screens for review.
func TestScreens(t *testing.T) {
	walks := map[string]struct {
		setup func(*hallParts) setup
		walk  func(t *testing.T, x *hall, p *hallParts)
	}{
		// The main path and its side screens, on a scanner of the test's
		// own (for a smudged scan and an unplug) and an uplink it can
		// hold (for the screens shown while the backend thinks). The
		// British passport is made to ask the script question.
		"main": {
			setup: func(p *hallParts) setup {
				return setup{
					cfg:  func(c *config.Config) { c.Flow.TranslationPolicy["GBR"] = config.TranslationAsk },
					opts: all(ownScanner(&p.port), holdUplink(&p.up)),
				}
			},
			walk: walkMain,
		},
		// A printer out of paper from the start, and a branch that takes
		// no representatives at the kiosk.
		"no paper": {
			setup: func(p *hallParts) setup {
				return setup{
					cfg:  func(c *config.Config) { c.Flow.RepresentativeAllowed = false },
					opts: all(playbackPrinter(&p.pb, statusPaperOut, statusPaperOut), holdUplink(&p.up)),
				}
			},
			walk: walkNoPaper,
		},
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for name, w := range walks {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size.w, size.h), func(t *testing.T) {
				p := &hallParts{}
				s := w.setup(p)
				s.w, s.h = size.w, size.h
				x := startHall(t, s)
				w.walk(t, x, p)
			})
		}
	}
}

// hallParts are the parts a walk drives besides the screen.
type hallParts struct {
	port *scannertest.Port
	up   *heldUplink
	pb   *conntest.Playback
}

// scan sends MRZ lines from the hall's own scanner.
func (p *hallParts) scan(t *testing.T, lines []string) {
	t.Helper()
	if _, err := p.port.Write(scannertest.Frame(lines, "\r\n")); err != nil {
		t.Fatal(err)
	}
}

func walkMain(t *testing.T, x *hall, p *hallParts) {
	kk := x.kk
	langs := []string{"lang-kk", "lang-ru", "lang-en"}
	nav := func(more ...string) []string { return append(append([]string{}, langs...), more...) }

	x.snap("welcome", langs, kk("lang.choose"), kk("lang.name"), kk("service.iin.title"), kk("screen.demo"))
	x.tap("lang-kk")
	x.snap("who-applies", nav("self", "representative", "service-booking", "back", "cancel"),
		kk("screen.applicant.title"), kk("screen.applicant.self"), kk("screen.applicant.self_hint"),
		kk("screen.applicant.representative"), kk("screen.applicant_in_person.representative_hint"),
		kk("service.booking.title"), kk("service.booking.subtitle"))
	x.tap("self")
	x.snap("scan", nav("back", "cancel", "sample-latin", "sample-kaz-citizen"),
		kk("screen.scan.title"), kk("screen.scan.hint"))

	p.scan(t, specimen(t, "latin"))
	x.waitFor("confirm")
	x.snap("confirm", nav("back", "cancel", "data-wrong", "confirm"),
		kk("screen.confirm.title"), "MUSTERMANN", "ERIKA", "C01X00T47", kk("screen.confirm.question"),
		kk("button.data_wrong"), kk("button.confirm"))
	x.tap("confirm")
	x.snap("result-ok", nav("back", "cancel", "continue"),
		kk("screen.result.ok"), kk("precheck.item.passport"), kk("precheck.reason.passport"), kk("button.continue"))
	x.tap("continue")
	for _, k := range "7701" {
		x.tap("key-" + string(k))
	}
	keypad := []string{"key-1", "key-2", "key-3", "key-4", "key-5", "key-6", "key-7", "key-8", "key-9", "key-plus", "key-0", "key-delete"}
	x.snap("phone", nav(append(keypad, "back", "cancel", "skip", "submit")...),
		kk("screen.phone.title"), kk("screen.phone.subtitle"), "770 1", kk("button.skip"), kk("button.submit"))
	x.tap("submit")
	x.snap("phone-error", nav("submit", "skip"), "770 1")

	p.up.hold()
	x.tap("skip")
	x.snap("submitting", nil, kk("screen.submit.sending"))
	p.up.release()
	x.waitFor("done")
	x.waitFile(x.d.Tickets + "/ticket-0001.png")
	x.snap("ticket", nav("done"), kk("screen.ticket.title"), kk("screen.ticket.wait_for_number"), kk("button.done"), "/console/", "clerk1")
	x.tap("done")
	x.snap("goodbye", ids("start-over"), kk("screen.goodbye.title"), kk("screen.goodbye.subtitle"), kk("button.start_over"))
	x.tap("start-over")

	// The script question: the British passport is set to ask.
	x.tap("lang-kk")
	x.tap("self")
	p.scan(t, specimen(t, "over-65"))
	x.waitFor("confirm")
	x.tap("confirm")
	x.snap("script-question", nav("back", "cancel", "no", "yes"),
		kk("screen.result.question"), kk("screen.script.question"), kk("screen.script.example"))
	x.tap("no")
	x.tap("cancel")
	// Cancel after the scan asks once before it wipes.
	x.snap("cancel-question", ids("cancel-no", "cancel-yes"), kk("screen.cancel.question"),
		kk("screen.cancel.no"), kk("screen.cancel.yes"))
	x.tap("cancel-yes")

	x.tap("lang-kk")
	x.tap("self")
	p.scan(t, specimen(t, "non-latin"))
	x.waitFor("confirm")
	x.tap("confirm")
	// China's entry asks (unchecked); "only in other letters" needs the
	// translation.
	x.tap("no")
	x.snap("result-needs-documents", nav("back", "cancel", "continue"),
		kk("screen.result.needs_documents"), kk("precheck.item.notarized_translation"),
		kk("precheck.reason.translation_visitor"), kk("precheck.item.legalisation_abroad.translation_only"),
		kk("screen.result.have_everything"))
	x.tap("cancel")
	x.tap("cancel-yes")

	x.tap("lang-kk")
	x.tap("self")
	p.scan(t, specimen(t, "kaz-citizen"))
	x.waitFor("done")
	x.snap("result-cannot-apply", nav("done"),
		kk("screen.result.cannot_apply"), kk("precheck.item.kz_citizen"), kk("precheck.reason.kz_citizen"))
	x.tap("cancel")

	// A smudged scan: the document number's check digit is wrong.
	x.tap("lang-kk")
	x.tap("self")
	smudged := specimen(t, "latin")
	smudged[1] = "C01X00T479" + smudged[1][10:]
	p.scan(t, smudged)
	x.waitFor("scan-again")
	x.snap("result-rescan", nav("back", "cancel", "scan-again"), kk("screen.result.rescan"))
	x.tap("scan-again")

	// The scanner unplugged while the visitor is at the scan step.
	if err := p.port.Unplug(); err != nil {
		t.Fatal(err)
	}
	x.waitShows(kk("device.scanner_unavailable"))
	x.snap("scanner-unavailable", nav("back", "cancel"), kk("device.scanner_unavailable"))
	if err := p.port.Replug(); err != nil {
		t.Fatal(err)
	}
	x.waitShows(kk("screen.scan.hint"))

	x.idle()
	x.snap("still-there", ids("still-here"), kk("screen.still_there.title"), kk("button.still_here"))
	x.tap("still-here")
	x.tap("cancel")

	// A booked visit: the code typed, refused short, looked up, not found.
	x.tap("lang-kk")
	x.tap("service-booking")
	for _, k := range "4829" {
		x.tap("key-" + string(k))
	}
	codeKeys := []string{"key-1", "key-9", "key-clear", "key-0", "key-delete"}
	x.snap("booking-code", nav(append(codeKeys, "back", "cancel", "booking-by-passport", "submit")...),
		kk("screen.booking.title"), kk("screen.booking.code"), "4829", kk("button.booking_by_passport"))
	x.tap("submit")
	x.snap("booking-code-error", nav("submit"),
		x.cat.Format(i18n.Kazakh, i18n.Message{Key: "screen.booking.code_hint", Args: i18n.Args{"Count": 6}}))
	x.tap("key-1")
	x.tap("key-3")
	p.up.hold()
	x.tap("submit")
	x.snap("booking-lookup", nil, kk("screen.booking.checking"))
	p.up.release()
	x.waitShows(kk("screen.booking.not_found"))
	x.snap("booking-problem", nav("back", "cancel", "walk-in"), kk("screen.booking.not_found"), kk("screen.booking_check.walk_in"))
	x.tap("back")
	addBooking(t, x.d, "777777", "")
	x.tap("key-clear")
	for range 6 {
		x.tap("key-7")
	}
	x.tap("submit")
	x.waitFor("self")
	x.snap("booking-found-who-applies", nav("self", "representative", "back", "cancel"), kk("screen.applicant.title"))
	x.tap("back")
	x.tap("booking-by-passport")
	x.snap("booking-scan", nav("back", "cancel"), kk("screen.booking.title"), kk("screen.booking_check.scan_why"), kk("screen.scan.hint"))
	p.scan(t, specimen(t, "kaz-citizen"))
	x.waitFor("walk-in")
	x.snap("booking-not-found-by-passport", nav("back", "cancel", "walk-in"), kk("screen.booking_check.not_found_passport"))
}

func walkNoPaper(t *testing.T, x *hall, p *hallParts) {
	kk := x.kk
	x.waitShows(kk("screen.paper_out"))
	var warnings []string
	for _, l := range i18n.Languages() {
		warnings = append(warnings, x.cat.Text(l, "screen.paper_out"))
	}
	x.snap("welcome-paper-out", ids("lang-kk", "lang-ru", "lang-en"), warnings...)
	x.tap("lang-kk")
	x.tap("representative")
	x.snap("representative-off", ids("back", "cancel"), kk("screen.in_person.title"), kk("screen.in_person.come"),
		kk("screen.in_person.poa"), kk("screen.in_person.desk"))
	x.tap("back")
	x.tap("self")
	x.d.Scan("latin")
	x.waitFor("confirm")
	x.tap("confirm")
	x.tap("continue")
	x.tap("skip")
	x.waitFor("done")
	rec, err := x.d.Store.Get(context.Background(), p.up.lastApp())
	if err != nil {
		t.Fatal(err)
	}
	notice := x.cat.Format(i18n.Kazakh, i18n.Message{Key: "device.printer_no_paper", Args: i18n.Args{"Number": rec.Number}})
	x.waitShows(notice)
	x.snap("ticket-print-failed", ids("done"), notice, kk("screen.ticket.wait_for_number"))
	if err := p.pb.Close(); err != nil {
		t.Errorf("printer: %v", err)
	}
}
