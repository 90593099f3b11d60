package browsertest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/browsertest"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// heartbeat sends kiosk K-01's heartbeat as the kiosk does, with its
// token, reporting the paper.
func heartbeat(t *testing.T, h *browsertest.Hall, paper string) {
	t.Helper()
	c := storetest.Bearer(h.Client(), h.Token(t, central.RoleKiosk, "ALA-01", "K-01"))
	hb := api.Heartbeat{Version: "1.4.2", Paper: paper, At: h.Clock.Now(),
		Devices: []api.Device{{Name: "scanner", State: "loaded"}, {Name: "printer", State: "loaded"}}}
	if st, b := storetest.Do(t, c, "POST", h.URL+"/v1/kiosks/K-01/heartbeat", hb); st != http.StatusNoContent {
		t.Fatalf("heartbeat = %d: %s", st, b)
	}
}

// TestSupervisorPage: a supervisor, in Kazakh, watches the branch: the
// kiosk reporting its paper out shows on the open page without a reload,
// as does the clerk's call in the audit log; the log downloads as CSV.
func TestSupervisorPage(t *testing.T) {
	h := browsertest.Start(t, browsertest.Options{})
	h.AddUser(t, "super1", "Гүлнар Ахметова", central.RoleSupervisor, "ALA-01")
	h.Submit(t, browsertest.RussianApplication(t, h.Clock.Now()))
	h.Advance(4 * time.Minute)
	heartbeat(t, h, "ok")

	p := chromium.Open(t, h.URL)
	if st := signIn(t, p, "super1", browsertest.Password); st != http.StatusOK {
		t.Fatalf("sign-in = %d", st)
	}
	if st := p.Go("/console/supervisor?lang=kk"); st != http.StatusOK {
		t.Fatalf("supervisor page = %d", st)
	}
	pageSays(p, "#kiosk-K-01", "бар") // paper: there
	pageSays(p, ".alerts", "Барлық киоскілер жұмыс істеп тұр.")
	pageSays(p, ".queues", "4 мин")
	p.Screenshot("console-supervisor-kk")
	// "Updates live" is good news: not on the desk's red of a lost stream.
	if bg := browsertest.Eval[string](p, `getComputedStyle(document.querySelector("#live .live")).backgroundColor`); bg != "rgba(0, 0, 0, 0)" {
		t.Errorf("the live indicator has the background %s, an alarm's", bg)
	}
	// Everything after this happens on the page as it is: a reload would
	// lose the mark.
	browsertest.Eval[bool](p, "window.notReloaded = true")
	p.Poll(`document.querySelector("#live .live") !== null`)

	// The kiosk runs out of paper: the page says so by itself.
	heartbeat(t, h, "out")
	p.Poll(`document.querySelector("#kiosk-K-01 td.bad") !== null && document.querySelector("#kiosk-K-01").textContent.includes("ТАУСЫЛДЫ")`)
	pageSays(p, ".alerts", "K-01: қағаз таусылды")

	// A clerk calls meanwhile: the audit log on the page lists the call.
	clerk := clerkAt(t, h, "clerk1", 3)
	clerk.Go("/console/?lang=ru")
	clerk.Press(`form.call button[type="submit"]`)
	number := clerk.Text("#f-number")
	p.Poll(fmt.Sprintf(`[...document.querySelectorAll(".audit tbody tr")].some(r => r.textContent.includes("clerk1") && r.textContent.includes("шақырды") && r.textContent.includes(%q))`, number))
	pageSays(p, ".windows-open", "clerk1")
	if !browsertest.Eval[bool](p, "window.notReloaded === true") {
		t.Error("the page reloaded itself rather than updating in place")
	}
	noPersonalDataOn(t, p, "the supervisor page", "IVANOV", "ИВАНОВ", browsertest.RussianPassport[1][:9])
	p.Screenshot("console-supervisor-paper-out-kk")

	// The audit log downloads as CSV, its export itself recorded in it.
	name, csv := p.Download(`form[action^="/console/supervisor/audit.csv"] button[type="submit"]`)
	if !strings.HasPrefix(name, "audit-ALA-01-") || !strings.HasSuffix(name, ".csv") {
		t.Errorf("the export's file is named %q", name)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) < 3 || lines[0] != "time,user_id,login,action,ticket,number" {
		t.Fatalf("the export holds %d lines, starting %q", len(lines), lines[0])
	}
	var called, exported bool
	for _, l := range lines[1:] {
		called = called || strings.Contains(l, ",clerk1,"+central.AuditCalled+",") && strings.HasSuffix(l, ","+number)
		exported = exported || strings.Contains(l, ",super1,"+central.AuditExported+",")
	}
	if !called || !exported {
		t.Errorf("the export lists the call %v, the export %v:\n%s", called, exported, csv)
	}
	noPersonal := string(csv)
	for _, v := range []string{"IVANOV", "ИВАНОВ", browsertest.RussianPassport[1][:9]} {
		if strings.Contains(noPersonal, v) {
			t.Errorf("the audit export holds personal data (%d characters of it)", len(v))
		}
	}
}

// pageSays waits until the element the selector finds holds the text:
// the page swaps its live part in by itself, so an element read once may
// be gone the next moment.
func pageSays(p *browsertest.Page, css, text string) {
	p.Poll(fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.includes(%q)`, css, text))
}

// noPersonalDataOn checks that none of the values is in the page's DOM.
func noPersonalDataOn(t *testing.T, p *browsertest.Page, what string, values ...string) {
	t.Helper()
	dom := browsertest.Eval[string](p, `document.documentElement.outerHTML`)
	for _, v := range values {
		if strings.Contains(dom, v) {
			t.Errorf("%s holds personal data (%d characters of it)", what, len(v))
		}
	}
}
