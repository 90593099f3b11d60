package console

import (
	"errors"
	"io"
	"net/http"
	"time"
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
