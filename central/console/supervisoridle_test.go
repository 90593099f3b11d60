package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// TestSupervisorIdle: the page's own refreshes (its live part and its
// event stream) do not keep an unattended supervisor signed in:
// SessionIdle after the last real request both are 401, however often
// they were fetched, and the script then goes to the sign-in page.
func TestSupervisorIdle(t *testing.T) {
	h := start(t)
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	sup := h.signedIn(t, "sup1")
	if a := sup.get("/console/supervisor?lang=en"); a.status != http.StatusOK {
		t.Fatalf("the page = %d", a.status)
	}
	stream := func() int {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel() // the page closed: the stream ends with it
		req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/console/supervisor/events", nil)
		resp, err := sup.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode
	}
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
		if got := stream(); got != tc.want {
			t.Errorf("the stream %v later = %d, want %d", tc.after, got, tc.want)
		}
		a := sup.get("/console/supervisor/part?lang=en")
		if a.status != tc.want {
			t.Errorf("the live part %v later = %d, want %d", tc.after, a.status, tc.want)
		}
		if a.status == http.StatusOK && (!strings.Contains(a.body, "Kiosks") || strings.Contains(a.body, "<html")) {
			t.Errorf("the live part is not the page's live part alone: %s", a.body)
		}
	}
	if a := sup.get("/console/supervisor?lang=en"); a.status != http.StatusUnauthorized {
		t.Errorf("the page after the idle time = %d, want 401", a.status)
	}
}
