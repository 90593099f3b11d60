package console_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// addRole adds a console user of any role.
func (h *hall) addRole(t *testing.T, login string, role central.Role, branch string) {
	t.Helper()
	if _, err := central.AddUser(context.Background(), h.st, login, "Сара Supervisor", role, branch, []byte(password),
		storetest.CheapPassword(), h.clock.Now()); err != nil {
		t.Fatal(err)
	}
}

// signedIn signs a user in and opens the console's home page.
func (h *hall) signedIn(t *testing.T, login string) *browser {
	t.Helper()
	b := h.browser(t)
	if a := b.signIn(login, password); a.status != http.StatusSeeOther {
		t.Fatalf("sign-in of %s = %d", login, a.status)
	}
	b.get("/console/")
	return b
}

// heartbeat sends a kiosk's heartbeat as the kiosk, at the hall's clock.
func (h *hall) heartbeat(t *testing.T, kiosk string, hb api.Heartbeat) {
	t.Helper()
	hb.At = h.clock.Now()
	c := storetest.Bearer(h.Client(), storetest.Mint(t, h.st, central.RoleKiosk, "ALA-01", kiosk))
	if st, b := storetest.Do(t, c, "POST", h.URL+"/v1/kiosks/"+kiosk+"/heartbeat", hb); st != http.StatusNoContent {
		t.Fatalf("heartbeat of %s = %d: %s", kiosk, st, b)
	}
}

// TestSupervisorAccess: the page, its stream and its export need a
// session (401), a supervisor of the branch or an administrator (403),
// and for the export's form post its CSRF token (403).
func TestSupervisorAccess(t *testing.T) {
	h := start(t)
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	h.addRole(t, "sup2", central.RoleSupervisor, "ALA-02")
	h.addRole(t, "admin", central.RoleAdmin, "ALA-02")
	browsers := map[string]*browser{"": h.browser(t)}
	for _, login := range []string{"clerk1", "sup1", "sup2", "admin"} {
		browsers[login] = h.signedIn(t, login)
	}
	for _, tc := range []struct {
		who, path string
		want      int
	}{
		{"", "/console/supervisor", http.StatusUnauthorized},
		{"", "/console/supervisor/events", http.StatusUnauthorized},
		{"clerk1", "/console/supervisor", http.StatusForbidden},
		{"clerk1", "/console/supervisor/events", http.StatusForbidden},
		{"sup2", "/console/supervisor?branch=ALA-01", http.StatusForbidden},
		{"sup2", "/console/supervisor/events?branch=ALA-01", http.StatusForbidden},
		{"sup1", "/console/supervisor?branch=ALA-02", http.StatusForbidden},
		{"sup1", "/console/supervisor", http.StatusOK},
		{"sup1", "/console/supervisor?branch=ALA-01", http.StatusOK},
		{"admin", "/console/supervisor?branch=ALA-01", http.StatusOK},
		{"sup2", "/console/supervisor", http.StatusNotFound}, // ALA-02 is not in the registry
		{"sup2", "/console/supervisor/events", http.StatusNotFound},
	} {
		if a := browsers[tc.who].get(tc.path); a.status != tc.want {
			t.Errorf("%q GET %s = %d, want %d", tc.who, tc.path, a.status, tc.want)
		}
	}
	// The export: each with the CSRF token of its own console page.
	for _, tc := range []struct {
		who      string
		withCSRF bool
		query    string
		want     int
	}{
		{"", false, "", http.StatusUnauthorized},
		{"sup1", false, "", http.StatusForbidden},
		{"clerk1", true, "", http.StatusForbidden},
		{"sup2", true, "?branch=ALA-01", http.StatusForbidden},
		{"sup1", true, "?branch=ALA-02", http.StatusForbidden},
		{"sup1", true, "", http.StatusOK},
		{"admin", true, "?branch=ALA-01", http.StatusOK},
	} {
		b := browsers[tc.who]
		form := url.Values{}
		if tc.withCSRF {
			b.get("/console/")
			form.Set("csrf", b.csrf())
		}
		if a := b.post("/console/supervisor/audit.csv"+tc.query, form); a.status != tc.want {
			t.Errorf("%q POST audit.csv%s (csrf %v) = %d, want %d", tc.who, tc.query, tc.withCSRF, a.status, tc.want)
		}
	}
	// Only the two exports that were given are in the log.
	es, err := h.srv.AuditLog(context.Background(), central.AuditQuery{Branch: "ALA-01"})
	if err != nil || len(es) != 2 || es[0].Action != central.AuditExported || es[1].Action != central.AuditExported {
		t.Errorf("audit log after the exports = %+v, %v; want the two exports given", es, err)
	}
}

