package central_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// enrolServer is a server with a kiosk CA behind TLS that verifies a
// client certificate of the kiosk CA or of the test's other CA (the
// --client-ca of before) when one is shown.
type enrolServer struct {
	*httptest.Server
	srv   *central.Server
	store central.Store
	clock *storetest.Clock
	ca    *storetest.CA // the server's certificate and the other client CA
	kca   *central.KioskCA
}

// startEnrol serves the demo registry (ALA-01, K-01, K-02) with a kiosk
// CA. The clock starts at the real time, because the TLS handshakes check
// the issued certificates against it. tokenCache is Options.TokenCache.
func startEnrol(t *testing.T, tokenCache time.Duration) *enrolServer {
	t.Helper()
	store := newStore(t)
	clock := storetest.NewClock(time.Now().Truncate(time.Second))
	kca, err := central.InitKioskCA(t.TempDir(), clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(2), Key: storetest.Key(), Now: clock.Now,
		KioskCA: kca, TokenCache: tokenCache})
	if err != nil {
		t.Fatal(err)
	}
	ca := storetest.NewCA(t)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	pool.AddCert(kca.Certificate())
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Issue(t, "127.0.0.1", false)}, ClientCAs: pool, ClientAuth: tls.VerifyClientCertIfGiven}
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(func() { srv.Close(); ts.Close(); store.Close() })
	return &enrolServer{Server: ts, srv: srv, store: store, clock: clock, ca: ca, kca: kca}
}

