package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// DefaultTapGuard is how long after a page change taps are dropped: shorter
// than anyone reads a new page, longer than a double tap.
const DefaultTapGuard = 300 * time.Millisecond

// ButtonHeight is the height of every touch target, in rows.
const ButtonHeight = 3

// Options configure an App. The zero value of each field has a default.
type Options struct {
	// Screen is the terminal; nil opens the real one. Tests pass tcell's
	// simulation screen.
	Screen tcell.Screen
	Theme  *Theme // nil: HighContrast
	// Now is the clock for the tap guard; nil: time.Now.
	Now      func() time.Time
	TapGuard time.Duration // 0: DefaultTapGuard; negative: no guard
	// OnActivity is called on the event loop for every key and every touch,
	// so the idle timer can restart.
	OnActivity func()
	// Secret is the hidden gesture for a kiosk with no keyboard: five taps
	// within SecretWindow on the top-right corner cell, where no button
	// is. nil: no gesture.
	Secret func()
}

// SecretTaps and SecretWindow define the hidden gesture: enough taps that
// a visitor does not make it by chance, in a window a technician can.
const (
	SecretTaps   = 5
	SecretWindow = 3 * time.Second
)

// App is the kiosk's full-screen application.
type App struct {
	tv    *tview.Application
	theme Theme
	now   func() time.Time
	guard time.Duration
	onAct func()
	// secret and its taps: the times of the last corner taps, on the loop.
	secret     func()
	cornerTaps []time.Time
	width      int // the screen's size at the last draw
	height     int

	// Below: event-loop state.
	shown     *Page
	scroll    *scroller // the page's scrolling part; nil under an overlay
	drag      drag
	pageID    string
	shownAt   time.Time
	buttons   []*tview.Button // focus order
	acts      []Action        // the action of each button
	pageStart int             // the first button below the header
	byID      map[string]*tview.Button
	keyed     []Action // actions reachable by key
	focus     int
	syncKey   tcell.Key
	syncFunc  func()
}

