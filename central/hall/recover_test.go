package hall_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/hall"
)

// smallSendBuffer accepts connections with a small socket send buffer.
type smallSendBuffer struct {
	net.Listener
	size int
}

func (l smallSendBuffer) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(l.size)
	}
	return c, err
}

// outage is the server as a display's Source with its store failing:
// the board, or the stream, cannot be read.
type outage struct {
	*central.Server
	board, watch error
}

func (o outage) HallBoard(ctx context.Context, branch string) (central.HallBoard, error) {
	if o.board != nil {
		return central.HallBoard{}, o.board
	}
	return o.Server.HallBoard(ctx, branch)
}

func (o outage) Watch(ctx context.Context, branch string, after int64) (<-chan api.BranchEvent, error) {
	if o.watch != nil {
		return nil, o.watch
	}
	return o.Server.Watch(ctx, branch, after)
}

var errOutage = errors.New("store: connection refused")

// TestDisplayOutage: while the store is out, the page answers 503 with
// a page in both languages that reloads itself, so the TV comes back
// without a hand; the stream answers 503, not 404.
func TestDisplayOutage(t *testing.T) {
	board := startWith(t, "/nonexistent/espeak-ng", hallOptions{source: func(s *central.Server) hall.Source {
		return outage{Server: s, board: errOutage}
	}})
	status, hdr, body := board.get(t, "/display/ALA-01?token="+board.token)
	if status != http.StatusServiceUnavailable || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Errorf("page without its board = %d %s, want 503 HTML", status, hdr.Get("Content-Type"))
	}
	for _, want := range []string{`<meta http-equiv="refresh" content="15">`, "Қызмет уақытша қолжетімсіз", "Сервис временно недоступен"} {
		if !strings.Contains(body, want) {
			t.Errorf("page without its board lacks %q:\n%s", want, body)
		}
	}
	if hdr.Get("Content-Security-Policy") == "" {
		t.Error("page without its board has no Content-Security-Policy")
	}
	if st := board.status(t, "/display/ALA-01/events?token="+board.token); st != http.StatusServiceUnavailable {
		t.Errorf("stream without its board = %d, want 503", st)
	}
	watch := startWith(t, "/nonexistent/espeak-ng", hallOptions{source: func(s *central.Server) hall.Source {
		return outage{Server: s, watch: errOutage}
	}})
	if st := watch.status(t, "/display/ALA-01/events?token="+watch.token); st != http.StatusServiceUnavailable {
		t.Errorf("stream that cannot watch = %d, want 503", st)
	}
}

// TestDisplayCSP: the page and its refusals forbid framing, a base and
// forms, and the refusal's own style is allowed by its hash alone.
func TestDisplayCSP(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	for path, want := range map[string]int{
		"/display/ALA-01?token=" + h.token: http.StatusOK,
		"/display/ALA-01?token=nothing":    http.StatusUnauthorized,
	} {
		status, hdr, body := h.get(t, path)
		csp := hdr.Get("Content-Security-Policy")
		if status != want {
			t.Fatalf("%d, want %d", status, want)
		}
		for _, d := range []string{"frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "default-src "} {
			if !strings.Contains(csp, d) {
				t.Errorf("%d page's policy %q lacks %q", status, csp, d)
			}
		}
		if i, j := strings.Index(body, "<style>"), strings.Index(body, "</style>"); i >= 0 && j > i {
			sum := sha256.Sum256([]byte(body[i+len("<style>") : j]))
			if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, hash) {
				t.Errorf("%d page's policy %q does not allow its style %s", status, csp, hash)
			}
		}
	}
}