// TestSupervisorKiosks: a kiosk out of paper, one silent for longer than
// three heartbeats and one never heard from stand out, in words as well as
// colour, in each language; one working kiosk does not.
func TestSupervisorKiosks(t *testing.T) {
	h := startRegistry(t, central.Demo(4))
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	scanner := []api.Device{{Name: "scanner", State: "loaded"}, {Name: "printer", State: "loaded"}}
	h.heartbeat(t, "K-02", api.Heartbeat{Version: "1.4.0", Devices: scanner, Paper: "ok"}) // 09:00, then silent
	h.advance(central.KioskOfflineAfter + time.Minute)
	h.heartbeat(t, "K-01", api.Heartbeat{Version: "1.4.1", Devices: scanner, Paper: "out", OutboxDepth: 2, OutboxRejected: 1,
		Clock: &api.Clock{OffsetMs: -1500, UncertaintyMs: 200, MeasuredAt: h.clock.Now()}})
	h.heartbeat(t, "K-03", api.Heartbeat{Version: "1.4.1", Devices: scanner, Paper: "ok"})
	b := h.signedIn(t, "sup1")
	if a := b.get("/console/supervisor?lang=en"); a.status != http.StatusOK {
		t.Fatalf("supervisor page = %d", a.status)
	}
	wantAll(t, b.page,
		"<li>⚠ K-01: out of paper</li>", "<li>⚠ K-02: offline</li>", "<li>⚠ K-04: offline</li>",
		`<td class="bad">⚠ OUT</td>`, `<td class="bad">⚠ offline since 09:00</td>`, `<td class="bad">⚠ never reported</td>`,
		"2, 1 rejected", "-1.5 ± 0.2 s", "1.4.1", "working")
	k3 := b.page[strings.Index(b.page, `id="kiosk-K-03"`):]
	k3 = k3[:strings.Index(k3, "</tr>")]
	if strings.Contains(k3, "⚠") || strings.Contains(k3, "bad") || !strings.Contains(k3, "online") {
		t.Errorf("the working kiosk K-03 is marked: %s", k3)
	}
	b.get("/console/supervisor?lang=ru")
	wantAll(t, b.page, "K-01: нет бумаги", "нет связи с 09:00", "НЕТ БУМАГИ")
	b.get("/console/supervisor?lang=kk")
	wantAll(t, b.page, "K-01: қағаз таусылды", "09:00 бастап желіден тыс")
	// K-02 reports again: no longer offline.
	h.heartbeat(t, "K-02", api.Heartbeat{Version: "1.4.1", Devices: scanner, Paper: "low"})
	b.get("/console/supervisor?lang=en")
	if strings.Contains(b.page, "K-02: offline") || !strings.Contains(b.page, "K-02: paper low") {
		t.Errorf("after K-02's heartbeat the page still says it is offline, or not that its paper is low")
	}
}

// TestSupervisorAudit: what a clerk does through the console is in the
// audit log under the clerk's login, the card's view once however often
// the desk refreshes; the CSV export has it all and is itself in the log;
// no visitor's data is on the page, in the export or in the text log.
func TestSupervisorAudit(t *testing.T) {
	h := start(t)
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	rus := russianApplication(t, h.clock.Now())
	tk := h.submit(t, rus)
	clerk := h.atWindow(t, "clerk1", 2, "en")
	if a := clerk.press("call", "en", nil); a.status != http.StatusSeeOther {
		t.Fatalf("call next = %d", a.status)
	}
	h.advance(time.Second) // the log's order is the clock's
	for range 3 {
		clerk.get("/console/?lang=en") // the card, three times
	}
	if !strings.Contains(clerk.page, "ИВАНОВ") {
		t.Fatal("the card does not show the applicant")
	}
	h.advance(time.Minute)
	if a := clerk.press("complete", "en", url.Values{"id": {tk.ApplicationID}, "result": {"iin"}}); a.status != http.StatusSeeOther {
		t.Fatalf("complete = %d", a.status)
	}
	h.advance(time.Minute)
	sup := h.signedIn(t, "sup1")
	sup.get("/console/supervisor?lang=en")
	audit := sup.page[strings.Index(sup.page, `class="audit"`):]
	for _, action := range []string{"called", "opened the application", "completed"} {
		if n := strings.Count(audit, "<td>clerk1</td><td>"+action+"</td><td><span class=\"number\">"+tk.Number+"</span>"); n != 1 {
			t.Errorf("the audit log shows %q by clerk1 of %s %d times, want once", action, tk.Number, n)
		}
	}
	sup.get("/console/supervisor?lang=en")
	a := sup.post("/console/supervisor/audit.csv?lang=en", url.Values{"csrf": {sup.csrf()}})
	if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(a.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export = %d %q %q", a.status, a.header.Get("Content-Type"), a.header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(a.body)).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v\n%s", err, a.body)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[2]+" "+r[3]+" "+r[5])
		if r[3] != central.AuditExported && r[4] != tk.ApplicationID {
			t.Errorf("row %v names ticket %q, want %s", r, r[4], tk.ApplicationID)
		}
	}
	want := []string{"sup1 exported ", "clerk1 completed " + tk.Number, "clerk1 viewed " + tk.Number, "clerk1 called " + tk.Number}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("export rows %q, want %q (newest first, the export itself first)", got, want)
	}
	sup.get("/console/supervisor?lang=en")
	wantAll(t, sup.page, "<td>sup1</td><td>exported the log</td>")
	secrets := []string{"ИВАНОВ", "IVANOV", rus.Applicant.DocumentNumber, "1980-01-01", "+77011234567", "77011234567", clerkName, "Сара"}
	for _, secret := range secrets {
		for where, text := range map[string]string{"the page": sup.page, "the export": a.body, "the log": h.log.String()} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds personal data %q", where, secret)
			}
		}
	}
}

