package enrol_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// standIn answers POST /v1/enrol as the backend documents it, for the
// cases the real central cannot be made to answer (central/enroltest runs
// the client against the real one): it checks the
// request and its CSR (parsed, signature valid), signs the CSR with a test
// CA naming the code's kiosk id, and answers 201 with an api.Enrolment;
// 403 for a code unknown, used or expired, 400 for a malformed request,
// 429 after maxWrong wrong codes. Each code works once.
type standIn struct {
	t      *testing.T
	srv    *httptest.Server
	caCert *x509.Certificate
	caPEM  string
	caKey  *ecdsa.PrivateKey

	mu       sync.Mutex
	codes    map[string]grant // code → what it was made for
	wrong    int
	maxWrong int
	bodies   [][]byte           // every request body received
	keys     []*ecdsa.PublicKey // the public key of every CSR signed
	// answer, when set, replaces the answer to a good request (a status
	// other than 200, or a bad body).
	answer func(w http.ResponseWriter, e api.Enrolment)
}

type grant struct {
	kiosk, branch string
	expired       bool
}

func newStandIn(t *testing.T) *standIn {
	t.Helper()
	s := &standIn{t: t, codes: map[string]grant{}, maxWrong: 5}
	s.caKey, s.caCert, s.caPEM = newCA(t, "stand-in kiosk CA")
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// code makes a one-time code for a kiosk of a branch.
func (s *standIn) code(code, kiosk, branch string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = grant{kiosk: kiosk, branch: branch}
}

// serverCA is a pool trusting the stand-in's server certificate.
func (s *standIn) serverCA() *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(s.srv.Certificate())
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func (s *standIn) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.bodies...)
}

func (s *standIn) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(api.Error{Code: code, Message: msg})
}

func (s *standIn) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/enrol" {
		s.fail(w, http.StatusNotFound, "not_found", "no such route")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies = append(s.bodies, body)
	var req api.EnrolRequest
	if err := json.Unmarshal(body, &req); err != nil || req.HardwareID == "" {
		s.fail(w, http.StatusBadRequest, "invalid", "malformed request")
		return
	}
	blk, _ := pem.Decode([]byte(req.CSR))
	if blk == nil || blk.Type != "CERTIFICATE REQUEST" {
		s.fail(w, http.StatusBadRequest, "invalid", "csr: no PEM certificate request")
		return
	}
	csr, err := x509.ParseCertificateRequest(blk.Bytes)
	if err != nil || csr.CheckSignature() != nil {
		s.fail(w, http.StatusBadRequest, "invalid", "csr: bad signature")
		return
	}
	pub, ok := csr.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		s.fail(w, http.StatusBadRequest, "invalid", "csr: want an ECDSA P-256 key")
		return
	}
	code := strings.NewReplacer(" ", "", "-", "").Replace(req.Code)
	if s.wrong >= s.maxWrong {
		s.fail(w, http.StatusTooManyRequests, "too_many", "too many wrong codes")
		return
	}
	g, ok := s.codes[code]
	if !ok || g.expired {
		s.wrong++
		s.fail(w, http.StatusForbidden, "forbidden", "code unknown, used or expired")
		return
	}
	delete(s.codes, code) // once
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(len(s.keys) + 2)),
		Subject:      pkix.Name{CommonName: g.kiosk, Organization: []string{g.branch}},
		NotBefore:    now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.caCert, csr.PublicKey, s.caKey)
	if err != nil {
		s.t.Errorf("stand-in: sign: %v", err)
		s.fail(w, http.StatusInternalServerError, "internal", "sign")
		return
	}
	s.keys = append(s.keys, pub)
	e := api.Enrolment{KioskID: g.kiosk, Branch: g.branch, CA: s.caPEM, NotAfter: tmpl.NotAfter.UTC().Truncate(time.Second),
		Certificate: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
	if s.answer != nil {
		s.answer(w, e)
		return
	}
	created(w, e)
}

// created is central's answer to a good request: 201 with the enrolment.
func created(w http.ResponseWriter, e api.Enrolment) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(e)
}

// newCA makes a self-signed CA for tests.
func newCA(t *testing.T, name string) (*ecdsa.PrivateKey, *x509.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(10 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
