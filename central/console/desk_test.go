package console_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// logBuffer collects log lines from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// rusPN is the Russian internal passport specimen of the demo (kiosk/demo,
// "RUS PN"): its MRZ codes the Cyrillic names.
var rusPN = []string{
	"PNRUSIVANOV<<IVAN<IVANOVI3<<<<<<<<<<<<<<<<<<",
	"4501234568RUS8001014M<<<<<<09250210770007<86",
}

// russianApplication is what a kiosk submits for the RUS PN specimen, made
// from the parsed MRZ as the kiosk makes it.
func russianApplication(t *testing.T, at time.Time) api.Application {
	t.Helper()
	d, err := mrz.ParseLines(rusPN, at)
	if err != nil {
		t.Fatalf("the RUS PN specimen: %v", err)
	}
	if d.Russian == nil {
		t.Fatal("the RUS PN specimen parsed without its Cyrillic names")
	}
	a := storetest.Application("K-01", api.LaneOrdinary, at)
	a.Phone = "+77011234567"
	a.Applicant = api.Applicant{DocumentCode: d.DocumentCode, DocumentNumber: d.DocumentNumber,
		IssuingState: d.IssuingState, Nationality: d.Nationality,
		Latin:     api.Name{Surname: d.Russian.LatinSurname, GivenNames: d.Russian.LatinGivenNames},
		Cyrillic:  &api.Name{Surname: d.Surname, GivenNames: d.GivenNames},
		BirthDate: d.BirthDate.String(), ExpiryDate: d.ExpiryDate.String(), Sex: d.Sex.String(), MRZValid: d.Valid}
	a.Precheck = api.Precheck{Decision: api.DecisionNeedsDocuments, TranslationRequired: true, TranslationSource: "policy",
		Checklist: []string{"precheck.item.passport", "precheck.item.notarized_translation"}}
	return a
}

// submit sends an application as kiosk K-01 and returns its ticket.
func (h *hall) submit(t *testing.T, a api.Application) api.Ticket {
	t.Helper()
	c := storetest.Bearer(h.Client(), storetest.Mint(t, h.st, central.RoleKiosk, a.BranchID, a.KioskID))
	st, b := storetest.Do(t, c, "POST", h.URL+"/v1/applications", a)
	if st != http.StatusCreated {
		t.Fatalf("submit = %d: %s", st, b)
	}
	return storetest.Decode[api.Ticket](t, b)
}

// atWindow signs a clerk in and chooses the window, in lang.
func (h *hall) atWindow(t *testing.T, login string, window int, lang string) *browser {
	t.Helper()
	b := h.browser(t)
	if a := b.signIn(login, password); a.status != http.StatusSeeOther {
		t.Fatalf("sign-in of %s = %d", login, a.status)
	}
	b.get("/console/?lang=" + lang)
	if a := b.post("/console/window?lang="+lang, url.Values{"csrf": {b.csrf()}, "window": {strconv.Itoa(window)}}); a.status != http.StatusSeeOther {
		t.Fatalf("window %d = %d", window, a.status)
	}
	if a := b.get("/console/?lang=" + lang); a.status != http.StatusOK {
		t.Fatalf("console = %d", a.status)
	}
	return b
}

// press opens the console and posts one of its forms with the page's
// CSRF token, as a clerk does.
func (b *browser) press(action, lang string, form url.Values) answer {
	b.t.Helper()
	b.get("/console/?lang=" + lang)
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf())
	return b.post("/console/"+action+"?lang="+lang, form)
}

func wantAll(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

// display opens the branch's display stream and returns a function that
// reads its next event.
func (h *hall) display(t *testing.T) func() api.Called {
	t.Helper()
	c := storetest.Bearer(h.Client(), storetest.Mint(t, h.st, central.RoleDisplay, "ALA-01", ""))
	// The deadline only bounds a stream that never brings the event.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/v1/display?branch=ALA-01", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	rd := bufio.NewReader(resp.Body)
	if line, _ := rd.ReadString('\n'); line != ": subscribed\n" {
		t.Fatalf("display's first line = %q", line)
	}
	return func() api.Called {
		t.Helper()
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("display stream: %v", err)
			}
			if data, ok := strings.CutPrefix(line, "data: "); ok {
				var c api.Called
				if err := json.Unmarshal([]byte(data), &c); err != nil {
					t.Fatal(err)
				}
				return c
			}
		}
	}
}

