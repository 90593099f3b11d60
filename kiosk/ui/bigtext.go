package ui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// glyphs is a 3×5 block font for queue numbers: digits, Latin capitals and
// the dash. Each glyph cell is drawn two columns wide, because a terminal
// cell is about twice as tall as it is wide.
var glyphs = map[rune][5]string{
	'0': {"###", "# #", "# #", "# #", "###"},
	'1': {" # ", "## ", " # ", " # ", "###"},
	'2': {"###", "  #", "###", "#  ", "###"},
	'3': {"###", "  #", " ##", "  #", "###"},
	'4': {"# #", "# #", "###", "  #", "  #"},
	'5': {"###", "#  ", "###", "  #", "###"},
	'6': {"###", "#  ", "###", "# #", "###"},
	'7': {"###", "  #", " # ", " # ", " # "},
	'8': {"###", "# #", "###", "# #", "###"},
	'9': {"###", "# #", "###", "  #", "###"},
	'-': {"   ", "   ", "###", "   ", "   "},
	'A': {"###", "# #", "###", "# #", "# #"},
	'B': {"## ", "# #", "## ", "# #", "## "},
	'C': {"###", "#  ", "#  ", "#  ", "###"},
	'D': {"## ", "# #", "# #", "# #", "## "},
	'E': {"###", "#  ", "## ", "#  ", "###"},
	'F': {"###", "#  ", "## ", "#  ", "#  "},
	'G': {"###", "#  ", "# #", "# #", "###"},
	'H': {"# #", "# #", "###", "# #", "# #"},
	'I': {"###", " # ", " # ", " # ", "###"},
	'J': {"  #", "  #", "  #", "# #", "###"},
	'K': {"# #", "# #", "## ", "# #", "# #"},
	'L': {"#  ", "#  ", "#  ", "#  ", "###"},
	'M': {"# #", "###", "###", "# #", "# #"},
	'N': {"## ", "# #", "# #", "# #", "# #"},
	'O': {"###", "# #", "# #", "# #", "###"},
	'P': {"###", "# #", "###", "#  ", "#  "},
	'Q': {"###", "# #", "# #", "###", "  #"},
	'R': {"## ", "# #", "## ", "# #", "# #"},
	'S': {"###", "#  ", "###", "  #", "###"},
	'T': {"###", " # ", " # ", " # ", " # "},
	'U': {"# #", "# #", "# #", "# #", "###"},
	'V': {"# #", "# #", "# #", "# #", " # "},
	'W': {"# #", "# #", "###", "###", "# #"},
	'X': {"# #", "# #", " # ", "# #", "# #"},
	'Y': {"# #", "# #", " # ", " # ", " # "},
	'Z': {"###", "  #", " # ", "#  ", "###"},
}

// bigTextHeight is the rows a bigText needs.
const bigTextHeight = 5

// bigText draws a short string in block letters, centred. A character
// without a glyph is drawn as plain text in its place, never dropped.
type bigText struct {
	*tview.Box
	text  string
	style tcell.Style
	// Set by the page's layout on a short screen: compact drops the
	// spacing around the letters, plain draws the text in one bold line.
	compact, plain bool
}

// rows is the height the number takes, its spacing included.
func (b *bigText) rows(int) int {
	switch {
	case b.plain:
		return 2
	case b.compact:
		return bigTextHeight + 1
	}
	return bigTextHeight + 2
}

func newBigText(text string, style tcell.Style) *bigText {
	b := &bigText{Box: tview.NewBox(), text: strings.ToUpper(text), style: style}
	b.SetBackgroundColor(tcell.ColorDefault)
	return b
}

// width is the columns the text takes: each glyph 6 wide plus a 2-column gap.
func (b *bigText) width() int { return len([]rune(b.text))*8 - 2 }

func (b *bigText) Draw(screen tcell.Screen) {
	b.DrawForSubclass(screen, b)
	x, y, w, h := b.GetInnerRect()
	if w <= 0 || h <= 0 {
		return
	}
	if b.plain || b.width() > w || h < bigTextHeight {
		// No room for block letters: the number must still be shown.
		fg, _, _ := b.style.Decompose()
		tview.Print(screen, "[::b]"+tview.Escape(b.text), x, y, w, tview.AlignCenter, fg)
		return
	}
	x0 := x + (w-b.width())/2
	y0 := y
	if !b.compact {
		y0++
	}
	for i, r := range []rune(b.text) {
		g, ok := glyphs[r]
		gx := x0 + i*8
		if !ok {
			screen.SetContent(gx+2, y0+2, r, nil, b.style)
			continue
		}
		for row, line := range g {
			for col, c := range line {
				if c == '#' {
					screen.SetContent(gx+2*col, y0+row, '█', nil, b.style)
					screen.SetContent(gx+2*col+1, y0+row, '█', nil, b.style)
				}
			}
		}
	}
}
