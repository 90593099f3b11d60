package demo_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// TestDemoConsole: the demo's backend serves the clerks' console, guarded by
// its form token, and the demo clerk's password verifies and is kept for
// the next start (cmd/central's TestServeConsole signs in with it).
func TestDemoConsole(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	d, err := demo.Start(ctx, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pw := d.ClerkPassword
	us := d.Store
	u, err := us.UserByLogin(ctx, central.DemoClerk)
	if pw == "" || err != nil || u.Branch != d.Config.Kiosk.Branch || !central.VerifyPassword(u.Hash, []byte(pw)) {
		t.Fatalf("demo clerk %+v, %v with password %q: want a clerk of the demo's branch whose password it is", u, err, pw)
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(d.BackendURL + "/console/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /console/signin = %d %s, want the sign-in page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, err = c.PostForm(d.BackendURL+"/console/signin", url.Values{"login": {central.DemoClerk}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a sign-in without the form's token = %d, want 403", resp.StatusCode)
	}
	d.Close()
	d, err = demo.Start(ctx, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.ClerkPassword != pw {
		t.Errorf("the next start's password %q, want the same %q", d.ClerkPassword, pw)
	}
}
