package enrol_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestMutualTLS enrols, applies the identity to an enrolling kiosk's
// configuration as "kiosk run" does, and sends a heartbeat through the
// uplink's own client to a server that requires a client certificate of
// the kiosk CA: the server sees the enrolled kiosk id, and the kiosk id
// and branch came from the identity. Without the identity the same server
// refuses the connection.
func TestMutualTLS(t *testing.T) {
	s := newStandIn(t)
	s.code("123456789012", "K-07", "AST-02")
	cfg := config.Default()
	cfg.Kiosk.StateDir = t.TempDir()
	cfg.Kiosk.ID, cfg.Kiosk.Branch = "", ""
	cfg.Backend.Enrol = true

	c, err := enrol.NewClient(enrol.ClientOptions{BaseURL: s.srv.URL, TLS: s.serverCA(), Dir: enrol.Dir(cfg.Kiosk), HardwareID: hwid})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := enrol.Enrol(context.Background(), c, "123456789012"); err != nil {
		t.Fatal(err)
	}

	seen := make(chan string, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.TLS.PeerCertificates[0].Subject.CommonName + " " + r.URL.Path
		w.WriteHeader(http.StatusNoContent)
	}))
	pool := x509.NewCertPool()
	pool.AddCert(s.caCert)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "backend-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Backend.URL, cfg.Backend.CACert = srv.URL, caFile

	// Without an identity: no client certificate, and the server refuses.
	anon := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: func() *x509.CertPool {
		p := x509.NewCertPool()
		p.AddCert(srv.Certificate())
		return p
	}()}}}
	if resp, err := anon.Get(srv.URL + "/v1/kiosks/K-07/heartbeat"); err == nil {
		resp.Body.Close()
		t.Fatal("the test server took a connection without a client certificate")
	}

	id, err := enrol.Load(enrol.Dir(cfg.Kiosk))
	if err != nil {
		t.Fatal(err)
	}
	if err := enrol.Apply(cfg, id); err != nil {
		t.Fatalf("Apply = %v", err)
	}
	if cfg.Kiosk.ID != "K-07" || cfg.Kiosk.Branch != "AST-02" {
		t.Errorf("after Apply kiosk = %q of %q, want K-07 of AST-02", cfg.Kiosk.ID, cfg.Kiosk.Branch)
	}
	co, err := uplink.ClientFromConfig(cfg.Backend)
	if err != nil {
		t.Fatal(err)
	}
	co.Timeout, co.RetryBase, co.RetryMax = 5*time.Second, 10*time.Millisecond, 50*time.Millisecond
	up, err := uplink.NewClient(co)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := up.Heartbeat(ctx, cfg.Kiosk.ID, api.Heartbeat{At: time.Now()}); err != nil {
		t.Fatalf("Heartbeat over mutual TLS = %v", err)
	}
	if got := <-seen; got != "K-07 /v1/kiosks/K-07/heartbeat" {
		t.Errorf("server saw %q, want K-07's certificate on its heartbeat", got)
	}
}

// TestApplyMismatch: a kiosk.id set in the file that is not the
// certificate's is said, not silently used.
func TestApplyMismatch(t *testing.T) {
	cfg := config.Default()
	id := &enrol.Identity{KioskID: "K-07", Branch: "ALA-01", Dir: "/x"}
	err := enrol.Apply(cfg, id)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(`"K-01" but the kiosk is enrolled as "K-07"`)) {
		t.Errorf("Apply with kiosk.id K-01 = %v, want the mismatch said", err)
	}
	if cfg.Backend.ClientCert != "/x/cert.pem" || cfg.Backend.ClientKey != "/x/key.pem" {
		t.Errorf("Apply client files = %q, %q; want the identity's", cfg.Backend.ClientCert, cfg.Backend.ClientKey)
	}
}
