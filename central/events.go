package central

import (
	"context"
	"fmt"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Watch streams a branch's events: first those after the event id after
// that the server still has (a stream resuming with Last-Event-ID), then
// each new one as it happens, until ctx ends or the server closes, when
// the channel closes. A watcher that falls behind loses live events rather
// than slowing the clerks down; it sees the next ones. Errors: ErrNotFound
// for an unknown branch.
func (s *Server) Watch(ctx context.Context, branch string, after int64) (<-chan api.BranchEvent, error) {
	if s.branches[branch] == nil {
		return nil, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	ch, cancel := s.hub.subscribe(branch)
	out := make(chan api.BranchEvent, cap(ch))
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.hub.done:
				return
			case e := <-ch:
				if e.ID <= after {
					continue
				}
				select {
				case out <- e:
				case <-ctx.Done():
					return
				case <-s.hub.done:
					return
				}
			}
		}
	}()
	return out, nil
}

// emit tells a branch's watchers of an event, giving it the next id.
func (s *Server) emit(ctx context.Context, e api.BranchEvent) {
	e.ID = s.eventSeq.Add(1)
	s.hub.publish(e.Branch, e)
}
