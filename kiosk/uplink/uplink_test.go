package uplink_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// backend is a real central server on SQLite behind a loopback listener
// that the test can stop and start again on the same address.
type backend struct {
	t      *testing.T
	addr   string
	dbPath string
	ts     *httptest.Server
	wrap   func(http.Handler) http.Handler
	now    func() time.Time        // the server's clock; nil means time.Now
	hours  *config.Hours           // ALA-01's opening hours; nil means the demo's
	tokens map[central.Role]string // kiosk K-01's, ALA-01's clerk's and booking feed's
	kiosks map[string]string       // every kiosk's token, by id
}

func newBackend(t *testing.T) *backend {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	b := &backend{t: t, addr: addr, dbPath: filepath.Join(t.TempDir(), "central.db"), tokens: map[central.Role]string{}, kiosks: map[string]string{}}
	t.Cleanup(b.stop)
	// The tokens are in the database before the server first starts, so a
	// kiosk can be set up while the backend is still down.
	store, err := sqlite.Open(context.Background(), b.dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, k := range []string{"K-01", "K-02", "K-03"} { // central.Demo(3)
		b.kiosks[k] = storetest.Mint(t, store, central.RoleKiosk, "ALA-01", k)
	}
	b.tokens[central.RoleKiosk] = b.kiosks["K-01"]
	b.tokens[central.RoleClerk] = storetest.Mint(t, store, central.RoleClerk, "ALA-01", "")
	b.tokens[central.RoleBooking] = storetest.Mint(t, store, central.RoleBooking, "ALA-01", "")
	return b
}

// as is a client that sends the token of a role (kiosk K-01, or ALA-01's
// clerk or booking feed).
func (b *backend) as(role central.Role) *http.Client {
	return storetest.Bearer(http.DefaultClient, b.tokens[role])
}

// kiosk is a client that sends the token of kiosk id.
func (b *backend) kiosk(id string) *http.Client {
	return storetest.Bearer(http.DefaultClient, b.kiosks[id])
}

// kioskOptions are the uplink's options for kiosk id of this backend, with
// its token.
func (b *backend) kioskOptions(t *testing.T, id string) uplink.Options {
	o := b.options(t)
	o.KioskID, o.Client.Token = id, b.kiosks[id]
	return o
}

// options are the uplink's options for kiosk K-01 of this backend, with
// its token.
func (b *backend) options(t *testing.T) uplink.Options {
	o := options(t, b.url())
	o.Client.Token = b.tokens[central.RoleKiosk]
	return o
}

func (b *backend) url() string { return "http://" + b.addr }

func (b *backend) start() {
	b.t.Helper()
	store, err := sqlite.Open(context.Background(), b.dbPath, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	reg := central.Demo(3)
	if b.hours != nil {
		reg.Branches[0].Hours = b.hours
	}
	srv, err := central.NewServer(central.Options{Store: store, Registry: reg, Key: storetest.Key(), Now: b.now})
	if err != nil {
		b.t.Fatal(err)
	}
	var h http.Handler = srv
	if b.wrap != nil {
		h = b.wrap(h)
	}
	ln, err := net.Listen("tcp", b.addr)
	if err != nil {
		b.t.Fatal(err)
	}
	b.ts = httptest.NewUnstartedServer(h)
	b.ts.Listener.Close()
	b.ts.Listener = ln
	b.ts.Start()
	b.t.Cleanup(func() { store.Close() })
}

func (b *backend) stop() {
	if b.ts != nil {
		b.ts.CloseClientConnections()
		b.ts.Close()
		b.ts = nil
	}
}

func (b *backend) status(id string) (int, api.Status) {
	b.t.Helper()
	st, body := storetest.Do(b.t, http.DefaultClient, "GET", b.url()+"/v1/applications/"+id, nil)
	if st != http.StatusOK {
		return st, api.Status{}
	}
	return st, storetest.Decode[api.Status](b.t, body)
}

// options are the uplink's options for a kiosk of the backend at url. A
// live backend gets seconds to answer, as a kiosk gives it: these machines
// are shared and loaded, and a short wait would turn an answer into an
// offline ticket. Phases with the backend down use down.
func options(t *testing.T, url string) uplink.Options {
	key, err := uplink.LoadKey(filepath.Join(t.TempDir(), "outbox.key"), true)
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := time.LoadLocation("Asia/Almaty")
	return uplink.Options{
		Client:     uplink.ClientOptions{BaseURL: url, Timeout: 5 * time.Second, RetryBase: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond},
		OutboxPath: filepath.Join(t.TempDir(), "outbox.db"), OutboxKey: key,
		KioskID: "K-01", BranchID: "ALA-01", Zone: zone,
		SubmitWait: 5 * time.Second, LendSize: -1,
	}
}

// down are the options o for a phase with the backend down: nobody
// answers, so waiting is the point and a short wait will do.
func down(o uplink.Options) uplink.Options {
	o.SubmitWait = 50 * time.Millisecond
	return o
}

// reopen restarts the kiosk's uplink u with the options o (down while the
// backend is down, a live backend's otherwise); the outbox carries over.
func reopen(t *testing.T, u *uplink.Uplink, o uplink.Options) *uplink.Uplink {
	t.Helper()
	u.Close()
	return open(t, o)
}

func open(t *testing.T, o uplink.Options) *uplink.Uplink {
	u, err := uplink.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("uplink.Open: %v", err)
	}
	t.Cleanup(func() { u.Close() })
	return u
}

func application() api.Application {
	a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
	a.ID, a.KioskID, a.BranchID = "", "", "" // Submit fills them in
	return a
}

func depth(t *testing.T, u *uplink.Uplink) int {
	n, err := u.Depth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSubmitOnline(t *testing.T) {
	b := newBackend(t)
	b.start()
	u := open(t, b.options(t))
	r, err := u.Submit(context.Background(), application())
	if err != nil || r.Offline || r.Ticket.Number != "A001" {
		t.Fatalf("Submit = %+v, %v; want online A001", r, err)
	}
	if n := depth(t, u); n != 0 {
		t.Errorf("outbox depth after the ack = %d, want 0", n)
	}
	if st, s := b.status(r.Ticket.ApplicationID); st != 200 || s.Ticket.Number != "A001" {
		t.Errorf("server has %d %+v, want A001", st, s)
	}
}

func TestOfflineThenSync(t *testing.T) {
	b := newBackend(t) // not started: the network is down
	o := b.options(t)
	u := open(t, o)
	told(t, b, u)
	u = reopen(t, u, down(o))
	var got []uplink.Receipt
	for i := 0; i < 3; i++ {
		r, err := u.Submit(context.Background(), application())
		if err != nil {
			t.Fatalf("Submit while down: %v", err)
		}
		got = append(got, r)
	}
	for i, r := range got {
		if want := []string{"K001", "K002", "K003"}[i]; !r.Offline || r.Ticket.Number != want {
			t.Errorf("ticket %d while down = %+v, want offline %s", i, r, want)
		}
	}
	if n := depth(t, u); n != 3 {
		t.Fatalf("outbox depth while down = %d, want 3", n)
	}
	if n, err := u.Sync(context.Background()); n != 0 || !errors.Is(err, uplink.ErrUnreachable) {
		t.Errorf("Sync while down = %d, %v; want 0, ErrUnreachable", n, err)
	}
	b.start()
	u = reopen(t, u, o)
	if n, err := u.Sync(context.Background()); n != 3 || err != nil {
		t.Fatalf("Sync after the link returned = %d, %v; want 3, nil", n, err)
	}
	for _, r := range got {
		if st, s := b.status(r.Ticket.ApplicationID); st != 200 || s.Ticket.Number != r.Ticket.Number || !s.Ticket.Offline {
			t.Errorf("server has %d %+v, want offline %s", st, s.Ticket, r.Ticket.Number)
		}
	}
	if n := depth(t, u); n != 0 {
		t.Errorf("outbox depth after sync = %d, want 0", n)
	}
}

func TestLentNumbers(t *testing.T) {
	b := newBackend(t)
	b.start()
	o := b.options(t)
	o.LendSize = 4
	u := open(t, o)
	if _, err := u.Sync(context.Background()); err != nil {
		t.Fatalf("Sync (lend): %v", err)
	}
	online, err := u.Submit(context.Background(), application())
	if err != nil || online.Ticket.Number != "A005" {
		t.Fatalf("online after lending A001..A004 = %+v, %v; want A005", online.Ticket, err)
	}
	b.stop()
	u = reopen(t, u, down(o))
	pri := application()
	pri.Lane = api.LanePriority
	var got []string
	for _, a := range []api.Application{application(), application(), pri} {
		r, err := u.Submit(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Ticket.Number)
	}
	// Ordinary tickets take lent numbers; the priority lane has none lent.
	if want := "A001 A002 K001"; join(got) != want {
		t.Errorf("offline numbers = %s, want %s", join(got), want)
	}
	b.start()
	u = reopen(t, u, o)
	if n, err := u.Sync(context.Background()); n != 3 || err != nil {
		t.Fatalf("Sync = %d, %v; want 3", n, err)
	}
}

func join(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x)
	}
	return b.String()
}

