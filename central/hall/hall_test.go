package hall_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/hall"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// hallServer is a central server with the display mounted, on loopback,
// with a real SQLite store. Its clock and the display's are apart, so a
// test can make an event old when the display receives it.
type hallServer struct {
	*httptest.Server
	st      central.Store
	srv     *central.Server
	clock   *storetest.Clock // the server's: events are stamped with it
	seen    *storetest.Clock // the display's: it judges an event's age
	say     *hall.Speaker
	log     *logBuffer
	token   string // ALA-01's display token
	applied []api.Application
}

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start serves ALA-01 and AST-01 with the display; espeak is the
// synthesiser's command ("" for the real espeak-ng).
func start(t testing.TB, espeak string) *hallServer {
	t.Helper()
	return startWith(t, espeak, hallOptions{})
}

// hallOptions are what a test changes of the display it starts.
type hallOptions struct {
	// source wraps the server as the display's Source; nil means the
	// server itself.
	source func(*central.Server) hall.Source
	// writeTimeout is the display's hall.Options.WriteTimeout.
	writeTimeout time.Duration
	// sendBuffer, if set, bounds the server's socket send buffers, so
	// that a client that stops reading stalls its stream soon.
	sendBuffer int
}

// startWith is start with the display as o says.
func startWith(t testing.TB, espeak string, o hallOptions) *hallServer {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "central.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := central.Demo(1)
	reg.Branches = append(reg.Branches, central.Branch{ID: "AST-01", Zone: "Asia/Almaty", Windows: 2,
		Kiosks: []central.Kiosk{{ID: "K-AST", OfflinePrefix: "S"}}})
	clock := storetest.NewClock(storetest.Morning())
	seen := storetest.NewClock(storetest.Morning())
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// Tokens are asked of the store every time, so a revocation ends a
	// stream at its next keep-alive.
	srv, err := central.NewServer(central.Options{Store: st, Registry: reg, Key: storetest.Key(), Now: clock.Now,
		Logger: logger, TokenCache: -1})
	if err != nil {
		t.Fatal(err)
	}
	say, err := hall.NewSpeaker(hall.SpeakerOptions{Espeak: espeak, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	var src hall.Source = srv
	if o.source != nil {
		src = o.source(srv)
	}
	h, err := hall.New(hall.Options{Source: src, Speaker: say, Logger: logger, Now: seen.Now, KeepAlive: 20 * time.Millisecond,
		WriteTimeout: o.writeTimeout})
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount("/display/", h)
	ts := httptest.NewUnstartedServer(srv)
	if o.sendBuffer > 0 {
		ts.Listener = smallSendBuffer{ts.Listener, o.sendBuffer}
	}
	ts.Start()
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
		st.Close()
	})
	return &hallServer{Server: ts, st: st, srv: srv, clock: clock, seen: seen, say: say, log: logs,
		token: storetest.Mint(t, st, central.RoleDisplay, "ALA-01", "")}
}

// submit has kiosk K-01 queue a visitor and returns the ticket.
func (h *hallServer) submit(t testing.TB) api.Ticket {
	t.Helper()
	a := storetest.Application("K-01", api.LaneOrdinary, h.clock.Now())
	a.Phone = "+77011234567"
	h.applied = append(h.applied, a)
	c := storetest.Bearer(h.Client(), storetest.Mint(t, h.st, central.RoleKiosk, "ALA-01", "K-01"))
	st, b := storetest.Do(t, c, "POST", h.URL+"/v1/applications", a)
	if st != http.StatusCreated {
		t.Fatalf("submit = %d: %s", st, b)
	}
	return storetest.Decode[api.Ticket](t, b)
}

// call has a console clerk call the next visitor to a window.
func (h *hallServer) call(t testing.TB, window int) api.Call {
	t.Helper()
	c, err := h.srv.CallNextAt(context.Background(), "u-1", "ALA-01", window)
	if err != nil {
		t.Fatalf("call next to %d: %v", window, err)
	}
	return c
}