// client is an HTTPS client that trusts the server and shows cert, if any,
// from the local address from ("" for any).
func (es *enrolServer) client(t *testing.T, cert *tls.Certificate, from string) *http.Client {
	t.Helper()
	conf := &tls.Config{RootCAs: es.ca.Pool}
	if cert != nil {
		conf.Certificates = []tls.Certificate{*cert}
	}
	tr := &http.Transport{TLSClientConfig: conf}
	if from != "" {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
		tr.DialContext = d.DialContext
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// code makes a code for a kiosk of ALA-01 as the supervisor page does.
func (es *enrolServer) code(t *testing.T, kiosk string) string {
	t.Helper()
	code, _, err := es.srv.NewEnrolCode(context.Background(), "u-super", "ALA-01", kiosk)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// csr makes a key and its certificate request, as the kiosk does.
func csr(t *testing.T, key crypto.Signer) string {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "whatever the kiosk says"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func p256(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// enrol sends an enrolment with a fresh P-256 key and returns the answer
// and the key, as a tls.Certificate when it succeeded.
func (es *enrolServer) enrol(t *testing.T, c *http.Client, code string) (int, []byte, *tls.Certificate) {
	t.Helper()
	key := p256(t)
	st, b := storetest.Do(t, c, "POST", es.URL+"/v1/enrol", api.EnrolRequest{Code: code, HardwareID: "dmi:TEST-1", CSR: csr(t, key)})
	if st != http.StatusCreated {
		return st, b, nil
	}
	e := storetest.Decode[api.Enrolment](t, b)
	blk, _ := pem.Decode([]byte(e.Certificate))
	if blk == nil {
		t.Fatalf("enrolment certificate is not PEM: %q", e.Certificate)
	}
	return st, b, &tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key}
}

// heartbeat sends kiosk's heartbeat with the client.
func (es *enrolServer) heartbeat(t *testing.T, c *http.Client, kiosk string) int {
	t.Helper()
	hb := api.Heartbeat{Version: "test", Devices: []api.Device{}, Paper: "ok", At: es.clock.Now()}
	st, _ := storetest.Do(t, c, "POST", es.URL+"/v1/kiosks/"+kiosk+"/heartbeat", hb)
	return st
}

// TestEnrolOverTLS: a kiosk enrols with a code and its own key, and its
// certificate then authenticates it; enrolling again shuts the old
// certificate out at once (401) while the new one works; the code works
// once; the store and the audit log keep the record.
func TestEnrolOverTLS(t *testing.T) {
	es := startEnrol(t, 0)
	anon := es.client(t, nil, "")
	code := es.code(t, "K-01")
	st, b, cert1 := es.enrol(t, anon, strings.ReplaceAll(code, "-", " "))
	if st != http.StatusCreated {
		t.Fatalf("enrol = %d %s, want 201", st, b)
	}
	e := storetest.Decode[api.Enrolment](t, b)
	leaf, err := x509.ParseCertificate(cert1.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if e.KioskID != "K-01" || e.Branch != "ALA-01" || e.CA != string(es.kca.PEM()) || leaf.Subject.CommonName != "K-01" ||
		len(leaf.ExtKeyUsage) != 1 || leaf.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth || leaf.SerialNumber.BitLen() < 64 ||
		!e.NotAfter.Equal(leaf.NotAfter) || leaf.NotAfter.Sub(es.clock.Now()) < 360*24*time.Hour {
		t.Errorf("enrolment %+v with certificate CN %q, EKU %v, serial %d bits, not after %v; want K-01's client certificate for a year",
			e, leaf.Subject.CommonName, leaf.ExtKeyUsage, leaf.SerialNumber.BitLen(), leaf.NotAfter)
	}
	if err := leaf.CheckSignatureFrom(es.kca.Certificate()); err != nil {
		t.Errorf("the certificate is not the kiosk CA's: %v", err)
	}
	k1 := es.client(t, cert1, "")
	if st := es.heartbeat(t, k1, "K-01"); st != http.StatusNoContent {
		t.Fatalf("heartbeat with the new certificate = %d, want 204", st)
	}
	if st := es.heartbeat(t, k1, "K-02"); st != http.StatusForbidden {
		t.Errorf("K-01's certificate sending K-02's heartbeat = %d, want 403", st)
	}
	if st, b, _ := es.enrol(t, anon, code); st != http.StatusForbidden {
		t.Errorf("the same code again = %d %s, want 403", st, b)
	}

	// A second later, within the certificate cache's time: this server's
	// own enrolment must not wait for the cache.
	es.clock.Set(es.clock.Now().Add(time.Second))
	st, b, cert2 := es.enrol(t, anon, es.code(t, "K-01"))
	if st != http.StatusCreated {
		t.Fatalf("enrolling again = %d %s, want 201", st, b)
	}
	k2 := es.client(t, cert2, "")
	if st := es.heartbeat(t, es.client(t, cert1, ""), "K-01"); st != http.StatusUnauthorized {
		t.Errorf("heartbeat with the old certificate after enrolling again = %d, want 401", st)
	}
	if st := es.heartbeat(t, k2, "K-01"); st != http.StatusNoContent {
		t.Errorf("heartbeat with the new certificate = %d, want 204", st)
	}
	// A certificate of the other client CA is not the enrolment's: it
	// works as before.
	if st := es.heartbeat(t, es.ca.Client(t, "K-02"), "K-02"); st != http.StatusNoContent {
		t.Errorf("heartbeat with the other CA's certificate = %d, want 204", st)
	}

	certs, err := es.store.KioskCerts(context.Background())
	if err != nil || len(certs) != 2 {
		t.Fatalf("KioskCerts = %+v, %v; want two", certs, err)
	}
	if certs[0].Serial != central.SerialText(leaf.SerialNumber) || certs[0].RevokedAt.IsZero() || !certs[1].RevokedAt.IsZero() ||
		certs[1].HardwareID != "dmi:TEST-1" || certs[1].Branch != "ALA-01" {
		t.Errorf("KioskCerts = %+v; want the first revoked, the second current with its hardware id", certs)
	}
	log, err := es.srv.AuditLog(context.Background(), central.AuditQuery{Branch: "ALA-01"})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, a := range log {
		if a.Number != "K-01" {
			t.Errorf("audit entry %+v does not name the kiosk", a)
		}
		count[a.Action]++
	}
	if count[central.AuditEnrolCode] != 2 || count[central.AuditEnrolled] != 2 {
		t.Errorf("audit log %v, want two codes made and two enrolments", count)
	}
}

// TestEnrolRefused: what the endpoint refuses, and how. An unknown, used
// or expired code gets the same answer; a bad body or request, 400.
func TestEnrolRefused(t *testing.T) {
	es := startEnrol(t, 0)
	anon := es.client(t, nil, "")
	used := es.code(t, "K-02")
	if st, b, _ := es.enrol(t, anon, used); st != http.StatusCreated {
		t.Fatalf("enrol = %d %s", st, b)
	}
	expired := es.code(t, "K-01")
	es.clock.Set(es.clock.Now().Add(central.DefaultEnrolTTL))
	fresh := es.code(t, "K-01")
	ecP224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	good := csr(t, p256(t))
	blk, _ := pem.Decode([]byte(good))
	blk.Bytes[len(blk.Bytes)-3] ^= 0xff // in the signature
	forged := string(pem.EncodeToMemory(blk))

	var refusal string
	for _, tc := range []struct {
		name   string
		body   any
		status int
	}{
		{"unknown code", api.EnrolRequest{Code: "0000-0000-0000", CSR: good}, http.StatusForbidden},
		{"used code", api.EnrolRequest{Code: used, CSR: good}, http.StatusForbidden},
		{"expired code", api.EnrolRequest{Code: expired, CSR: good}, http.StatusForbidden},
		{"too few digits", api.EnrolRequest{Code: fresh[:len(fresh)-1], CSR: good}, http.StatusForbidden},
		{"a letter", api.EnrolRequest{Code: "A" + fresh[1:], CSR: good}, http.StatusForbidden},
		{"not JSON", []byte(`{"code":`), http.StatusBadRequest},
		{"unknown field", []byte(`{"code":"1","hardwareId":"","csr":"","kiosk":"K-01"}`), http.StatusBadRequest},
		{"no CSR", api.EnrolRequest{Code: fresh}, http.StatusBadRequest},
		{"CSR not PEM", api.EnrolRequest{Code: fresh, CSR: "MIIB..."}, http.StatusBadRequest},
		{"CSR forged signature", api.EnrolRequest{Code: fresh, CSR: forged}, http.StatusBadRequest},
		{"CSR with a P-224 key", api.EnrolRequest{Code: fresh, CSR: csr(t, ecP224)}, http.StatusBadRequest},
		{"CSR with an RSA key", api.EnrolRequest{Code: fresh, CSR: csr(t, rsaKey)}, http.StatusBadRequest},
		{"hardware id with a newline", api.EnrolRequest{Code: fresh, HardwareID: "a\nb", CSR: good}, http.StatusBadRequest},
		{"body too large", api.EnrolRequest{Code: fresh, HardwareID: strings.Repeat("x", api.MaxBodyBytes), CSR: good}, http.StatusRequestEntityTooLarge},
		// The fresh code still works after all that, with an ed25519 key.
		{"ed25519", api.EnrolRequest{Code: fresh, HardwareID: "dmi:ED", CSR: csr(t, edKey)}, http.StatusCreated},
	} {
		st, b := storetest.Do(t, anon, "POST", es.URL+"/v1/enrol", tc.body)
		if st != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, st, b, tc.status)
		}
		if st == http.StatusForbidden {
			if refusal == "" {
				refusal = string(b)
			} else if string(b) != refusal {
				t.Errorf("%s: refused with %s, the unknown code with %s; want the same answer", tc.name, b, refusal)
			}
		}
	}
}

// TestEnrolGuessLimit: ten wrong codes from one address within ten
// minutes shut that address out, right codes too, until the window ends;
// another address is not affected.
func TestEnrolGuessLimit(t *testing.T) {
	es := startEnrol(t, 0)
	anon := es.client(t, nil, "127.0.0.1")
	code := es.code(t, "K-01")
	for i := range central.EnrolGuesses {
		if st, b, _ := es.enrol(t, anon, "1111-2222-3333"); st != http.StatusForbidden {
			t.Fatalf("wrong code %d = %d %s, want 403", i+1, st, b)
		}
	}
	req, _ := http.NewRequest("POST", es.URL+"/v1/enrol", strings.NewReader(`{"code":"`+code+`","hardwareId":"","csr":""}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := anon.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after %d wrong codes, the right one = %d, Retry-After %q; want 429 with Retry-After", central.EnrolGuesses, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if st, b, _ := es.enrol(t, es.client(t, nil, "127.0.0.2"), "1111-2222-3333"); st != http.StatusForbidden {
		t.Errorf("a wrong code from another address = %d %s, want 403", st, b)
	}
	es.clock.Set(es.clock.Now().Add(central.EnrolGuessWindow))
	if st, b, _ := es.enrol(t, anon, code); st != http.StatusCreated {
		t.Errorf("the right code once the window ended = %d %s, want 201", st, b)
	}
}

// TestEnrolRace: kiosks racing with one code: one enrols, the others get
// the wrong code's answer, and only the winner's certificate works.
func TestEnrolRace(t *testing.T) {
	es := startEnrol(t, -1)
	code := es.code(t, "K-01")
	const n = 6
	var wg sync.WaitGroup
	type result struct {
		st   int
		cert *tls.Certificate
	}
	results := make([]result, n)
	for i := range n {
		c := es.client(t, nil, "")
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := p256(t)
			st, b := storetest.Do(t, c, "POST", es.URL+"/v1/enrol", api.EnrolRequest{Code: code, CSR: csr(t, key)})
			results[i].st = st
			if st == http.StatusCreated {
				blk, _ := pem.Decode([]byte(storetest.Decode[api.Enrolment](t, b).Certificate))
				results[i].cert = &tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key}
			}
		}()
	}
	wg.Wait()
	won := 0
	for i, r := range results {
		switch r.st {
		case http.StatusCreated:
			won++
			if st := es.heartbeat(t, es.client(t, r.cert, ""), "K-01"); st != http.StatusNoContent {
				t.Errorf("the winner's heartbeat = %d, want 204", st)
			}
		case http.StatusForbidden:
		default:
			t.Errorf("enrolment %d = %d, want 201 or 403", i, r.st)
		}
	}
	if won != 1 {
		t.Errorf("%d enrolments won with one code, want exactly 1", won)
	}
}

// TestKioskRevokedCert: a certificate revoked in the store (central kiosk
// revoke) is refused once the cache lets it through: at once without one.
func TestKioskRevokedCert(t *testing.T) {
	es := startEnrol(t, -1)
	_, _, cert := es.enrol(t, es.client(t, nil, ""), es.code(t, "K-01"))
	if cert == nil {
		t.Fatal("no enrolment")
	}
	k := es.client(t, cert, "")
	if st := es.heartbeat(t, k, "K-01"); st != http.StatusNoContent {
		t.Fatalf("heartbeat = %d, want 204", st)
	}
	if n, err := es.store.RevokeKioskCerts(context.Background(), "K-01", es.clock.Now()); n != 1 || err != nil {
		t.Fatalf("RevokeKioskCerts = %d, %v", n, err)
	}
	if st := es.heartbeat(t, k, "K-01"); st != http.StatusUnauthorized {
		t.Errorf("heartbeat with a revoked certificate = %d, want 401", st)
	}
}

// TestEnrolWithoutCA: a server without a kiosk CA answers every
// enrolment 503, whatever the code, and counts no guesses.
func TestEnrolWithoutCA(t *testing.T) {
	clock := storetest.NewClock(storetest.Morning())
	ts := storetest.Start(t, newStore(t), clock, 2)
	for range central.EnrolGuesses + 1 {
		st, b := storetest.Do(t, ts.Client(), "POST", ts.URL+"/v1/enrol", api.EnrolRequest{Code: "1111-2222-3333"})
		if st != http.StatusServiceUnavailable || !strings.Contains(string(b), "--kiosk-ca") {
			t.Fatalf("enrol without a kiosk CA = %d %s, want 503 naming --kiosk-ca", st, b)
		}
	}
}
