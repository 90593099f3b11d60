// Package uitest drives the kiosk's UI as a person would, on tcell's
// simulation screen: taps (a mouse press and release at one cell) and keys
// in, screen cells out, and PNG pictures of the screen for review.
//
// # Waiting without sleeps
//
// tview's event loop reads input events and queued updates from two
// channels, so a queued no-op is no barrier behind an injected tap. Settle
// injects a sentinel key (F64, which no device sends) behind them; the App
// hands it to the harness instead of the page, and a queued no-op after
// that runs only once the loop has drawn.
package uitest

import (
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// sentinel is the barrier key.
const sentinel = tcell.KeyF64

// settleTimeout bounds a wait for the event loop; only a hung loop hits it.
const settleTimeout = time.Minute

// Harness runs one ui.App on a simulation screen.
type Harness struct {
	t       testing.TB
	Sim     tcell.SimulationScreen
	App     *ui.App
	settled chan struct{}
	done    chan error
}

// New starts app on sim, made w×h cells; make the app with Screen set to
// NewScreen's result. The app is stopped when the test ends.
func New(t testing.TB, sim tcell.SimulationScreen, app *ui.App, w, hh int) *Harness {
	t.Helper()
	// The app initialises the screen when it takes it, which resets the
	// size: set it only now.
	sim.SetSize(w, hh)
	h := &Harness{t: t, Sim: sim, App: app, settled: make(chan struct{}, 1), done: make(chan error, 1)}
	go func() { h.done <- app.Run() }()
	app.Do(func() {}) // returns once the loop runs
	app.SetSyncKey(sentinel, func() {
		select {
		case h.settled <- struct{}{}:
		default:
		}
	})
	t.Cleanup(func() {
		app.Stop()
		select {
		case <-h.done:
		case <-time.After(settleTimeout):
			t.Error("ui: event loop did not stop")
		}
	})
	return h
}

// NewScreen makes a simulation screen for an app; New sets its size.
func NewScreen() tcell.SimulationScreen { return tcell.NewSimulationScreen("UTF-8") }

// Settle waits until every event injected so far has been handled and the
// screen drawn.
func (h *Harness) Settle() {
	h.t.Helper()
	h.Sim.InjectKey(sentinel, 0, tcell.ModNone)
	select {
	case <-h.settled:
	case <-time.After(settleTimeout):
		h.t.Fatal("ui: event loop did not settle")
	}
	h.App.Do(func() {})
}

// Do runs fn on the event loop, waits for it, and settles.
func (h *Harness) Do(fn func()) {
	h.t.Helper()
	h.App.Do(fn)
	h.Settle()
}

// Tap touches the cell (x, y) and settles.
func (h *Harness) Tap(x, y int) {
	h.t.Helper()
	h.Sim.InjectMouse(x, y, tcell.Button1, tcell.ModNone)
	h.Sim.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
	h.Settle()
}

// TapAction touches the middle of the action with the given ID; the test
// fails when the page has no such action.
func (h *Harness) TapAction(id string) {
	h.t.Helper()
	var x, y, w, hh int
	var ok bool
	h.Reveal(id)
	h.App.Do(func() { x, y, w, hh, ok = h.App.ActionRect(id) })
	if !ok {
		h.t.Fatalf("no action %q on screen:\n%s", id, h.Text())
	}
	h.Tap(x+w/2, y+hh/2)
}

// Reveal turns the wheel over the page's scrolling part until the action
// with the given ID is on screen whole, as a person scrolls to a button
// before touching it. It does nothing for an action the page lacks.
func (h *Harness) Reveal(id string) {
	h.t.Helper()
	last := -1 << 30 // the action's row before the last notch
	for range 200 {
		var y, sx, sy, sw, sh int
		var ok, shown, scrolls bool
		h.App.Do(func() {
			_, y, _, _, ok = h.App.ActionRect(id)
			shown = h.App.ActionVisible(id)
			sx, sy, sw, sh, scrolls = h.App.ScrollRect()
		})
		if !ok || shown || !scrolls || y == last {
			return
		}
		last = y
		n := 1
		if y < sy {
			n = -1
		}
		h.Wheel(sx+sw/2, sy+sh/2, n)
	}
}

// HasAction reports whether the page shows a tappable action with that ID.
func (h *Harness) HasAction(id string) bool {
	var ok bool
	h.App.Do(func() { _, _, _, _, ok = h.App.ActionRect(id) })
	return ok
}

// TapText touches the first place on screen where text is shown.
func (h *Harness) TapText(text string) {
	h.t.Helper()
	rows := h.Rows()
	for y, row := range rows {
		r := []rune(row)
		if i := strings.Index(row, text); i >= 0 {
			x := len([]rune(row[:i])) + len([]rune(text))/2
			if x < len(r) {
				h.Tap(x, y)
				return
			}
		}
	}
	h.t.Fatalf("%q is not on screen:\n%s", text, strings.Join(rows, "\n"))
}

// Key presses a special key and settles.
func (h *Harness) Key(k tcell.Key) {
	h.t.Helper()
	h.Sim.InjectKey(k, 0, tcell.ModNone)
	h.Settle()
}

// KeyMod presses a key with modifiers (Ctrl+C is tcell.KeyCtrlC) and settles.
func (h *Harness) KeyMod(k tcell.Key, r rune, mod tcell.ModMask) {
	h.t.Helper()
	h.Sim.InjectKey(k, r, mod)
	h.Settle()
}

// Type types text and settles.
func (h *Harness) Type(text string) {
	h.t.Helper()
	for _, r := range text {
		h.Sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
	h.Settle()
}

// Cells returns a copy of what the screen shows, read on the event loop so
// it cannot race a draw.
func (h *Harness) Cells() (cells []tcell.SimCell, w, hh int) {
	h.App.Read(func() {
		c, cw, ch := h.Sim.GetContents()
		cells = make([]tcell.SimCell, len(c))
		copy(cells, c)
		w, hh = cw, ch
	})
	return cells, w, hh
}

// Rows returns the screen as text, one string per row, trailing spaces
// trimmed.
func (h *Harness) Rows() []string {
	cells, w, hh := h.Cells()
	rows := make([]string, hh)
	for y := 0; y < hh; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			if len(c.Runes) == 0 {
				b.WriteByte(' ')
				continue
			}
			b.WriteString(string(c.Runes))
		}
		rows[y] = strings.TrimRight(b.String(), " ")
	}
	return rows
}