// TestLostAnswer: the server stores the application but the answer never
// reaches the kiosk, which prints an offline number; on sync the server
// takes the printed number, so the visitor's paper is the one called.
func TestLostAnswer(t *testing.T) {
	b := newBackend(t)
	drop := make(chan struct{}, 1)
	b.wrap = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-drop:
				h.ServeHTTP(httptest.NewRecorder(), r) // stored, answer lost
				<-r.Context().Done()
			default:
				h.ServeHTTP(w, r)
			}
		})
	}
	b.start()
	o := b.options(t)
	// The one attempt hangs until SubmitWait ends: the wait is the point,
	// but the attempt must reach the server within it.
	o.SubmitWait = 2 * time.Second
	u := open(t, o)
	told(t, b, u)
	drop <- struct{}{}
	r, err := u.Submit(context.Background(), application())
	if err != nil || !r.Offline || r.Ticket.Number != "K001" {
		t.Fatalf("Submit with a lost answer = %+v, %v; want offline K001", r, err)
	}
	if st, s := b.status(r.Ticket.ApplicationID); st != 200 || s.Ticket.Number != "A001" {
		t.Fatalf("server before sync = %d %s, want A001", st, s.Ticket.Number)
	}
	if n, err := u.Sync(context.Background()); n != 1 || err != nil {
		t.Fatalf("Sync = %d, %v", n, err)
	}
	if _, s := b.status(r.Ticket.ApplicationID); s.Ticket.Number != "K001" {
		t.Errorf("server after sync = %s, want the printed K001", s.Ticket.Number)
	}
}