// TestSupervisorEvents: the page's stream tells of a kiosk's heartbeat and
// of a call, as they happen.
func TestSupervisorEvents(t *testing.T) {
	h := start(t)
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	sup := h.signedIn(t, "sup1")
	// The deadline only bounds a stream that never brings the event.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/console/supervisor/events", nil)
	resp, err := sup.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rd := bufio.NewReader(resp.Body)
	if line, _ := rd.ReadString('\n'); line != ": subscribed\n" {
		t.Fatalf("first line = %q", line)
	}
	next := func() string {
		t.Helper()
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended: %v", err)
			}
			if d, ok := strings.CutPrefix(line, "data: "); ok {
				return strings.TrimSpace(d)
			}
		}
	}
	h.heartbeat(t, "K-01", api.Heartbeat{Version: "1", Paper: "ok"})
	if kind := next(); kind != string(api.ChangeKiosk) {
		t.Errorf("after a heartbeat the stream said %q, want %q", kind, api.ChangeKiosk)
	}
	h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	if kind := next(); kind != string(api.ChangeIssued) {
		t.Errorf("after a ticket the stream said %q, want %q", kind, api.ChangeIssued)
	}
	if a := sup.get("/console/supervisor.js"); a.status != http.StatusOK || !strings.Contains(a.body, "EventSource") {
		t.Errorf("GET /console/supervisor.js = %d", a.status)
	}
	// The page's script may reach the stream and the page, nothing else.
	if csp := sup.get("/console/supervisor").header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") ||
		!strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("the page's policy %q does not let its script connect to the console alone", csp)
	}
}

// TestSupervisorQueuesAndWindows: the waiting per service and lane with
// the longest wait, and the windows a signed-in clerk serves at, with the
// clerk's login, until the clerk signs out.
func TestSupervisorQueuesAndWindows(t *testing.T) {
	h := start(t)
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.advance(4 * time.Minute)
	h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.submit(t, storetest.Application("K-01", api.LanePriority, h.clock.Now()))
	h.advance(3 * time.Minute)
	clerk := h.atWindow(t, "clerk1", 4, "en")
	sup := h.signedIn(t, "sup1")
	sup.get("/console/supervisor?lang=en")
	wantAll(t, sup.page,
		`<tr><td>iin</td><td>priority</td><td class="num">1</td><td class="num">0</td><td class="num">3 min</td></tr>`,
		`<tr><td>iin</td><td>ordinary</td><td class="num">2</td><td class="num">0</td><td class="num">7 min</td></tr>`,
		`<tr><td class="num">4</td><td>clerk1 (clerk)</td><td>09:07</td></tr>`)
	if a := clerk.press("signout", "en", nil); a.status != http.StatusSeeOther {
		t.Fatalf("sign-out = %d", a.status)
	}
	sup.get("/console/supervisor?lang=en")
	wantAll(t, sup.page, "No window is open.")
}

// TestSupervisorLink: the console's page leads a supervisor or an
// administrator to the supervisor page, and a clerk nowhere.
func TestSupervisorLink(t *testing.T) {
	h := start(t)
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	h.addRole(t, "admin", central.RoleAdmin, "ALA-01")
	for login, want := range map[string]bool{"clerk1": false, "sup1": true, "admin": true} {
		a := h.signedIn(t, login).get("/console/?lang=ru")
		if got := strings.Contains(a.body, `href="/console/supervisor?lang=ru"`); got != want {
			t.Errorf("%s: the link to the supervisor page shown = %v, want %v", login, got, want)
		}
	}
}