// Text returns the screen as one string, rows joined by newlines.
func (h *Harness) Text() string { return strings.Join(h.Rows(), "\n") }

// Contains reports whether text is shown on one row of the screen.
func (h *Harness) Contains(text string) bool {
	for _, r := range h.Rows() {
		if strings.Contains(r, text) {
			return true
		}
	}
	return false
}

// Resize makes the screen w×hh cells and waits until the page is drawn at
// that size, as when the kiosk's display is a different one.
func (h *Harness) Resize(w, hh int) {
	h.t.Helper()
	h.Sim.SetSize(w, hh)
	h.App.Do(func() {}) // a posted resize event would wait for tview's redraw timer
	h.Settle()
}

// Wheel turns the mouse wheel n notches with the pointer at (x, y): towards
// the end of the page for n > 0, back towards its top for n < 0.
func (h *Harness) Wheel(x, y, n int) {
	h.t.Helper()
	dir := tcell.WheelDown
	if n < 0 {
		dir, n = tcell.WheelUp, -n
	}
	for range n {
		h.Sim.InjectMouse(x, y, dir, tcell.ModNone)
	}
	h.Settle()
}

// Drag puts a finger down at (x0, y0), slides it a cell at a time to
// (x1, y1) and lifts it there, as a swipe on a touch screen arrives.
func (h *Harness) Drag(x0, y0, x1, y1 int) {
	h.t.Helper()
	h.Sim.InjectMouse(x0, y0, tcell.Button1, tcell.ModNone)
	x, y := x0, y0
	for x != x1 || y != y1 {
		x += sign(x1 - x)
		y += sign(y1 - y)
		h.Sim.InjectMouse(x, y, tcell.Button1, tcell.ModNone)
	}
	h.Sim.InjectMouse(x1, y1, tcell.ButtonNone, tcell.ModNone)
	h.Settle()
}

func sign(n int) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}
