package browsertest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/browsertest"
	"github.com/hcsc-kz/kiosk/central/hall"
)

// DisplayWithin is the figure: a call is on the hall's display
// within a second of the clerk's press.
const DisplayWithin = time.Second

// line is the hall's network between the server and its displays' event
// streams: cut, every stream open ends and every new one is dropped
// before an answer, as when the TV's cable is pulled or the server
// restarts; mended, the streams go through again.
type line struct {
	next http.Handler

	mu      sync.Mutex
	cut     bool
	open    map[*http.Request]context.CancelFunc
	dropped int           // streams refused while cut
	changed chan struct{} // closed and replaced when dropped grows
}

func newLine(next http.Handler) *line {
	return &line{next: next, open: map[*http.Request]context.CancelFunc{}, changed: make(chan struct{})}
}

func (l *line) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/events") {
		l.next.ServeHTTP(w, r)
		return
	}
	l.mu.Lock()
	if l.cut {
		l.dropped++
		close(l.changed)
		l.changed = make(chan struct{})
		l.mu.Unlock()
		// No answer at all: the browser sees the network fail.
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			c.Close()
		}
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	r = r.WithContext(ctx)
	l.open[r] = cancel
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.open, r)
		l.mu.Unlock()
		cancel()
	}()
	l.next.ServeHTTP(w, r)
}

// Cut ends the open streams and drops new ones.
func (l *line) Cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = true
	for _, cancel := range l.open {
		cancel()
	}
}

// Mend lets streams through again.
func (l *line) Mend() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = false
}

// WaitDropped waits until n streams have been dropped: the display has
// tried to reconnect through the cut.
func (l *line) WaitDropped(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(time.Minute) // bounds a display that never retries
	for {
		l.mu.Lock()
		d, ch := l.dropped, l.changed
		l.mu.Unlock()
		if d >= n {
			return
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("the display tried %d times to reconnect, want %d", d, n)
		}
	}
}

// startHall serves a hall with its display mounted as cmd/central mounts
// it, behind a line the test can cut, on the hall's clock.
func startHall(t *testing.T) (*browsertest.Hall, *line) {
	t.Helper()
	var ln *line
	h := browsertest.Start(t, browsertest.Options{Mount: func(srv *central.Server, st central.Store, o browsertest.MountOptions) error {
		d, err := hall.New(hall.Options{Source: srv, Logger: o.Logger, Now: o.Now})
		if err != nil {
			return err
		}
		ln = newLine(d)
		srv.Mount("/display/", ln)
		return nil
	}})
	return h, ln
}

// clerkAt signs a clerk in, in a browser context of their own, and
// chooses the window.
func clerkAt(t *testing.T, h *browsertest.Hall, login string, window int) *browsertest.Page {
	t.Helper()
	h.AddUser(t, login, clerkName, central.RoleClerk, "ALA-01")
	p := chromium.Open(t, h.URL)
	if st := signIn(t, p, login, browsertest.Password); st != http.StatusOK {
		t.Fatalf("sign-in = %d", st)
	}
	p.Press(fmt.Sprintf(`form.windows button[value="%d"]`, window))
	return p
}

// sayURL is the part of the address of the announcement of a number at a
// window.
func sayURL(number, window string) string {
	return "/say?" + url.Values{"number": {number}, "window": {window}}.Encode()
}

// shows is the expression true once the display's big number and window
// are these.
func shows(number, window string) string {
	return fmt.Sprintf(`document.getElementById("now-number").textContent.trim() === %s && document.getElementById("now-window").textContent.trim() === %s`,
		strconv.Quote(number), strconv.Quote(window))
}

