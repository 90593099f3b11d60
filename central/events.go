package central

import (
	"context"
	"fmt"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Watch streams a branch's events in id order, each once: first those
// stored after the event id after (a stream resuming with Last-Event-ID
// after a cut or a restart; the store keeps two days), then each new one
// as any server process on the database stores it, until ctx ends or the
// server closes, when the channel closes. after < 0, or an id the store
// has not reached (another database's), asks for new events only. A
// watcher that falls behind reads what it missed from the store rather
// than slow the clerks down; when the store cannot be read the channel
// closes, and the client resumes by reconnecting. Errors: ErrNotFound for
// an unknown branch; the store's.
func (s *Server) Watch(ctx context.Context, branch string, after int64) (<-chan api.BranchEvent, error) {
	if s.branches[branch] == nil {
		return nil, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	// Subscribe before reading the store, so that an event stored between
	// the read and the subscription still arrives live; the live ones the
	// read returned already are dropped by id.
	w, cursor, cancel, err := s.hub.subscribe(ctx, branch)
	if err != nil {
		return nil, fmt.Errorf("central: watch: %w", err)
	}
	last := after
	switch {
	case after < 0:
		last = cursor
	case after > cursor:
		// The client saw an event this process has not heard of yet
		// (another process stored it; its notice is on the way): it
		// resumes after that event if the store has it, and from now if
		// the id is another database's.
		top, err := s.store.LastBranchEvent(ctx, branch)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("central: watch: %w", err)
		}
		if after > top {
			last = cursor
		}
	}
	out := make(chan api.BranchEvent, cap(w.ch))
	go func() {
		defer close(out)
		defer cancel()
		send := func(e api.BranchEvent) bool {
			select {
			case out <- e:
				last = e.ID
				return true
			case <-ctx.Done():
			case <-s.hub.done:
			}
			return false
		}
		// catchUp sends the stored events after last.
		catchUp := func() bool {
			const page = 256
			for {
				evs, err := s.store.BranchEventsAfter(ctx, branch, last, page)
				if err != nil {
					if ctx.Err() == nil {
						s.log.Warn("branch events: read failed; the stream ends for its client to resume", "branch", branch, "err", err)
					}
					return false
				}
				for _, e := range evs {
					if !send(e) {
						return false
					}
				}
				if len(evs) < page {
					return true
				}
			}
		}
		if !catchUp() {
			return
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.hub.done:
				return
			case <-w.lag:
				s.hub.unlag(w)
				if !catchUp() {
					return
				}
			case e := <-w.ch:
				if e.ID <= last {
					continue // read from the store already
				}
				if !send(e) {
					return
				}
			}
		}
	}()
	return out, nil
}

// emit stores a branch event, which gives it its id, and tells this
// process's watchers; other processes hear of it through the store. The
// clerk's or kiosk's action is done by then: an event that cannot be
// stored is logged and lost, never the action's failure.
func (s *Server) emit(ctx context.Context, e api.BranchEvent) {
	if _, err := s.store.AppendBranchEvent(context.WithoutCancel(ctx), e); err != nil {
		s.log.Warn("branch event not stored; streams miss it", "branch", e.Branch, "kind", string(e.Kind), "err", err)
		return
	}
	s.hub.poke(e.Branch)
}
