package central

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode"

	"github.com/hcsc-kz/kiosk/central/api"
)

// The audit log's enrolment actions. Their entries name the kiosk in
// Number and no ticket.
const (
	AuditEnrolCode = "enrolment code" // a code was made for a kiosk
	AuditEnrolled  = "enrolled"       // a kiosk enrolled with a code and got its certificate
)

// AuditCLI is the audit entries' User for what the command line did
// (central kiosk enrol), where no console user acts.
const AuditCLI = "cli"

// The limit on wrong enrolment codes: an address that sent EnrolGuesses
// wrong codes within EnrolGuessWindow is refused (429) until the window
// ends. Twelve digits at ten guesses per ten minutes take millennia.
const (
	EnrolGuesses     = 10
	EnrolGuessWindow = 10 * time.Minute
)

// maxHardwareID bounds the hardware id a kiosk reports.
const maxHardwareID = 128

// enroller is the server's part of kiosk enrolment.
type enroller struct {
	ca      *KioskCA // nil: codes can be made, but no kiosk can enrol
	codeKey []byte
	guesses *guessLimit
	serials *serialCache
}

func newEnroller(ca *KioskCA, key []byte, cacheTTL time.Duration) *enroller {
	return &enroller{ca: ca, codeKey: enrolCodeKey(key), guesses: newGuessLimit(), serials: newSerialCache(cacheTTL)}
}

// badCode is the one answer to an unknown, used or expired code: it says
// nothing of which, so codes cannot be probed.
func badCode() *httpError {
	return fail(http.StatusForbidden, api.CodeForbidden, "this enrolment code does not work: it is mistyped, used or expired; ask the supervisor for a new one")
}

// enrolKiosk is POST /v1/enrol: the code is the credential.
func (s *Server) enrolKiosk(w http.ResponseWriter, r *http.Request) (int, any, error) {
	e := s.enrol
	host := remoteHost(r)
	now := s.now()
	if e.ca == nil {
		// Before anything else: a server that cannot enrol says so to
		// every request alike, whatever its code.
		return 0, nil, fail(http.StatusServiceUnavailable, api.CodeUnavailable, "this server has no kiosk CA; start it with central serve --kiosk-ca DIR")
	}
	if wait := e.guesses.wait(host, now); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return 0, nil, fail(http.StatusTooManyRequests, api.CodeTooMany,
			fmt.Sprintf("too many wrong codes from this address; try again in %d minutes", int(wait.Minutes())+1))
	}
	var req api.EnrolRequest
	if err := decode(w, r, &req); err != nil {
		return 0, nil, err
	}
	csr, err := ParseCSR(req.CSR)
	if err != nil {
		return 0, nil, &httpError{http.StatusBadRequest, api.Error{Code: api.CodeMalformed,
			Message: "csr: send a PEM certificate request signed by the kiosk's own key, ECDSA P-256 or P-384, or ed25519"}, err}
	}
	if !printable(req.HardwareID) {
		return 0, nil, malformed("hardwareId: at most %d printable characters", maxHardwareID)
	}
	digits, ok := normalEnrolCode(req.Code)
	var code EnrolCode
	hash := enrolCodeHash(e.codeKey, digits)
	if ok {
		code, err = s.store.EnrolCodeByHash(r.Context(), hash, now)
	}
	if !ok || errors.Is(err, ErrNotFound) {
		e.guesses.failed(host, now)
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "enrolment refused: wrong code", slog.String("remote", host))
		return 0, nil, badCode()
	}
	if err != nil {
		return 0, nil, err
	}
	if b := s.kiosks[code.Kiosk]; b == nil || b.ID != code.Branch {
		return 0, nil, fail(http.StatusForbidden, api.CodeUnknownKiosk,
			fmt.Sprintf("the code is for kiosk %s of %s, which the registry does not list there; add it to the registry and restart", code.Kiosk, code.Branch))
	}
	cert, err := e.ca.issue(csr, code.Kiosk, code.Branch, now)
	if err != nil {
		return 0, nil, err
	}
	rec := KioskCert{Serial: SerialText(cert.SerialNumber), Kiosk: code.Kiosk, Branch: code.Branch, HardwareID: req.HardwareID,
		IssuedAt: now.UTC(), NotAfter: cert.NotAfter.UTC()}
	if err := s.store.Enrol(r.Context(), hash, rec); errors.Is(err, ErrNotFound) {
		// Another request used the code since it was read.
		return 0, nil, badCode()
	} else if err != nil {
		return 0, nil, err
	}
	e.serials.forget(code.Kiosk)
	s.audit(r.Context(), AuditEntry{At: now, User: "kiosk:" + code.Kiosk, Branch: code.Branch, Action: AuditEnrolled, Number: code.Kiosk})
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "kiosk enrolled", slog.String("kiosk", code.Kiosk), slog.String("branch", code.Branch),
		slog.String("serial", rec.Serial), slog.String("remote", host))
	return http.StatusCreated, api.Enrolment{KioskID: code.Kiosk, Branch: code.Branch,
		Certificate: string(pemCert(cert.Raw)), CA: string(e.ca.PEM()), NotAfter: rec.NotAfter}, nil
}