func TestDeskCard(t *testing.T) {
	h := start(t)
	next := h.display(t)
	other := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.advance(time.Minute)
	rus := russianApplication(t, h.clock.Now())
	h.advance(time.Minute)
	b := h.atWindow(t, "clerk1", 3, "ru")
	wantAll(t, b.page, "Ожидают: 1", other.Number, "Обслужено вами сегодня: <strong id=\"served\">0</strong>", "У окна нет посетителя.")
	rusTicket := h.submit(t, rus)
	b.get("/console/?lang=ru")
	wantAll(t, b.page, "Ожидают: 2", rusTicket.Number)
	// The first ticket is called first; complete it to reach the Russian one.
	if a := b.press("call", "ru", nil); a.status != http.StatusSeeOther {
		t.Fatalf("call next = %d:\n%s", a.status, a.body)
	}
	if ev := next(); ev.Number != other.Number || ev.Window != "3" || ev.Recall {
		t.Errorf("display event %+v, want %s at window 3", ev, other.Number)
	}
	b.get("/console/?lang=ru")
	wantAll(t, b.page, `id="f-number">`+other.Number, "ERIKSSON", "ANNA MARIA")
	if a := b.press("complete", "ru", url.Values{"id": {other.ApplicationID}, "result": {"iin"}}); a.status != http.StatusSeeOther {
		t.Fatalf("complete = %d:\n%s", a.status, a.body)
	}
	h.advance(5 * time.Minute)
	if a := b.press("call", "ru", nil); a.status != http.StatusSeeOther {
		t.Fatalf("call next = %d", a.status)
	}
	if ev := next(); ev.Number != rusTicket.Number {
		t.Errorf("display event %+v, want %s", ev, rusTicket.Number)
	}
	b.get("/console/?lang=ru")
	wantAll(t, b.page,
		`id="f-number">`+rusTicket.Number,
		`id="f-cyr-surname" lang="ru">ИВАНОВ<`, `id="f-cyr-given" lang="ru">ИВАН ИВАНОВИЧ<`,
		`id="f-latin-surname">IVANOV<`, `id="f-latin-given">IVAN IVANOVICH<`,
		`id="f-doc-code">Внутренний паспорт РФ (PN)<`, `id="f-doc-number">`+rus.Applicant.DocumentNumber+`<`,
		`id="f-nationality">Россия (RUS)<`, `id="f-issuing">Россия (RUS)<`,
		`id="f-birth">1980-01-01<`, `id="f-sex">мужской<`, `id="f-expiry" class="absent">в документе нет<`,
		`id="f-phone">&#43;77011234567<`, `id="f-language">ru<`,
		`id="f-decision">Нужны ещё документы<`, `id="f-translation">да (по правилу для государства выдачи)<`,
		`id="f-lane">общая<`, "Без записи",
		`id="f-issued">09:02<`, `id="f-called">09:07<`,
		"Обслужено вами сегодня: <strong id=\"served\">1</strong>", "Ожидают: 0",
		`accesskey="n"`, `accesskey="r"`, `accesskey="x"`, `accesskey="c"`)
	// A copy button beside every field a clerk may type elsewhere (not the
	// lane, the times or the checklist), worked by the console's one
	// script, which the page's policy allows from the console only.
	// The Russian internal passport's MRZ has no expiry: the card says so
	// and offers nothing to copy.
	if rus.Applicant.ExpiryDate != "" {
		t.Fatalf("the specimen has an expiry, %q: the test needs one without", rus.Applicant.ExpiryDate)
	}
	if strings.Contains(b.page, `data-copy="f-expiry"`) {
		t.Error("the absent expiry has a copy button")
	}
	notCopied := map[string]bool{"f-checklist": true, "f-lane": true, "f-issued": true, "f-called": true, "f-expiry": true}
	for _, m := range regexp.MustCompile(`id="(f-[a-z-]+)"`).FindAllStringSubmatch(b.page, -1) {
		if id := m[1]; !notCopied[id] && !strings.Contains(b.page, `data-copy="`+id+`"`) {
			t.Errorf("field %s has no copy button", id)
		}
	}
	if a := b.get("/console/console.js"); a.status != http.StatusOK || !strings.Contains(a.body, "clipboard") ||
		!strings.Contains(a.header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("GET /console/console.js = %d, CSP %q", a.status, a.header.Get("Content-Security-Policy"))
	}
	b.get("/console/?lang=ru")
	for _, key := range rus.Precheck.Checklist {
		if strings.Contains(b.page, key) {
			t.Errorf("the checklist shows the key %q, not its words", key)
		}
	}
	if !strings.Contains(b.page, `id="f-checklist"`) || strings.Count(b.page[strings.Index(b.page, `id="f-checklist"`):], "<li>") != 2 {
		t.Errorf("the checklist does not show both items")
	}
	// The same card in Kazakh and English names the country in the
	// clerk's language.
	b.get("/console/?lang=en")
	wantAll(t, b.page, `id="f-nationality">Russia (RUS)<`, `id="f-sex">male<`)
	b.get("/console/?lang=kk")
	wantAll(t, b.page, `id="f-nationality">Ресей (RUS)<`)
	for _, secret := range []string{"ИВАНОВ", "IVANOV", "ERIKSSON", rus.Applicant.DocumentNumber, "1980-01-01", "+77011234567"} {
		if strings.Contains(h.log.String(), secret) {
			t.Errorf("the log holds personal data %q", secret)
		}
	}
}

