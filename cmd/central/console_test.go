package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/console"
)

// TestServeConsole: the demo prints the console's address and its clerk's
// sign-in, and that sign-in opens the console.
func TestServeConsole(t *testing.T) {
	db := filepath.Join(t.TempDir(), "var", "central.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--kiosks", "1"}, pw, io.Discard)
		pw.Close()
	}()
	line := regexp.MustCompile(`^central: the clerks' console: (http://[^ ]+/console/) \(login (clerk1), password ([a-z2-9-]+), kept in `)
	sc := bufio.NewScanner(pr)
	var m []string
	for sc.Scan() {
		if m = line.FindStringSubmatch(sc.Text()); m != nil {
			break
		}
	}
	if m == nil {
		t.Fatalf("central serve printed no console line (exit %d)", <-done)
	}
	go io.Copy(io.Discard, pr)
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(m[1] + "signin")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var signin *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == console.SignInCookie {
			signin = ck
		}
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if signin == nil || csrf == nil {
		t.Fatalf("sign-in page without its token: %d\n%s", resp.StatusCode, body)
	}
	form := url.Values{"csrf": {string(csrf[1])}, "login": {m[2]}, "password": {m[3]}}
	req, _ := http.NewRequest("POST", m[1]+"signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: signin.Name, Value: signin.Value})
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/?lang=kk" {
		t.Errorf("signing in with the printed password = %d to %q, want 303 to the console", resp.StatusCode, resp.Header.Get("Location"))
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("central serve exited %d, want 0", code)
	}
}
