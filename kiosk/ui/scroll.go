package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// WheelStep is how many rows one notch of the wheel scrolls.
const WheelStep = 2

// The scroll marks are language-free, so every visitor reads them alike.
// The bar is a line with a solid thumb; in the text of the screen it reads
// as a border and a blank, so it never splits a wrapped sentence.
const (
	markTrack = '│'
	// moreBelow and moreAbove fill the hint row under the content.
	moreBelow = "▼   ▼   ▼"
	moreAbove = "▲   ▲   ▲"
)

// scrollItem is one part of the scrolling content and its height at a width.
type scrollItem struct {
	p    tview.Primitive
	rows func(w int) int
}

// scroller shows a column of parts taller than its room a window at a
// time. When there is more than fits, its last row says which way the
// rest is (moreBelow, or moreAbove once at the end) and a scroll bar
// stands in the column barX, right of it in the page's margin. It is moved by the App:
// the wheel, a finger dragged on it, the focus moving to a button in it.
type scroller struct {
	*group
	items  []scrollItem
	offset int
	// From the last draw: the content's height and the rows shown of it.
	total, view int
	barX        int
	hint        tcell.Style
}

func newScroller(bg tcell.Color, hint tcell.Style) *scroller {
	return &scroller{group: newGroup(bg), barX: -1, hint: hint}
}

func (s *scroller) addItem(p tview.Primitive, rows func(w int) int) {
	s.add(p)
	s.items = append(s.items, scrollItem{p: p, rows: rows})
}

// height is the content's height at width w.
func (s *scroller) height(w int) int {
	n := 0
	for _, it := range s.items {
		n += it.rows(w)
	}
	return n
}

// scrolls reports whether the content was taller than the room at the
// last draw.
func (s *scroller) scrolls() bool { return s.total > s.view }

// maxOffset is the furthest the content can scroll.
func (s *scroller) maxOffset() int { return max(s.total-s.view, 0) }

// scrollTo moves the window to row off of the content, kept in range.
func (s *scroller) scrollTo(off int) { s.offset = min(max(off, 0), s.maxOffset()) }

// reveal scrolls the least that brings the screen rows y..y+h-1 into view.
func (s *scroller) reveal(y, h int) {
	_, top, _, _ := s.GetInnerRect()
	switch bottom := top + s.view; {
	case y < top:
		s.scrollTo(s.offset - (top - y))
	case y+h > bottom:
		s.scrollTo(s.offset + min(y+h-bottom, y-top))
	}
}

// viewRect is the part of the screen the content is shown in.
func (s *scroller) viewRect() (x, y, w, h int) {
	x, y, w, _ = s.GetInnerRect()
	return x, y, w, s.view
}

func (s *scroller) Draw(screen tcell.Screen) {
	s.DrawForSubclass(screen, s)
	x, y, w, h := s.GetInnerRect()
	s.total = s.height(w)
	s.view = h
	if s.total > h {
		s.view = max(h-1, 1) // the last row is the hint
	}
	s.scrollTo(s.offset)
	clip := clipScreen{Screen: screen, x0: x, y0: y, x1: x + w, y1: y + s.view}
	top := y - s.offset
	for _, it := range s.items {
		rows := it.rows(w)
		it.p.SetRect(x, top, w, rows)
		if rows > 0 && top < y+s.view && top+rows > y {
			it.p.Draw(clip)
		}
		top += rows
	}
	if !s.scrolls() {
		return
	}
	hint := moreBelow
	if s.offset >= s.maxOffset() {
		hint = moreAbove
	}
	tview.Print(screen, hint, x, y+h-1, w, tview.AlignCenter, s.hintColor())
	s.drawBar(screen, y, h)
}

func (s *scroller) hintColor() tcell.Color {
	fg, _, _ := s.hint.Decompose()
	return fg
}

// drawBar draws the scroll bar: a track the content's height, the thumb
// where the window is in it.
func (s *scroller) drawBar(screen tcell.Screen, y, h int) {
	if s.barX < 0 || h < 2 {
		return
	}
	thumbH := max(h*s.view/s.total, 1)
	thumbY := 0
	if m := s.maxOffset(); m > 0 {
		thumbY = (h - thumbH) * s.offset / m
	}
	_, bg, _ := s.hint.Decompose()
	track := tcell.StyleDefault.Foreground(tcell.ColorGray).Background(bg)
	thumb := tcell.StyleDefault.Background(s.hintColor())
	for i := range h {
		if i >= thumbY && i < thumbY+thumbH {
			screen.SetContent(s.barX, y+i, ' ', nil, thumb)
			continue
		}
		screen.SetContent(s.barX, y+i, markTrack, nil, track)
	}
}

// MouseHandler hands a touch to the part under it, when that part of the
// content is in view.
func (s *scroller) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	inner := s.group.MouseHandler()
	return s.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		px, py := ev.Position()
		x, y, w, h := s.viewRect()
		if px < x || px >= x+w || py < y || py >= y+h {
			return false, nil
		}
		return inner(action, ev, setFocus)
	})
}
