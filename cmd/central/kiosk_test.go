package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestKioskCommands: "kiosk ca init" makes a CA once (key 0600); "kiosk
// enrol" prints a code that a server started with --kiosk-ca takes over
// TLS, whose certificate then authenticates the kiosk; enrolling again
// shuts the old certificate out; "kiosk list" and "kiosk revoke" show and
// end it; bad arguments are refused with nothing on stdout.
func TestKioskCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, caDir := filepath.Join(dir, "central.db"), filepath.Join(dir, "kiosk-ca")
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := run(ctx, append([]string{"kiosk"}, args...), &out, &errs)
		return code, out.String(), errs.String()
	}
	if code, out, msg := run("ca", "init", "--dir", caDir); code != 0 || !strings.Contains(out, "--kiosk-ca") {
		t.Fatalf("kiosk ca init = %d %q %q", code, out, msg)
	}
	key := filepath.Join(caDir, central.KioskCAKeyFile)
	before, _ := os.ReadFile(key)
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the CA key: %v, %v; want -rw-------", st.Mode().Perm(), err)
	}
	if code, _, msg := run("ca", "init", "--dir", caDir); code == 0 || !strings.Contains(msg, "exists") {
		t.Errorf("kiosk ca init again = %d %q, want a refusal", code, msg)
	}
	if after, _ := os.ReadFile(key); !bytes.Equal(before, after) {
		t.Error("kiosk ca init again changed the key")
	}
	for _, args := range [][]string{
		{"enrol", "--db", db, "--kiosk", "K-01"},
		{"enrol", "--db", db, "--branch", "ALA-01"},
		{"enrol", "--db", db, "--branch", "ALA-01", "--kiosk", "K-01", "--ttl", "-1h"},
		{"enrol", "--db", db, "--branch", "ALA-01", "--kiosk", "K-01", "extra"},
		{"enrol", "--db", "postgres://nowhere/db", "--branch", "ALA-01", "--kiosk", "K-01"},
		{"revoke", "--db", db},
		{"revoke", "--db", db, "--kiosk", "K-01"}, // nothing to revoke yet
		{"ca", "init"},
		{"frobnicate"},
		{},
	} {
		if code, out, _ := run(args...); code == 0 || out != "" {
			t.Errorf("kiosk %v = %d %q, want a failure and nothing on stdout", args, code, out)
		}
	}

	code1 := enrolCode(t, run, db)
	addr, srvCA := serveTLS(t, db, caDir)
	anon := httpsClient(t, srvCA, nil)
	cert1 := enrolOver(t, anon, addr, code1)
	if st := heartbeatOver(t, httpsClient(t, srvCA, cert1), addr); st != http.StatusNoContent {
		t.Fatalf("heartbeat with the enrolled certificate = %d, want 204", st)
	}
	cert2 := enrolOver(t, anon, addr, enrolCode(t, run, db))
	if st := heartbeatOver(t, httpsClient(t, srvCA, cert1), addr); st != http.StatusUnauthorized {
		t.Errorf("heartbeat with the first certificate after enrolling again = %d, want 401", st)
	}
	if st := heartbeatOver(t, httpsClient(t, srvCA, cert2), addr); st != http.StatusNoContent {
		t.Errorf("heartbeat with the second certificate = %d, want 204", st)
	}

	_, list, _ := run("list", "--db", db)
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "revoked") || !strings.Contains(lines[2], "current") ||
		!strings.Contains(lines[2], "K-01") || !strings.Contains(lines[2], "ALA-01") || !strings.Contains(lines[2], "dmi:CLI") {
		t.Fatalf("kiosk list:\n%s\nwant a header, the first certificate revoked and the second current", list)
	}
	if code, out, _ := run("revoke", "--db", db, "--kiosk", "K-01"); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("kiosk revoke = %d %q", code, out)
	}
	_, list, _ = run("list", "--db", db)
	if l := strings.Split(strings.TrimSpace(list), "\n"); len(l) != 3 || !strings.Contains(l[2], "revoked") {
		t.Errorf("kiosk list after revoke:\n%s\nwant both revoked", list)
	}

	s, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	es, err := s.AuditLog(ctx, central.AuditQuery{Branch: "ALA-01", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	made := 0
	for _, e := range es {
		if e.Action == central.AuditEnrolCode && e.User == central.AuditCLI && e.Number == "K-01" {
			made++
		}
	}
	if made != 2 {
		t.Errorf("audit log has %d codes made by the command line for K-01, want 2: %+v", made, es)
	}
}

// TestServeKioskCANeedsTLS: --kiosk-ca without TLS is refused at start.
func TestServeKioskCANeedsTLS(t *testing.T) {
	dir := t.TempDir()
	var errs bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "c.db"), "--kiosk-ca", dir}, io.Discard, &errs)
	if code == 0 || !strings.Contains(errs.String(), "--tls-cert") {
		t.Errorf("serve --kiosk-ca without TLS = %d %q, want a refusal naming --tls-cert", code, errs.String())
	}
}

