package uplink_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// spoilt answers the submissions of chosen applications itself, as a
// backend with a bug for one body, a sick database or a captive portal
// would, and records the id of every submission in order.
type spoilt struct {
	mu     sync.Mutex
	bad    map[string]bool // the ids answered badly; nil: all
	status int             // the bad answer: a status, with a body that is not JSON when 2xx
	posted []string
}

func (s *spoilt) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/v1/applications" {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var a struct {
			ID string `json:"id"`
		}
		json.Unmarshal(body, &a)
		s.mu.Lock()
		s.posted = append(s.posted, a.ID)
		bad := s.status != 0 && (s.bad == nil || s.bad[a.ID])
		status := s.status
		s.mu.Unlock()
		if !bad {
			h.ServeHTTP(w, r)
			return
		}
		w.WriteHeader(status)
		w.Write([]byte("<html>not the backend</html>"))
	})
}

// tried is the distinct ids submitted since the last call, in order.
func (s *spoilt) tried() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.posted {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	s.posted = nil
	return out
}

func ids(rs []uplink.Receipt, idx ...int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, rs[i].Ticket.ApplicationID)
	}
	return out
}

// passOptions are the options of the pass tests: a few seconds for each
// entry, which a spoilt answer spends in full (the client retries it).
// A 500 is retried until SubmitWait ends, so each costs the whole wait;
// the wait must still be long enough for the first answer to come back
// under -race on a loaded machine: an entry whose first attempt is cut
// short counts as no answer, which stops the pass (TestSyncStops failed
// so once with 2 s).
func passOptions(t *testing.T, b *backend) uplink.Options {
	o := b.options(t)
	o.SubmitWait = 5 * time.Second
	return o
}

// TestSyncOverUnreadableClock: an offline ticket's clock that does not
// parse is sent as no clock; it does not hold up the entry or the rest.
func TestSyncOverUnreadableClock(t *testing.T) {
	b := newBackend(t)
	o := passOptions(t, b)
	got := offlineTickets(t, o, 3)
	outboxSQL(t, o.OutboxPath, `INSERT INTO offline_clock (id, clock) VALUES (?, '{not json')`, got[0].Ticket.ApplicationID)
	b.start()
	u := open(t, o)
	if n, err := u.Sync(context.Background()); n != 3 || err != nil {
		t.Fatalf("Sync with an unreadable clock = %d, %v; want 3, nil", n, err)
	}
	for _, r := range got {
		if st, s := b.status(r.Ticket.ApplicationID); st != http.StatusOK || s.Ticket.Number != r.Ticket.Number {
			t.Errorf("the backend has %d %+v, want %s", st, s.Ticket, r.Ticket.Number)
		}
	}
}

// TestSyncGoesPastOneEntry: an answer about one entry (a 500 for its body,
// a 2xx the kiosk cannot read) leaves that entry for the next pass and
// does not stop the others.
func TestSyncGoesPastOneEntry(t *testing.T) {
	for name, status := range map[string]int{"500": http.StatusInternalServerError, "2xx unreadable": http.StatusCreated} {
		t.Run(name, func(t *testing.T) {
			b := newBackend(t)
			o := passOptions(t, b)
			got := offlineTickets(t, o, 3)
			s := &spoilt{bad: map[string]bool{got[0].Ticket.ApplicationID: true}, status: status}
			b.wrap = s.wrap
			b.start()
			u := open(t, o)
			n, err := u.Sync(context.Background())
			if n != 2 || err == nil || errors.Is(err, uplink.ErrRejected) {
				t.Fatalf("Sync with entry 1 answered %s = %d, %v; want 2 delivered and its error", name, n, err)
			}
			for i, r := range got[1:] {
				if st, _ := b.status(r.Ticket.ApplicationID); st != http.StatusOK {
					t.Errorf("entry %d after the one answered %s: the backend has %d", i+2, name, st)
				}
			}
			if d := depth(t, u); d != 1 {
				t.Errorf("depth = %d, want 1: the entry answered %s waits", d, name)
			}
		})
	}
}

// TestSyncStops: when every entry fails, a pass costs one wait (no
// answer, or an answer about the backend) or two (two entries in a row
// answered 500), not one per entry; entries that failed go last in the
// next pass, so two spoilt entries at the head do not hold up the rest.
func TestSyncStops(t *testing.T) {
	t.Run("503 for all", func(t *testing.T) {
		b := newBackend(t)
		o := passOptions(t, b)
		got := offlineTickets(t, o, 4)
		o.SubmitWait = 2 * time.Second // a 503 is retried until this wait ends
		s := &spoilt{status: http.StatusServiceUnavailable}
		b.wrap = s.wrap
		b.start()
		u := open(t, o)
		if n, err := u.Sync(context.Background()); n != 0 || !errors.Is(err, uplink.ErrUnreachable) {
			t.Errorf("Sync answered 503 = %d, %v; want 0, ErrUnreachable", n, err)
		}
		if tried := s.tried(); !slices.Equal(tried, ids(got, 0)) {
			t.Errorf("the pass sent %d entries, want the first only", len(tried))
		}
	})
	t.Run("500 for the first two", func(t *testing.T) {
		b := newBackend(t)
		o := passOptions(t, b)
		got := offlineTickets(t, o, 4)
		s := &spoilt{bad: map[string]bool{got[0].Ticket.ApplicationID: true, got[1].Ticket.ApplicationID: true}, status: http.StatusInternalServerError}
		b.wrap = s.wrap
		b.start()
		u := open(t, o)
		if n, err := u.Sync(context.Background()); n != 0 || err == nil {
			t.Errorf("first pass = %d, %v; want 0 and the 500", n, err)
		}
		if tried := s.tried(); !slices.Equal(tried, ids(got, 0, 1)) {
			t.Errorf("first pass sent %d entries, want the first two, then stop", len(tried))
		}
		s.mu.Lock()
		s.status = 0 // the backend recovers
		s.mu.Unlock()
		if n, err := u.Sync(context.Background()); n != 4 || err != nil {
			t.Errorf("second pass = %d, %v; want 4, nil", n, err)
		}
		if tried := s.tried(); !slices.Equal(tried, ids(got, 2, 3, 0, 1)) {
			t.Errorf("second pass sent %v, want entries 3, 4, then the failed 1, 2", tried)
		}
	})
}
