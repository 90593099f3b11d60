package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// para is one paragraph of a textBlock: an optional mark before its first
// line (a checklist's ✓), and every wrapped line indented past the mark,
// so a long item reads as one block.
type para struct {
	mark  string
	text  string
	color tcell.Color
	bold  bool
	// indent is the left margin of the whole paragraph, in cells.
	indent int
	// gap is the blank lines after it.
	gap int
}

// textBlock draws paragraphs word-wrapped to the width it is given at draw
// time, with hanging indents. rows says how tall it is at a width, so the
// page can be laid out before it is drawn.
type textBlock struct {
	*tview.Box
	paras  []para
	center bool
	// rowsW and rowsN cache rows: the layout asks it often at one width.
	rowsW, rowsN int
}

func newTextBlock(bg tcell.Color, center bool, paras []para) *textBlock {
	t := &textBlock{Box: tview.NewBox(), paras: paras, center: center}
	t.SetBackgroundColor(bg)
	return t
}

// wrapped is one paragraph as drawn at a width.
type wrapped struct {
	lines       []string // escaped for tview.Print
	left, markW int
	width       int
}

func (p para) wrap(w int) wrapped {
	markW := tview.TaggedStringWidth(tview.Escape(p.mark))
	width := w - p.indent - markW
	if width < 8 {
		width = w - p.indent
		markW = 0
	}
	if width < 1 {
		width = 1
	}
	return wrapped{lines: tview.WordWrap(tview.Escape(p.text), width), left: p.indent, markW: markW, width: width}
}

// rows is the height the block needs at width w, the gap after its last
// paragraph included.
func (t *textBlock) rows(w int) int {
	if t.rowsW == w && w > 0 {
		return t.rowsN
	}
	n := 0
	for _, p := range t.paras {
		n += len(p.wrap(w).lines) + p.gap
	}
	t.rowsW, t.rowsN = w, n
	return n
}

func (t *textBlock) Draw(screen tcell.Screen) {
	t.DrawForSubclass(screen, t)
	x0, y, w, h := t.GetInnerRect()
	bottom := y + h
	for _, p := range t.paras {
		attr := ""
		if p.bold {
			attr = "[::b]"
		}
		wr := p.wrap(w)
		for i, line := range wr.lines {
			if y >= bottom {
				return
			}
			if i == 0 && p.mark != "" && wr.markW > 0 {
				tview.Print(screen, attr+tview.Escape(p.mark), x0+wr.left, y, wr.markW, tview.AlignLeft, p.color)
			}
			align := tview.AlignLeft
			if t.center {
				align = tview.AlignCenter
			}
			tview.Print(screen, attr+line, x0+wr.left+wr.markW, y, wr.width, align, p.color)
			y++
		}
		y += p.gap
	}
}
