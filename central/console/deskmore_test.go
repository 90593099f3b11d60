package console_test

import (
	"bufio"
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

// TestDeskRedirect: a visitor redirected to another window waits ahead of
// the ordinary queue for that window alone, whose card shows where from
// and the comment; a redirect to a service is called first by any window;
// a redirect that leads nowhere or no longer fits is refused with words.
func TestDeskRedirect(t *testing.T) {
	h := start(t)
	for _, login := range []string{"clerk3", "clerk5"} {
		h.addUser(t, login, "", "ALA-01")
	}
	var tks []api.Ticket
	for range 3 {
		tks = append(tks, h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now())))
		h.advance(time.Minute)
	}
	w2 := h.atWindow(t, "clerk1", 2, "ru")
	w3 := h.atWindow(t, "clerk3", 3, "ru")
	w5 := h.atWindow(t, "clerk5", 5, "ru")
	w2.press("call", "ru", nil)
	note := "нет копии паспорта"
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"nowhere", url.Values{"id": {tks[0].ApplicationID}}, http.StatusBadRequest, "выберите другую услугу или другое окно"},
		{"own window", url.Values{"id": {tks[0].ApplicationID}, "to": {"window:2"}}, http.StatusBadRequest, "выберите другую"},
		{"no such window", url.Values{"id": {tks[0].ApplicationID}, "to": {"window:99"}}, http.StatusBadRequest, "выберите другую"},
		{"no such service", url.Values{"id": {tks[0].ApplicationID}, "to": {"service:nope"}}, http.StatusBadRequest, "выберите другую"},
		{"waiting ticket", url.Values{"id": {tks[1].ApplicationID}, "to": {"window:5"}}, http.StatusConflict, "Действие не подходит"},
		{"to window 5", url.Values{"id": {tks[0].ApplicationID}, "to": {"window:5"}, "note": {note}}, http.StatusSeeOther, ""},
		{"again", url.Values{"id": {tks[0].ApplicationID}, "to": {"window:5"}}, http.StatusConflict, "Действие не подходит"},
	} {
		a := w2.press("redirect", "ru", tc.form)
		if a.status != tc.status || !strings.Contains(a.body, tc.want) {
			t.Errorf("redirect %s = %d, want %d saying %q:\n%s", tc.name, a.status, tc.status, tc.want, a.body)
		}
	}
	w3.get("/console/?lang=ru")
	wantAll(t, w3.page, `<span class="mark">→ окно 5<`)
	// Window 3 gets the next ordinary visitor, window 5 the redirected one.
	w3.press("call", "ru", nil)
	w3.get("/console/?lang=ru")
	wantAll(t, w3.page, `id="f-number">`+tks[1].Number)
	w5.press("call", "ru", nil)
	w5.get("/console/?lang=ru")
	wantAll(t, w5.page, `id="f-number">`+tks[0].Number, "Перенаправлен из окна 2: <span id=\"f-redirect-note\">"+note+"<")
	// Window 5 sends them back to the service: called before the third.
	if a := w5.press("redirect", "ru", url.Values{"id": {tks[0].ApplicationID}, "to": {"service:iin"}}); a.status != http.StatusSeeOther {
		t.Fatalf("redirect to the service = %d:\n%s", a.status, a.body)
	}
	w2.press("call", "ru", nil)
	w2.get("/console/?lang=en")
	wantAll(t, w2.page, `id="f-number">`+tks[0].Number, "Redirected from window 5", `accesskey="d"`, `accesskey="t"`, "Alt+D")
	if strings.Contains(w2.page, "f-redirect-note") {
		t.Error("a redirect without a comment shows one")
	}
	for _, secret := range []string{note, "ERIKSSON"} {
		if strings.Contains(h.log.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	if !strings.Contains(h.log.String(), "action=redirected") {
		t.Error("no audit entry for the redirect")
	}
}

// TestDeskParkAndCallBack: a parked visitor leaves the window for the
// branch's parked list, call-next passes them by, and call back calls them
// to the window again, announced as a call; what no longer fits is 409.
func TestDeskParkAndCallBack(t *testing.T) {
	h := start(t)
	next := h.display(t)
	a := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	b := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	w := h.atWindow(t, "clerk1", 4, "en")
	h.addUser(t, "clerk2", "", "ALA-01")
	other := h.atWindow(t, "clerk2", 6, "en")
	w.press("call", "en", nil)
	next()
	h.advance(10 * time.Minute)
	if ans := w.press("park", "en", url.Values{"id": {a.ApplicationID}}); ans.status != http.StatusSeeOther {
		t.Fatalf("park = %d:\n%s", ans.status, ans.body)
	}
	w.get("/console/?lang=en")
	wantAll(t, w.page, "Nobody is at your window.", "Parked: 1", `<span class="number">`+a.Number+`</span>`, `accesskey="b"`, "Call back <kbd>Alt+B</kbd>")
	other.get("/console/?lang=en")
	wantAll(t, other.page, "Parked: 1", `<span class="mark">window 4</span>`) // parked by another clerk, the branch's
	w.press("call", "en", nil)
	if ev := next(); ev.Number != b.Number {
		t.Errorf("call-next after the park called %s, want %s", ev.Number, b.Number)
	}
	w.press("complete", "en", url.Values{"id": {b.ApplicationID}, "result": {"iin"}})
	h.advance(3 * time.Minute)
	w.get("/console/?lang=en")
	wantAll(t, w.page, `<span class="number">`+a.Number+`</span> ordinary · 3 min`) // since parked
	if ans := w.press("call-back", "en", url.Values{"id": {a.ApplicationID}}); ans.status != http.StatusSeeOther {
		t.Fatalf("call back = %d:\n%s", ans.status, ans.body)
	}
	if ev := next(); ev.Number != a.Number || ev.Window != "4" || ev.Recall {
		t.Errorf("call back's display event %+v, want %s called to window 4", ev, a.Number)
	}
	w.get("/console/?lang=en")
	wantAll(t, w.page, `id="f-number">`+a.Number, "Parked: 0", `id="f-called">09:13<`)
	for _, tc := range []struct {
		action, lang, want string
	}{
		{"call-back", "en", "does not fit the ticket"},
		{"call-back", "kk", "сай емес"},
		{"park", "ru", "Действие не подходит"}, // b is completed
	} {
		id := a.ApplicationID
		if tc.action == "park" {
			id = b.ApplicationID
		}
		if ans := w.press(tc.action, tc.lang, url.Values{"id": {id}}); ans.status != http.StatusConflict || !strings.Contains(ans.body, tc.want) ||
			!strings.Contains(ans.body, `role="alert"`) || strings.Contains(ans.body, "central:") {
			t.Errorf("%s that no longer fits = %d, want 409 saying %q:\n%s", tc.action, ans.status, tc.want, ans.body)
		}
	}
	for _, want := range []string{"action=parked", `action="called back"`} {
		if !strings.Contains(h.log.String(), want) {
			t.Errorf("no audit entry %s", want)
		}
	}
}

// TestDeskFigures: the clerk's count and average service time today.
func TestDeskFigures(t *testing.T) {
	h := start(t)
	w := h.atWindow(t, "clerk1", 1, "ru")
	wantAll(t, w.page, `id="average">—<`)
	for _, d := range []time.Duration{4 * time.Minute, 9 * time.Minute} {
		tk := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
		w.press("call", "ru", nil)
		h.advance(d)
		w.press("complete", "ru", url.Values{"id": {tk.ApplicationID}, "result": {"iin"}})
	}
	w.get("/console/?lang=ru")
	wantAll(t, w.page, `id="served">2<`, `id="average">7 мин<`) // 6.5 rounds up
}

// TestDeskLive: the desk's event stream tells of every change in the
// branch, and the desk's fragment brings the new list.
func TestDeskLive(t *testing.T) {
	h := start(t)
	w := h.atWindow(t, "clerk1", 1, "en")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/console/events", nil)
	resp, err := w.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET /console/events = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == ": subscribed\n" {
			break
		}
	}
	tk := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	var id, data string
	for data == "" {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			id = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			data = strings.TrimSpace(v)
		}
	}
	if id == "" || data != `{"kind":"issued","number":"`+tk.Number+`"}` {
		t.Errorf("event id %q data %s, want the issue of %s", id, data, tk.Number)
	}
	f := w.get("/console/desk?lang=en")
	if f.status != http.StatusOK || strings.Contains(f.body, "<html") || !strings.Contains(f.body, `<td class="number">`+tk.Number+`</td>`) ||
		!strings.Contains(f.body, "Waiting: 1") {
		t.Errorf("GET /console/desk = %d, want the desk alone with %s waiting:\n%s", f.status, tk.Number, f.body)
	}
	if csp := f.header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP %q does not let the script fetch the desk", csp)
	}
	if js := w.get("/console/console.js"); !strings.Contains(js.body, "EventSource") || !strings.Contains(js.body, "/console/desk") &&
		!strings.Contains(f.body, `data-live="/console/desk?lang=en"`) {
		t.Error("the console's script does not follow the stream")
	}
}

