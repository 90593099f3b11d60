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
// time, with hanging indents.
type textBlock struct {
	*tview.Box
	paras  []para
	center bool
}

func newTextBlock(bg tcell.Color, center bool, paras []para) *textBlock {
	t := &textBlock{Box: tview.NewBox(), paras: paras, center: center}
	t.SetBackgroundColor(bg)
	return t
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
		markW := tview.TaggedStringWidth(tview.Escape(p.mark))
		left := x0 + p.indent
		width := w - p.indent - markW
		if width < 8 {
			width = w - p.indent
			markW = 0
		}
		for i, line := range tview.WordWrap(tview.Escape(p.text), width) {
			if y >= bottom {
				return
			}
			x := left + markW
			if i == 0 && p.mark != "" {
				tview.Print(screen, attr+tview.Escape(p.mark), left, y, markW, tview.AlignLeft, p.color)
			}
			align := tview.AlignLeft
			if t.center {
				align = tview.AlignCenter
			}
			tview.Print(screen, attr+line, x, y, width, align, p.color)
			y++
		}
		y += p.gap
	}
}
