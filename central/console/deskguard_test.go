package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestDeskParkedForEveryone: a visitor parked by a clerk who then signs
// out is on every clerk's parked list, marked with the window, and any
// window calls them back.
func TestDeskParkedForEveryone(t *testing.T) {
	h := start(t)
	next := h.display(t)
	a := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.addUser(t, "clerk2", "", "ALA-01")
	w4 := h.atWindow(t, "clerk1", 4, "en")
	w6 := h.atWindow(t, "clerk2", 6, "ru")
	w4.press("call", "en", nil)
	next()
	if ans := w4.press("park", "en", url.Values{"id": {a.ApplicationID}}); ans.status != http.StatusSeeOther {
		t.Fatalf("park = %d:\n%s", ans.status, ans.body)
	}
	w4.get("/console/?lang=en")
	wantAll(t, w4.page, "Parked: 1", `<span class="mark mine">yours</span>`)
	if ans := w4.press("signout", "en", nil); ans.status != http.StatusSeeOther {
		t.Fatalf("sign-out = %d", ans.status)
	}
	w6.get("/console/?lang=ru")
	wantAll(t, w6.page, "Отложенные: 1", `<span class="number">`+a.Number+`</span>`, `<span class="mark">окно 4</span>`)
	if ans := w6.press("call-back", "ru", url.Values{"id": {a.ApplicationID}}); ans.status != http.StatusSeeOther {
		t.Fatalf("call back at another window = %d:\n%s", ans.status, ans.body)
	}
	if ev := next(); ev.Number != a.Number || ev.Window != "6" {
		t.Errorf("call back's display event %+v, want %s at window 6", ev, a.Number)
	}
	w6.get("/console/?lang=ru")
	wantAll(t, w6.page, `id="f-number">`+a.Number, "Отложенные: 0")
}

// TestDeskRedirectNobodyThere: a visitor redirected to a window nobody is
// signed in at is called first by any window; one redirected to a staffed
// window waits for it, RedirectWait long, then any window calls them first.
func TestDeskRedirectNobodyThere(t *testing.T) {
	h := start(t)
	h.addUser(t, "clerk3", "", "ALA-01")
	h.addUser(t, "clerk5", "", "ALA-01")
	var tks []api.Ticket
	for range 4 {
		tks = append(tks, h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now())))
		h.advance(time.Minute)
	}
	w2 := h.atWindow(t, "clerk1", 2, "en")
	w3 := h.atWindow(t, "clerk3", 3, "en")
	at3 := func(want api.Ticket, why string) {
		t.Helper()
		if ans := w3.press("call", "en", nil); ans.status != http.StatusSeeOther {
			t.Fatalf("call at window 3 (%s) = %d:\n%s", why, ans.status, ans.body)
		}
		w3.get("/console/?lang=en")
		if !strings.Contains(w3.page, `id="f-number">`+want.Number+`<`) {
			t.Errorf("window 3 called other than %s (%s)", want.Number, why)
		}
		w3.press("complete", "en", url.Values{"id": {want.ApplicationID}, "result": {"iin"}})
	}
	w2.press("call", "en", nil) // tks[0]
	if ans := w2.press("redirect", "en", url.Values{"id": {tks[0].ApplicationID}, "to": {"window:5"}}); ans.status != http.StatusSeeOther {
		t.Fatalf("redirect to window 5 = %d", ans.status)
	}
	at3(tks[0], "nobody at window 5")
	// Now window 5 is staffed: its redirect waits for it, for a while.
	w5 := h.atWindow(t, "clerk5", 5, "en")
	w2.press("call", "en", nil) // tks[1]
	if ans := w2.press("redirect", "en", url.Values{"id": {tks[1].ApplicationID}, "to": {"window:5"}}); ans.status != http.StatusSeeOther {
		t.Fatalf("redirect to window 5 = %d", ans.status)
	}
	at3(tks[2], "window 5 is staffed")
	h.advance(central.RedirectWait + time.Minute)
	at3(tks[1], "waited longer than RedirectWait")
	w5.get("/console/?lang=en") // still signed in
	wantAll(t, w5.page, "Nobody is at your window.")
}

// TestDeskWindowBusy: neither call back nor the console's call next puts a
// second visitor at a window that has one; the first stays called and the
// parked one parked.
func TestDeskWindowBusy(t *testing.T) {
	h := start(t)
	a := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	b := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	w := h.atWindow(t, "clerk1", 2, "en")
	w.press("call", "en", nil)
	w.press("park", "en", url.Values{"id": {a.ApplicationID}})
	w.press("call", "en", nil) // b
	for _, tc := range []struct {
		action, lang, want string
		form               url.Values
	}{
		{"call-back", "en", "Finish the visitor at your window first.", url.Values{"id": {a.ApplicationID}}},
		{"call-back", "ru", "Сначала завершите работу с посетителем", url.Values{"id": {a.ApplicationID}}},
		{"call", "kk", "Алдымен терезеңіздегі келушіге", nil},
	} {
		if ans := w.press(tc.action, tc.lang, tc.form); ans.status != http.StatusConflict || !strings.Contains(ans.body, tc.want) {
			t.Errorf("%s with a visitor at the window = %d, want 409 saying %q:\n%s", tc.action, ans.status, tc.want, ans.body)
		}
	}
	for id, want := range map[string]api.State{a.ApplicationID: api.StateParked, b.ApplicationID: api.StateCalled} {
		if r, err := h.st.Get(context.Background(), id); err != nil || r.State != want || (want == api.StateCalled && r.Window != "2") {
			t.Errorf("ticket %s = %s at %q, %v; want %s", api.MaskID(id), r.State, r.Window, err, want)
		}
	}
}

// TestDeskOtherWindow: a clerk's actions reach only the visitor called to
// their own window; a supervisor's reach any window's.
func TestDeskOtherWindow(t *testing.T) {
	h := start(t)
	a := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.addUser(t, "clerk3", "", "ALA-01")
	h.addRole(t, "boss", central.RoleSupervisor, "ALA-01")
	w2 := h.atWindow(t, "clerk1", 2, "en")
	w3 := h.atWindow(t, "clerk3", 3, "ru")
	w2.press("call", "en", nil)
	for _, action := range []string{"recall", "no-show", "complete", "redirect", "park"} {
		form := url.Values{"id": {a.ApplicationID}, "result": {"iin"}, "to": {"window:4"}}
		if ans := w3.press(action, "ru", form); ans.status != http.StatusForbidden || !strings.Contains(ans.body, "вызван к другому окну") {
			t.Errorf("%s of window 2's visitor from window 3 = %d, want 403:\n%s", action, ans.status, ans.body)
		}
	}
	if r, err := h.st.Get(context.Background(), a.ApplicationID); err != nil || r.State != api.StateCalled || r.Window != "2" {
		t.Fatalf("ticket after refused actions = %s at %q, %v; want called at 2", r.State, r.Window, err)
	}
	boss := h.atWindow(t, "boss", 7, "en")
	if ans := boss.press("no-show", "en", url.Values{"id": {a.ApplicationID}}); ans.status != http.StatusSeeOther {
		t.Errorf("a supervisor's no-show of window 2's visitor = %d:\n%s", ans.status, ans.body)
	}
}
