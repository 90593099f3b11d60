package hall

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Source is what the display needs of the server: *central.Server is one.
type Source interface {
	CheckDisplayToken(ctx context.Context, token, branch string) error
	HallBoard(ctx context.Context, branch string) (central.HallBoard, error)
	Watch(ctx context.Context, branch string, after int64) (<-chan api.BranchEvent, error)
}

// Options configure a Handler.
type Options struct {
	Source Source
	// Speaker makes the announcements; nil means NewSpeaker with the
	// default options and Logger.
	Speaker *Speaker
	// Logger gets a line per refused address and failed announcement,
	// never a token; nil discards.
	Logger *slog.Logger
	// Now is the clock that judges an event's age; nil means time.Now.
	Now func() time.Time
	// KeepAlive is the interval of comment lines on a display's stream,
	// at each of which its token is checked again; 0 means
	// central.DefaultKeepAlive.
	KeepAlive time.Duration
	// SpeakWithin is the age up to which a call is announced when a
	// display receives it; an older one (a display catching up after a
	// cut) updates the board silently. 0 means DefaultSpeakWithin.
	SpeakWithin time.Duration
	// WriteTimeout bounds each write to a display's stream: a TV that
	// stops reading (its network stalled, its browser hung) has its
	// stream, and the stream's subscription, end after it. 0 means
	// DefaultWriteTimeout.
	WriteTimeout time.Duration
}

// DefaultWriteTimeout: a board is a few hundred bytes; a display that
// cannot take one in ten seconds is gone.
const DefaultWriteTimeout = 10 * time.Second

// The pages' Content-Security-Policy: nothing but the display's own
// style, script, sounds and stream, and never inside another site's
// frame. The refusals allow only their inline style, by its hash.
const (
	displayPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	refusedPolicy = "default-src 'none'; style-src %s; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

// DefaultSpeakWithin: a display that was cut for up to half a minute
// still says the calls it missed; after longer ones the visitors have
// read the board or heard another display.
const DefaultSpeakWithin = 30 * time.Second

// Handler serves the hall displays under /display/.
type Handler struct {
	src          Source
	say          *Speaker
	log          *slog.Logger
	now          func() time.Time
	keepAlive    time.Duration
	speakWithin  time.Duration
	writeTimeout time.Duration
	refusedCSP   string
	page         *template.Template
	mux          *http.ServeMux
	called       calledSet
}

// New makes the display's handler, to mount at "/display/".
func New(o Options) (*Handler, error) {
	if o.Source == nil {
		return nil, errors.New("hall: no Source")
	}
	h := &Handler{src: o.Source, say: o.Speaker, log: o.Logger, now: o.Now, keepAlive: o.KeepAlive, speakWithin: o.SpeakWithin,
		writeTimeout: o.WriteTimeout}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.keepAlive <= 0 {
		h.keepAlive = central.DefaultKeepAlive
	}
	if h.speakWithin <= 0 {
		h.speakWithin = DefaultSpeakWithin
	}
	if h.writeTimeout <= 0 {
		h.writeTimeout = DefaultWriteTimeout
	}
	if h.say == nil {
		var err error
		if h.say, err = NewSpeaker(SpeakerOptions{Logger: h.log}); err != nil {
			return nil, err
		}
	}
	var err error
	if h.page, err = template.ParseFS(templateFS, "templates/*.html"); err != nil {
		return nil, err
	}
	if h.refusedCSP, err = refusedPolicyOf(templateFS, "templates/refused.html"); err != nil {
		return nil, err
	}
	static, _ := fs.Sub(staticFS, "static")
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /display/{branch}", h.show)
	h.mux.HandleFunc("GET /display/{branch}/events", h.events)
	h.mux.HandleFunc("GET /display/{branch}/say", h.announce)
	// The style and script hold nothing of a branch: no token asked.
	h.mux.HandleFunc("GET /display/{branch}/static/{file}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=300")
		http.ServeFileFS(w, r, static, r.PathValue("file"))
	})
	return h, nil
}

