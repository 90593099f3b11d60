package console_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/console"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

const (
	password  = "correct horse battery"
	clerkName = "Айгерім Сейітқызы"
)

// hall is a central server with the console mounted, on TLS loopback (the
// cookies are Secure), with a real SQLite store and a settable clock.
type hall struct {
	*httptest.Server
	st    central.Store
	clock *storetest.Clock
	reg   central.Registry
	srv   *central.Server
	log   *logBuffer // the server's and the console's log
}

func start(t *testing.T) *hall {
	t.Helper()
	return startRegistry(t, central.Demo(1))
}

// startRegistry is start with a registry of the test's own.
func startRegistry(t *testing.T, reg central.Registry) *hall {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "central.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := storetest.NewClock(storetest.Morning())
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := central.NewServer(central.Options{Store: st, Registry: reg, Key: storetest.Key(), Now: clock.Now, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	con, err := console.New(console.Options{Users: st, Registry: reg, Now: clock.Now, Password: storetest.CheapPassword(),
		Queue: srv, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount("/console/", con)
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
		st.Close()
	})
	h := &hall{Server: ts, st: st, clock: clock, reg: reg, srv: srv, log: logs}
	h.addUser(t, "clerk1", clerkName, "ALA-01")
	h.addUser(t, "gone", "", "ALA-01")
	if err := st.DisableUser(ctx, "gone", clock.Now()); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *hall) addUser(t *testing.T, login, name, branch string) {
	t.Helper()
	if _, err := central.AddUser(context.Background(), h.st, login, name, central.RoleClerk, branch, []byte(password),
		storetest.CheapPassword(), h.clock.Now()); err != nil {
		t.Fatal(err)
	}
}

func (h *hall) advance(d time.Duration) { h.clock.Set(h.clock.Now().Add(d)) }

// browser is one clerk's browser: a cookie jar, no redirects followed.
type browser struct {
	t    *testing.T
	h    *hall
	c    *http.Client
	jar  *cookiejar.Jar
	page string // the last page's body
}

func (h *hall) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	c := *h.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, h: h, c: &c, jar: jar}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) answer {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.page = string(body)
	return answer{resp.StatusCode, resp.Header, string(body)}
}

func (b *browser) get(path string) answer {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.h.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) answer {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the CSRF token of the last page's forms.
func (b *browser) csrf() string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(b.page)
	if m == nil {
		b.t.Fatalf("no CSRF token on the page:\n%s", b.page)
	}
	return m[1]
}

// signIn opens the sign-in page and sends the form.
func (b *browser) signIn(login, pw string) answer {
	b.t.Helper()
	if a := b.get("/console/signin"); a.status != http.StatusOK {
		b.t.Fatalf("GET /console/signin = %d", a.status)
	}
	return b.post("/console/signin", url.Values{"csrf": {b.csrf()}, "login": {login}, "password": {pw}})
}

// mustSignIn signs in as clerk1 and opens the console.
func (b *browser) mustSignIn() {
	b.t.Helper()
	if a := b.signIn("clerk1", password); a.status != http.StatusSeeOther {
		b.t.Fatalf("sign-in = %d, want 303:\n%s", a.status, a.body)
	}
	if a := b.get("/console/"); a.status != http.StatusOK {
		b.t.Fatalf("GET /console/ after sign-in = %d, want 200", a.status)
	}
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.h.URL + "/console/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSignIn(t *testing.T) {
	h := start(t)
	b := h.browser(t)
	if a := b.get("/console/"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/console/signin?lang=kk" {
		t.Fatalf("GET /console/ signed out = %d to %q, want 303 to the sign-in page", a.status, a.header.Get("Location"))
	}
	a := b.signIn("  CLERK1 ", password)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/console/?lang=kk" {
		t.Fatalf("sign-in = %d to %q, want 303 to /console/?lang=kk:\n%s", a.status, a.header.Get("Location"), a.body)
	}
	var sess *http.Cookie
	for _, c := range (&http.Response{Header: a.header}).Cookies() {
		if c.Name == console.SessionCookie {
			sess = c
		}
	}
	if sess == nil || !sess.HttpOnly || !sess.Secure || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/console/" || len(sess.Value) != 43 {
		t.Fatalf("session cookie %+v: want HttpOnly, Secure, SameSite=Strict, Path=/console/, 256 bits", sess)
	}
	a = b.get("/console/")
	for _, want := range []string{clerkName, "ALA-01", "Терезеңізді таңдаңыз", `value="8"`} {
		if !strings.Contains(a.body, want) {
			t.Errorf("console page lacks %q:\n%s", want, a.body)
		}
	}
	if strings.Contains(a.body, `value="9"`) {
		t.Error("the window picker offers window 9 of a branch with 8")
	}
	csrf := b.csrf()
	if a := b.post("/console/window", url.Values{"csrf": {csrf}, "window": {"3"}}); a.status != http.StatusSeeOther {
		t.Fatalf("choosing window 3 = %d, want 303", a.status)
	}
	a = b.get("/console/")
	if !strings.Contains(a.body, `class="window">3<`) || strings.Contains(a.body, "Терезеңізді таңдаңыз") {
		t.Errorf("after choosing window 3 the page does not show it, or still asks:\n%s", a.body)
	}
	for _, w := range []string{"0", "9", "x", ""} {
		if a := b.post("/console/window", url.Values{"csrf": {csrf}, "window": {w}}); a.status != http.StatusBadRequest {
			t.Errorf("choosing window %q = %d, want 400", w, a.status)
		}
	}
	// The session cookie is no credential of the protocol.
	req, _ := http.NewRequest("POST", h.URL+"/v1/branches/ALA-01/windows/3/call-next", nil)
	req.AddCookie(&http.Cookie{Name: console.SessionCookie, Value: sess.Value})
	if a := b.do(req); a.status != http.StatusUnauthorized {
		t.Errorf("call-next with a console session = %d, want 401", a.status)
	}
	// Signed in, the sign-in page leads to the console.
	if a := b.get("/console/signin"); a.status != http.StatusSeeOther {
		t.Errorf("GET /console/signin signed in = %d, want 303", a.status)
	}
}

