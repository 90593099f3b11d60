package browsertest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/browsertest"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// atWindow opens a browser of the clerk's own, signs them in and picks
// the window with its digit on the keyboard, as the window page says.
func atWindow(t *testing.T, h *browsertest.Hall, login string, window rune) *browsertest.Page {
	t.Helper()
	p := chromium.Open(t, h.URL)
	if st := signIn(t, p, login, browsertest.Password); st != http.StatusOK {
		t.Fatalf("%s: sign-in = %d", login, st)
	}
	p.WaitVisible("#window-keys")
	if st := p.Await("key "+string(window), chromedp.KeyEvent(string(window))); st != http.StatusOK {
		t.Fatalf("%s: key %c on the window page = %d", login, window, st)
	}
	if w := p.Text(".window"); w != string(window) {
		t.Fatalf("%s: window %q after key %c", login, w, window)
	}
	return p
}

// TestDeskWindowKeys: on the window page a digit picks the window; the
// page says so in the clerk's language.
func TestDeskWindowKeys(t *testing.T) {
	h := browsertest.Start(t, browsertest.Options{})
	h.AddUser(t, "clerk1", clerkName, central.RoleClerk, "ALA-01")
	p := atWindow(t, h, "clerk1", '7')
	p.Go("/console/?lang=kk&window=change")
	wantText(t, p, "#window-keys", "Пернетақтада терезе нөмірін басыңыз")
	p.Screenshot("console-windows-keys-kk")
	if st := p.Await("key 3", chromedp.KeyEvent("3")); st != http.StatusOK {
		t.Fatalf("key 3 = %d", st)
	}
	if w := p.Text(".window"); w != "3" {
		t.Errorf("window %q after key 3, want 3", w)
	}
}

// TestDeskRedirect: the clerk at window 1 redirects the visitor to
// window 2 with a comment; the clerk at window 2, in a browser of their
// own, calls next and gets that visitor before one waiting in the
// priority lane, the card saying where they came from and why.
func TestDeskRedirect(t *testing.T) {
	h := browsertest.Start(t, browsertest.Options{})
	h.AddUser(t, "clerk1", clerkName, central.RoleClerk, "ALA-01")
	h.AddUser(t, "clerk2", "Ерлан Қасымов", central.RoleClerk, "ALA-01")
	events := watch(t, h)
	first := atWindow(t, h, "clerk1", '1')
	second := atWindow(t, h, "clerk2", '2')

	rus := h.Submit(t, browsertest.RussianApplication(t, h.Clock.Now()))
	h.Advance(time.Minute)
	if st := first.Press(`form.call button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("call next at window 1 = %d", st)
	}
	wantText(t, first, "#f-number", rus.Number)
	next(t, events, rus.Number)
	// Someone in the priority lane comes meanwhile.
	prio := h.Submit(t, storetest.Application("K-01", api.LanePriority, h.Clock.Now()))
	h.Advance(time.Minute)

	const comment = "нужна нотариальная копия перевода"
	first.Do("choose window 2", chromedp.SetValue(chromedp.CSS(`form.redirect select[name="to"]`), "window:2"))
	first.Fill(`form.redirect input[name="note"]`, comment)
	first.Screenshot("console-redirect-form-ru")
	if st := first.Press(`form.redirect button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("redirect = %d", st)
	}
	if e := next(t, events, rus.Number); e.Kind != api.ChangeRedirected || e.Window != "2" {
		t.Errorf("redirect's event %+v, want redirected to window 2", e)
	}
	wantText(t, first, ".idle", "У окна нет посетителя.")

	// The second clerk's desk shows the visitor coming, marked, without a
	// reload; call next gives them first.
	second.Poll(`document.querySelector("#part-queue .mark") !== null`)
	wantText(t, second, "#part-queue .mark", "→ окно 2")
	if st := second.Press(`form.call button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("call next at window 2 = %d", st)
	}
	wantText(t, second, "#f-number", rus.Number)
	wantText(t, second, "#redirected", "Перенаправлен из окна 1: "+comment)
	wantText(t, second, "#f-cyr-surname", "ИВАНОВ")
	if e := next(t, events, rus.Number); e.Kind != api.ChangeCalled || e.Window != "2" {
		t.Errorf("second call's event %+v, want called to window 2", e)
	}
	second.Screenshot("console-redirected-card-ru")
	// The priority visitor is next, for either window.
	if st := first.Press(`form.call button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("call next at window 1 = %d", st)
	}
	wantText(t, first, "#f-number", prio.Number)
}

