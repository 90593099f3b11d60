package central_test

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// startTLS serves the demo registry (kiosks K-01, K-02) over TLS that asks
// for a client certificate and verifies one when given, as cmd/central does
// with --client-ca: kiosks may show one, clerks come with tokens.
func startTLS(t testing.TB, store central.Store, clock *storetest.Clock, ca *storetest.CA) *httptest.Server {
	t.Helper()
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(2), Key: storetest.Key(), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Issue(t, "127.0.0.1", false)}, ClientCAs: ca.Pool, ClientAuth: tls.VerifyClientCertIfGiven}
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(func() { srv.Close(); ts.Close(); store.Close() })
	return ts
}

// newStore opens a SQLite store in the test's folder; the server the test
// starts on it closes it.
func newStore(t testing.TB) central.Store {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return store
}
