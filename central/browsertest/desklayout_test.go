package browsertest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/browsertest"
)

// box is where an element is laid out in the viewport, in CSS pixels.
type box struct {
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
}

// rect returns the box of the first element the CSS selector finds.
func rect(t *testing.T, p *browsertest.Page, css string) box {
	t.Helper()
	p.WaitVisible(css)
	return browsertest.Eval[box](p, fmt.Sprintf(
		`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; })()`, css))
}

// TestDeskFits: at 1366×768, with the Russian passport holder at the
// window, call next and every action for the visitor (recall to
// complete's submit) are in view without scrolling, in Kazakh (the longest
// labels), Russian and English; the expiry the document lacks and the
// empty waiting list say so in the clerk's language.
func TestDeskFits(t *testing.T) {
	h := browsertest.Start(t, browsertest.Options{})
	h.AddUser(t, "clerk1", clerkName, central.RoleClerk, "ALA-01")
	p := chromium.Open(t, h.URL)
	if st := signIn(t, p, "clerk1", browsertest.Password); st != http.StatusOK {
		t.Fatalf("sign-in = %d", st)
	}
	p.Press(`form.windows button[value="2"]`)
	h.Submit(t, browsertest.RussianApplication(t, h.Clock.Now()))
	if st := p.Press(`form.call button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("call next = %d", st)
	}
	absent := map[string]string{"kk": "құжатта жоқ", "ru": "в документе нет", "en": "not in the document"}
	nobody := map[string]string{"kk": "Кезекте ешкім жоқ.", "ru": "В очереди никого нет.", "en": "Nobody is waiting."}
	for _, lang := range []string{"kk", "ru", "en"} {
		p.Go("/console/?lang=" + lang)
		p.WaitVisible("#f-cyr-surname")
		// The Russian internal passport has no expiry: the card says so,
		// with nothing to copy; the empty waiting list says so too.
		wantText(t, p, "#f-expiry", absent[lang])
		if n := p.Count(`button[data-copy="f-expiry"]`); n != 0 {
			t.Errorf("%s: %d copy buttons beside the absent expiry", lang, n)
		}
		wantText(t, p, "#queue-empty", nobody[lang])
		for _, c := range []struct {
			what, css string
			edge      func(box) float64
		}{
			{"top of call next", `form.call button[type="submit"]`, func(b box) float64 { return b.Top }},
			{"top of recall", `form[action^="/console/recall"] button`, func(b box) float64 { return b.Top }},
			{"bottom of no-show", `form[action^="/console/no-show"] button`, func(b box) float64 { return b.Bottom }},
			{"bottom of park", `form[action^="/console/park"] button`, func(b box) float64 { return b.Bottom }},
			{"bottom of redirect's submit", `form.redirect button[type="submit"]`, func(b box) float64 { return b.Bottom }},
			{"bottom of complete's submit", `form.complete button[type="submit"]`, func(b box) float64 { return b.Bottom }},
		} {
			b := rect(t, p, c.css)
			if y := c.edge(b); y < 0 || y > browsertest.Height || b.Left < 0 || b.Right > browsertest.Width {
				t.Errorf("%s: the %s is at y=%.0f (x %.0f–%.0f), outside the %d×%d viewport",
					lang, c.what, y, b.Left, b.Right, browsertest.Width, browsertest.Height)
			}
		}
		if w := browsertest.Eval[float64](p, `document.documentElement.scrollWidth`); w > browsertest.Width {
			t.Errorf("%s: the page is %.0f px wide, scrolls sideways at %d", lang, w, browsertest.Width)
		}
		p.Screenshot("console-desk-fits-" + lang)
	}
}
