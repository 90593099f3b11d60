package central_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// stream is an open display stream, read line by line.
type stream struct {
	t    *testing.T
	name string
	r    *bufio.Reader
}

func openStream(t *testing.T, ctx context.Context, url, token, name string) *stream {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/v1/display?branch=ALA-01", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: display = %d, want 200", name, resp.StatusCode)
	}
	s := &stream{t: t, name: name, r: bufio.NewReader(resp.Body)}
	s.until(": subscribed")
	return s
}

// until reads up to a line that is want; it fails the test when the
// stream ends first.
func (s *stream) until(want string) {
	s.t.Helper()
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("%s: stream ended (%v) before %q", s.name, err, want)
		}
		if strings.TrimSuffix(line, "\n") == want {
			return
		}
	}
}

// TestDisplayStreamRevoked: a display stream rechecks its token at every
// keep-alive, so a revoked token's stream ends once the token cache lets
// the revocation through, by the server's clock, while another token's
// stream goes on.
func TestDisplayStreamRevoked(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(1), Key: storetest.Key(), Now: clock.Now,
		KeepAlive: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); ts.Close(); store.Close() })
	// The guard: a stream that never ends fails the test here, not hangs it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	tok, rec, err := central.MintToken(ctx, store, central.RoleDisplay, "ALA-01", "", "hall screen", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	revoked := openStream(t, ctx, ts.URL, tok, "revoked display")
	other := openStream(t, ctx, ts.URL, storetest.Mint(t, store, central.RoleClerk, "ALA-01", ""), "clerk")
	revoked.until(": keep-alive")
	revoked.until(": keep-alive") // checked at least once, and valid
	if err := store.RevokeToken(ctx, rec.ID, clock.Now()); err != nil {
		t.Fatal(err)
	}
	// Within the cache's time the token is still trusted: the stream goes
	// on, as a request would be answered.
	revoked.until(": keep-alive")
	revoked.until(": keep-alive")
	clock.Set(clock.Now().Add(central.DefaultTokenCache))
	for {
		_, err := revoked.r.ReadString('\n')
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the revoked token's stream did not end: %v", err)
		}
	}
	// The other token's cache time is over too: its stream asks the store,
	// and goes on.
	other.until(": keep-alive")
	other.until(": keep-alive")
}
