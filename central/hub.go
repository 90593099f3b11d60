package central

import (
	"sync"

	"github.com/hcsc-kz/kiosk/central/api"
)

// hub fans a branch's events out to the streams of one server process.
// A slow display misses events rather than slowing the clerks down.
type hub struct {
	mu     sync.Mutex
	subs   map[string]map[chan api.BranchEvent]struct{}
	closed bool
	done   chan struct{}
}

func newHub() *hub {
	return &hub{subs: map[string]map[chan api.BranchEvent]struct{}{}, done: make(chan struct{})}
}

func (h *hub) subscribe(branch string) (chan api.BranchEvent, func()) {
	ch := make(chan api.BranchEvent, 64)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[branch] == nil {
		h.subs[branch] = map[chan api.BranchEvent]struct{}{}
	}
	h.subs[branch][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[branch], ch)
	}
}

func (h *hub) publish(branch string, e api.BranchEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[branch] {
		select {
		case ch <- e:
		default: // the watcher is behind; it will see the next event
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
