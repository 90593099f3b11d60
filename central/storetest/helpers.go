package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// Clock is a settable clock for the server under test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Key is the fixed sealing key of the tests.
func Key() []byte { return bytes.Repeat([]byte{7}, 32) }

// Server is a central server under test on loopback, with its store and
// registry. It mints a token for each principal on first use: As, Kiosk
// and Clerk give clients that send it, so a test reads as who does what.
type Server struct {
	*httptest.Server
	Store    central.Store
	Registry central.Registry

	mu     sync.Mutex
	tokens map[central.Principal]string
}

// Start serves store on a loopback httptest server with the demo registry
// (ALA-01, kiosks K-01…K-n) and the clock; both close with the test.
func Start(t testing.TB, store central.Store, clock *Clock, kiosks int) *Server {
	t.Helper()
	return StartRegistry(t, store, clock, central.Demo(kiosks))
}

// StartRegistry is Start with a registry of the test's own, for questions
// that need more than the demo's one branch.
func StartRegistry(t testing.TB, store central.Store, clock *Clock, reg central.Registry) *Server {
	t.Helper()
	srv, err := central.NewServer(central.Options{Store: store, Registry: reg, Key: Key(), Now: clock.Now})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
		store.Close()
	})
	return &Server{Server: ts, Store: store, Registry: reg, tokens: map[central.Principal]string{}}
}

// Token returns the bearer token of a principal (branch "" for an admin,
// kiosk "" but for a kiosk), minting it in the store on first use.
func (s *Server) Token(t testing.TB, role central.Role, branch, kiosk string) string {
	t.Helper()
	p := central.Principal{Role: role, Branch: branch, Kiosk: kiosk}
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok, ok := s.tokens[p]; ok {
		return tok
	}
	tok := Mint(t, s.Store, role, branch, kiosk)
	s.tokens[p] = tok
	return tok
}

// As returns a client of the server that authenticates as the principal.
func (s *Server) As(t testing.TB, role central.Role, branch, kiosk string) *http.Client {
	t.Helper()
	return Bearer(s.Client(), s.Token(t, role, branch, kiosk))
}

// Kiosk returns a client that acts as the registered kiosk id.
func (s *Server) Kiosk(t testing.TB, id string) *http.Client {
	t.Helper()
	for _, b := range s.Registry.Branches {
		for _, k := range b.Kiosks {
			if k.ID == id {
				return s.As(t, central.RoleKiosk, b.ID, id)
			}
		}
	}
	// An unregistered kiosk with a token of its own, for the refusals.
	return s.As(t, central.RoleKiosk, "ALA-01", id)
}

// Caller returns a client of the principal that may make a request of
// ALA-01 to path: the kiosk named in a /v1/kiosks/{id} path, kiosk K-01
// for the other kiosk operations, the branch's booking feed for bookings,
// its clerk for the clerk operations, no credential for the public ones.
// Tests of what a request may carry use it, so that the answer is about
// the request and not about who sent it.
func (s *Server) Caller(t testing.TB, method, path string) *http.Client {
	t.Helper()
	switch {
	case strings.HasPrefix(path, "/v1/kiosks/"):
		id, _, _ := strings.Cut(strings.TrimPrefix(path, "/v1/kiosks/"), "/")
		return s.Kiosk(t, id)
	case path == "/v1/applications", path == "/v1/bookings/check-in":
		return s.Kiosk(t, "K-01")
	case path == "/v1/bookings":
		return s.As(t, central.RoleBooking, "ALA-01", "")
	case method == "GET" && strings.HasPrefix(path, "/v1/applications/"), path == "/openapi.json":
		return s.Client()
	}
	return s.Clerk(t, "ALA-01")
}

// Clerk returns a client that acts as a clerk of branch.
func (s *Server) Clerk(t testing.TB, branch string) *http.Client {
	t.Helper()
	return s.As(t, central.RoleClerk, branch, "")
}

// Mint stores a new token for the principal in store and returns it.
func Mint(t testing.TB, store central.TokenStore, role central.Role, branch, kiosk string) string {
	t.Helper()
	tok, _, err := central.MintToken(context.Background(), store, role, branch, kiosk, "test", time.Now())
	if err != nil {
		t.Fatalf("MintToken(%s %s %s): %v", role, branch, kiosk, err)
	}
	return tok
}

// Bearer returns a client like c that sends Authorization: Bearer token
// with every request.
func Bearer(c *http.Client, token string) *http.Client {
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cc := *c
	cc.Transport = bearer{token: token, next: next}
	return &cc
}

type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// Do sends body (nil for none, []byte as is, anything else as JSON) and
// returns the status and the raw answer.
func Do(t testing.TB, c *http.Client, method, url string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, url, err)
	}
	return resp.StatusCode, b
}

// Decode unmarshals an answer or fails the test.
func Decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, b, err)
	}
	return v
}

// Application returns a complete application from kiosk K-01 with a new id.
// The names and the document number are made up.
func Application(kiosk string, lane api.Lane, at time.Time) api.Application {
	return api.Application{
		ID: api.NewID(), KioskID: kiosk, BranchID: "ALA-01", Service: "iin", Lane: lane, Language: "ru",
		Applicant: api.Applicant{
			DocumentCode: "P", DocumentNumber: "L898902C3", IssuingState: "UTO", Nationality: "UTO",
			Latin: api.Name{Surname: "ERIKSSON", GivenNames: "ANNA MARIA"}, BirthDate: "1974-08-12",
			ExpiryDate: "2032-04-15", Sex: "F", MRZValid: true,
		},
		Precheck:  api.Precheck{Decision: api.DecisionOK, Checklist: []string{"bring.passport"}},
		CreatedAt: at,
	}
}
