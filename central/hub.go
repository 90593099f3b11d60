package central

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// hub fans a branch's stored events out to the streams of one server
// process. It reads them from the store, one read per branch for all of
// its streams, whenever it hears that the branch has new ones: from this
// process's emit, or from other processes through an EventNotifier. The
// store's ids grow in commit order per branch, so a read after the last
// id seen misses nothing. A stream too slow to take an event is not
// waited for: it is marked behind and reads the missed events from the
// store itself.
type hub struct {
	store BranchEventStore
	log   *slog.Logger
	ctx   context.Context // ends at close: the store reads and the notifier
	stop  context.CancelFunc

	mu     sync.Mutex
	feeds  map[string]*feed
	closed bool
	done   chan struct{}
}

// feed is one branch's events as the hub reads them.
type feed struct {
	branch string
	wake   chan struct{} // a read is wanted; holds one
	// fetch is held while the feed reads the store and while a first
	// watcher sets cursor, so the two never interleave.
	fetch  sync.Mutex
	cursor int64                 // the last id read; under fetch
	subs   map[*watcher]struct{} // under hub.mu
}

// watcher is one stream's subscription.
type watcher struct {
	ch  chan api.BranchEvent
	lag chan struct{} // holds one: the watcher missed events
	// behind is set when an event did not fit in ch; the feed then sends
	// it nothing more until the watcher has read the store (unlag), so an
	// event it takes from ch is never newer than one it missed. Under
	// hub.mu.
	behind bool
}

func newHub(store BranchEventStore, log *slog.Logger) *hub {
	ctx, stop := context.WithCancel(context.Background())
	return &hub{store: store, log: log, ctx: ctx, stop: stop, feeds: map[string]*feed{}, done: make(chan struct{})}
}

// listen pokes the branches n tells of until the hub closes, and every
// branch it follows each recheck: a listening connection can die without
// a word (a network cut with no reset), and its notices with it.
func (h *hub) listen(n EventNotifier, recheck time.Duration) {
	ch := n.Notifications(h.ctx)
	go func() {
		tick := time.NewTicker(recheck)
		defer tick.Stop()
		for {
			select {
			case nt, ok := <-ch:
				if !ok {
					return
				}
				if nt.Branch == "" {
					h.pokeAll()
					continue
				}
				h.poke(nt.Branch)
			case <-tick.C:
				h.pokeAll()
			}
		}
	}()
}

// subscribe adds a watcher of branch. The feed sends it every event after
// cursor, which the store holds already.
func (h *hub) subscribe(ctx context.Context, branch string) (w *watcher, cursor int64, cancel func(), err error) {
	h.mu.Lock()
	f := h.feeds[branch]
	if f == nil && !h.closed {
		f = &feed{branch: branch, wake: make(chan struct{}, 1), subs: map[*watcher]struct{}{}}
		h.feeds[branch] = f
		go h.run(f)
	}
	h.mu.Unlock()
	if f == nil {
		return nil, 0, nil, ErrClosed
	}
	f.fetch.Lock()
	defer f.fetch.Unlock()
	h.mu.Lock()
	first := len(f.subs) == 0
	h.mu.Unlock()
	if first {
		// Nobody watched, so the feed did not read: start from the store's
		// latest event rather than read the ones nobody waits for.
		if f.cursor, err = h.store.LastBranchEvent(ctx, branch); err != nil {
			return nil, 0, nil, err
		}
	}
	w = &watcher{ch: make(chan api.BranchEvent, 64), lag: make(chan struct{}, 1)}
	h.mu.Lock()
	f.subs[w] = struct{}{}
	h.mu.Unlock()
	return w, f.cursor, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(f.subs, w)
	}, nil
}

// unlag lets the feed send to w again; w reads the store right after.
func (h *hub) unlag(w *watcher) {
	h.mu.Lock()
	defer h.mu.Unlock()
	w.behind = false
}

// poke asks the branch's feed to read the store, when anyone watches it.
func (h *hub) poke(branch string) {
	h.mu.Lock()
	f := h.feeds[branch]
	h.mu.Unlock()
	if f != nil {
		select {
		case f.wake <- struct{}{}:
		default: // a read is pending already, and will see this event
		}
	}
}

func (h *hub) pokeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, f := range h.feeds {
		select {
		case f.wake <- struct{}{}:
		default:
		}
	}
}

func (h *hub) run(f *feed) {
	for {
		select {
		case <-f.wake:
			h.read(f)
		case <-h.done:
			return
		}
	}
}

// read sends the feed's watchers the events stored after its cursor.
func (h *hub) read(f *feed) {
	f.fetch.Lock()
	defer f.fetch.Unlock()
	h.mu.Lock()
	idle := len(f.subs) == 0
	h.mu.Unlock()
	if idle {
		return
	}
	const page = 256
	for {
		evs, err := h.store.BranchEventsAfter(h.ctx, f.branch, f.cursor, page)
		if err != nil {
			if h.ctx.Err() == nil {
				// The events stay stored: read them again shortly.
				h.log.Warn("branch events: read failed; retrying", "branch", f.branch, "err", err)
				time.AfterFunc(time.Second, func() { h.poke(f.branch) })
			}
			return
		}
		h.mu.Lock()
		for _, e := range evs {
			f.cursor = e.ID
			for w := range f.subs {
				if w.behind {
					continue
				}
				select {
				case w.ch <- e:
				default:
					w.behind = true
					select {
					case w.lag <- struct{}{}:
					default:
					}
				}
			}
		}
		h.mu.Unlock()
		if len(evs) < page {
			return
		}
	}
}

// close ends every stream, so http.Server.Shutdown need not wait for them,
// and stops listening to other processes.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		h.stop()
		close(h.done)
	}
}