// ServeHTTP serves the display's pages. Every answer keeps the token in
// its address from going further: no page sends it as a referrer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// allowed checks the address's token for the branch, answering the
// refusal itself: 401 for a missing or invalid token, 403 for another
// branch's, 503 when the store cannot say.
func (h *Handler) allowed(w http.ResponseWriter, r *http.Request) bool {
	branch := r.PathValue("branch")
	err := h.src.CheckDisplayToken(r.Context(), r.URL.Query().Get("token"), branch)
	if err == nil {
		return true
	}
	status, msg := http.StatusServiceUnavailable, unavailable
	switch {
	case errors.Is(err, central.ErrDisplayToken):
		status, msg = http.StatusUnauthorized, refusal{"Дисплей токені жоқ немесе жарамсыз", "Токен табло отсутствует или недействителен"}
	case errors.Is(err, central.ErrDisplayBranch):
		status, msg = http.StatusForbidden, refusal{"Бұл токен басқа филиалға арналған", "Этот токен выдан для другого филиала"}
	default:
		h.log.LogAttrs(r.Context(), slog.LevelError, "hall display: token check", slog.String("branch", branch), slog.Any("err", err))
	}
	// The path, never the query: the token is in it.
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "hall display refused", slog.String("path", r.URL.Path), slog.Int("status", status))
	h.refuse(w, status, msg)
	return false
}

// refuse answers a page in both languages that says why the display
// cannot show, and reloads itself: a TV has no one to press reload, and
// must come back by itself once the token or the store is right again.
func (h *Handler) refuse(w http.ResponseWriter, status int, msg refusal) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", h.refusedCSP)
	w.WriteHeader(status)
	h.page.ExecuteTemplate(w, "refused.html", msg)
}

var (
	unavailable = refusal{"Қызмет уақытша қолжетімсіз", "Сервис временно недоступен"}
	noBranch    = refusal{"Мұндай филиал жоқ", "Такого филиала нет"}
)

// refusedPolicyOf is the policy of the refusal page in file: its inline
// style allowed by its hash, nothing else.
func refusedPolicyOf(fsys fs.FS, file string) (string, error) {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return "", err
	}
	_, rest, ok := bytes.Cut(b, []byte("<style>"))
	style, _, ok2 := bytes.Cut(rest, []byte("</style>"))
	if !ok || !ok2 {
		return "", fmt.Errorf("hall: %s has no <style>", file)
	}
	sum := sha256.Sum256(style)
	return fmt.Sprintf(refusedPolicy, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'"), nil
}

// refusal is a refused display's message, in both languages.
type refusal struct{ KK, RU string }

