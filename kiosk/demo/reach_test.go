package demo_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// reachSizes are the displays every page must work on: an old terminal's
// 80×24 up to a full-HD touch panel's cells.
var reachSizes = []struct{ w, h int }{{80, 24}, {100, 30}, {120, 40}, {200, 60}}

// pictureSizes are the sizes `make screens` keeps pictures of.
var pictureSizes = map[[2]int]bool{{80, 24}: true, {120, 40}: true}

// hallSize is the size the walks tap at between checks.
const hallW, hallH = 100, 40

// scrollMarks are the hint row's arrows, left out when reading text.
var scrollMarks = strings.NewReplacer("▲", " ", "▼", " ")

// pageTexts is every text the page says, each of which a visitor must be
// able to read.
func pageTexts(p *ui.Page) []string {
	var out []string
	add := func(s ...string) {
		for _, t := range s {
			if strings.TrimSpace(t) != "" {
				out = append(out, t)
			}
		}
	}
	acts := func(as []ui.Action) {
		for _, a := range as {
			add(a.Label)
		}
	}
	lines := func(ls []ui.Line) {
		for _, l := range ls {
			add(l.Text)
		}
	}
	if o := p.Overlay; o != nil {
		// The question hides the page until it is answered.
		add(o.Title)
		lines(o.Lines)
		acts(o.Actions)
		return out
	}
	acts(p.Languages)
	add(p.StepLabel, p.Title)
	lines(p.Lines)
	for _, it := range p.Items {
		add(it.Text, it.Reason)
	}
	lines(p.Notes)
	for _, c := range p.Choices {
		add(c.Label, c.Hint)
	}
	if p.Field != nil {
		add(p.Field.Label, p.Field.Value, p.Field.Hint)
	}
	acts(p.Keypad)
	acts(p.Actions)
	add(p.Footer)
	return out
}

// fixedTexts are what must be on screen however far the page is scrolled:
// the page's actions and what is being typed.
func fixedTexts(p *ui.Page) []string {
	var out []string
	if o := p.Overlay; o != nil {
		for _, a := range o.Actions {
			out = append(out, a.Label)
		}
		return out
	}
	for _, a := range p.Actions {
		out = append(out, a.Label)
	}
	if p.Field != nil && p.Field.Value != "" {
		out = append(out, p.Field.Value)
	}
	if p.Field != nil && p.Field.Hint != "" {
		out = append(out, p.Field.Hint)
	}
	return out
}

// view is the screen as one line of words, scroll marks and box borders
// left out.
func (x *hall) view() string { return flat(scrollMarks.Replace(boxChars.Replace(x.h.Text()))) }

// scrollPoint is where a person would put the wheel or a finger to scroll:
// the middle of the page's scrolling part, else of the screen.
func (x *hall) scrollPoint() (cx, cy int, rx, ry, rw, rh int, ok bool) {
	x.h.App.Read(func() { rx, ry, rw, rh, ok = x.h.App.ScrollRect() })
	if ok {
		return rx + rw/2, ry + rh/2, rx, ry, rw, rh, true
	}
	_, w, hh := x.h.Cells()
	return w / 2, hh / 2, 0, 0, w, hh, false
}

// scrollThrough turns the wheel from the page's top to its end, half the
// scrolling part's height at a turn, and returns every view on the way: a
// text up to half that height is whole in one of them.
func (x *hall) scrollThrough() []string {
	cx, cy, _, _, _, rh, _ := x.scrollPoint()
	notches := max(rh/(2*ui.WheelStep), 1)
	views := []string{x.view()}
	for range 300 {
		if off, limit := x.scrolled(); off >= limit {
			break
		}
		x.h.Wheel(cx, cy, notches)
		views = append(views, x.view())
	}
	return views
}

// scrolled is how far the page is scrolled and can be, in rows.
func (x *hall) scrolled() (off, limit int) {
	x.h.App.Read(func() { off, limit = x.h.App.Scrolled() })
	return off, limit
}