// TestDisplaySayOnlyCalled: a display's token has only the numbers
// called today at their windows synthesised; any other phrase is the
// chime alone, not kept, and runs no espeak-ng.
func TestDisplaySayOnlyCalled(t *testing.T) {
	h := start(t, hall.FakeEspeak(t))
	h.submit(t)
	called := h.call(t, 3).Status.Ticket.Number
	say := func(number, window string) (string, http.Header) {
		t.Helper()
		status, hdr, body := h.get(t, "/display/ALA-01/say?number="+number+"&window="+window+"&token="+h.token)
		if status != http.StatusOK || hdr.Get("Content-Type") != "audio/wav" {
			t.Fatalf("say %s %s = %d %s", number, window, status, hdr.Get("Content-Type"))
		}
		return body, hdr
	}
	for _, q := range [][2]string{{"Z999", "3"}, {called, "4"}, {"A999", "3"}, {"A998", "1"}} {
		body, hdr := say(q[0], q[1])
		if body != string(h.say.Chime()) || hdr.Get("Cache-Control") != "no-store" {
			t.Errorf("say %s at %s, never called: %d bytes (%s), want the chime alone, not kept", q[0], q[1], len(body), hdr.Get("Cache-Control"))
		}
	}
	if n := h.say.Runs(); n != 0 {
		t.Errorf("phrases never called ran espeak-ng %d times", n)
	}
	// A number called while a display watches, at its window.
	s := h.open(t, "")
	s.must(t)
	h.submit(t)
	live := h.call(t, 7).Status.Ticket.Number
	s.must(t)
	for _, q := range [][2]string{{called, "3"}, {live, "7"}} {
		if body, _ := say(q[0], q[1]); len(body) <= len(h.say.Chime()) {
			t.Errorf("say %s at %s, called: %d bytes, want more than the chime", q[0], q[1], len(body))
		}
	}
	if n := h.say.Runs(); n != 4 {
		t.Errorf("espeak-ng ran %d times for two called phrases, want 4", n)
	}
}

// TestDisplayMidnight: a TV left on overnight gets the new day's empty
// board at the branch's midnight, without reconnecting.
func TestDisplayMidnight(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	h.submit(t)
	s := h.open(t, "")
	s.must(t)
	h.call(t, 2)
	if m := s.must(t); len(m.board.Calls) != 1 {
		t.Fatalf("after the call: %+v", m.board)
	}
	// Just past midnight in Almaty (UTC+5; +6 in older zone data).
	tomorrow := time.Date(2025, 9, 24, 19, 0, 1, 0, time.UTC)
	h.clock.Set(tomorrow)
	h.seen.Set(tomorrow)
	for {
		m := s.must(t)
		if len(m.board.Calls) == 0 && len(m.board.Serving) == 0 {
			if m.id != "" || m.board.Say != nil {
				t.Errorf("the new day's board has id %q, say %v", m.id, m.board.Say)
			}
			return
		}
	}
}

// TestDisplayCatchUpAfterCut: a display whose stream is cut while calls
// are made resumes with Last-Event-ID, shows them all, and announces only
// the one made within the last half minute.
func TestDisplayCatchUpAfterCut(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	for range 4 {
		h.submit(t)
	}
	s := h.open(t, "")
	s.must(t)
	h.call(t, 1)
	first := s.must(t)
	if first.board.Say == nil {
		t.Fatalf("the call before the cut was not announced: %+v", first.board)
	}
	s.body.Close() // the cut
	// Offline for five minutes: two calls minutes old, one fresh.
	h.clock.Set(h.clock.Now().Add(time.Minute))
	old1 := h.call(t, 2).Status.Ticket.Number
	h.clock.Set(h.clock.Now().Add(time.Minute))
	old2 := h.call(t, 3).Status.Ticket.Number
	h.clock.Set(h.clock.Now().Add(3 * time.Minute))
	fresh := h.call(t, 4).Status.Ticket.Number
	h.seen.Set(h.clock.Now().Add(5 * time.Second))
	r := h.open(t, first.id)
	m := r.must(t)
	if m.id != "" || m.board.Say != nil || len(m.board.Calls) != 4 || m.board.Calls[0] != (spot{fresh, "4"}) {
		t.Fatalf("board on resuming = %+v (id %q), want four calls, %s at 4 first, silent", m.board, m.id, fresh)
	}
	var said []spot
	var got []string
	for range 3 {
		m := r.must(t)
		if m.id == "" {
			t.Fatalf("a missed call came without its id:\n%s", m.raw)
		}
		got = append(got, m.board.Calls[0].Number)
		if m.board.Say != nil {
			said = append(said, *m.board.Say)
		}
	}
	if want := []string{old1, old2, fresh}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("missed calls came as %v, want %v", got, want)
	}
	if len(said) != 1 || said[0] != (spot{fresh, "4"}) {
		t.Errorf("announced on catching up: %+v, want only %s at 4", said, fresh)
	}
}