// printable: a hardware id is short and has no control or format
// characters, so it can be listed as it is.
func printable(s string) bool {
	if len(s) > maxHardwareID {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// remoteHost is the request's remote address without its port. Behind a
// reverse proxy every kiosk has the proxy's address, and shares its limit.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// NewEnrolCode makes a one-time code (DefaultEnrolTTL) that enrols the
// kiosk in branch, for the supervisor page, under user in the audit log.
// It returns the code, grouped for reading, and its expiry in the
// branch's zone. The entry is stored first, as an export's is: a code
// nobody can trace is not made. Errors: ErrNotFound when the registry has
// no such kiosk in the branch; ErrNotAudited.
func (s *Server) NewEnrolCode(ctx context.Context, user, branch, kiosk string) (string, time.Time, error) {
	b := s.kiosks[kiosk]
	if b == nil || b.ID != branch {
		return "", time.Time{}, fmt.Errorf("central: kiosk %s of %s: %w", kiosk, branch, ErrNotFound)
	}
	now := s.now()
	if _, err := s.store.AddAudit(ctx, AuditEntry{ID: api.NewID(), At: now, User: user, Branch: branch, Action: AuditEnrolCode, Number: kiosk}); err != nil {
		s.log.LogAttrs(ctx, slog.LevelError, "audit entry not stored", slog.String("user", user), slog.String("action", AuditEnrolCode),
			slog.String("branch", branch), slog.Any("err", err))
		return "", time.Time{}, fmt.Errorf("%w: %w", ErrNotAudited, err)
	}
	code, rec, err := mintEnrolCode(ctx, s.store, s.enrol.codeKey, branch, kiosk, DefaultEnrolTTL, now)
	if err != nil {
		return "", time.Time{}, err
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "audit", slog.String("user", user), slog.String("action", AuditEnrolCode),
		slog.String("branch", branch), slog.String("kiosk", kiosk))
	return code, rec.ExpiresAt.In(b.loc), nil
}

// AuditEnrolCodeMade records in the audit log a code the command line
// made (central kiosk enrol), under AuditCLI.
func AuditEnrolCodeMade(ctx context.Context, store Store, c EnrolCode) error {
	_, err := store.AddAudit(ctx, AuditEntry{ID: api.NewID(), At: c.CreatedAt, User: AuditCLI, Branch: c.Branch, Action: AuditEnrolCode, Number: c.Kiosk})
	return err
}

// kioskCertCurrent checks a verified client certificate: one the kiosk CA
// signed is accepted only while it is its kiosk's current certificate, so
// that enrolling again or "central kiosk revoke" shuts the old one out.
// Certificates of another client CA (--client-ca) are not the enrolment's
// and pass as before.
func (s *Server) kioskCertCurrent(ctx context.Context, st *tls.ConnectionState, kiosk string) error {
	e := s.enrol
	if e.ca == nil {
		return nil
	}
	leaf := st.PeerCertificates[0]
	if !e.ca.signed(leaf) {
		return nil
	}
	serial, err := e.serials.current(ctx, s.store, s.now(), kiosk)
	if errors.Is(err, ErrNotFound) {
		return unauthorized(`Bearer realm="central"`)
	}
	if err != nil {
		return fmt.Errorf("central: kiosk certificate look-up: %w", err)
	}
	if serial != SerialText(leaf.SerialNumber) {
		return unauthorized(`Bearer realm="central"`)
	}
	return nil
}

// serialCache remembers each kiosk's current serial for a while (the token
// cache's time), so that a busy kiosk does not cost a look-up per request.
// This server's own enrolments take effect at once; another process's
// (or "central kiosk revoke") within the cache's time.
type serialCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cachedSerial
}

type cachedSerial struct {
	serial string
	until  time.Time
}

func newSerialCache(ttl time.Duration) *serialCache {
	return &serialCache{ttl: ttl, m: map[string]cachedSerial{}}
}

func (c *serialCache) current(ctx context.Context, es EnrolStore, now time.Time, kiosk string) (string, error) {
	if c.ttl > 0 {
		c.mu.Lock()
		v, ok := c.m[kiosk]
		c.mu.Unlock()
		if ok && now.Before(v.until) {
			return v.serial, nil
		}
	}
	cert, err := es.CurrentKioskCert(ctx, kiosk)
	if err != nil {
		return "", err
	}
	if c.ttl > 0 {
		c.mu.Lock()
		if len(c.m) >= maxCachedTokens {
			clear(c.m)
		}
		c.m[kiosk] = cachedSerial{serial: cert.Serial, until: now.Add(c.ttl)}
		c.mu.Unlock()
	}
	return cert.Serial, nil
}

func (c *serialCache) forget(kiosk string) {
	c.mu.Lock()
	delete(c.m, kiosk)
	c.mu.Unlock()
}

// guessLimit counts each address's wrong codes in fixed windows.
type guessLimit struct {
	mu sync.Mutex
	m  map[string]guessWindow
}

type guessWindow struct {
	start time.Time
	n     int
}

// maxGuessers bounds the addresses remembered; past it the expired
// windows are dropped, and if none has, all are.
const maxGuessers = 10000

func newGuessLimit() *guessLimit { return &guessLimit{m: map[string]guessWindow{}} }

// wait is how long host must wait before it may guess again; 0 when it may.
func (g *guessLimit) wait(host string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	w, ok := g.m[host]
	if !ok || now.Sub(w.start) >= EnrolGuessWindow {
		return 0
	}
	if w.n < EnrolGuesses {
		return 0
	}
	return w.start.Add(EnrolGuessWindow).Sub(now)
}

// failed counts a wrong code from host.
func (g *guessLimit) failed(host string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	w, ok := g.m[host]
	if !ok || now.Sub(w.start) >= EnrolGuessWindow {
		if !ok && len(g.m) >= maxGuessers {
			for h, o := range g.m {
				if now.Sub(o.start) >= EnrolGuessWindow {
					delete(g.m, h)
				}
			}
			if len(g.m) >= maxGuessers {
				clear(g.m)
			}
		}
		w = guessWindow{start: now}
	}
	w.n++
	g.m[host] = w
}