// reach checks that every text of the page on screen can be read at every
// size in reachSizes: on screen, or after scrolling by wheel or by a swipe;
// that the actions and the typed value never scroll away; and that a hint
// shows when there is more. With KIOSK_SCREENS set it keeps a picture of
// the page's top at each of pictureSizes.
func (x *hall) reach(state string, lang i18n.Lang) {
	x.t.Helper()
	var p *ui.Page
	x.h.App.Read(func() { p = x.h.App.Page() })
	texts, fixed := pageTexts(p), fixedTexts(p)
	for _, sz := range reachSizes {
		where := fmt.Sprintf("%s %s %d×%d", state, lang, sz.w, sz.h)
		x.h.Resize(sz.w, sz.h)
		x.topText()
		if p.Big != "" && !x.h.Contains(strings.ToUpper(p.Big)) && !x.h.Contains("█") {
			x.t.Errorf("%s: the number %s is not on the page's first view", where, p.Big)
		}
		views := x.scrollThrough()
		for _, s := range texts {
			found := false
			for _, v := range views {
				if strings.Contains(v, flat(s)) {
					found = true
					break
				}
			}
			if !found {
				x.t.Errorf("%s: %q cannot be read, scrolled or not; the top of the page:\n%s", where, s, x.topText())
			}
		}
		for _, s := range fixed {
			for i, v := range views {
				if !strings.Contains(v, flat(s)) {
					x.t.Errorf("%s: %q is off screen after %d notches of the wheel", where, s, i)
					break
				}
			}
		}
		x.checkScrollGestures(where, p.ID, len(views) > 1)
		if pictureSizes[[2]int{sz.w, sz.h}] {
			x.topText()
			writePNG(x.t, x.h, fmt.Sprintf("%s-%s-%dx%d", state, lang, sz.w, sz.h))
		}
	}
}

// topText turns the wheel back to the page's top and returns the screen.
func (x *hall) topText() string {
	if off, _ := x.scrolled(); off > 0 {
		cx, cy, _, _, _, _, _ := x.scrollPoint()
		x.h.Wheel(cx, cy, -(off/ui.WheelStep + 1))
	}
	return x.h.Text()
}

// checkScrollGestures checks the hint that more is below, and that a
// swipe scrolls the page without pressing what it started on.
func (x *hall) checkScrollGestures(where, id string, scrolls bool) {
	x.t.Helper()
	top := x.topText()
	switch {
	case scrolls && !strings.Contains(top, "▼"):
		x.t.Errorf("%s: the page scrolls but nothing says there is more below:\n%s", where, top)
	case !scrolls && strings.ContainsAny(top, "▼▲"):
		x.t.Errorf("%s: a hint says there is more, but the page does not scroll:\n%s", where, top)
	}
	if !scrolls {
		return
	}
	cx, _, _, ry, _, rh, ok := x.scrollPoint()
	if !ok {
		x.t.Errorf("%s: the page scrolls by wheel but has no scrolling part to swipe", where)
		return
	}
	before := x.view()
	x.h.Drag(cx, ry+rh-1, cx, ry)
	after := x.view()
	var now string
	x.h.App.Read(func() { now = x.h.App.Page().ID })
	switch {
	case now != id:
		x.t.Errorf("%s: a swipe pressed something: page %q became %q", where, id, now)
		return
	case after == before:
		x.t.Errorf("%s: a swipe up did not scroll the page", where)
	}
	x.h.Drag(cx, ry, cx, ry+rh-1)
	if back := x.view(); back == after {
		x.t.Errorf("%s: a swipe down did not go back towards the top", where)
	}
}

// TestPagesReachable walks the demo through every page the screen builder
// makes, in every language, and checks each page at every size in
// reachSizes with reach.
func TestPagesReachable(t *testing.T) {
	for _, lang := range i18n.Languages() {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			p := &hallParts{}
			x := startHall(t, setup{
				cfg:  func(c *config.Config) { c.Flow.TranslationPolicy["GBR"] = config.TranslationAsk },
				opts: all(ownScanner(&p.port), holdUplink(&p.up)),
				w:    hallW, h: hallH,
			})
			walkReach(t, x, p, lang)
		})
	}
}

