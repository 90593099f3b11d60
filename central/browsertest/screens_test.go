package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/browsertest"
)

// fits checks that the page needs no sideways scrolling at the console's
// smallest screen, and logs how much of it is below the fold.
func fits(t *testing.T, p *browsertest.Page, name string) {
	t.Helper()
	size := browsertest.Eval[[]int](p, `[document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight]`)
	if size[0] > size[2] {
		t.Errorf("%s is %d px wide in a %d px window: it scrolls sideways", name, size[0], size[2])
	}
	t.Logf("%s: %d×%d px in a %d×%d window", name, size[0], size[1], size[2], size[3])
}

// TestConsoleScreensKK: every console page at 1366×768 in Kazakh, the
// console's first language, saved for a person to look at: sign-in,
// window choice, the desk idle and with the Russian passport holder's
// card, the supervisor's page.
func TestConsoleScreensKK(t *testing.T) {
	h := browsertest.Start(t, browsertest.Options{})
	h.AddUser(t, "clerk1", clerkName, central.RoleClerk, "ALA-01")
	h.AddUser(t, "super1", "Гүлнар Ахметова", central.RoleSupervisor, "ALA-01")
	h.Submit(t, browsertest.RussianApplication(t, h.Clock.Now()))

	p := chromium.Open(t, h.URL)
	if st := p.Go("/console/signin?lang=kk"); st != http.StatusOK {
		t.Fatalf("sign-in page = %d", st)
	}
	fits(t, p, "sign-in")
	p.Screenshot("kk-1-signin")
	p.Fill(`input[name="login"]`, "clerk1")
	p.Fill(`input[name="password"]`, browsertest.Password)
	if st := p.Press(`form.signin button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("sign-in = %d", st)
	}
	p.Go("/console/?lang=kk")
	p.WaitVisible("form.windows")
	fits(t, p, "window choice")
	p.Screenshot("kk-2-windows")
	p.Press(`form.windows button[value="2"]`)
	p.Go("/console/?lang=kk")
	fits(t, p, "desk, idle")
	p.Screenshot("kk-3-desk-idle")
	p.Press(`form.call button[type="submit"]`)
	p.WaitVisible("#f-cyr-surname")
	fits(t, p, "desk with a card")
	p.Screenshot("kk-4-desk-card")

	s := chromium.Open(t, h.URL)
	s.Go("/console/signin?lang=kk")
	s.Fill(`input[name="login"]`, "super1")
	s.Fill(`input[name="password"]`, browsertest.Password)
	if st := s.Press(`form.signin button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("supervisor's sign-in = %d", st)
	}
	fits(t, s, "supervisor's landing page")
	s.Screenshot("kk-5-supervisor-landing")
	if st := s.Go("/console/supervisor?lang=kk"); st != http.StatusOK {
		t.Fatalf("supervisor page = %d", st)
	}
	pageSays(s, ".windows-open", "clerk1")
	fits(t, s, "supervisor")
	s.Screenshot("kk-6-supervisor")
}