var codeShape = regexp.MustCompile(`^[0-9]{4}-[0-9]{4}-[0-9]{4}$`)

func enrolCode(t *testing.T, run func(...string) (int, string, string), db string) string {
	t.Helper()
	code, out, msg := run("enrol", "--db", db, "--branch", "ALA-01", "--kiosk", "K-01", "--ttl", "2h")
	out = strings.TrimSpace(out)
	if code != 0 || !codeShape.MatchString(out) || !strings.Contains(msg, "valid until") || !strings.Contains(msg, "shown only now") {
		t.Fatalf("kiosk enrol = %d %q %q, want 0, a code like 4821-0937-5512 and its expiry", code, out, msg)
	}
	return out
}

// serveTLS starts "central serve" on db with TLS and the kiosk CA, and
// returns its address and the CA of its server certificate.
func serveTLS(t *testing.T, db, caDir string) (string, *storetest.CA) {
	t.Helper()
	dir := t.TempDir()
	ca := storetest.NewCA(t)
	sc := ca.Issue(t, "127.0.0.1", false)
	der, err := x509.MarshalPKCS8PrivateKey(sc.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: sc.Certificate[0]}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--kiosks", "2",
			"--tls-cert", certFile, "--tls-key", keyFile, "--kiosk-ca", caDir}, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("central serve exited %d", code)
		}
	})
	lines := bufio.NewScanner(pr)
	var addr string
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "central: listening on "); ok {
			addr = a
			break
		}
	}
	if addr == "" {
		t.Fatal("central serve did not start")
	}
	go io.Copy(io.Discard, pr)
	return addr, ca
}

func httpsClient(t *testing.T, ca *storetest.CA, cert *tls.Certificate) *http.Client {
	t.Helper()
	conf := &tls.Config{RootCAs: ca.Pool}
	if cert != nil {
		conf.Certificates = []tls.Certificate{*cert}
	}
	tr := &http.Transport{TLSClientConfig: conf}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// enrolOver enrols K-01 with code and a fresh key, as the kiosk does.
func enrolOver(t *testing.T, c *http.Client, addr, code string) *tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "K-01"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	req := api.EnrolRequest{Code: code, HardwareID: "dmi:CLI", CSR: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))}
	st, b := storetest.Do(t, c, "POST", "https://"+addr+"/v1/enrol", req)
	if st != http.StatusCreated {
		t.Fatalf("enrol = %d %s, want 201", st, b)
	}
	blk, _ := pem.Decode([]byte(storetest.Decode[api.Enrolment](t, b).Certificate))
	return &tls.Certificate{Certificate: [][]byte{blk.Bytes}, PrivateKey: key}
}

func heartbeatOver(t *testing.T, c *http.Client, addr string) int {
	t.Helper()
	st, _ := storetest.Do(t, c, "POST", "https://"+addr+"/v1/kiosks/K-01/heartbeat",
		api.Heartbeat{Version: "test", Devices: []api.Device{}, Paper: "ok", At: time.Now()})
	return st
}
