package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// grid lays buttons out in rows at draw time, each button wide enough for
// its whole label.
//
// An action row (keys false) keeps its buttons on one line when their
// labels fit, widths following the labels so a long label is not cut
// while a short one has room to spare; when they do not fit, it breaks
// into as many lines as it needs. A keypad (keys true) has cols keys of
// one width to a line, centred.
type grid struct {
	*group
	buttons []*tview.Button
	labels  []int // each button's label width
	keys    bool
	cols    int // keypad: keys to a line, set by the page's layout
	gap     int // columns between buttons
	rowGap  int // rows between lines, set by the page's layout
}

func newGrid(bg tcell.Color, keys bool, gap int) *grid {
	return &grid{group: newGroup(bg), keys: keys, cols: 3, gap: gap, rowGap: 1}
}

func (g *grid) addButton(b *tview.Button, label string) {
	g.add(b)
	g.buttons = append(g.buttons, b)
	g.labels = append(g.labels, tview.TaggedStringWidth(tview.Escape(label)))
}

// naturalKey is a keypad key's width when there is room: a big target.
const naturalKey = 14

// keyWidth is the width of every key of a keypad at width w: naturalKey,
// or the longest label's, narrowed to what w holds.
func (g *grid) keyWidth(w, cols int) int {
	kw := naturalKey
	for _, l := range g.labels {
		kw = max(kw, l+4)
	}
	if fit := (w - (cols-1)*g.gap) / cols; kw > fit {
		kw = fit
	}
	return kw
}

// keyFits reports whether cols keys to a line leave every label whole.
func (g *grid) keyFits(w, cols int) bool {
	kw := g.keyWidth(w, cols)
	for _, l := range g.labels {
		if l+2 > kw {
			return false
		}
	}
	return true
}

// lines splits the buttons into lines at width w: index ranges.
func (g *grid) lines(w int) [][2]int {
	var out [][2]int
	if g.keys {
		cols := max(g.cols, 1)
		for cols > 1 && !g.keyFits(w, cols) {
			cols--
		}
		for i := 0; i < len(g.buttons); i += cols {
			out = append(out, [2]int{i, min(i+cols, len(g.buttons))})
		}
		return out
	}
	start, used := 0, 0
	for i, l := range g.labels {
		need := l + 4
		if i > start {
			need += g.gap
		}
		if i > start && used+need > w {
			out = append(out, [2]int{start, i})
			start, used = i, l+4
			continue
		}
		used += need
	}
	if start < len(g.buttons) {
		out = append(out, [2]int{start, len(g.buttons)})
	}
	return out
}

// rows is the height the grid needs at width w.
func (g *grid) rows(w int) int {
	n := len(g.lines(w))
	if n == 0 {
		return 0
	}
	return n*ButtonHeight + (n-1)*g.rowGap
}

func (g *grid) Draw(screen tcell.Screen) {
	g.DrawForSubclass(screen, g)
	x, y, w, _ := g.GetInnerRect()
	for _, ln := range g.lines(w) {
		n := ln[1] - ln[0]
		if g.keys {
			kw := g.keyWidth(w, max(g.cols, n))
			bx := x + (w-n*kw-(n-1)*g.gap)/2
			for i := ln[0]; i < ln[1]; i++ {
				g.buttons[i].SetRect(bx, y, kw, ButtonHeight)
				bx += kw + g.gap
			}
		} else {
			// Each button gets its label and a margin, then a share of
			// the room left in proportion to its label.
			weight, free := 0, w-(n-1)*g.gap
			for i := ln[0]; i < ln[1]; i++ {
				weight += g.labels[i] + 6
				free -= g.labels[i] + 4
			}
			free = max(free, 0)
			bx, given := x, 0
			for i := ln[0]; i < ln[1]; i++ {
				extra := free * (g.labels[i] + 6) / weight
				if i == ln[1]-1 {
					extra = free - given
				}
				given += extra
				bw := g.labels[i] + 4 + extra
				g.buttons[i].SetRect(bx, y, bw, ButtonHeight)
				bx += bw + g.gap
			}
		}
		for i := ln[0]; i < ln[1]; i++ {
			g.buttons[i].Draw(screen)
		}
		y += ButtonHeight + g.rowGap
	}
}