func walkReach(t *testing.T, x *hall, p *hallParts, lang i18n.Lang) {
	l := "lang-" + string(lang)
	tx := func(key string) string { return x.cat.Text(lang, key) }
	start := func() {
		x.tap(l)
		x.waitFor("self")
	}
	x.reach("welcome", lang)
	start()
	x.reach("who-applies", lang)
	x.tap("representative")
	x.reach("representative", lang)
	x.tap("back")
	x.tap("self")
	x.reach("scan", lang)

	// The long way: a passport that needs a translation, a phone typed,
	// refused, skipped, the ticket with its list and date.
	p.scan(t, specimen(t, "non-latin"))
	x.waitFor("confirm")
	x.reach("confirm", lang)
	x.tap("confirm")
	// China's entry asks; "only in other letters" needs the translation.
	x.waitFor("no")
	x.tap("no")
	x.waitFor("continue")
	x.reach("result-needs-documents", lang)
	x.tap("continue")
	for _, k := range "7701234" {
		x.tap("key-" + string(k))
	}
	x.reach("phone", lang)
	x.tap("submit")
	x.reach("phone-error", lang)
	p.up.hold()
	x.tap("skip")
	x.reach("submitting", lang)
	p.up.release()
	x.waitFor("done")
	x.reach("ticket", lang)
	x.tap("done")
	x.waitFor("start-over")
	x.reach("goodbye", lang)
	x.tap("start-over")

	start()
	x.tap("self")
	p.scan(t, specimen(t, "latin"))
	x.waitFor("confirm")
	x.tap("confirm")
	x.waitFor("continue")
	x.reach("result-ok", lang)
	x.tap("cancel")
	// Cancel after the scan asks once before it wipes.
	x.waitFor("cancel-yes")
	x.reach("cancel-question", lang)
	x.tap("cancel-yes")

	start()
	x.tap("self")
	p.scan(t, specimen(t, "over-65"))
	x.waitFor("confirm")
	x.tap("confirm")
	x.waitFor("no")
	x.reach("script-question", lang)
	x.tap("cancel")
	x.waitFor("cancel-yes")
	x.tap("cancel-yes")

	start()
	x.tap("self")
	p.scan(t, specimen(t, "kaz-citizen"))
	x.waitFor("done")
	x.reach("result-cannot-apply", lang)
	x.tap("done")
	x.waitFor("start-over")
	x.tap("start-over")

	start()
	x.tap("self")
	smudged := specimen(t, "latin")
	smudged[1] = "C01X00T479" + smudged[1][10:]
	p.scan(t, smudged)
	x.waitFor("scan-again")
	x.reach("result-rescan", lang)
	x.tap("scan-again")
	if err := p.port.Unplug(); err != nil {
		t.Fatal(err)
	}
	x.waitShows(tx("device.scanner_unavailable"))
	x.reach("scanner-unavailable", lang)
	if err := p.port.Replug(); err != nil {
		t.Fatal(err)
	}
	x.waitShows(tx("screen.scan.hint"))
	x.idle()
	x.waitFor("still-here")
	x.reach("still-there", lang)
	x.tap("still-here")
	x.tap("cancel")

	start()
	x.tap("service-booking")
	for _, k := range "4829" {
		x.tap("key-" + string(k))
	}
	x.reach("booking-code", lang)
	x.tap("submit")
	x.reach("booking-code-error", lang)
	x.tap("key-1")
	x.tap("key-3")
	p.up.hold()
	x.tap("submit")
	x.reach("booking-lookup", lang)
	p.up.release()
	x.waitShows(tx("screen.booking.not_found"))
	x.reach("booking-problem", lang)
	x.tap("back")
	addBooking(t, x.d, "777777", "")
	x.tap("key-clear")
	for range 6 {
		x.tap("key-7")
	}
	x.tap("submit")
	x.waitFor("self")
	x.reach("booking-found", lang)
	x.tap("back")
	x.tap("booking-by-passport")
	x.reach("booking-scan", lang)
}