// TestSameAnswer: a wrong password, an unknown login, a disabled user and
// a login nobody can hold get the same answer, byte for byte.
func TestSameAnswer(t *testing.T) {
	h := start(t)
	b := h.browser(t)
	tries := []struct{ name, login, pw string }{
		{"wrong password", "clerk1", "not the password"},
		{"unknown login", "nobody", password},
		{"disabled user", "gone", password},
		{"impossible login", "../\x00", password},
		{"empty", "", ""},
	}
	var first answer
	for i, tc := range tries {
		a := b.signIn(tc.login, tc.pw)
		a.header.Del("Date")
		if i == 0 {
			first = a
			if a.status != http.StatusUnauthorized || !strings.Contains(a.body, "Логин немесе құпиясөз қате.") {
				t.Fatalf("%s: %d, want 401 with the message:\n%s", tc.name, a.status, a.body)
			}
			continue
		}
		if a.status != first.status || a.body != first.body || !equalHeaders(a.header, first.header) {
			t.Errorf("%s: %d %v\n%s\nwant as for a wrong password: %d %v\n%s", tc.name, a.status, a.header, a.body, first.status, first.header, first.body)
		}
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if strings.Join(v, "\n") != strings.Join(b[k], "\n") {
			return false
		}
	}
	return true
}