func TestDeskActions(t *testing.T) {
	h := start(t)
	next := h.display(t)
	tk := h.submit(t, russianApplication(t, h.clock.Now()))
	b := h.atWindow(t, "clerk1", 2, "ru")
	b.press("call", "ru", nil)
	next()
	b.get("/console/?lang=ru")
	h.advance(time.Minute)
	if a := b.press("recall", "ru", url.Values{"id": {tk.ApplicationID}}); a.status != http.StatusSeeOther {
		t.Fatalf("recall = %d:\n%s", a.status, a.body)
	}
	if ev := next(); ev.Number != tk.Number || ev.Window != "2" || !ev.Recall {
		t.Errorf("recall's display event %+v, want %s at 2, a recall", ev, tk.Number)
	}
	b.get("/console/?lang=ru")
	// Documents missing needs a note saying which.
	if a := b.press("complete", "ru", url.Values{"id": {tk.ApplicationID}, "result": {"documents-missing"}}); a.status != http.StatusBadRequest {
		t.Errorf("complete with documents missing and no note = %d, want 400", a.status)
	}
	if a := b.press("complete", "ru", url.Values{"id": {tk.ApplicationID}, "result": {"documents-missing"},
		"note": {"нотариальный перевод паспорта"}}); a.status != http.StatusSeeOther {
		t.Fatalf("complete = %d:\n%s", a.status, a.body)
	}
	b.get("/console/?lang=ru")
	wantAll(t, b.page, "У окна нет посетителя.", `<strong id="served">1</strong>`)
	if st, err := h.st.Get(context.Background(), tk.ApplicationID); err != nil || st.State != api.StateCompleted {
		t.Errorf("ticket after complete: %v, %v", st.State, err)
	}
	// Recall of a completed ticket: 409, the reason on the page.
	for lang, want := range map[string]string{"ru": "Действие не подходит", "en": "does not fit the ticket", "kk": "сай емес"} {
		b.get("/console/?lang=" + lang)
		a := b.press("recall", lang, url.Values{"id": {tk.ApplicationID}})
		if a.status != http.StatusConflict || !strings.Contains(a.body, want) || !strings.Contains(a.body, `role="alert"`) {
			t.Errorf("recall of a completed ticket in %s = %d, want 409 saying %q:\n%s", lang, a.status, want, a.body)
		}
	}
	// No-show of the next visitor.
	tk2 := h.submit(t, storetest.Application("K-01", api.LanePriority, h.clock.Now()))
	b.get("/console/?lang=en")
	b.press("call", "en", nil)
	b.get("/console/?lang=en")
	wantAll(t, b.page, `id="f-lane">priority (51 years old)<`)
	if a := b.press("no-show", "en", url.Values{"id": {tk2.ApplicationID}}); a.status != http.StatusSeeOther {
		t.Fatalf("no-show = %d", a.status)
	}
	if st, _ := h.st.Get(context.Background(), tk2.ApplicationID); st.State != api.StateNoShow {
		t.Errorf("ticket after no-show: %v", st.State)
	}
	b.get("/console/?lang=en")
	if a := b.press("call", "en", nil); a.status != http.StatusOK || !strings.Contains(a.body, "Nobody is waiting.") {
		t.Errorf("call next on an empty queue = %d, want 200 saying nobody waits", a.status)
	}
	if strings.Contains(h.log.String(), "нотариальный") {
		t.Error("the log holds the clerk's note")
	}
}

