package console

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// streamWrite bounds each write of a page's event stream: a browser that
// stopped reading with its connection still open (a frozen tab, a cut
// with no reset) ends the stream, and with it the handler's goroutine and
// its Watch, instead of holding them until TCP gives up.
const streamWrite = 10 * time.Second

// stream writes a page's server-sent events.
type stream struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// newStream starts an event stream's answer. The caller defers end.
func newStream(w http.ResponseWriter) *stream {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	return &stream{w: w, rc: http.NewResponseController(w)}
}

// send writes text and flushes it, within streamWrite of the network's
// clock (not the console's, which tests set).
func (s *stream) send(text string) error {
	if err := s.rc.SetWriteDeadline(time.Now().Add(streamWrite)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if _, err := io.WriteString(s.w, text); err != nil {
		return err
	}
	return s.rc.Flush()
}

// end clears the deadline: it is the connection's, and a next request on
// it must not inherit it.
func (s *stream) end() { s.rc.SetWriteDeadline(time.Time{}) }

// watchStream opens a page's stream of a branch's events, resuming after
// the request's Last-Event-ID, and starts the answer. When the branch is
// unknown (answered with unknown and a link back) or the events cannot be
// read, it has answered the request and returns a nil stream. The events
// end with the request.
func (c *Console) watchStream(w http.ResponseWriter, r *http.Request,
	watch func(ctx context.Context, branch string, after int64) (<-chan api.BranchEvent, error),
	branch string, unknown int, link string) (<-chan api.BranchEvent, *stream) {
	events, err := watch(r.Context(), branch, lastEventID(r))
	if errors.Is(err, central.ErrNotFound) {
		t := texts(r)
		c.render(w, unknown, "message", page{T: t, Message: t.UnknownBranch, Link: link})
		return nil, nil
	}
	if err != nil {
		c.fail(w, r, err)
		return nil, nil
	}
	return events, newStream(w)
}
