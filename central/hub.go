package central

import (
	"sync"

	"github.com/hcsc-kz/kiosk/central/api"
)

// hub fans called numbers out to the display streams of one server process.
// A slow display misses events rather than slowing the clerks down.
type hub struct {
	mu     sync.Mutex
	subs   map[string]map[chan api.Called]struct{}
	closed bool
	done   chan struct{}
}

func newHub() *hub {
	return &hub{subs: map[string]map[chan api.Called]struct{}{}, done: make(chan struct{})}
}

func (h *hub) subscribe(branch string) (chan api.Called, func()) {
	ch := make(chan api.Called, 64)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[branch] == nil {
		h.subs[branch] = map[chan api.Called]struct{}{}
	}
	h.subs[branch][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[branch], ch)
	}
}

func (h *hub) publish(branch string, c api.Called) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[branch] {
		select {
		case ch <- c:
		default: // the display is behind; it will see the next call
		}
	}
}

// close ends every stream, so http.Server.Shutdown need not wait for them.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}