// TestRejected: a refusal of the application itself while the visitor
// waits (here a service the backend does not know) prints nothing, and
// nothing is kept.
func TestRejected(t *testing.T) {
	b := newBackend(t)
	b.start()
	u := open(t, b.options(t))
	a := application()
	a.Service = "no-such-service"
	_, err := u.Submit(context.Background(), a)
	var re *uplink.RejectedError
	if !errors.As(err, &re) || re.Status/100 != 4 || uplink.Retryable(strconv.Itoa(re.Status)) || !errors.Is(err, uplink.ErrRejected) {
		t.Fatalf("Submit for an unknown service = %v, want a 4xx about the application", err)
	}
	if n := depth(t, u); n != 0 {
		t.Errorf("depth after a rejection = %d, want 0 (wiped)", n)
	}
}

func TestInsecureURLs(t *testing.T) {
	cases := []struct {
		url  string
		tls  bool
		want error
	}{
		{"http://127.0.0.1:8080", false, nil},
		{"http://localhost:8080", false, nil},
		{"http://[::1]:8080", false, nil},
		{"http://192.0.2.10:8080", false, uplink.ErrInsecure},
		{"http://central.example.kz", false, uplink.ErrInsecure},
		{"https://central.example.kz", false, uplink.ErrInsecure},
		{"https://central.example.kz", true, nil},
	}
	for _, tc := range cases {
		o := uplink.ClientOptions{BaseURL: tc.url}
		if tc.tls {
			o.TLS = &tls.Config{Certificates: []tls.Certificate{{}}}
		}
		_, err := uplink.NewClient(o)
		if !errors.Is(err, tc.want) {
			t.Errorf("NewClient(%s, tls %v) = %v, want %v", tc.url, tc.tls, err, tc.want)
		}
	}
}

