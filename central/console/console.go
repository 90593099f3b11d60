package console

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// Cookie names. Neither can take the __Host- prefix, which needs Path=/:
// the console's cookies stay under /console/.
const (
	// SessionCookie holds the session id.
	SessionCookie = "console_session"
	// SignInCookie holds the sign-in form's CSRF token before a session
	// exists.
	SignInCookie = "console_signin"
)

// maxForm bounds a form's body: a login and a password are far smaller.
const maxForm = 16 << 10

// Options configure a Console.
type Options struct {
	// Users keeps the users and sessions: the server's Store.
	Users central.UserStore
	// Registry gives each branch's windows.
	Registry central.Registry
	// Now is the clock, the server's; nil means time.Now.
	Now func() time.Time
	// Logger gets sign-ins, sign-outs and failures, with user ids only,
	// never a login or a name; nil discards.
	Logger *slog.Logger
	// Password are the costs of the dummy hash an unknown login's password
	// is checked against: the costs users' hashes are made with. Zero
	// means central.DefaultPasswordParams.
	Password central.PasswordParams
	// Verifying bounds the password checks under way at once, each of
	// which holds the hash's memory (19 MiB by default); 0 means 2.
	Verifying int
	// Queue is the server's queue, the clerk's work once a window is
	// chosen: the *central.Server the console is mounted on. Nil leaves
	// the console at sign-in and the window choice.
	Queue Queue
}

// Console is the console's http.Handler, to mount at /console/.
type Console struct {
	users    central.UserStore
	branches map[string]central.Branch
	now      func() time.Time
	log      *slog.Logger
	dummy    string
	verify   chan struct{}
	mux      *http.ServeMux
	pages    *template.Template
	queue    Queue
	words    *i18n.Catalog // country names and the kiosk's checklist
	services []string      // the registry's services, where a visitor can be redirected
	super    Supervision   // nil: no supervisor page
	enrol    Enroller      // nil: no enrolment form
}

//go:embed templates/*.html static/console.css static/console.js
var files embed.FS

// New returns a console; it makes the dummy hash, so it takes as long as
// one password check.
func New(o Options) (*Console, error) {
	if o.Users == nil {
		return nil, errors.New("console: Options.Users is nil; give the server's Store")
	}
	if o.Password == (central.PasswordParams{}) {
		o.Password = central.DefaultPasswordParams()
	}
	if o.Verifying <= 0 {
		o.Verifying = 2
	}
	var pw [32]byte
	rand.Read(pw[:])
	dummy, err := central.HashPassword(pw[:], o.Password)
	if err != nil {
		return nil, fmt.Errorf("console: dummy hash: %w", err)
	}
	pages, err := template.New("").Funcs(template.FuncMap{"windows": windows, "langs": langNames}).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	words, err := i18n.New()
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	c := &Console{users: o.Users, branches: map[string]central.Branch{}, now: o.Now, log: o.Logger, dummy: dummy,
		verify: make(chan struct{}, o.Verifying), mux: http.NewServeMux(), pages: pages, queue: o.Queue, words: words}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	for _, b := range o.Registry.Branches {
		c.branches[b.ID] = b
	}
	c.mux.HandleFunc("GET /console/{$}", c.home)
	c.mux.HandleFunc("GET /console/signin", c.signInPage)
	c.mux.HandleFunc("POST /console/signin", c.signIn)
	c.mux.HandleFunc("POST /console/signout", c.signed(c.signOut))
	c.mux.HandleFunc("POST /console/window", c.signed(c.chooseWindow))
	c.mux.HandleFunc("POST /console/call", c.signed(c.callNext))
	c.mux.HandleFunc("POST /console/recall", c.signed(c.action(central.ActionRecall)))
	c.mux.HandleFunc("POST /console/no-show", c.signed(c.action(central.ActionNoShow)))
	c.mux.HandleFunc("POST /console/complete", c.signed(c.action(central.ActionComplete)))
	c.deskRoutes(o.Registry)
	c.mux.HandleFunc("GET /console/console.css", c.css)
	c.mux.HandleFunc("GET /console/console.js", c.js)
	c.addSupervisor(o.Queue)
	return c, nil
}

// ServeHTTP serves the console's pages.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.mux.ServeHTTP(w, r)
}

// session is a signed-in request's session.
type session struct {
	id   string // the cookie's value, the key of the CSRF token
	rec  central.SessionRecord
	user central.UserRecord
}