// TestHallDisplay: the hall's TV, opened with its display token, shows
// the number a clerk calls and its window within a second and asks for
// its announcement; a recall is announced again; a completed visitor
// leaves "now serving"; no name or document number is ever on it. Its
// cable pulled while two numbers are called, it reconnects by itself
// (EventSource, with Last-Event-ID) and catches up, announcing the fresh
// call but not the one older than hall.DefaultSpeakWithin.
func TestHallDisplay(t *testing.T) {
	h, ln := startHall(t)
	clerk := clerkAt(t, h, "clerk1", 2)
	rus := browsertest.RussianApplication(t, h.Clock.Now())
	first := h.Submit(t, rus)
	h.Advance(time.Minute)

	tv := chromium.Open(t, h.URL)
	tok := h.Token(t, central.RoleDisplay, "ALA-01", "")
	if st := tv.Go("/display/ALA-01?token=" + url.QueryEscape(tok)); st != http.StatusOK {
		t.Fatalf("display = %d", st)
	}
	tv.Poll(`window.hallEvents && window.hallEvents.readyState === EventSource.OPEN`)
	tv.Screenshot("display-empty-1366x768")

	// Call next: on the TV within a second, and announced.
	clerk.Go("/console/?lang=ru")
	pressed := time.Now()
	if st := clerk.Press(`form.call button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("call next = %d", st)
	}
	took := tv.PollWithin(shows(first.Number, "2"), DisplayWithin)
	t.Logf("figure: display shows the call %v after the clerk's call returned (%v after the press, which includes the desk's page)",
		took.Round(time.Millisecond), time.Since(pressed).Round(time.Millisecond))
	tv.WaitRequest(sayURL(first.Number, "2"))
	if n := tv.Count(`#serving li`); n != 1 {
		t.Errorf("now serving has %d windows, want 1", n)
	}
	tv.Screenshot("display-call-1366x768")
	tv.Viewport(1920, 1080)
	tv.Screenshot("display-call-1920x1080")
	tv.Viewport(browsertest.Width, browsertest.Height)

	// Recall: announced again.
	if st := clerk.Press(`form[action^="/console/recall"] button`); st != http.StatusOK {
		t.Fatalf("recall = %d", st)
	}
	tv.WaitRequests(sayURL(first.Number, "2"), 2)

	// Complete: the window serves no one.
	if st := clerk.Press(`form.complete button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("complete = %d", st)
	}
	tv.Poll(`document.querySelectorAll("#serving li").length === 0`)
	if got := tv.Text("#now-number"); got != first.Number {
		t.Errorf("after complete the big number is %q, want the last call %s", got, first.Number)
	}
	noPersonalData(t, tv, rus.Applicant.DocumentNumber, rus.Applicant.Latin.Surname, rus.Applicant.Latin.GivenNames,
		rus.Applicant.Cyrillic.Surname, rus.Applicant.Cyrillic.GivenNames, rus.Phone, rus.Applicant.BirthDate)

	// The cable is pulled. Two numbers are called meanwhile: one a minute
	// before the TV comes back, one just before.
	stale := h.Submit(t, browsertest.RussianApplication(t, h.Clock.Now()))
	fresh := h.Submit(t, browsertest.RussianApplication(t, h.Clock.Now()))
	ln.Cut()
	tv.Poll(`!document.getElementById("offline").hidden`)
	ln.WaitDropped(t, 1) // the TV tried to reconnect and failed
	tv.Screenshot("display-offline-1366x768")
	clerk.Press(`form.call button[type="submit"]`)
	clerk.Press(`form.complete button[type="submit"]`)
	h.Advance(hall.DefaultSpeakWithin + time.Minute)
	clerk.Press(`form.call button[type="submit"]`)
	ln.Mend()

	// It reconnects by itself and catches up: the board shows the fresh
	// call, which it announces, and the stale one is never said.
	tv.Poll(`document.getElementById("offline").hidden`)
	tv.Poll(shows(fresh.Number, "2"))
	tv.WaitRequest(sayURL(fresh.Number, "2"))
	if n := tv.Count(`#last-calls td.number`); n < 2 {
		t.Errorf("the last calls list %d numbers after catching up, want the stale %s and the first %s", n, stale.Number, first.Number)
	}
	if last := tv.Text("#last-calls"); !strings.Contains(last, stale.Number) {
		t.Errorf("the last calls %q miss %s, called during the cut", last, stale.Number)
	}
	for _, u := range tv.Requests() {
		if strings.Contains(u, sayURL(stale.Number, "2")) {
			t.Errorf("the display announced %s, called %v before it came back", stale.Number, hall.DefaultSpeakWithin+time.Minute)
		}
	}
	noPersonalData(t, tv, rus.Applicant.DocumentNumber, rus.Applicant.Latin.Surname, rus.Applicant.Latin.GivenNames,
		rus.Applicant.Cyrillic.Surname, rus.Applicant.Cyrillic.GivenNames, rus.Phone, rus.Applicant.BirthDate)
	tv.Screenshot("display-caught-up-1366x768")
	tv.Viewport(1920, 1080)
	tv.Screenshot("display-caught-up-1920x1080")
}

// noPersonalData checks that none of the values is anywhere in the page's
// DOM: its markup, attributes and text included.
func noPersonalData(t *testing.T, p *browsertest.Page, values ...string) {
	t.Helper()
	dom := browsertest.Eval[string](p, `document.documentElement.outerHTML + "\n" + document.body.innerText`)
	for _, v := range values {
		if v != "" && strings.Contains(strings.ToUpper(dom), strings.ToUpper(v)) {
			t.Errorf("the display's page holds personal data (%d characters of it)", len(v))
		}
	}
}
