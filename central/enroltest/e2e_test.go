// Package enroltest runs a kiosk's enrolment end to end: the real central
// server (its kiosk CA, one-time codes, SQLite store and certificate
// revocation) and the real kiosk side (kiosk/enrol and the uplink's mutual
// TLS), together on loopback. Each side's own tests use a stand-in for the
// other; this one checks that they agree.
package enroltest

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// The box's DMI product UUID, as the fake /sys gives it; HardwareID
// reports it in upper case.
const productUUID = "4c4c4544-0042-3510-8051-b4c04f564433"

// backend is a central server as "central serve --tls-cert --tls-key
// --kiosk-ca DIR" runs it, on a loopback port of its own.
type backend struct {
	url    string
	caFile string // the CA of the server's TLS certificate, for backend.ca_cert
	db     string
	key    []byte // the server's key, as "central kiosk enrol" loads it
	srv    *central.Server
	store  central.Store
	clock  *storetest.Clock
	log    *lockedBuffer
}

// startBackend makes a kiosk CA as "central kiosk ca init" does, and
// serves the demo registry (branch ALA-01, kiosks K-01 and K-02) over TLS
// with it as cmd/central does: the server's key beside a SQLite database,
// the kiosk CA trusted for client certificates shown, the default token
// and certificate cache. The clock starts at the real time, because the
// TLS handshakes check the issued certificates against it.
func startBackend(t *testing.T) *backend {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	b := &backend{db: filepath.Join(dir, "central.db"), clock: storetest.NewClock(time.Now().Truncate(time.Second)), log: &lockedBuffer{}}
	log := slog.New(slog.NewTextHandler(b.log, &slog.HandlerOptions{Level: slog.LevelDebug}))

	caDir := filepath.Join(dir, "kiosk-ca")
	if _, err := central.InitKioskCA(caDir, time.Now()); err != nil {
		t.Fatalf("kiosk ca init: %v", err)
	}
	kca, err := central.LoadKioskCA(caDir)
	if err != nil {
		t.Fatalf("serve --kiosk-ca: %v", err)
	}
	if b.key, err = central.LoadKey(b.db+".key", true); err != nil {
		t.Fatalf("server key: %v", err)
	}
	if b.store, err = sqlite.Open(ctx, b.db, log); err != nil {
		t.Fatalf("open store: %v", err)
	}
	b.srv, err = central.NewServer(central.Options{Store: b.store, Registry: central.Demo(2), Key: b.key, Logger: log,
		Now: b.clock.Now, KioskCA: kca})
	if err != nil {
		b.store.Close()
		t.Fatalf("NewServer: %v", err)
	}

	tlsCA := storetest.NewCA(t)
	conf := &tls.Config{Certificates: []tls.Certificate{tlsCA.Issue(t, "127.0.0.1", false)}, MinVersion: tls.VersionTLS12}
	// As cmd/central's trustKioskCA: a kiosk may show the certificate the
	// kiosk CA signed; clients without one (an enrolling kiosk) pass.
	conf.ClientCAs = x509.NewCertPool()
	conf.ClientCAs.AddCert(kca.Certificate())
	conf.ClientAuth = tls.VerifyClientCertIfGiven
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.srv.Close()
		b.store.Close()
		t.Fatalf("listen: %v", err)
	}
	hs := central.NewHTTPServer(b.srv, central.HTTPOptions{TLSConfig: conf, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)})
	done := make(chan error, 1)
	go func() { done <- hs.ServeTLS(ln, "", "") }()
	t.Cleanup(func() {
		hs.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
		b.srv.Close()
		b.store.Close()
	})
	b.url = "https://" + ln.Addr().String()

	b.caFile = filepath.Join(dir, "backend-ca.pem")
	if err := os.WriteFile(b.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsCA.Cert.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

// supervisorCode makes a code as the supervisor's page does.
func (b *backend) supervisorCode(t *testing.T, kiosk string) string {
	t.Helper()
	code, _, err := b.srv.NewEnrolCode(context.Background(), "u-supervisor", "ALA-01", kiosk)
	if err != nil {
		t.Fatalf("code for %s from the supervisor's page: %v", kiosk, err)
	}
	return code
}

// cliCode makes a code as "central kiosk enrol --db DB --branch ALA-01
// --kiosk ID --ttl TTL" does at the moment now: through the store and the
// server's key file, not the running server.
func (b *backend) cliCode(t *testing.T, kiosk string, ttl time.Duration, now time.Time) string {
	t.Helper()
	ctx := context.Background()
	key, err := central.LoadKey(b.db+".key", true)
	if err != nil {
		t.Fatalf("central kiosk enrol: %v", err)
	}
	code, rec, err := central.MintEnrolCode(ctx, b.store, key, "ALA-01", kiosk, ttl, now)
	if err != nil {
		t.Fatalf("central kiosk enrol --kiosk %s: %v", kiosk, err)
	}
	if err := central.AuditEnrolCodeMade(ctx, b.store, rec); err != nil {
		t.Fatalf("central kiosk enrol --kiosk %s: audit: %v", kiosk, err)
	}
	return code
}

// kioskState is the kiosk as the supervisor's overview shows it.
func (b *backend) kioskState(t *testing.T, kiosk string) central.KioskState {
	t.Helper()
	o, err := b.srv.BranchOverview(context.Background(), "ALA-01")
	if err != nil {
		t.Fatalf("BranchOverview: %v", err)
	}
	for _, k := range o.Kiosks {
		if k.ID == kiosk {
			return k
		}
	}
	t.Fatalf("the overview of ALA-01 lists no kiosk %s: %+v", kiosk, o.Kiosks)
	return central.KioskState{}
}

// kioskBox is one enrolling kiosk: its configuration as the image ships
// it (backend.enrol on, no kiosk id or branch), its state folder and a
// /sys that gives its hardware id.
type kioskBox struct {
	cfg  *config.Config
	root string
	log  *lockedBuffer
}

func newKioskBox(t *testing.T, b *backend) *kioskBox {
	t.Helper()
	cfg := config.Default()
	cfg.Kiosk.StateDir = t.TempDir()
	cfg.Kiosk.ID, cfg.Kiosk.Branch = "", ""
	cfg.Backend.Enrol = true
	cfg.Backend.URL, cfg.Backend.CACert = b.url, b.caFile
	root := t.TempDir()
	dmi := filepath.Join(root, "sys", "class", "dmi", "id")
	if err := os.MkdirAll(dmi, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dmi, "product_uuid"), []byte(productUUID+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &kioskBox{cfg: cfg, root: root, log: &lockedBuffer{}}
}

// enrol does what "kiosk enrol --root ROOT --code CODE" does.
func (k *kioskBox) enrol(ctx context.Context, code string) (*enrol.Identity, error) {
	hwid, err := enrol.HardwareID(k.root)
	if err != nil {
		return nil, err
	}
	co, err := enrol.ClientFromConfig(k.cfg, hwid)
	if err != nil {
		return nil, err
	}
	co.Logger = slog.New(slog.NewTextHandler(k.log, nil))
	c, err := enrol.NewClient(co)
	if err != nil {
		return nil, err
	}
	return enrol.Enrol(ctx, c, code)
}

// uplink is the uplink client "kiosk run" builds at its start: the stored
// identity applied to a fresh copy of the configuration. It returns the
// kiosk id the configuration then has. onLog, if not nil, is called with
// each record the client logs (its retries).
func (k *kioskBox) uplink(t *testing.T, onLog func()) (*uplink.Client, string) {
	t.Helper()
	cfg := *k.cfg
	id, err := enrol.Load(enrol.Dir(cfg.Kiosk))
	if err != nil {
		t.Fatalf("load identity: %v", err)
	}
	if err := enrol.Apply(&cfg, id); err != nil {
		t.Fatalf("apply identity: %v", err)
	}
	co, err := uplink.ClientFromConfig(cfg.Backend)
	if err != nil {
		t.Fatalf("uplink options: %v", err)
	}
	co.Timeout, co.RetryBase, co.RetryMax = 5*time.Second, 10*time.Millisecond, 50*time.Millisecond
	var h slog.Handler = slog.NewTextHandler(k.log, &slog.HandlerOptions{Level: slog.LevelDebug})
	if onLog != nil {
		h = hook{h, onLog}
	}
	co.Logger = slog.New(h)
	up, err := uplink.NewClient(co)
	if err != nil {
		t.Fatalf("uplink client: %v", err)
	}
	t.Cleanup(up.Close)
	return up, cfg.Kiosk.ID
}

// certSerial is the serial of the identity's certificate, as central
// stores it.
func (k *kioskBox) certSerial(t *testing.T) string {
	t.Helper()
	id, err := enrol.Load(enrol.Dir(k.cfg.Kiosk))
	if err != nil {
		t.Fatalf("load identity: %v", err)
	}
	pair, err := tls.LoadX509KeyPair(id.CertFile(), id.KeyFile())
	if err != nil {
		t.Fatalf("identity's key pair: %v", err)
	}
	return central.SerialText(pair.Leaf.SerialNumber)
}

// heartbeat sends one heartbeat through up and returns central's status:
// 204 when it was taken. up must log through stop (kioskBox.uplink with
// stop.stop): the uplink retries a 401 until its context ends, so its
// first retry ends the context, and the answer that caused the retry is
// returned. The deadline only bounds a test gone wrong.
func heartbeat(t *testing.T, up *uplink.Client, stop *stopper, kiosk, version string, at time.Time) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stop.set(cancel)
	err := up.Heartbeat(ctx, kiosk, api.Heartbeat{Version: version, Devices: []api.Device{}, Paper: "ok", At: at})
	if err == nil {
		return http.StatusNoContent
	}
	if ae := (*uplink.AnswerError)(nil); errors.As(err, &ae) && ae.Status != 0 {
		return ae.Status
	}
	if re := (*uplink.RejectedError)(nil); errors.As(err, &re) {
		return re.Status
	}
	t.Fatalf("heartbeat of %s: no answer: %v", kiosk, err)
	return 0
}

// TestEnrolEndToEnd: a kiosk enrols with a code from the supervisor's
// page and the real central, and its identity then authenticates the
// kiosk's uplink over mutual TLS: central takes its heartbeat and its
// application as that kiosk's, in its branch. A used, wrong, expired or
// replaced code is refused (403) and leaves the identity as it was.
// Enrolling again with a code from the command line gives a certificate
// that works while the old one is refused at once (401); a revocation in
// the store ("central kiosk revoke") shuts the kiosk out once the
// server's cache time has passed. No code and no applicant's data reach
// either side's log.
func TestEnrolEndToEnd(t *testing.T) {
	ctx := context.Background()
	b := startBackend(t)
	k := newKioskBox(t, b)
	dir := enrol.Dir(k.cfg.Kiosk)
	if _, err := enrol.Load(dir); !errors.Is(err, enrol.ErrNotEnrolled) {
		t.Fatalf("a new kiosk's identity: %v, want ErrNotEnrolled", err)
	}

	// Enrol with the supervisor's code, typed with spaces.
	code1 := b.supervisorCode(t, "K-01")
	id, err := k.enrol(ctx, strings.ReplaceAll(code1, "-", " "))
	if err != nil {
		t.Fatalf("enrol with the supervisor's code: %v", err)
	}
	wantHW := strings.ToUpper(productUUID)
	if id.KioskID != "K-01" || id.Branch != "ALA-01" || id.HardwareID != wantHW {
		t.Errorf("identity = %+v, want K-01 of ALA-01 on %s", id, wantHW)
	}
	serial1 := k.certSerial(t)
	certs, err := b.store.KioskCerts(ctx)
	if err != nil {
		t.Fatalf("KioskCerts: %v", err)
	}
	if len(certs) != 1 || certs[0].Serial != serial1 || certs[0].Kiosk != "K-01" || certs[0].Branch != "ALA-01" ||
		certs[0].HardwareID != wantHW || !certs[0].RevokedAt.IsZero() {
		t.Errorf("central's certificates = %+v, want the kiosk's one, serial %s, current, with its hardware id", certs, serial1)
	}

	// The uplink of "kiosk run" with that identity: a heartbeat and an
	// application, as K-01 of ALA-01.
	stop1 := &stopper{}
	up1, kioskID := k.uplink(t, stop1.stop)
	if kioskID != "K-01" {
		t.Fatalf("kiosk.id after applying the identity = %q, want K-01", kioskID)
	}
	if st := heartbeat(t, up1, stop1, kioskID, "e2e-1", b.clock.Now()); st != http.StatusNoContent {
		t.Fatalf("heartbeat over mutual TLS = %d, want 204", st)
	}
	if ks := b.kioskState(t, "K-01"); ks.Seen.IsZero() || !ks.Online || ks.Heartbeat.Version != "e2e-1" {
		t.Errorf("K-01 in the supervisor's overview = %+v, want online with heartbeat e2e-1", ks)
	}
	if ks := b.kioskState(t, "K-02"); !ks.Seen.IsZero() {
		t.Errorf("K-02 in the supervisor's overview = %+v, want never seen", ks)
	}
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	app := storetest.Application(kioskID, api.LaneOrdinary, b.clock.Now())
	ticket, err := up1.Submit(sctx, app)
	if err != nil {
		t.Fatalf("submit over mutual TLS: %v", err)
	}
	if ticket.ApplicationID != app.ID || ticket.BranchID != "ALA-01" || ticket.Number == "" || ticket.Offline {
		t.Errorf("ticket = %+v, want an online ticket of ALA-01 for application %s", ticket, app.ID)
	}

	// Codes that do not work: refused alike, the identity untouched.
	for _, tc := range []struct {
		name string
		code string
	}{
		{"same code again", code1},
		{"wrong code", "0000-0000-0001"},
		// Made an hour ago with --ttl 1m; K-02's only code.
		{"expired code", b.cliCode(t, "K-02", time.Minute, b.clock.Now().Add(-time.Hour))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := k.enrol(ctx, tc.code)
			if ae := (*enrol.AnswerError)(nil); !errors.Is(err, enrol.ErrCodeRefused) || !errors.As(err, &ae) || ae.Status != http.StatusForbidden {
				t.Errorf("enrol = %v, want ErrCodeRefused from a 403", err)
			}
			if s := k.certSerial(t); s != serial1 {
				t.Errorf("identity's certificate %s after a refused code, want %s still", s, serial1)
			}
		})
	}

	// A newer code replaces the kiosk's earlier one.
	replaced := b.supervisorCode(t, "K-01")
	code2 := b.cliCode(t, "K-01", central.DefaultEnrolTTL, b.clock.Now())
	if _, err := k.enrol(ctx, replaced); !errors.Is(err, enrol.ErrCodeRefused) {
		t.Errorf("enrol with a replaced code = %v, want ErrCodeRefused", err)
	}

	// Enrol again: the new certificate works, the old one is refused at
	// once although the server caches certificates (this server's own
	// enrolment clears its cache).
	id2, err := k.enrol(ctx, code2)
	if err != nil {
		t.Fatalf("enrol again with the command line's code: %v", err)
	}
	serial2 := k.certSerial(t)
	if id2.KioskID != "K-01" || id2.Branch != "ALA-01" || serial2 == serial1 {
		t.Errorf("second identity = %+v with serial %s, want K-01 of ALA-01 with a new certificate (old %s)", id2, serial2, serial1)
	}
	stop2 := &stopper{}
	up2, _ := k.uplink(t, stop2.stop)
	if st := heartbeat(t, up2, stop2, "K-01", "e2e-2", b.clock.Now()); st != http.StatusNoContent {
		t.Errorf("heartbeat with the new certificate = %d, want 204", st)
	}
	if st := heartbeat(t, up1, stop1, "K-01", "e2e-old", b.clock.Now()); st != http.StatusUnauthorized {
		t.Errorf("heartbeat with the old certificate = %d, want 401", st)
	}
	if ks := b.kioskState(t, "K-01"); ks.Heartbeat.Version != "e2e-2" {
		t.Errorf("K-01's last heartbeat = %q, want e2e-2 (the old certificate's was refused)", ks.Heartbeat.Version)
	}
	certs, err = b.store.KioskCerts(ctx)
	if err != nil {
		t.Fatalf("KioskCerts: %v", err)
	}
	// Both were issued within the second: their order is not the test's.
	revoked := map[string]bool{}
	for _, c := range certs {
		revoked[c.Serial] = !c.RevokedAt.IsZero()
	}
	if r2, ok := revoked[serial2]; len(certs) != 2 || !revoked[serial1] || !ok || r2 {
		t.Errorf("central's certificates = %+v, want %s revoked and %s current", certs, serial1, serial2)
	}

	// "central kiosk revoke" in another process: the server may trust its
	// cache for DefaultTokenCache; past that the certificate is refused.
	if n, err := b.store.RevokeKioskCerts(ctx, "K-01", time.Now()); n != 1 || err != nil {
		t.Fatalf("RevokeKioskCerts = %d, %v; want 1", n, err)
	}
	b.clock.Set(b.clock.Now().Add(central.DefaultTokenCache + time.Second))
	if st := heartbeat(t, up2, stop2, "K-01", "e2e-revoked", b.clock.Now()); st != http.StatusUnauthorized {
		t.Errorf("heartbeat with a revoked certificate after the cache's time = %d, want 401", st)
	}

	// The logs: the codes were the credentials, the application's
	// applicant is a person.
	secrets := []string{app.Applicant.DocumentNumber, app.Applicant.Latin.Surname}
	for _, c := range []string{code1, replaced, code2} {
		secrets = append(secrets, c, strings.ReplaceAll(c, "-", ""))
	}
	for name, log := range map[string]string{"central": b.log.String(), "kiosk": k.log.String()} {
		if log == "" {
			t.Errorf("the %s log is empty; the check below would prove nothing", name)
		}
		for _, s := range secrets {
			if strings.Contains(log, s) {
				t.Errorf("the %s log holds %q", name, s)
			}
		}
	}
}

// stopper ends the context of the call under way when the uplink logs a
// retry.
type stopper struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

func (s *stopper) set(cancel context.CancelFunc) {
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
}

func (s *stopper) stop() {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
}

// hook is a slog.Handler that calls fn for each record it handles.
type hook struct {
	slog.Handler
	fn func()
}

func (h hook) Handle(ctx context.Context, r slog.Record) error {
	h.fn()
	return h.Handler.Handle(ctx, r)
}

func (h hook) WithAttrs(as []slog.Attr) slog.Handler { return hook{h.Handler.WithAttrs(as), h.fn} }
func (h hook) WithGroup(name string) slog.Handler    { return hook{h.Handler.WithGroup(name), h.fn} }

// lockedBuffer is a log's buffer that the server's goroutines may write
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
