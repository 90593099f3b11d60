package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
)

// signer answers POST /v1/enrol for one code, signing the CSR with a
// throwaway CA; any other code is 403. (kiosk/enrol's stand-in tests the
// protocol; this is only what the command needs.)
func signer(t *testing.T, code, kiosk, branch string) *httptest.Server {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test kiosk CA"}, IsCA: true,
		BasicConstraintsValid: true, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req api.EnrolRequest
		json.NewDecoder(r.Body).Decode(&req)
		if r.URL.Path != "/v1/enrol" || req.Code != code {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		blk, _ := pem.Decode([]byte(req.CSR))
		csr, err := x509.ParseCertificateRequest(blk.Bytes)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: kiosk},
			NotBefore: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 11, 25, 0, 0, 0, 0, time.UTC)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, csr.PublicKey, caKey)
		if err != nil {
			t.Error(err)
			return
		}
		w.WriteHeader(http.StatusCreated) // as central answers
		json.NewEncoder(w).Encode(api.Enrolment{KioskID: kiosk, Branch: branch, NotAfter: tmpl.NotAfter,
			Certificate: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeSys is a /sys with one network card, for the hardware id.
func fakeSys(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	d := filepath.Join(root, "sys", "class", "net", "eth0")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"type": "1", "addr_assign_type": "0", "address": "52:54:00:12:34:56"} {
		if err := os.WriteFile(filepath.Join(d, name), []byte(v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestEnrolCommand: kiosk doctor says "not enrolled"; a wrong code is
// refused in words with exit 1; the right one enrols and prints the kiosk
// id, branch and expiry, never the key; doctor then reports the identity.
func TestEnrolCommand(t *testing.T) {
	srv := signer(t, "123456789012", "K-07", "ALA-01")
	c := config.Default()
	c.Kiosk.StateDir = t.TempDir()
	c.Kiosk.ID, c.Kiosk.Branch = "", ""
	c.Backend.URL, c.Backend.Enrol = srv.URL, true
	path := writeConfig(t, c)
	root := fakeSys(t)

	identity := func() (state, value, reason string) {
		out, errOut, _ := runKiosk(t, "", "--config", path, "doctor", "--json", "--timeout", "500ms")
		var r doctorReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("doctor output is not JSON: %v\n%s\n%s", err, out, errOut)
		}
		st, reason := r.state("identity")
		return st, r.value("identity"), reason
	}
	if st, _, reason := identity(); st != "failed" || !strings.Contains(reason, "not enrolled") {
		t.Errorf("doctor before enrolment: identity %s (%s), want failed, not enrolled", st, reason)
	}

	out, errOut, code := runKiosk(t, "", "--config", path, "enrol", "--root", root, "--code", "9999 9999 9999")
	if code != 1 || !strings.Contains(errOut, "Code refused: it is unknown, already used or expired") {
		t.Errorf("enrol with a wrong code = exit %d\n%s\n%s\nwant 1 and the refusal in words", code, out, errOut)
	}

	out, errOut, code = runKiosk(t, "", "--config", path, "enrol", "--root", root, "--code", "1234-5678-9012")
	if code != 0 || !strings.Contains(out, "enrolled: kiosk K-07, branch ALA-01, certificate valid until 2027-11-25") ||
		!strings.Contains(out, "hardware id 525400123456") {
		t.Fatalf("enrol = exit %d\n%s\n%s\nwant K-07 of ALA-01 until 2027-11-25", code, out, errOut)
	}
	if strings.Contains(out+errOut, "PRIVATE KEY") {
		t.Errorf("enrol printed a private key:\n%s%s", out, errOut)
	}
	if st, v, reason := identity(); st != "loaded" || !strings.Contains(v, "kiosk K-07 of ALA-01, certificate valid until 2027-11-25") {
		t.Errorf("doctor after enrolment: identity %s %q (%s), want loaded, K-07 of ALA-01 until 2027-11-25", st, v, reason)
	}

	if _, errOut, code := runKiosk(t, "", "--config", path, "enrol"); code != 2 || !strings.Contains(errOut, "usage") {
		t.Errorf("enrol without --code = exit %d, %q; want usage, 2", code, errOut)
	}
}

// TestIdentityCheckExpired: an identity whose certificate has ended fails
// the doctor's check with what to do.
func TestIdentityCheckExpired(t *testing.T) {
	c := config.Default()
	c.Backend.Enrol = true
	id := &enrol.Identity{KioskID: "K-07", Branch: "ALA-01", NotAfter: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	got := identityCheck(c, id, nil, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if got.State != tech.Failed || !strings.Contains(got.Reason, "expired on 2026-11-01") {
		t.Errorf("identityCheck of an expired certificate = %+v, want failed, expired on 2026-11-01", got)
	}
}