// personal is what the display must never show of the applications.
func (h *hallServer) personal() []string {
	var out []string
	for _, a := range h.applied {
		out = append(out, a.Applicant.Latin.Surname, a.Applicant.Latin.GivenNames, a.Applicant.DocumentNumber,
			a.Applicant.BirthDate, a.Phone, a.ID)
	}
	return out
}

func (h *hallServer) get(t *testing.T, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := h.Client().Get(h.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// status is the status of an answer whose body is left unread (a stream).
func (h *hallServer) status(t *testing.T, path string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+path, nil)
	resp, err := h.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// board is a "board" message of the stream, as the page reads it.
type board struct {
	Calls   []spot `json:"calls"`
	Serving []spot `json:"serving"`
	Say     *spot  `json:"say"`
}

type spot struct{ Number, Window string }

// message is one message of the stream.
type message struct {
	id    string // "" when the message has none
	board board
	raw   string
}

// stream is a display's event stream, read message by message.
type stream struct {
	rd   *bufio.Reader
	body io.Closer
}

// open starts the display's stream, resuming after lastID unless "".
func (h *hallServer) open(t testing.TB, lastID string) *stream {
	t.Helper()
	// The deadline only bounds a stream that never brings what a test waits for.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/display/ALA-01/events?token="+h.token, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := h.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return &stream{rd: bufio.NewReader(resp.Body), body: resp.Body}
}

// next reads the next message, skipping comments; io.EOF when the stream
// ended.
func (s *stream) next() (message, error) {
	var m message
	var data strings.Builder
	for {
		line, err := s.rd.ReadString('\n')
		if err != nil {
			return m, err
		}
		m.raw += line
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && data.Len() > 0:
			return m, json.Unmarshal([]byte(data.String()), &m.board)
		case line == "":
			m = message{}
		case strings.HasPrefix(line, "id: "):
			m.id = line[len("id: "):]
		case strings.HasPrefix(line, "data: "):
			data.WriteString(line[len("data: "):])
		}
	}
}

func (s *stream) must(t testing.TB) message {
	t.Helper()
	m, err := s.next()
	if err != nil {
		t.Fatalf("display stream: %v", err)
	}
	return m
}

// TestDisplayAccess: the page, its stream and its announcements ask for a
// display token of their branch in the address: none, a bad, a revoked or
// another role's token gets 401, another branch's 403; and the token never
// reaches the log.
func TestDisplayAccess(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	ctx := context.Background()
	revoked, rec, err := central.MintToken(ctx, h.st, central.RoleDisplay, "ALA-01", "", "old TV", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.st.RevokeToken(ctx, rec.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{
		"none":         "",
		"garbage":      "hcsc_nothing",
		"revoked":      revoked,
		"clerk":        storetest.Mint(t, h.st, central.RoleClerk, "ALA-01", ""),
		"admin":        storetest.Mint(t, h.st, central.RoleAdmin, "", ""),
		"other branch": storetest.Mint(t, h.st, central.RoleDisplay, "AST-01", ""),
		"display":      h.token,
	}
	want := map[string]int{"other branch": http.StatusForbidden, "display": http.StatusOK}
	paths := []string{"/display/ALA-01?token=", "/display/ALA-01/say?number=A001&window=1&token="}
	for name, tok := range tokens {
		w, ok := want[name]
		if !ok {
			w = http.StatusUnauthorized
		}
		for _, p := range paths {
			status, _, body := h.get(t, p+tok)
			if status != w {
				t.Errorf("%s token: GET %s = %d, want %d:\n%s", name, p, status, w, body)
			}
		}
		// The stream's refusal comes before any event.
		if status := h.status(t, "/display/ALA-01/events?token="+tok); status != w {
			t.Errorf("%s token: events = %d", name, status)
		}
	}
	for name, tok := range tokens {
		if tok != "" && strings.Contains(h.log.String(), tok) {
			t.Errorf("the %s token is in the log", name)
		}
	}
}

// TestDisplayPage: the page shows today's calls and who is served at
// which window, numbers only.
func TestDisplayPage(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	first, second := h.submit(t), h.submit(t)
	h.submit(t)
	h.call(t, 3)
	h.clock.Set(h.clock.Now().Add(time.Minute))
	h.call(t, 5)
	status, hdr, page := h.get(t, "/display/ALA-01?token="+h.token)
	if status != http.StatusOK {
		t.Fatalf("page = %d:\n%s", status, page)
	}
	if hdr.Get("Referrer-Policy") != "no-referrer" || hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("headers let the token go further: %v", hdr)
	}
	for _, want := range []string{
		`<div id="now-number" class="number">` + second.Number + `</div>`,
		`<span id="now-window" class="window">5</span>`,
		`<td class="number">` + first.Number + `</td><td class="window">3</td>`,
		`<span class="window">3</span><span class="number">` + first.Number + `</span>`,
		"Шақырылады", "Вызывается", "Терезе", "Окно",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	for _, p := range h.personal() {
		if strings.Contains(page, p) {
			t.Errorf("page shows personal data %q", p)
		}
	}
	for f, want := range map[string]int{"hall.css": http.StatusOK, "hall.js": http.StatusOK, "": http.StatusNotFound,
		"nothing.js": http.StatusNotFound, "..%2fhall.go": http.StatusBadRequest, "..%2ftemplates%2fdisplay.html": http.StatusBadRequest} {
		if status, _, body := h.get(t, "/display/ALA-01/static/"+f); status != want || (want == http.StatusOK && len(body) == 0) {
			t.Errorf("static %q = %d, want %d", f, status, want)
		}
	}
}

// TestDisplayStream: the board comes first, then each call with its
// event id and its announcement; a completion frees the window.
func TestDisplayStream(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	tk := h.submit(t)
	s := h.open(t, "")
	if m := s.must(t); m.id != "" || len(m.board.Calls) != 0 || !strings.HasPrefix(m.raw, "retry: ") {
		t.Fatalf("first message = %q, want the empty board without id", m.raw)
	}
	h.call(t, 3)
	m := s.must(t)
	id, err := strconv.ParseInt(m.id, 10, 64)
	if err != nil || id <= 0 {
		t.Fatalf("the call's message has id %q:\n%s", m.id, m.raw)
	}
	want := spot{tk.Number, "3"}
	if len(m.board.Calls) != 1 || m.board.Calls[0] != want || m.board.Say == nil || *m.board.Say != want ||
		len(m.board.Serving) != 1 || m.board.Serving[0] != want {
		t.Fatalf("after the call: %+v", m.board)
	}
	if _, err := h.srv.Act(context.Background(), central.ClerkAction{Branch: "ALA-01", ID: tk.ApplicationID, Action: central.ActionComplete,
		User: "u-1", Result: central.ResultIIN}); err != nil {
		t.Fatal(err)
	}
	m = s.must(t)
	if next, _ := strconv.ParseInt(m.id, 10, 64); next <= id || m.board.Say != nil || len(m.board.Serving) != 0 ||
		len(m.board.Calls) != 1 {
		t.Fatalf("after completion (id %s): %+v", m.id, m.board)
	}
	for _, p := range h.personal() {
		if strings.Contains(m.raw, p) {
			t.Errorf("stream carries personal data %q", p)
		}
	}
}

// TestDisplayResume: a display that reconnects with Last-Event-ID gets the
// board as it is, then only events after that id.
func TestDisplayResume(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	a, b, c := h.submit(t), h.submit(t), h.submit(t)
	s := h.open(t, "")
	s.must(t)
	h.call(t, 1)
	first := s.must(t)
	s.body.Close() // the cut
	h.clock.Set(h.clock.Now().Add(time.Minute))
	h.call(t, 2) // missed
	r := h.open(t, first.id)
	m := r.must(t)
	if m.id != "" || len(m.board.Calls) != 2 || m.board.Calls[0] != (spot{b.Number, "2"}) || m.board.Calls[1] != (spot{a.Number, "1"}) {
		t.Fatalf("board on resuming = %+v, want %s at 2 and %s at 1", m.board, b.Number, a.Number)
	}
	h.call(t, 3)
	after, _ := strconv.ParseInt(first.id, 10, 64)
	for {
		m := r.must(t)
		if id, err := strconv.ParseInt(m.id, 10, 64); err != nil || id <= after {
			t.Fatalf("resumed after %d, got message id %q:\n%s", after, m.id, m.raw)
		}
		if m.board.Calls[0].Number == c.Number {
			break
		}
	}
}

// TestDisplayCatchUpSilent: a call the display receives more than
// DefaultSpeakWithin after it was made (a display back from a cut) goes
// on the board unannounced; a fresh one is announced.
func TestDisplayCatchUpSilent(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	s := h.open(t, "")
	s.must(t)
	for _, tc := range []struct {
		late  time.Duration
		spoke bool
	}{
		{0, true},
		{hall.DefaultSpeakWithin, true},
		{hall.DefaultSpeakWithin + time.Second, false},
		{5 * time.Minute, false},
	} {
		tk := h.submit(t)
		h.seen.Set(h.clock.Now().Add(tc.late))
		h.call(t, 4)
		m := s.must(t)
		if m.board.Calls[0].Number != tk.Number {
			t.Fatalf("%v late: board %+v lacks %s", tc.late, m.board, tk.Number)
		}
		if spoke := m.board.Say != nil; spoke != tc.spoke {
			t.Errorf("%v late: announced = %v, want %v", tc.late, spoke, tc.spoke)
		}
	}
}

// TestDisplayRevoked: a revoked token's stream ends at the next
// keep-alive.
func TestDisplayRevoked(t *testing.T) {
	h := start(t, "/nonexistent/espeak-ng")
	s := h.open(t, "")
	s.must(t)
	toks, err := h.st.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range toks {
		if tk.Role == central.RoleDisplay && tk.Branch == "ALA-01" {
			if err := h.st.RevokeToken(context.Background(), tk.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	for {
		if _, err := s.next(); err != nil {
			if err != io.EOF {
				t.Fatalf("stream ended with %v, want its end", err)
			}
			return
		}
	}
}

// TestDisplaySay: the announcement endpoint takes a checked number and
// window only, answers a WAV, and synthesises a phrase once.
func TestDisplaySay(t *testing.T) {
	h := start(t, hall.FakeEspeak(t))
	for _, q := range []string{
		"", "number=A042", "window=3", "number=A042&window=0", "number=A042&window=03", "number=A042&window=1000",
		"number=a042&window=3", "number=A42&window=3", "number=А042&window=3", "number=A042;rm&window=3",
		"number=A042&window=3%20", "number=--help&window=3", "number=A042&window=-v",
	} {
		if status, _, body := h.get(t, "/display/ALA-01/say?"+q+"&token="+h.token); status != http.StatusBadRequest {
			t.Errorf("say?%s = %d, want 400: %s", q, status, body)
		}
	}
	if n := h.say.Runs(); n != 0 {
		t.Errorf("refused phrases ran espeak-ng %d times", n)
	}
	h.submit(t)
	called := h.call(t, 3).Status.Ticket.Number
	for range 2 {
		status, hdr, body := h.get(t, "/display/ALA-01/say?number="+called+"&window=3&token="+h.token)
		if status != http.StatusOK || hdr.Get("Content-Type") != "audio/wav" || !strings.HasPrefix(body, "RIFF") {
			t.Fatalf("say = %d %s %.8q", status, hdr.Get("Content-Type"), body)
		}
		if len(body) <= len(h.say.Chime()) {
			t.Errorf("announcement of %d bytes is no longer than the chime's %d", len(body), len(h.say.Chime()))
		}
	}
	if n := h.say.Runs(); n != 2 {
		t.Errorf("espeak-ng ran %d times for one phrase asked twice, want 2 (kk and ru once)", n)
	}
}