// TestDeskParkLive: the clerk parks the visitor (for a photocopy) and
// calls them back from the parked list, with the button and with Alt+B;
// while the desk is open a kiosk's new application grows its waiting
// list without a reload.
func TestDeskParkLive(t *testing.T) {
	h := browsertest.Start(t, browsertest.Options{})
	h.AddUser(t, "clerk1", clerkName, central.RoleClerk, "ALA-01")
	events := watch(t, h)
	p := atWindow(t, h, "clerk1", '2')

	// The desk is live: a kiosk's application shows without a reload (the
	// mark set on the page survives).
	wantText(t, p, "#queue-empty", "В очереди никого нет.")
	browsertest.Eval[bool](p, `window.notReloaded = true`)
	rus := h.Submit(t, browsertest.RussianApplication(t, h.Clock.Now()))
	p.Poll(`document.querySelectorAll("#part-queue tbody tr").length === 1`)
	wantText(t, p, "#queue-title", "Ожидают: 1")
	wantText(t, p, "#part-queue tbody .number", rus.Number)
	h.Advance(time.Minute)
	other := h.Submit(t, storetest.Application("K-01", api.LaneOrdinary, h.Clock.Now()))
	p.Poll(`document.querySelectorAll("#part-queue tbody tr").length === 2`)
	if !browsertest.Eval[bool](p, `window.notReloaded === true`) {
		t.Error("the desk reloaded to show the new application")
	}
	p.Screenshot("console-desk-live-ru")

	if st := p.Shortcut('n'); st != http.StatusOK {
		t.Fatalf("Alt+N = %d", st)
	}
	wantText(t, p, "#f-number", rus.Number)
	next(t, events, rus.Number)

	// Park with the button, call back with the button.
	if st := p.Press(`form[action^="/console/park"] button`); st != http.StatusOK {
		t.Fatalf("park = %d", st)
	}
	if e := next(t, events, rus.Number); e.Kind != api.ChangeParked {
		t.Errorf("park's event %+v, want parked", e)
	}
	wantText(t, p, "#parked-title", "Отложенные: 1")
	wantText(t, p, "#part-parked .number", rus.Number)
	wantText(t, p, "#part-card .idle", "У окна нет посетителя.")
	p.Screenshot("console-parked-ru")
	if st := p.Press(`#part-parked form[action^="/console/call-back"] button`); st != http.StatusOK {
		t.Fatalf("call back = %d", st)
	}
	if e := next(t, events, rus.Number); e.Kind != api.ChangeCalled || e.Window != "2" {
		t.Errorf("call back's event %+v, want called to window 2", e)
	}
	wantText(t, p, "#f-number", rus.Number)
	wantText(t, p, "#parked-title", "Отложенные: 0")

	// Park with Alt+P, call the other visitor meanwhile, call back with Alt+B.
	if st := p.Shortcut('p'); st != http.StatusOK {
		t.Fatalf("Alt+P = %d", st)
	}
	next(t, events, rus.Number)
	if st := p.Shortcut('n'); st != http.StatusOK {
		t.Fatalf("Alt+N = %d", st)
	}
	wantText(t, p, "#f-number", other.Number)
	if st := p.Press(`form.complete button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("complete = %d", st)
	}
	if st := p.Shortcut('b'); st != http.StatusOK {
		t.Fatalf("Alt+B = %d", st)
	}
	if e := next(t, events, rus.Number); e.Kind != api.ChangeCalled {
		t.Errorf("Alt+B's event %+v, want called", e)
	}
	wantText(t, p, "#f-number", rus.Number)
	if got := p.Text("#parked-title"); !strings.HasSuffix(got, ": 0") {
		t.Errorf("parked list after Alt+B: %q", got)
	}
	p.Screenshot("console-called-back-ru")
}
