package hall

import (
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// calledSet keeps, per branch, the number and window pairs called (or
// recalled) on the branch's current day: the announcements that may be
// synthesised. It learns them from the boards read and the events
// streamed; a day begun replaces the day before.
type calledSet struct {
	mu   sync.Mutex
	days map[string]*calledDay
}

type calledDay struct {
	start time.Time
	calls map[call]bool
}

// add records calls of the day starting at day; calls of a day older than
// the one kept are dropped.
func (s *calledSet) add(branch string, day time.Time, calls ...call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.days[branch]
	switch {
	case d == nil || d.start.Before(day):
		if s.days == nil {
			s.days = map[string]*calledDay{}
		}
		d = &calledDay{start: day, calls: map[call]bool{}}
		s.days[branch] = d
	case day.Before(d.start):
		return
	}
	for _, c := range calls {
		d.calls[c] = true
	}
}

// addBoard records the calls on a board read from the Source.
func (s *calledSet) addBoard(branch string, hb central.HallBoard) {
	calls := make([]call, 0, len(hb.Calls))
	for _, c := range hb.Calls {
		calls = append(calls, call{c.Number, c.Window})
	}
	s.add(branch, hb.DayStart, calls...)
}

// has reports whether c was called on branch's day kept.
func (s *calledSet) has(branch string, c call) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.days[branch]
	return d != nil && d.calls[c]
}
