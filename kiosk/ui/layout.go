package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// margin is the blank columns left and right of a page; the scroll bar
// stands in the right one.
const margin = 2

// minView is the fewest rows of scrolling content a page gives up its
// spacing for: enough for a title and the start of what it says.
const minView = 6

// pageView lays a page out at draw time for the screen it is on. Top to
// bottom: the header; the scrolling part (title, the big number, text,
// checklist, choices); then what must never scroll away: the typed value
// and its hint, the keypad, the action row; last the footer. When the
// screen is short it first lets the footer scroll with the content, then
// lays the keypad out wider and flatter, then drops the rows between
// buttons, so the scrolling part keeps at least minView rows where it can.
type pageView struct {
	*group
	header  tview.Primitive // nil: none
	scroll  *scroller
	field   *fieldView // nil: none
	keypad  *grid      // nil: none
	actions *grid      // nil: none
	footer  *textBlock // nil: none
	big     *bigText   // nil: none; in scroll

	// footerInScroll: the layout moved the footer into the content.
	footerInScroll bool
}

func (v *pageView) Draw(screen tcell.Screen) {
	v.DrawForSubclass(screen, v)
	x, y, w, h := v.GetInnerRect()
	cx, cw := x+margin, max(w-2*margin, 1)
	v.scroll.barX = x + w - 1

	headerH := 0
	if v.header != nil {
		headerH = ButtonHeight
	}
	fieldH := 0
	if v.field != nil {
		fieldH = v.field.rows(cw)
	}
	footerH := 0
	if v.footer != nil {
		footerH = v.footer.rows(cw)
	}
	// Start from the roomy layout and give up spacing until the content
	// has its rows.
	keypadGap, gapAboveFooter, footerIn, keyCols := 1, 1, false, 3
	fixed := func() int {
		n := headerH + fieldH + gapAboveFooter
		if v.keypad != nil {
			v.keypad.rowGap, v.keypad.cols = keypadGap, keyCols
			n += v.keypad.rows(cw)
		}
		if v.actions != nil {
			v.actions.rowGap = keypadGap
			n += v.actions.rows(cw)
		}
		if v.keypad != nil && v.actions != nil {
			n += keypadGap
		}
		if !footerIn {
			n += footerH
		}
		return n
	}
	// The rows wanted for the content are counted without the footer: a
	// footer let in to scroll must not squeeze the keypad for itself.
	v.footerInScroll = false
	base := min(v.scroll.height(cw), minView)
	want := func() int { return base }
	for _, step := range []func(){
		func() { gapAboveFooter = 0 },
		func() { footerIn = v.footer != nil; v.footerInScroll = footerIn },
		func() { keyCols = 4 }, // a wider keypad never takes more rows
		func() { keyCols = 6 },
		// Keys touching keys read as one block: the last thing to go.
		func() { keypadGap = 0 },
	} {
		if h-fixed() >= want() {
			break
		}
		step()
	}
	viewH := max(h-fixed(), 1)
	if v.big != nil {
		v.big.compact = viewH < bigTextHeight+6
		v.big.plain = viewH < bigTextHeight+3
	}

	row := y
	if v.header != nil {
		v.header.SetRect(cx, row, cw, headerH)
		v.header.Draw(screen)
		row += headerH
	}
	v.scroll.SetRect(cx, row, cw, viewH)
	v.scroll.Draw(screen)
	row += viewH
	if v.field != nil {
		v.field.SetRect(cx, row, cw, fieldH)
		v.field.Draw(screen)
		row += fieldH
	}
	for _, g := range []*grid{v.keypad, v.actions} {
		if g == nil {
			continue
		}
		gh := g.rows(cw)
		g.SetRect(cx, row, cw, gh)
		g.Draw(screen)
		row += gh
		if g == v.keypad && v.actions != nil {
			row += keypadGap
		}
	}
	row += gapAboveFooter
	if v.footer != nil && !footerIn {
		v.footer.SetRect(cx, row, cw, footerH)
		v.footer.Draw(screen)
	}
}

// fieldView shows what is being typed, with its label before it and its
// hint under it, centred; the label goes on a line of its own when the
// three do not fit on one.
type fieldView struct {
	*tview.Box
	f     *Field
	theme Theme
}

func (f *fieldView) parts() (label, value string) {
	t := f.theme
	value = "[" + tag(t.Title) + "::b]" + tview.Escape(f.f.Value) + "▏"
	if f.f.Label != "" {
		label = "[" + tag(t.Muted) + "]" + tview.Escape(f.f.Label)
	}
	return label, value
}

// lines are the field's lines at width w, with tview colour tags.
func (f *fieldView) lines(w int) []string {
	label, value := f.parts()
	var out []string
	switch {
	case label == "":
		out = append(out, value)
	case tview.TaggedStringWidth(label)+2+tview.TaggedStringWidth(value) <= w:
		out = append(out, label+"  "+value)
	default:
		for _, l := range tview.WordWrap(tview.Escape(f.f.Label), max(w, 1)) {
			out = append(out, "["+tag(f.theme.Muted)+"]"+l)
		}
		out = append(out, value)
	}
	if f.f.Hint != "" {
		for _, l := range tview.WordWrap(tview.Escape(f.f.Hint), max(w, 1)) {
			out = append(out, "["+tag(toneColor(f.theme, f.f.Tone))+"]"+l)
		}
	}
	return out
}

func (f *fieldView) rows(w int) int { return len(f.lines(w)) }

func (f *fieldView) Draw(screen tcell.Screen) {
	f.DrawForSubclass(screen, f)
	x, y, w, h := f.GetInnerRect()
	for i, l := range f.lines(w) {
		if i >= h {
			return
		}
		tview.Print(screen, l, x, y+i, w, tview.AlignCenter, f.theme.Screen.Fg)
	}
}

// overlayView centres a box over the page, as tall as its content at the
// width it gets.
type overlayView struct {
	*group
	box  tview.Primitive
	rows func(w int) int // the box's height at its width
}

func (o *overlayView) Draw(screen tcell.Screen) {
	x, y, w, h := o.GetInnerRect()
	bw := min(max(w*3/5, 40), w)
	bh := min(o.rows(bw), h)
	o.box.SetRect(x+(w-bw)/2, y+(h-bh)/2, bw, bh)
	o.box.Draw(screen)
}
