package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWindowTaken: one clerk at a window. A second clerk cannot choose a
// window another's live session holds (and so cannot open that clerk's
// visitor); the first may choose it again; once the first signs out the
// window is free.
func TestWindowTaken(t *testing.T) {
	h := start(t)
	h.addUser(t, "clerk2", "Second Clerk", "ALA-01")
	first := h.atWindow(t, "clerk1", 1, "ru")
	second := h.atWindow(t, "clerk2", 2, "ru")
	choose := func(b *browser, window string) answer {
		t.Helper()
		b.get("/console/?lang=ru&window=change")
		return b.post("/console/window?lang=ru", url.Values{"csrf": {b.csrf()}, "window": {window}})
	}
	a := choose(second, "1")
	if a.status != http.StatusConflict || !strings.Contains(a.body, "За этим окном уже работает другой оператор") {
		t.Errorf("a second clerk choosing window 1 = %d, want 409 with the reason:\n%s", a.status, a.body)
	}
	if a := choose(first, "1"); a.status != http.StatusSeeOther {
		t.Errorf("the clerk choosing their own window again = %d, want 303", a.status)
	}
	first.get("/console/?lang=ru")
	if a := first.post("/console/signout?lang=ru", url.Values{"csrf": {first.csrf()}}); a.status >= 400 {
		t.Fatalf("sign-out = %d", a.status)
	}
	if a := choose(second, "1"); a.status != http.StatusSeeOther {
		t.Errorf("window 1 after its clerk signed out = %d, want 303", a.status)
	}
}