// show renders the display with the board of now, which the stream then
// keeps current.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r) {
		return
	}
	branch := r.PathValue("branch")
	hb, err := h.src.HallBoard(r.Context(), branch)
	if errors.Is(err, central.ErrNotFound) {
		h.refuse(w, http.StatusNotFound, noBranch)
		return
	}
	if err != nil {
		h.log.LogAttrs(r.Context(), slog.LevelError, "hall display: board", slog.String("branch", branch), slog.Any("err", err))
		h.refuse(w, http.StatusServiceUnavailable, unavailable)
		return
	}
	h.called.addBoard(branch, hb)
	var buf bytes.Buffer
	if err := h.page.ExecuteTemplate(&buf, "display.html", struct {
		Branch string
		Board  *board
	}{branch, newBoard(hb)}); err != nil {
		h.log.LogAttrs(r.Context(), slog.LevelError, "hall display: render", slog.Any("err", err))
		h.refuse(w, http.StatusInternalServerError, unavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", displayPolicy)
	w.Write(buf.Bytes())
}

// events streams the board: first as it is now (no id: it is no event),
// then after each event that changes it, with the event's id so that the
// browser's EventSource resumes with Last-Event-ID after a cut or a
// restart. An event is announced (the board's "say") only while fresh:
// see Options.SpeakWithin. At the branch's midnight the new day's board
// follows, empty. The stream ends when the token stops being valid,
// checked at every keep-alive, or when a write waits longer than
// Options.WriteTimeout.
func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r) {
		return
	}
	branch, token := r.PathValue("branch"), r.URL.Query().Get("token")
	// A display just opened is drawn from the board: it hears new events
	// only. One that reconnects resumes after the last it saw.
	after := int64(-1)
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			http.Error(w, "Last-Event-ID: an event id", http.StatusBadRequest)
			return
		}
		after = n
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	// Watch before reading the board, so that no event falls between.
	events, err := h.src.Watch(ctx, branch, after)
	if errors.Is(err, central.ErrNotFound) {
		http.Error(w, "no such branch", http.StatusNotFound)
		return
	}
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelError, "hall display: watch", slog.String("branch", branch), slog.Any("err", err))
		http.Error(w, "the events cannot be read now", http.StatusServiceUnavailable)
		return
	}
	hb, err := h.src.HallBoard(ctx, branch)
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelError, "hall display: board", slog.String("branch", branch), slog.Any("err", err))
		http.Error(w, "the board cannot be read now", http.StatusServiceUnavailable)
		return
	}
	h.called.addBoard(branch, hb)
	b := newBoard(hb)
	rc := http.NewResponseController(w)
	// The deadline is the connection's: leave none to a next request on it.
	defer rc.SetWriteDeadline(time.Time{})
	var buf bytes.Buffer
	send := func() error {
		// The network's time, not the injected clock.
		if err := rc.SetWriteDeadline(time.Now().Add(h.writeTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		return rc.Flush()
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// retry: a display reconnects within two seconds of a cut.
	buf.WriteString("retry: 2000\n")
	writeBoard(&buf, 0, b)
	err = send()
	tick := time.NewTicker(h.keepAlive)
	defer tick.Stop()
	// newDay sends the board of the day begun: a TV left on overnight
	// shows no call of yesterday's.
	newDay := func() error {
		nb, err := h.src.HallBoard(ctx, branch)
		if err != nil {
			return err
		}
		h.called.addBoard(branch, nb)
		hb, b = nb, newBoard(nb)
		buf.Reset()
		writeBoard(&buf, 0, b)
		return send()
	}
	for err == nil {
		select {
		case <-tick.C:
			if err = h.src.CheckDisplayToken(ctx, token, branch); err != nil {
				if ctx.Err() == nil {
					h.log.LogAttrs(ctx, slog.LevelInfo, "hall display: token no longer valid; stream ended", slog.String("branch", branch))
				}
				return
			}
			if !h.now().Before(tomorrow(hb)) {
				if err = newDay(); err != nil {
					break
				}
			}
			buf.Reset()
			buf.WriteString(": keep-alive\n\n")
			err = send()
		case e, ok := <-events:
			if !ok {
				return
			}
			if !e.At.Before(tomorrow(hb)) {
				if err = newDay(); err != nil {
					break
				}
			}
			// Yesterday's events (a durable stream's replay from 0) are
			// not today's board.
			if e.At.Before(hb.DayStart) || !b.apply(e) {
				continue
			}
			b.Say = nil
			if e.Kind == api.ChangeCalled || e.Kind == api.ChangeRecalled {
				h.called.add(branch, hb.DayStart, call{e.Number, e.Window})
			}
			if speakable(e, h.now(), h.speakWithin) {
				b.Say = &call{e.Number, e.Window}
			}
			buf.Reset()
			writeBoard(&buf, e.ID, b)
			err = send()
		}
	}
	// A display that went away ends here, and its subscription with it;
	// one that stalled is worth a line: its TV may need a look.
	level := slog.LevelDebug
	if errors.Is(err, os.ErrDeadlineExceeded) {
		level = slog.LevelInfo
	}
	h.log.LogAttrs(context.WithoutCancel(ctx), level, "hall display: stream ended", slog.String("branch", branch), slog.Any("err", err))
}

// tomorrow is the start of the day after hb's.
func tomorrow(hb central.HallBoard) time.Time { return hb.DayStart.AddDate(0, 0, 1) }

// writeBoard writes one "board" message; id 0 writes none, leaving the
// browser's Last-Event-ID as it was.
func writeBoard(buf *bytes.Buffer, id int64, b *board) {
	if id > 0 {
		buf.WriteString("id: " + strconv.FormatInt(id, 10) + "\n")
	}
	buf.WriteString("event: board\ndata: ")
	json.NewEncoder(buf).Encode(b) // one line, ending with '\n'
	buf.WriteString("\n")
}

// announce answers the announcement of a number at a window as a WAV
// file: the chime, then the phrase in Kazakh and Russian, or the chime
// alone without espeak-ng or when synthesis fails (the hall hears
// something either way).
func (h *Handler) announce(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r) {
		return
	}
	q := r.URL.Query()
	p, err := ParsePhrase(q.Get("number"), q.Get("window"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// Only a number called today at that window is synthesised: a token
	// cannot keep espeak-ng busy, or push the day's phrases out of the
	// cache, with numbers nobody called. Another display's stream, or
	// another process, may have seen the call: then the board knows.
	branch := r.PathValue("branch")
	c := call{p.Number, strconv.Itoa(p.Window)}
	if !h.called.has(branch, c) {
		hb, err := h.src.HallBoard(r.Context(), branch)
		if err != nil {
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "hall display: board for an announcement; chime only", slog.String("branch", branch), slog.Any("err", err))
		} else {
			h.called.addBoard(branch, hb)
		}
		if err != nil || !h.called.has(branch, c) {
			w.Header().Set("Content-Type", "audio/wav")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Length", strconv.Itoa(len(h.say.Chime())))
			w.Write(h.say.Chime())
			return
		}
	}
	wav, err := h.say.Announce(r.Context(), p)
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		h.log.LogAttrs(r.Context(), slog.LevelWarn, "hall display: announcement; chime only", slog.Any("err", err))
		wav = h.say.Chime()
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(wav)))
	w.Write(wav)
}
