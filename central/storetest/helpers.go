package storetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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

// Start serves store on a loopback httptest server with the demo registry
// (ALA-01, kiosks K-01…K-n) and the clock; both close with the test.
func Start(t testing.TB, store central.Store, clock *Clock, kiosks int) *httptest.Server {
	t.Helper()
	return StartRegistry(t, store, clock, central.Demo(kiosks))
}

// StartRegistry is Start with a registry of the test's own, for questions
// that need more than the demo's one branch.
func StartRegistry(t testing.TB, store central.Store, clock *Clock, reg central.Registry) *httptest.Server {
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
	return ts
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