func TestOutboxSealedAndKeyGuarded(t *testing.T) {
	b := newBackend(t) // down: the application stays in the outbox
	o := b.options(t)
	uplinktest.Learn(t, o)
	u := open(t, down(o))
	a := application()
	a.Phone = "+77011234567"
	if _, err := u.Submit(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{o.OutboxPath, o.OutboxPath + "-wal"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, secret := range []string{"ERIKSSON", "L898902C3", "1974-08-12", "77011234567"} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s holds %q in the clear", filepath.Base(f), secret)
			}
		}
	}
	loose := filepath.Join(t.TempDir(), "loose.key")
	os.WriteFile(loose, bytes.Repeat([]byte("ab"), 32), 0o644)
	if _, err := uplink.LoadKey(loose, false); !errors.Is(err, uplink.ErrKey) {
		t.Errorf("LoadKey of a world-readable file = %v, want ErrKey", err)
	}
	if _, err := uplink.OpenOutbox(context.Background(), o.OutboxPath, bytes.Repeat([]byte{1}, 32)); err != nil {
		t.Fatal(err)
	} else {
		wrong, _ := uplink.OpenOutbox(context.Background(), o.OutboxPath, bytes.Repeat([]byte{1}, 32))
		defer wrong.Close()
		// What does not open is set aside, counted, never read.
		if p, err := wrong.Pending(context.Background(), 10); len(p) != 0 || err != nil {
			t.Errorf("Pending with another key = %d entries, %v; want none", len(p), err)
		}
		if c, err := wrong.Counts(context.Background()); c.QuarantinedBy[uplink.ReasonKeyReplaced] != 1 || err != nil {
			t.Errorf("Counts with another key = %+v, %v; want 1 key-replaced", c, err)
		}
	}
}

// TestMutualTLS: over https the kiosk's certificate must name the kiosk.
func TestMutualTLS(t *testing.T) {
	ca := storetest.NewCA(t)
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(2), Key: storetest.Key()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Issue(t, "127.0.0.1", false)}, ClientCAs: ca.Pool, ClientAuth: tls.RequireAndVerifyClientCert}
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures below are expected
	ts.StartTLS()
	t.Cleanup(func() { ts.Close(); store.Close() })
	cases := []struct {
		cn   string
		want int
	}{{"K-01", 201}, {"K-02", 403}}
	for _, tc := range cases {
		c, err := uplink.NewClient(uplink.ClientOptions{BaseURL: ts.URL, TLS: &tls.Config{
			RootCAs: ca.Pool, Certificates: []tls.Certificate{ca.Issue(t, tc.cn, true)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
		_, err = c.Submit(context.Background(), a)
		var re *uplink.RejectedError
		switch {
		case tc.want == 201 && err != nil:
			t.Errorf("certificate %s submitting for K-01 = %v, want a ticket", tc.cn, err)
		case tc.want == 403 && (!errors.As(err, &re) || re.Status != 403 || re.Body.Code != api.CodeForbidden):
			t.Errorf("certificate %s submitting for K-01 = %v, want 403 forbidden", tc.cn, err)
		}
		c.Close()
	}
	// No client certificate: the handshake fails, the client does not
	// retry forever.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	c, _ := uplink.NewClient(uplink.ClientOptions{BaseURL: ts.URL, TLS: &tls.Config{RootCAs: ca.Pool, GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
		return &tls.Certificate{}, nil
	}}, RetryBase: 10 * time.Millisecond})
	if _, err := c.Submit(ctx, storetest.Application("K-01", api.LaneOrdinary, time.Now())); !errors.Is(err, uplink.ErrUnreachable) {
		t.Errorf("without a client certificate = %v, want ErrUnreachable", err)
	}
}