// TestLockout: the fifth failure in the window locks the login, the right
// password too, for known and unknown logins alike, and in another
// process on the same database; it ends after central.SignInLockout.
func TestLockout(t *testing.T) {
	h := start(t)
	b := h.browser(t)
	var locked answer
	for _, login := range []string{"clerk1", "nobody"} {
		for i := 1; i < central.SignInMaxFailures; i++ {
			if a := b.signIn(login, "wrong password"); a.status != http.StatusUnauthorized {
				t.Fatalf("%s: failure %d = %d, want 401", login, i, a.status)
			}
		}
		a := b.signIn(login, "wrong password")
		if a.status != http.StatusTooManyRequests || !strings.Contains(a.body, "15 минуттан кейін") {
			t.Fatalf("%s: failure %d = %d, want 429 locked:\n%s", login, central.SignInMaxFailures, a.status, a.body)
		}
		a = b.signIn(login, password)
		a.header.Del("Date")
		if a.status != http.StatusTooManyRequests {
			t.Errorf("%s: the right password while locked = %d, want 429", login, a.status)
		}
		if login == "clerk1" {
			locked = a
		} else if a.body != locked.body || !equalHeaders(a.header, locked.header) {
			t.Errorf("a locked unknown login answers otherwise than a locked clerk:\n%v\n%s\nwant\n%v\n%s", a.header, a.body, locked.header, locked.body)
		}
	}
	// Another process on the same database sees the lock.
	other, err := console.New(console.Options{Users: h.st, Registry: h.reg, Now: h.clock.Now, Password: storetest.CheapPassword()})
	if err != nil {
		t.Fatal(err)
	}
	b.get("/console/signin")
	form := url.Values{"csrf": {b.csrf()}, "login": {"clerk1"}, "password": {password}}
	req := httptest.NewRequest("POST", "/console/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(b.cookie(console.SignInCookie))
	rec := httptest.NewRecorder()
	other.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests {
		t.Errorf("another process: the right password while locked = %d, want 429", rec.Code)
	}
	h.advance(central.SignInLockout - time.Second)
	if a := b.signIn("clerk1", password); a.status != http.StatusTooManyRequests {
		t.Errorf("a second before the lock ends = %d, want 429", a.status)
	}
	h.advance(time.Second)
	if a := b.signIn("clerk1", password); a.status != http.StatusSeeOther {
		t.Errorf("when the lock ends, the right password = %d, want 303", a.status)
	}
}

// TestSessionEnds: a session ends when idle, at its lifetime, at sign-out
// and when its user is disabled; a request with its cookie then finds no
// session.
func TestSessionEnds(t *testing.T) {
	tests := []struct {
		name string
		// end does what ends the session; steps before it keep it alive.
		end func(t *testing.T, h *hall, b *browser)
	}{
		{"idle", func(t *testing.T, h *hall, b *browser) {
			h.advance(central.SessionIdle - time.Second)
			if a := b.get("/console/"); a.status != http.StatusOK {
				t.Fatalf("a second before idle = %d, want 200", a.status)
			}
			h.advance(central.SessionIdle)
		}},
		{"lifetime", func(t *testing.T, h *hall, b *browser) {
			step := central.SessionIdle - time.Minute
			for d := step; d < central.SessionLifetime; d += step {
				h.advance(step)
				if a := b.get("/console/"); a.status != http.StatusOK {
					t.Fatalf("busy clerk after %v = %d, want 200", d, a.status)
				}
			}
			h.advance(central.SessionLifetime % step)
		}},
		{"sign-out", func(t *testing.T, h *hall, b *browser) {
			a := b.post("/console/signout", url.Values{"csrf": {b.csrf()}})
			if a.status != http.StatusSeeOther || a.header.Get("Location") != "/console/signin?lang=kk" {
				t.Fatalf("sign-out = %d to %q, want 303 to the sign-in page", a.status, a.header.Get("Location"))
			}
		}},
		{"disabled", func(t *testing.T, h *hall, b *browser) {
			if err := h.st.DisableUser(context.Background(), "clerk1", h.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t)
			b := h.browser(t)
			b.mustSignIn()
			old := b.cookie(console.SessionCookie)
			csrf := b.csrf()
			tc.end(t, h, b)
			// Replay the old cookie whatever the browser did with it.
			b2 := h.browser(t)
			u, _ := url.Parse(h.URL + "/console/")
			b2.jar.SetCookies(u, []*http.Cookie{{Name: old.Name, Value: old.Value, Path: "/console/", Secure: true}})
			if a := b2.get("/console/"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/console/signin?lang=kk" {
				t.Errorf("GET /console/ after the end = %d to %q, want 303 to sign-in", a.status, a.header.Get("Location"))
			}
			if a := b2.post("/console/window", url.Values{"csrf": {csrf}, "window": {"2"}}); a.status != http.StatusUnauthorized {
				t.Errorf("POST /console/window after the end = %d, want 401", a.status)
			}
		})
	}
}

// TestDisabledCannotSignIn: a disabled user's right password gets the
// answer of a wrong one.
func TestDisabledCannotSignIn(t *testing.T) {
	h := start(t)
	b := h.browser(t)
	b.mustSignIn()
	if err := h.st.DisableUser(context.Background(), "clerk1", h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	b2 := h.browser(t)
	if a := b2.signIn("clerk1", password); a.status != http.StatusUnauthorized {
		t.Errorf("disabled clerk1 signing in = %d, want 401", a.status)
	}
}

// TestCSRF: every form post without its token, or with another's, is
// refused (403) and changes nothing.
func TestCSRF(t *testing.T) {
	h := start(t)
	b := h.browser(t)
	b.mustSignIn()
	mine := b.csrf()
	other := h.browser(t)
	other.mustSignIn()
	theirs := other.csrf()
	b.get("/console/signin") // the sign-in cookie, as a second tab would
	tests := []struct {
		name, path string
		form       url.Values
	}{
		{"sign-in without token", "/console/signin", url.Values{"login": {"clerk1"}, "password": {password}}},
		{"sign-in with a wrong token", "/console/signin", url.Values{"csrf": {strings.Repeat("A", 43)}, "login": {"clerk1"}, "password": {password}}},
		{"sign-in with the session's token", "/console/signin", url.Values{"csrf": {mine}, "login": {"clerk1"}, "password": {password}}},
		{"window without token", "/console/window", url.Values{"window": {"2"}}},
		{"window with another session's token", "/console/window", url.Values{"csrf": {theirs}, "window": {"2"}}},
		{"sign-out without token", "/console/signout", nil},
		{"sign-out with an empty token", "/console/signout", url.Values{"csrf": {""}}},
	}
	for _, tc := range tests {
		if a := b.post(tc.path, tc.form); a.status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tc.name, a.status)
		}
	}
	if a := b.get("/console/"); a.status != http.StatusOK || !strings.Contains(a.body, "Терезеңізді таңдаңыз") {
		t.Errorf("after the refused posts: %d, want still signed in with no window chosen", a.status)
	}
	// Without the sign-in cookie the sign-in form's token alone is refused.
	fresh := h.browser(t)
	fresh.get("/console/signin")
	token := fresh.csrf()
	req, _ := http.NewRequest("POST", h.URL+"/console/signin", strings.NewReader(url.Values{"csrf": {token}, "login": {"clerk1"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := h.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in with the token but not its cookie = %d, want 403", resp.StatusCode)
	}
}

// TestUnsigned: without a session GET /console/ leads to the sign-in page
// and a POST is refused with 401.
func TestUnsigned(t *testing.T) {
	h := start(t)
	b := h.browser(t)
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/console/", http.StatusSeeOther},
		{"GET", "/console/?lang=ru", http.StatusSeeOther},
		{"POST", "/console/window", http.StatusUnauthorized},
		{"POST", "/console/signout", http.StatusUnauthorized},
		{"GET", "/console/signin", http.StatusOK},
		{"GET", "/console/console.css", http.StatusOK},
		{"GET", "/console/nothing", http.StatusNotFound},
	}
	for _, tc := range tests {
		var a answer
		if tc.method == "GET" {
			a = b.get(tc.path)
		} else {
			a = b.post(tc.path, url.Values{"csrf": {"x"}, "window": {"1"}})
		}
		if a.status != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, a.status, tc.status)
		}
	}
	if a := b.get("/console/?lang=ru"); a.header.Get("Location") != "/console/signin?lang=ru" {
		t.Errorf("the redirect keeps no language: %q", a.header.Get("Location"))
	}
}

