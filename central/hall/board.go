package hall

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// shownCalls is how many calls the board shows: the one just called, very
// large, and the six before it.
const shownCalls = 7

// board is one display's view of its branch: numbers and windows only.
type board struct {
	Calls   []call `json:"calls"`   // latest first, at most shownCalls
	Serving []call `json:"serving"` // by window
	Say     *call  `json:"say,omitempty"`
	serving map[string]string
}

// call is a number at a window.
type call struct {
	Number string `json:"number"`
	Window string `json:"window"`
}

func newBoard(hb central.HallBoard) *board {
	b := &board{serving: map[string]string{}}
	for _, c := range hb.Calls {
		if len(b.Calls) == shownCalls {
			break
		}
		b.Calls = append(b.Calls, call{c.Number, c.Window})
	}
	for w, n := range hb.Serving {
		b.serving[w] = n
	}
	b.sortServing()
	return b
}

// apply changes the board as e tells, reporting whether it changed. A
// called or recalled number goes to the top and serves at its window; a
// visit that ended leaves its window, unless another number was called
// there since.
func (b *board) apply(e api.BranchEvent) bool {
	switch e.Kind {
	case api.ChangeCalled, api.ChangeRecalled:
		if e.Number == "" || e.Window == "" {
			return false
		}
		c := call{e.Number, e.Window}
		b.Calls = slices.DeleteFunc(b.Calls, func(x call) bool { return x.Number == c.Number })
		b.Calls = slices.Insert(b.Calls, 0, c)
		if len(b.Calls) > shownCalls {
			b.Calls = b.Calls[:shownCalls]
		}
		// A number serves at one window only: a recall elsewhere moves it.
		for w, n := range b.serving {
			if n == c.Number {
				delete(b.serving, w)
			}
		}
		b.serving[c.Window] = c.Number
	case api.ChangeCompleted, api.ChangeNoShow, api.ChangeRedirected, api.ChangeParked:
		w := e.Window
		if e.Kind == api.ChangeRedirected {
			w = "" // the window sent to, not the one the number leaves
		}
		for win, n := range b.serving {
			if n == e.Number && (w == "" || w == win) {
				w = win
			}
		}
		if w == "" || b.serving[w] != e.Number {
			return false
		}
		delete(b.serving, w)
		if e.Kind == api.ChangeRedirected {
			// Back in a queue: no longer a call of today's board.
			b.Calls = slices.DeleteFunc(b.Calls, func(x call) bool { return x.Number == e.Number })
		}
	default:
		return false
	}
	b.sortServing()
	return true
}

// sortServing lists the windows in order, numbers before names.
func (b *board) sortServing() {
	b.Serving = b.Serving[:0]
	for w, n := range b.serving {
		b.Serving = append(b.Serving, call{n, w})
	}
	slices.SortFunc(b.Serving, func(x, y call) int {
		a, aerr := strconv.Atoi(x.Window)
		c, cerr := strconv.Atoi(y.Window)
		switch {
		case aerr == nil && cerr == nil:
			return a - c
		case aerr == nil:
			return -1
		case cerr == nil:
			return 1
		}
		return strings.Compare(x.Window, y.Window)
	})
}

// speakable reports whether an event is announced: a call or a recall no
// older than maxAge. A display that comes back after a cut gets the
// events it missed, and its board shows them, but the hall hears only the
// calls of the last moments: numbers called minutes ago, said now, would
// send visitors to windows that have moved on.
func speakable(e api.BranchEvent, now time.Time, maxAge time.Duration) bool {
	return (e.Kind == api.ChangeCalled || e.Kind == api.ChangeRecalled) && now.Sub(e.At) <= maxAge
}