func TestFromConfig(t *testing.T) {
	c := config.Default()
	c.Kiosk.StateDir = t.TempDir()
	c.Backend.OutboxKeyFile = filepath.Join(c.Kiosk.StateDir, "outbox.key")
	if _, err := uplink.FromConfig(c.Backend, c.Kiosk); !errors.Is(err, uplink.ErrKey) {
		t.Errorf("FromConfig without a key file = %v, want ErrKey", err)
	}
	if _, err := uplink.LoadKey(c.Backend.OutboxKeyFile, true); err != nil {
		t.Fatal(err)
	}
	o, err := uplink.FromConfig(c.Backend, c.Kiosk)
	if err != nil {
		t.Fatal(err)
	}
	if o.KioskID != c.Kiosk.ID || o.BranchID != c.Kiosk.Branch ||
		o.Zone.String() != "Asia/Almaty" || o.OutboxPath != filepath.Join(c.Kiosk.StateDir, "outbox.db") || len(o.OutboxKey) != 32 {
		t.Errorf("FromConfig(defaults) = %+v", o)
	}
	u := open(t, o) // the defaults open against the demo backend's URL
	if n := depth(t, u); n != 0 {
		t.Errorf("fresh outbox depth = %d", n)
	}
}

// TestTokenFile: the kiosk reads its token from backend.token_file, only
// from a file no one else can read, and sends it. Without it the backend
// does not know the kiosk (401); the visitor still gets an offline ticket,
// and the application waits in the outbox until the kiosk has its token.
func TestTokenFile(t *testing.T) {
	b := newBackend(t)
	b.start()
	c := config.Default()
	c.Kiosk.StateDir = t.TempDir()
	c.Backend.URL = b.url()
	c.Backend.OutboxKeyFile = filepath.Join(c.Kiosk.StateDir, "outbox.key")
	if _, err := uplink.LoadKey(c.Backend.OutboxKeyFile, true); err != nil {
		t.Fatal(err)
	}
	c.Backend.TokenFile = filepath.Join(c.Kiosk.StateDir, "kiosk.token")
	if err := os.WriteFile(c.Backend.TokenFile, []byte(b.tokens[central.RoleKiosk]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := uplink.FromConfig(c.Backend, c.Kiosk); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("FromConfig with a world-readable token file = %v, want refused", err)
	}
	os.Chmod(c.Backend.TokenFile, 0o600)
	o, err := uplink.FromConfig(c.Backend, c.Kiosk)
	if err != nil {
		t.Fatal(err)
	}
	if o.Client.Token != b.tokens[central.RoleKiosk] {
		t.Fatalf("FromConfig read token %q, want the file's", o.Client.Token)
	}
	token, wait := o.Client.Token, o.SubmitWait
	o.Client.Token = ""
	// The backend refuses the kiosk (401), which is retried until the
	// wait ends: the wait is the point.
	o.SubmitWait, o.LendSize = 300*time.Millisecond, -1
	uplinktest.Learn(t, o) // as from an earlier exchange: this one is refused
	u, err := uplink.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	r, err := u.Submit(context.Background(), application())
	if err != nil || !r.Offline {
		t.Fatalf("Submit without the token = %+v, %v; want an offline ticket", r, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	if _, err := u.Sync(ctx); !errors.Is(err, uplink.ErrUnreachable) || !strings.Contains(err.Error(), "401") {
		t.Errorf("Sync without the token = %v, want unreachable, saying 401", err)
	}
	cancel()
	if n := depth(t, u); n != 1 {
		t.Errorf("depth without the token = %d, want 1: the application is kept", n)
	}
	u.Close()
	o.Client.Token, o.SubmitWait = token, wait
	u = open(t, o)
	if n, err := u.Sync(context.Background()); n != 1 || err != nil {
		t.Errorf("Sync with the token = %d, %v; want 1 delivered", n, err)
	}
	if st, s := b.status(r.Ticket.ApplicationID); st != http.StatusOK || s.Ticket.Number != r.Ticket.Number {
		t.Errorf("the backend has %d %+v, want the offline %s", st, s.Ticket, r.Ticket.Number)
	}
}