// TestLanguages: Kazakh by default and for an unknown language, Russian
// and English when asked, kept through sign-in.
func TestLanguages(t *testing.T) {
	h := start(t)
	tests := []struct{ query, lang, signIn, console string }{
		{"", "kk", "Кіру", "Терезеңізді таңдаңыз"},
		{"?lang=xx", "kk", "Кіру", "Терезеңізді таңдаңыз"},
		{"?lang=ru", "ru", "Войти", "Выберите своё окно"},
		{"?lang=en", "en", "Sign in", "Choose your window"},
	}
	for _, tc := range tests {
		b := h.browser(t)
		a := b.get("/console/signin" + tc.query)
		if !strings.Contains(a.body, `<html lang="`+tc.lang+`">`) || !strings.Contains(a.body, tc.signIn) {
			t.Errorf("sign-in page%s: want lang %s and %q:\n%s", tc.query, tc.lang, tc.signIn, a.body)
		}
		form := url.Values{"csrf": {b.csrf()}, "login": {"clerk1"}, "password": {password}}
		a = b.post("/console/signin?lang="+tc.lang, form)
		if a.status != http.StatusSeeOther {
			t.Fatalf("sign-in%s = %d", tc.query, a.status)
		}
		a = b.get(a.header.Get("Location"))
		if !strings.Contains(a.body, tc.console) {
			t.Errorf("console page%s: want %q:\n%s", tc.query, tc.console, a.body)
		}
	}
}

// TestNoPersonalDataInPages: the console's answers to an unsigned caller
// never carry a user's name.
func TestNoPersonalDataInPages(t *testing.T) {
	h := start(t)
	b := h.browser(t)
	for _, a := range []answer{b.signIn("clerk1", "wrong password"), b.get("/console/signin")} {
		if bytes.Contains([]byte(a.body), []byte(clerkName)) {
			t.Errorf("an unsigned page shows the clerk's name:\n%s", a.body)
		}
	}
}

// TestUnknownBranch: a user of a branch the server does not serve signs in
// but is offered no window.
func TestUnknownBranch(t *testing.T) {
	h := start(t)
	h.addUser(t, "elsewhere", "", "AST-01")
	b := h.browser(t)
	if a := b.signIn("elsewhere", password); a.status != http.StatusSeeOther {
		t.Fatalf("sign-in = %d, want 303", a.status)
	}
	a := b.get("/console/")
	if !strings.Contains(a.body, "Бұл бөлімше серверге белгісіз") || strings.Contains(a.body, `name="window"`) {
		t.Errorf("console page of an unknown branch:\n%s", a.body)
	}
	if a := b.post("/console/window", url.Values{"csrf": {b.csrf()}, "window": {"1"}}); a.status != http.StatusBadRequest {
		t.Errorf("choosing a window of an unknown branch = %d, want 400", a.status)
	}
}