// TestDeskLiveRefusals: the desk's fragment and stream without a session
// are 401 (the script goes to the sign-in page); a clerk whose branch the
// server does not know gets 403; the new forms without a session are 401,
// without the token 403, on another branch's ticket 403.
func TestDeskLiveRefusals(t *testing.T) {
	h := start(t)
	h.addUser(t, "lost", "", "NOWHERE-1")
	anon := h.browser(t)
	lost := h.browser(t)
	if a := lost.signIn("lost", password); a.status != http.StatusSeeOther {
		t.Fatalf("sign-in = %d", a.status)
	}
	for _, tc := range []struct {
		b    *browser
		path string
		want int
	}{
		{anon, "/console/desk", http.StatusUnauthorized},
		{anon, "/console/events", http.StatusUnauthorized},
		{lost, "/console/desk", http.StatusForbidden},
		{lost, "/console/events", http.StatusForbidden},
	} {
		if a := tc.b.get(tc.path); a.status != tc.want {
			t.Errorf("GET %s = %d, want %d", tc.path, a.status, tc.want)
		}
	}
	before := h.atWindow(t, "clerk1", 1, "en")
	if a := before.get("/console/desk"); a.status != http.StatusOK {
		t.Errorf("GET /console/desk at a window = %d", a.status)
	}
}

// TestDeskLiveIdle: the page's own refreshes do not keep an unattended
// console signed in: SessionIdle after the clerk's last request the
// desk's fragment is 401 however often it was fetched.
func TestDeskLiveIdle(t *testing.T) {
	h := start(t)
	w := h.atWindow(t, "clerk1", 1, "en")
	for _, tc := range []struct {
		after time.Duration
		want  int
	}{
		{central.SessionIdle - 10*time.Minute, http.StatusOK},
		{5 * time.Minute, http.StatusOK},
		{5 * time.Minute, http.StatusUnauthorized},
		{0, http.StatusUnauthorized},
	} {
		h.advance(tc.after)
		if a := w.get("/console/desk?lang=en"); a.status != tc.want {
			t.Errorf("GET /console/desk %v later = %d, want %d", tc.after, a.status, tc.want)
		}
	}
	if a := w.get("/console/?lang=en"); a.status != http.StatusSeeOther {
		t.Errorf("the console after the idle time = %d, want 303 to the sign-in", a.status)
	}
}
