package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// group is a primitive made of others that it places itself at draw time:
// keys go to the child with the focus, a touch to the child under it.
type group struct {
	*tview.Box
	kids []tview.Primitive
}

func newGroup(bg tcell.Color) *group {
	g := &group{Box: tview.NewBox()}
	g.SetBackgroundColor(bg)
	return g
}

func (g *group) add(p tview.Primitive) { g.kids = append(g.kids, p) }

// HasFocus reports whether a child has the focus.
func (g *group) HasFocus() bool {
	for _, k := range g.kids {
		if k.HasFocus() {
			return true
		}
	}
	return g.Box.HasFocus()
}

// InputHandler hands a key to the child with the focus.
func (g *group) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	return g.WrapInputHandler(func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		for _, k := range g.kids {
			if k.HasFocus() {
				if h := k.InputHandler(); h != nil {
					h(ev, setFocus)
				}
				return
			}
		}
	})
}

// MouseHandler hands a touch to the first child that takes it.
func (g *group) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return g.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if !g.InRect(ev.Position()) {
			return false, nil
		}
		for _, k := range g.kids {
			if consumed, capture := k.MouseHandler()(action, ev, setFocus); consumed {
				return true, capture
			}
		}
		return false, nil
	})
}

// clipScreen is a screen that drops what is drawn outside a rectangle, so
// a widget half scrolled out of view cannot draw over the header or the
// action row. tview draws every cell through SetContent.
type clipScreen struct {
	tcell.Screen
	x0, y0, x1, y1 int
}

// SetContent draws the cell when it is inside the rectangle.
func (c clipScreen) SetContent(x, y int, primary rune, combining []rune, style tcell.Style) {
	if x >= c.x0 && x < c.x1 && y >= c.y0 && y < c.y1 {
		c.Screen.SetContent(x, y, primary, combining, style)
	}
}
