package central_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// failsafe bounds every wait of these tests on the server: the condition
// comes in a fraction of a second, and the bound only keeps a broken server
// from hanging the test.
const failsafe = 20 * time.Second

// startHTTP serves the demo registry on SQLite through NewHTTPServer with
// the given limits.
func startHTTP(t *testing.T, o central.HTTPOptions) (*httptest.Server, *storetest.Clock, central.Store) {
	t.Helper()
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(1), Key: storetest.Key(), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.Config = central.NewHTTPServer(srv, o)
	ts.Start()
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
		store.Close()
	})
	return ts, clock, store
}

// request is the head of an HTTP/1.1 request as a client writes it, with
// whatever credentials the server wants. Every request of these tests is
// made here or with storetest.Do.
func request(method, path string, header ...string) string {
	var b strings.Builder
	b.WriteString(method + " " + path + " HTTP/1.1\r\nHost: central\r\n")
	for _, h := range header {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// dial opens a connection to the test server with the failsafe deadline.
func dial(t *testing.T, ts *httptest.Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(failsafe))
	return c
}

// waitClosed reads until the server closes the connection and fails the
// test when it does not.
func waitClosed(t *testing.T, c net.Conn, what string) {
	t.Helper()
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: the server still holds the connection after %v", what, failsafe)
	}
}

// slowBody starts a request whose body never comes and waits until the
// server gives up on it.
func slowBody(t *testing.T, ts *httptest.Server) {
	t.Helper()
	c := dial(t, ts)
	io.WriteString(c, request("POST", "/v1/kiosks/K-01/heartbeat", "Content-Type: application/json", "Content-Length: 200")+`{"version":`)
	waitClosed(t, c, "slow body")
}

func TestHTTPServerLimits(t *testing.T) {
	short := central.HTTPOptions{ReadHeaderTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond,
		IdleTimeout: 200 * time.Millisecond, MaxHeaderBytes: 4 << 10}

	t.Run("slow body", func(t *testing.T) {
		ts, _, _ := startHTTP(t, short)
		slowBody(t, ts)
	})

	t.Run("idle keep-alive", func(t *testing.T) {
		ts, _, _ := startHTTP(t, short)
		c := dial(t, ts)
		io.WriteString(c, request("GET", "/openapi.json"))
		rd := bufio.NewReader(c)
		resp, err := http.ReadResponse(rd, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("GET /openapi.json = %d, close %t; want 200 on a kept-alive connection", resp.StatusCode, resp.Close)
		}
		if _, err := rd.ReadByte(); !errors.Is(err, io.EOF) {
			t.Fatalf("idle keep-alive: read = %v, want the server to close it", err)
		}
	})

	t.Run("large headers", func(t *testing.T) {
		ts, _, _ := startHTTP(t, short)
		c := dial(t, ts)
		io.WriteString(c, request("GET", "/openapi.json", "X-Padding: "+strings.Repeat("x", 8<<10)))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("8 KiB of headers = %d, want 431", resp.StatusCode)
		}
	})

	t.Run("display stream outlives the read timeout", func(t *testing.T) {
		ts, clock, store := startHTTP(t, short)
		token := storetest.Mint(t, store, central.RoleDisplay, "ALA-01", "")
		stream := dial(t, ts)
		io.WriteString(stream, request("GET", "/v1/display?branch=ALA-01", "Authorization: Bearer "+token))
		resp, err := http.ReadResponse(bufio.NewReader(stream), nil)
		if err != nil {
			t.Fatal(err)
		}
		// Not resp.Body.Close, which would read the endless stream to its
		// end: the connection closes with the test.
		rd := bufio.NewReader(resp.Body)
		if line, err := rd.ReadString('\n'); line != ": subscribed\n" {
			t.Fatalf("first line = %q, %v; want the subscribed comment", line, err)
		}
		// Two slow bodies begun after the stream and cut off: the stream's
		// read timeout, had it one, has passed too.
		slowBody(t, ts)
		slowBody(t, ts)
		kiosk := storetest.Bearer(ts.Client(), storetest.Mint(t, store, central.RoleKiosk, "ALA-01", "K-01"))
		clerk := storetest.Bearer(ts.Client(), storetest.Mint(t, store, central.RoleClerk, "ALA-01", ""))
		a := storetest.Application("K-01", api.LaneOrdinary, clock.Now())
		if st, b := storetest.Do(t, kiosk, "POST", ts.URL+"/v1/applications", a); st != http.StatusCreated {
			t.Fatalf("submit = %d %s", st, b)
		}
		if st, b := storetest.Do(t, clerk, "POST", ts.URL+"/v1/branches/ALA-01/windows/3/call-next", nil); st != http.StatusOK {
			t.Fatalf("call-next = %d %s", st, b)
		}
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("the display stream ended before the call: %v", err)
			}
			if line == "event: called\n" {
				break
			}
		}
	})
}