// csrf is the session's CSRF token: an HMAC of a constant keyed by the
// session id, so it needs no storage and is worthless without the cookie.
func (s *session) csrf() string {
	m := hmac.New(sha256.New, []byte(s.id))
	m.Write([]byte("console csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// session returns the request's live session, nil when there is none: no
// cookie, an unknown or ended session, or a disabled user. An expired
// session is deleted on the way.
func (c *Console) session(r *http.Request) (*session, error) {
	ck, err := r.Cookie(SessionCookie)
	if err != nil || len(ck.Value) != 43 {
		return nil, nil
	}
	hash := central.HashSession(ck.Value)
	rec, u, err := c.users.Session(r.Context(), hash)
	if errors.Is(err, central.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := c.now()
	if rec.Expired(now) {
		c.log.Info("console session expired", "user", u.ID)
		return nil, c.users.DeleteSession(r.Context(), hash)
	}
	if now.Sub(rec.SeenAt) >= central.SessionTouch {
		if err := c.users.TouchSession(r.Context(), hash, now); err != nil {
			return nil, err
		}
		rec.SeenAt = now
	}
	return &session{id: ck.Value, rec: rec, user: u}, nil
}

// signed wraps a POST handler that needs a session and its CSRF token:
// 401 without a session, 403 without the token.
func (c *Console) signed(h func(w http.ResponseWriter, r *http.Request, s *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := texts(r)
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		s, err := c.session(r)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if s == nil {
			c.render(w, http.StatusUnauthorized, "message", page{T: t, Message: t.SignedOut, Link: signInURL(t.Lang)})
			return
		}
		if !equal(r.PostFormValue("csrf"), s.csrf()) {
			c.render(w, http.StatusForbidden, "message", page{T: t, Message: t.Forbidden, Link: homeURL(t.Lang)})
			return
		}
		h(w, r, s)
	}
}

// equal compares a form's token with the expected one in constant time.
func equal(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// page is what the templates read.
type page struct {
	T       *text
	CSRF    string
	Message string
	Link    string
	User    central.UserRecord
	Role    string
	Branch  central.Branch
	Known   bool // the user's branch is in the registry
	Window  int
	// Supervises: the user may open the supervisor page.
	Supervises bool
	Change     bool // the clerk asked to choose another window
	// Desk is the clerk's work at the chosen window; nil before.
	Desk *desk
	// Here is the page the language links lead to: the sign-in page or
	// the console's.
	Here string
}

func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	t := texts(r)
	s, err := c.session(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if s == nil {
		http.Redirect(w, r, signInURL(t.Lang), http.StatusSeeOther)
		return
	}
	c.deskPage(w, r, s, http.StatusOK, "")
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	t := texts(r)
	if s, err := c.session(r); err == nil && s != nil {
		http.Redirect(w, r, homeURL(t.Lang), http.StatusSeeOther)
		return
	}
	c.render(w, http.StatusOK, "signin", page{T: t, CSRF: c.signInToken(w, r), Here: "/console/signin"})
}

// signInToken returns the sign-in form's CSRF token, the value of the
// SignInCookie, setting a new one when the request has none.
func (c *Console) signInToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(SignInCookie); err == nil && len(ck.Value) == 43 {
		return ck.Value
	}
	var b [32]byte
	rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, cookie(SignInCookie, v))
	return v
}

func cookie(name, value string) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/console/", HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode}
}

func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	t := texts(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	ck, err := r.Cookie(SignInCookie)
	if err != nil || !equal(r.PostFormValue("csrf"), ck.Value) {
		c.render(w, http.StatusForbidden, "message", page{T: t, Message: t.Forbidden, Link: signInURL(t.Lang)})
		return
	}
	login, lerr := central.CheckLogin(r.PostFormValue("login"))
	pw := []byte(r.PostFormValue("password"))
	defer clear(pw)
	ctx := r.Context()
	select {
	case c.verify <- struct{}{}:
		defer func() { <-c.verify }()
	case <-ctx.Done():
		return
	}
	now := c.now()
	wrong := page{T: t, CSRF: ck.Value, Message: t.Wrong, Here: "/console/signin"}
	locked := page{T: t, CSRF: ck.Value, Message: fmt.Sprintf(t.Locked, int(central.SignInLockout.Minutes())), Here: "/console/signin"}
	if lerr != nil {
		// Not a login anybody can hold: the same work and answer as for an
		// unknown one, without a row of failures for garbage.
		central.VerifyPassword(c.dummy, pw)
		c.render(w, http.StatusUnauthorized, "signin", wrong)
		return
	}
	if until, err := c.users.SignInLocked(ctx, login, now); err != nil {
		c.fail(w, r, err)
		return
	} else if !until.IsZero() {
		c.lockedAnswer(w, until, now, locked)
		return
	}
	hash, found := c.dummy, false
	u, err := c.users.UserByLogin(ctx, login)
	switch {
	case err == nil && u.DisabledAt.IsZero():
		hash, found = u.Hash, true
	case err != nil && !errors.Is(err, central.ErrNotFound):
		c.fail(w, r, err)
		return
	}
	if ok := central.VerifyPassword(hash, pw); !ok || !found {
		until, err := c.users.SignInFailed(ctx, login, now)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if !until.IsZero() {
			c.log.Warn("console sign-in locked after failures", "failures", central.SignInMaxFailures)
			c.lockedAnswer(w, until, now, locked)
			return
		}
		// No login in the log: it may be a person's name, or a password
		// typed in the wrong field.
		c.log.Info("console sign-in failed")
		c.render(w, http.StatusUnauthorized, "signin", wrong)
		return
	}
	if err := c.users.SignInSucceeded(ctx, login); err != nil {
		c.fail(w, r, err)
		return
	}
	id, err := central.NewSessionID()
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.users.AddSession(ctx, central.SessionRecord{Hash: central.HashSession(id), UserID: u.ID, CreatedAt: now, SeenAt: now}); err != nil {
		c.fail(w, r, err)
		return
	}
	// A session cookie held before is replaced: end its session too.
	if old, err := r.Cookie(SessionCookie); err == nil {
		if err := c.users.DeleteSession(ctx, central.HashSession(old.Value)); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	c.log.Info("console sign-in", "user", u.ID, "role", string(u.Role), "branch", u.Branch)
	http.SetCookie(w, cookie(SessionCookie, id))
	gone := cookie(SignInCookie, "")
	gone.MaxAge = -1
	http.SetCookie(w, gone)
	http.Redirect(w, r, homeURL(t.Lang), http.StatusSeeOther)
}

// lockedAnswer is the answer while a login is locked: the same for every
// login, held or not.
func (c *Console) lockedAnswer(w http.ResponseWriter, until, now time.Time, p page) {
	w.Header().Set("Retry-After", strconv.Itoa(int(until.Sub(now).Seconds()+1)))
	c.render(w, http.StatusTooManyRequests, "signin", p)
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request, s *session) {
	t := texts(r)
	if err := c.users.DeleteSession(r.Context(), central.HashSession(s.id)); err != nil {
		c.fail(w, r, err)
		return
	}
	c.log.Info("console sign-out", "user", s.user.ID)
	gone := cookie(SessionCookie, "")
	gone.MaxAge = -1
	http.SetCookie(w, gone)
	http.Redirect(w, r, signInURL(t.Lang), http.StatusSeeOther)
}

func (c *Console) chooseWindow(w http.ResponseWriter, r *http.Request, s *session) {
	t := texts(r)
	b, known := c.branches[s.user.Branch]
	n, err := strconv.Atoi(r.PostFormValue("window"))
	if !known || err != nil || n < 1 || n > max(b.Windows, 1) {
		c.render(w, http.StatusBadRequest, "message", page{T: t, Message: t.NoSuchWindow, Link: homeURL(t.Lang)})
		return
	}
	if k, ok := c.queue.(windowKeeper); ok {
		// Checked before the session takes the window, not with it: two
		// clerks choosing one window in the same instant may both get it,
		// and then act only on the visitors they call themselves.
		held, err := k.WindowHeld(r.Context(), s.user.Branch, n, s.user.ID)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if held != "" {
			c.render(w, http.StatusConflict, "message", page{T: t, Message: t.WindowTaken, Link: homeURL(t.Lang) + "&window=change"})
			return
		}
	}
	if err := c.users.SetSessionWindow(r.Context(), central.HashSession(s.id), n); err != nil {
		c.fail(w, r, err)
		return
	}
	c.log.Info("console window", "user", s.user.ID, "branch", s.user.Branch, "window", n)
	http.Redirect(w, r, homeURL(t.Lang), http.StatusSeeOther)
}

// windowKeeper tells whether another clerk works at a window: the
// *central.Server the console is mounted on.
type windowKeeper interface {
	WindowHeld(ctx context.Context, branch string, window int, user string) (string, error)
}

func (c *Console) css(w http.ResponseWriter, r *http.Request) {
	b, _ := files.ReadFile("static/console.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(b)
}

func (c *Console) js(w http.ResponseWriter, r *http.Request) {
	b, _ := files.ReadFile("static/console.js")
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(b)
}

// fail answers a failure of the store: 500, the cause in the log only.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	c.log.Error("console", "path", r.URL.Path, "err", err)
	t := texts(r)
	c.render(w, http.StatusInternalServerError, "message", page{T: t, Message: t.Failed, Link: homeURL(t.Lang)})
}

func (c *Console) render(w http.ResponseWriter, status int, name string, p page) {
	if p.Here == "" {
		p.Here = "/console/"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := c.pages.ExecuteTemplate(w, name, p); err != nil {
		c.log.Error("console template", "page", name, "err", err)
	}
}

// windows lists 1..n for the window picker.
func windows(n int) []int {
	out := make([]int, max(n, 1))
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func homeURL(lang string) string   { return "/console/?lang=" + url.QueryEscape(lang) }
func signInURL(lang string) string { return "/console/signin?lang=" + url.QueryEscape(lang) }