// New makes an App; Run shows it.
func New(opts Options) *App {
	a := &App{
		tv:     tview.NewApplication(),
		theme:  HighContrast(),
		now:    opts.Now,
		guard:  opts.TapGuard,
		onAct:  opts.OnActivity,
		secret: opts.Secret,
		byID:   map[string]*tview.Button{},
	}
	if opts.Theme != nil {
		a.theme = *opts.Theme
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.guard == 0 {
		a.guard = DefaultTapGuard
	}
	if opts.Screen != nil {
		a.tv.SetScreen(opts.Screen)
	}
	a.tv.EnableMouse(true)
	a.tv.SetInputCapture(a.captureKey)
	a.tv.SetMouseCapture(a.captureMouse)
	a.tv.SetBeforeDrawFunc(func(s tcell.Screen) bool {
		a.width, a.height = s.Size()
		return false
	})
	return a
}

// Run runs the event loop until Stop.
func (a *App) Run() error { return a.tv.Run() }

// Stop ends the event loop.
func (a *App) Stop() { a.tv.Stop() }

// Do runs fn on the event loop and redraws. Safe from any goroutine except
// the event loop itself, where it would deadlock.
func (a *App) Do(fn func()) { a.tv.QueueUpdateDraw(fn) }

// Read runs fn on the event loop without redrawing, and waits for it: for
// reading what is on screen. Same rules as Do.
func (a *App) Read(fn func()) { a.tv.QueueUpdate(fn) }

// Scrolled returns how far the page's scrolling part is scrolled and how
// far it can be, in rows; both 0 when it has none. Call it on the event
// loop.
func (a *App) Scrolled() (offset, limit int) {
	if a.scroll == nil {
		return 0, 0
	}
	return a.scroll.offset, a.scroll.maxOffset()
}

// SetSyncKey makes key call fn on the event loop instead of reaching the
// page. Tests use a key no device sends as a barrier behind injected events.
func (a *App) SetSyncKey(key tcell.Key, fn func()) {
	a.tv.QueueUpdate(func() { a.syncKey, a.syncFunc = key, fn })
}

// ActionRect returns where the action with the given ID is on screen, for
// tests that tap it. Call it on the event loop.
func (a *App) ActionRect(id string) (x, y, w, h int, ok bool) {
	b, ok := a.byID[id]
	if !ok {
		return 0, 0, 0, 0, false
	}
	x, y, w, h = b.GetRect()
	return x, y, w, h, true
}

// ActionVisible reports whether the action with the given ID is on screen
// whole: not scrolled out of view, even in part. Call it on the event
// loop.
func (a *App) ActionVisible(id string) bool {
	b, ok := a.byID[id]
	if !ok {
		return false
	}
	x, y, w, h := b.GetRect()
	if sw, sh := a.size(); x < 0 || y < 0 || x+w > sw || y+h > sh {
		return false
	}
	if a.scroll == nil {
		return true
	}
	for _, it := range a.scroll.items {
		if it.p == b {
			_, vy, _, vh := a.scroll.viewRect()
			return y >= vy && y+h <= vy+vh
		}
	}
	return true
}

// size is the screen's size at the last draw.
func (a *App) size() (w, h int) { return a.width, a.height }

// Page returns the page on screen, for tests that check every text of it
// can be read. Call it on the event loop.
func (a *App) Page() *Page { return a.shown }

// ScrollRect returns where the page's scrolling part is on screen, for
// tests that swipe it; ok is false when the page has none. Call it on the
// event loop.
func (a *App) ScrollRect() (x, y, w, h int, ok bool) {
	if a.scroll == nil {
		return 0, 0, 0, 0, false
	}
	x, y, w, h = a.scroll.viewRect()
	return x, y, w, h, true
}

// Show replaces what is on screen with p. Call it on the event loop: from
// an action or inside Do.
func (a *App) Show(p *Page) {
	refresh := p.ID != "" && p.ID == a.pageID
	// The first page follows no tap, so it has no tap's end to drop.
	first := a.shown == nil
	a.shown = p
	prevFocus := a.focus
	a.pageID = p.ID
	a.buttons, a.acts = a.buttons[:0], a.acts[:0]
	a.keyed = a.keyed[:0]
	clear(a.byID)
	a.focus = 0
	if !refresh && !first {
		a.shownAt = a.now()
	}

	active := p.Overlay == nil
	// A refresh (a key typed, a status come in) keeps the page where the
	// visitor scrolled it.
	keepOffset := 0
	if refresh && a.scroll != nil {
		keepOffset = a.scroll.offset
	}
	a.scroll = nil
	main := a.page(p, active)
	if a.scroll != nil {
		a.scroll.offset = keepOffset
	}
	var root tview.Primitive = main
	if p.Overlay != nil {
		// The question stands alone: the page beneath is hidden, so a
		// walk-away visitor's data are not on show while "are you still
		// there?" counts down, and the question's words are not mixed
		// with the page's on a small screen.
		pages := tview.NewPages()
		pages.AddPage("page", main, true, false)
		pages.AddPage("overlay", a.overlay(p.Overlay), true, true)
		root = pages
	}
	a.keyed = append(a.keyed, p.Hidden...)
	a.tv.SetRoot(root, true)
	a.focus = a.initialFocus()
	if refresh && prevFocus < len(a.buttons) {
		a.focus = prevFocus
	}
	if a.focus >= 0 {
		a.tv.SetFocus(a.buttons[a.focus])
	} else {
		a.tv.SetFocus(root)
	}
}

// initialFocus puts the keyboard on the page's first primary action, so
// Enter moves the visitor on, else on its first action. The language
// switch comes first in the focus order but is not where a page starts: a
// page with no action of its own starts with no focus (-1), so nothing in
// the header looks pressed.
func (a *App) initialFocus() int {
	for i := a.pageStart; i < len(a.acts); i++ {
		if a.acts[i].Kind == Primary {
			return i
		}
	}
	if a.pageStart < len(a.acts) {
		return a.pageStart
	}
	return -1
}

// page builds the widgets of p; active is false when an overlay covers it,
// and then its actions are neither tappable nor reachable by key. The
// widgets are placed when drawn (pageView), for the screen's size.
func (a *App) page(p *Page, active bool) tview.Primitive {
	t := a.theme
	v := &pageView{group: newGroup(t.Screen.Bg)}
	if len(p.Languages) > 0 || p.Steps > 0 {
		v.header = a.header(p, active)
		v.add(v.header)
	}
	a.pageStart = len(a.buttons)
	v.scroll = newScroller(t.Screen.Bg, tcell.StyleDefault.Foreground(t.Title).Background(t.Screen.Bg))
	v.add(v.scroll)
	if active {
		a.scroll = v.scroll
	}
	blank := a.blank()
	v.scroll.addItem(blank, func(int) int { return 1 })
	if p.Title != "" {
		title := newTextBlock(t.Screen.Bg, false, []para{{text: p.Title, color: t.Title, bold: true, gap: 1}})
		v.scroll.addItem(title, title.rows)
	}
	if p.Big != "" {
		// The queue number comes right under its title: the one thing on
		// the page a visitor must not miss.
		v.big = newBigText(p.Big, tcell.StyleDefault.Foreground(t.Title).Background(t.Screen.Bg))
		v.scroll.addItem(v.big, v.big.rows)
	}
	if len(p.Lines) > 0 || len(p.Items) > 0 || len(p.Notes) > 0 {
		body := a.body(p.Lines, p.Items, p.Notes, false)
		v.scroll.addItem(body, body.rows)
	}
	for _, c := range p.Choices {
		v.scroll.addItem(a.button(c.Action, active), func(int) int { return ButtonHeight })
		hint := newTextBlock(t.Screen.Bg, true, []para{{text: c.Hint, color: t.Muted, gap: 1}})
		v.scroll.addItem(hint, hint.rows)
	}
	if p.Footer != "" {
		v.footer = newTextBlock(t.Screen.Bg, true, []para{{text: p.Footer, color: t.Muted}})
		footer := v.footer
		v.scroll.addItem(footer, func(w int) int {
			if !v.footerInScroll {
				return 0
			}
			return footer.rows(w) + 1
		})
	}
	if p.Field != nil {
		v.field = &fieldView{Box: tview.NewBox().SetBackgroundColor(t.Screen.Bg), f: p.Field, theme: t}
		v.add(v.field)
	}
	if len(p.Keypad) > 0 {
		v.keypad = newGrid(t.Screen.Bg, true, 2)
		for _, k := range p.Keypad {
			v.keypad.addButton(a.button(k, active), k.Label)
		}
		v.add(v.keypad)
	}
	if len(p.Actions) > 0 {
		v.actions = a.row(p.Actions, active, 2, t.Screen.Bg)
		v.add(v.actions)
	}
	if v.footer != nil {
		v.add(v.footer)
	}
	return v
}

func (a *App) header(p *Page, active bool) tview.Primitive {
	t := a.theme
	h := tview.NewFlex()
	h.SetBackgroundColor(t.Header.Bg)
	for _, l := range p.Languages {
		h.AddItem(a.button(l, active), len([]rune(l.Label))+6, 0, false)
		h.AddItem(a.blankIn(t.Header.Bg), 1, 0, false)
	}
	step := ""
	if p.Steps > 0 {
		var dots strings.Builder
		for i := 1; i <= p.Steps; i++ {
			if i <= p.Step {
				dots.WriteString("● ")
			} else {
				dots.WriteString("○ ")
			}
		}
		step = "\n" + tview.Escape(p.StepLabel) + "  " + dots.String()
	}
	sv := tview.NewTextView().SetText(step).SetTextAlign(tview.AlignRight)
	sv.SetTextColor(t.Header.Fg).SetBackgroundColor(t.Header.Bg)
	h.AddItem(sv, 0, 1, false)
	return h
}

// body lays out paragraphs, then checklist items (a mark, the item in
// bold, its reason under it, both indented past the mark), then notes.
func (a *App) body(lines []Line, items []Item, notes []Line, center bool) *textBlock {
	var ps []para
	for _, l := range lines {
		ps = append(ps, para{text: l.Text, color: a.tone(l.Tone), gap: 1})
	}
	for _, it := range items {
		mark := map[Tone]string{Good: "✓ ", Warn: "! ", Bad: "✗ "}[it.Tone]
		if it.Mark != "" {
			mark = it.Mark + " "
		}
		if mark == "" {
			mark = "• "
		}
		p := para{mark: mark, text: it.Text, color: a.tone(it.Tone), bold: true, gap: 1}
		if it.Reason != "" {
			p.gap = 0
			ps = append(ps, p, para{text: it.Reason, color: a.theme.Muted, indent: 2, gap: 1})
			continue
		}
		ps = append(ps, p)
	}
	for _, l := range notes {
		ps = append(ps, para{text: l.Text, color: a.tone(l.Tone), gap: 1})
	}
	return newTextBlock(a.theme.Screen.Bg, center, ps)
}

// row lays actions out as a grid: side by side with gap columns between
// them, on more lines when their labels need it.
func (a *App) row(acts []Action, active bool, gap int, bg tcell.Color) *grid {
	r := newGrid(bg, false, gap)
	for _, act := range acts {
		r.addButton(a.button(act, active), act.Label)
	}
	return r
}

func (a *App) overlay(o *Overlay) tview.Primitive {
	t := a.theme
	box := newGroup(t.Overlay.Bg)
	box.SetBorder(true).SetTitle(" " + tview.Escape(o.Title) + " ").
		SetTitleColor(t.Title).SetBorderColor(t.Overlay.Fg)
	body := a.body(o.Lines, nil, nil, true)
	body.SetBackgroundColor(t.Overlay.Bg)
	r := a.row(o.Actions, true, 2, t.Overlay.Bg)
	box.add(body)
	box.add(r)
	ov := &overlayView{group: newGroup(t.Screen.Bg), box: box}
	ov.add(box)
	// Inside the border: a blank row, the text, the actions, a blank row.
	layout := func(w int) (bodyH, rowH int) {
		iw := max(w-4, 1)
		return body.rows(iw), r.rows(iw)
	}
	ov.rows = func(w int) int {
		bh, rh := layout(w)
		return 2 + 1 + bh + rh + 1
	}
	// tview hands the draw function the box's whole rectangle, border
	// included.
	box.Box.SetDrawFunc(func(screen tcell.Screen, x, y, w, h int) (int, int, int, int) {
		bh, rh := layout(w)
		body.SetRect(x+2, y+2, max(w-4, 1), bh)
		r.SetRect(x+2, y+2+bh, max(w-4, 1), rh)
		body.Draw(screen)
		r.Draw(screen)
		return x, y, w, h
	})
	return ov
}

// button makes the widget for an action and registers it for focus, keys
// and ActionRect, unless the page is covered by an overlay.
func (a *App) button(act Action, active bool) *tview.Button {
	t := a.theme
	c := map[Kind]Colors{Primary: t.Primary, Secondary: t.Secondary, Danger: t.Danger, Selected: t.Selected}[act.Kind]
	b := tview.NewButton(act.Label)
	b.SetStyle(c.style()).SetActivatedStyle(t.Focus.style().Bold(true)).
		SetDisabledStyle(c.style().Dim(true))
	if !active {
		b.SetDisabled(true)
		return b
	}
	do := act.Do
	b.SetSelectedFunc(func() {
		if do != nil {
			do()
		}
	})
	a.buttons = append(a.buttons, b)
	a.acts = append(a.acts, act)
	if act.ID != "" {
		a.byID[act.ID] = b
	}
	a.keyed = append(a.keyed, act)
	return b
}

func (a *App) blank() *tview.Box { return a.blankIn(a.theme.Screen.Bg) }

func (a *App) blankIn(c tcell.Color) *tview.Box {
	return tview.NewBox().SetBackgroundColor(c)
}

func (a *App) tone(t Tone) tcell.Color { return toneColor(a.theme, t) }

// toneColor is the colour of a tone in the theme.
func toneColor(th Theme, t Tone) tcell.Color {
	switch t {
	case Good:
		return th.Good
	case Warn:
		return th.Warn
	case Bad:
		return th.Bad
	case Muted:
		return th.Muted
	}
	return th.Screen.Fg
}

// tag is a tview colour tag for c.
func tag(c tcell.Color) string { return fmt.Sprintf("#%06x", c.Hex()) }

// captureKey applies the key policy: the sync key for tests, no way out by
// control keys, page keys, and focus movement.
func (a *App) captureKey(ev *tcell.EventKey) *tcell.EventKey {
	if a.syncFunc != nil && ev.Key() == a.syncKey {
		a.syncFunc()
		return nil
	}
	if a.onAct != nil {
		a.onAct()
	}
	k := ev.Key()
	for _, act := range a.keyed {
		if (act.Key != 0 && act.Key == k && k != tcell.KeyRune) || (act.Rune != 0 && k == tcell.KeyRune && ev.Rune() == act.Rune) {
			if act.Do != nil {
				act.Do()
			}
			return nil
		}
	}
	switch k {
	case tcell.KeyTab, tcell.KeyRight, tcell.KeyDown:
		a.moveFocus(1)
		return nil
	case tcell.KeyBacktab, tcell.KeyLeft, tcell.KeyUp:
		a.moveFocus(-1)
		return nil
	case tcell.KeyEnter:
		return ev
	}
	if k < tcell.KeyRune || ev.Modifiers()&(tcell.ModCtrl|tcell.ModAlt) != 0 {
		// Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+D, Escape and the like: nothing
		// leaves the kiosk, and tview's own Ctrl+C stop never sees them.
		return nil
	}
	return ev
}

// cornerTap counts a tap on the secret corner and runs the gesture on the
// SecretTaps-th within SecretWindow.
func (a *App) cornerTap() {
	now := a.now()
	keep := a.cornerTaps[:0]
	for _, t := range a.cornerTaps {
		if now.Sub(t) < SecretWindow {
			keep = append(keep, t)
		}
	}
	a.cornerTaps = append(keep, now)
	if len(a.cornerTaps) >= SecretTaps {
		a.cornerTaps = a.cornerTaps[:0]
		a.secret()
	}
}

func (a *App) moveFocus(d int) {
	n := len(a.buttons)
	switch {
	case n == 0:
		return
	case a.focus < 0 && d > 0:
		a.focus = 0
	case a.focus < 0:
		a.focus = n - 1
	default:
		a.focus = (a.focus + d + n) % n
	}
	b := a.buttons[a.focus]
	a.tv.SetFocus(b)
	if a.scroll != nil {
		for _, it := range a.scroll.items {
			if it.p == b {
				_, y, _, h := b.GetRect()
				a.scroll.reveal(y, h)
			}
		}
	}
}

// drag is a touch in progress: where the finger went down, and whether it
// has moved since, which makes it a swipe and not a tap.
type drag struct {
	down         bool
	x, y, offset int
	moved        bool
	scrolling    bool // it went down on the scrolling part
}

// captureMouse applies the touch policy: a double-click is a click, and
// taps right after a page change are dropped.
func (a *App) captureMouse(ev *tcell.EventMouse, action tview.MouseAction) (*tcell.EventMouse, tview.MouseAction) {
	x, y := ev.Position()
	switch action {
	case tview.MouseLeftDown:
		if a.onAct != nil {
			a.onAct()
		}
		a.drag = drag{down: true, x: x, y: y}
		if a.scroll != nil {
			sx, sy, sw, sh := a.scroll.viewRect()
			a.drag.scrolling = x >= sx && x < sx+sw && y >= sy && y < sy+sh
			a.drag.offset = a.scroll.offset
		}
	case tview.MouseMove:
		if !a.drag.down || ev.Buttons()&tcell.Button1 == 0 {
			break
		}
		if x != a.drag.x || y != a.drag.y {
			a.drag.moved = true
		}
		if a.drag.scrolling {
			// The content follows the finger.
			a.scroll.scrollTo(a.drag.offset - (y - a.drag.y))
			return nil, tview.MouseConsumed
		}
	case tview.MouseLeftUp:
		a.drag.down = false
	case tview.MouseScrollUp, tview.MouseScrollDown:
		// The wheel is activity only where it scrolls: on a page that
		// any touch moves on (goodbye), it must not count as one.
		if a.scroll != nil && a.scroll.scrolls() {
			if a.onAct != nil {
				a.onAct()
			}
			step := WheelStep
			if action == tview.MouseScrollUp {
				step = -step
			}
			a.scroll.scrollTo(a.scroll.offset + step)
		}
		return nil, tview.MouseConsumed
	case tview.MouseLeftDoubleClick, tview.MouseLeftClick:
		action = tview.MouseLeftClick
		if a.drag.moved {
			// A swipe, even one back to where it started, presses nothing.
			a.drag.moved = false
			return nil, action
		}
		if a.secret != nil && y == 0 && x == a.width-1 {
			a.cornerTap()
			return nil, action
		}
		if a.guard > 0 && a.now().Sub(a.shownAt) < a.guard {
			return nil, action
		}
	case tview.MouseRightDown, tview.MouseRightUp, tview.MouseRightClick, tview.MouseRightDoubleClick,
		tview.MouseMiddleDown, tview.MouseMiddleUp, tview.MouseMiddleClick, tview.MouseMiddleDoubleClick:
		return nil, action
	}
	return ev, action
}