// TestDeskCallNextRace: clerks pressing call next at once get different
// visitors, every one called once; each round they complete their visitor
// first, since a window takes one visitor at a time.
func TestDeskCallNextRace(t *testing.T) {
	h := start(t)
	const clerks, each = 4, 5
	var tickets []string
	for range clerks * each {
		tickets = append(tickets, h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now())).ApplicationID)
	}
	var bs []*browser
	for i := range clerks {
		login := "race" + strconv.Itoa(i)
		h.addUser(t, login, "", "ALA-01")
		bs = append(bs, h.atWindow(t, login, i+1, "en"))
	}
	ctx := context.Background()
	day := storetest.Morning().Format(time.DateOnly)
	for round := range each {
		var wg sync.WaitGroup
		start := make(chan struct{})
		codes := make([]int, clerks)
		for i, b := range bs {
			csrf := b.csrf()
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest("POST", h.URL+"/console/call?lang=en", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := b.c.Do(req)
				if err != nil {
					codes[i] = -1
					return
				}
				resp.Body.Close()
				codes[i] = resp.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		for i, c := range codes {
			if c != http.StatusSeeOther {
				t.Errorf("round %d: clerk %d's call next = %d, want 303", round, i, c)
			}
		}
		recs, err := h.st.Tickets(ctx, "ALA-01", day)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.State == api.StateCalled {
				if _, err := h.st.Transition(ctx, central.TransitionRequest{ID: r.ID, Action: central.ActionComplete, Now: h.clock.Now()}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	recs, err := h.st.Tickets(ctx, "ALA-01", day)
	if err != nil {
		t.Fatal(err)
	}
	perWindow := map[string]int{}
	for _, r := range recs {
		if r.State != api.StateCompleted {
			t.Errorf("ticket %s is %s after %d calls for %d tickets", r.Number, r.State, clerks*each, len(tickets))
		}
		perWindow[r.Window]++
	}
	for w := 1; w <= clerks; w++ {
		if perWindow[strconv.Itoa(w)] != each {
			t.Errorf("window %d called %d visitors, want %d: %v", w, perWindow[strconv.Itoa(w)], each, perWindow)
		}
	}
}

// TestDeskRefusals: no session, no CSRF token, another branch's ticket.
func TestDeskRefusals(t *testing.T) {
	reg := central.Demo(1)
	reg.Branches = append(reg.Branches, central.Branch{ID: "AST-01", Zone: "Asia/Almaty", Windows: 2,
		Kiosks: []central.Kiosk{{ID: "K-AST", OfflinePrefix: "S"}}})
	h := startRegistry(t, reg)
	h.addUser(t, "astana", "", "AST-01")
	tk := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	home := h.atWindow(t, "clerk1", 1, "en")
	home.press("call", "en", nil)

	anon := h.browser(t)
	away := h.atWindow(t, "astana", 1, "en")
	for _, action := range []string{"call", "recall", "no-show", "complete", "redirect", "park", "call-back"} {
		form := url.Values{"id": {tk.ApplicationID}, "result": {"iin"}, "to": {"window:2"}}
		if a := anon.post("/console/"+action, form); a.status != http.StatusUnauthorized {
			t.Errorf("%s without a session = %d, want 401", action, a.status)
		}
		if a := away.post("/console/"+action+"?lang=en", form); a.status != http.StatusForbidden {
			t.Errorf("%s without the CSRF token = %d, want 403", action, a.status)
		}
		away.get("/console/?lang=en")
		if action == "call" {
			continue // calls the clerk's own branch, whose queue is empty
		}
		if a := away.press(action, "en", form); a.status != http.StatusForbidden || !strings.Contains(a.body, "another branch") {
			t.Errorf("%s of ALA-01's ticket by a clerk of AST-01 = %d, want 403:\n%s", action, a.status, a.body)
		}
		away.get("/console/?lang=en")
	}
	if strings.Contains(away.page, tk.Number) {
		t.Errorf("AST-01's console shows ALA-01's ticket %s", tk.Number)
	}
	if st, _ := h.st.Get(context.Background(), tk.ApplicationID); st.State != api.StateCalled {
		t.Errorf("ALA-01's ticket is %s after AST-01's refused actions, want called", st.State)
	}
	if a := anon.get("/console/"); a.status != http.StatusSeeOther {
		t.Errorf("GET /console/ without a session = %d, want 303", a.status)
	}
}

// TestDeskWaitingList: the branch's waiting list gives every waiting
// number with its lane and wait, and marks offline and unprinted tickets.
func TestDeskWaitingList(t *testing.T) {
	h := start(t)
	ord := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.advance(2 * time.Minute)
	pri := h.submit(t, storetest.Application("K-01", api.LanePriority, h.clock.Now()))
	off := storetest.Application("K-01", api.LaneOrdinary, h.clock.Now())
	off.Offline = &api.OfflineTicket{Number: "K001", Source: api.OfflineKiosk, IssuedAt: h.clock.Now().Add(-time.Minute)}
	offTk := h.submit(t, off)
	unprinted := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	c := storetest.Bearer(h.Client(), storetest.Mint(t, h.st, central.RoleKiosk, "ALA-01", "K-01"))
	if st, b := storetest.Do(t, c, "POST", h.URL+"/v1/kiosks/K-01/events", api.Events{Events: []api.Event{
		{Kind: api.EventPrintFailed, At: h.clock.Now(), Session: api.NewID(), ApplicationID: unprinted.ApplicationID, Reason: "no-paper"}}}); st != http.StatusNoContent {
		t.Fatalf("events = %d: %s", st, b)
	}
	h.advance(3 * time.Minute)
	b := h.atWindow(t, "clerk1", 1, "en")
	row := func(number string) string {
		i := strings.Index(b.page, `<td class="number">`+number+`</td>`)
		if i < 0 {
			t.Fatalf("the waiting list lacks %s:\n%s", number, b.page)
		}
		end := strings.Index(b.page[i:], "</tr>")
		return b.page[i : i+end]
	}
	for _, tc := range []struct {
		number       string
		want, unwant []string
	}{
		{ord.Number, []string{"<td>ordinary</td>", "<td>5 min</td>"}, []string{"not printed", "offline"}},
		{pri.Number, []string{"<td>priority</td>", "<td>3 min</td>"}, []string{"not printed", "offline"}},
		{offTk.Number, []string{"<td>ordinary</td>", "offline"}, []string{"not printed"}},
		{unprinted.Number, []string{"not printed"}, []string{"offline"}},
	} {
		r := row(tc.number)
		for _, w := range tc.want {
			if !strings.Contains(r, w) {
				t.Errorf("row of %s lacks %q: %s", tc.number, w, r)
			}
		}
		for _, w := range tc.unwant {
			if strings.Contains(r, w) {
				t.Errorf("row of %s has %q: %s", tc.number, w, r)
			}
		}
	}
	wantAll(t, b.page, "Waiting: 4")
}
