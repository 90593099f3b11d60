package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

func start(t *testing.T) (*uitest.Harness, *uitest.Clock) {
	t.Helper()
	clk := uitest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	sim := uitest.NewScreen()
	app := ui.New(ui.Options{Screen: sim, Now: clk.Now})
	return uitest.New(t, sim, app, 100, 40), clk
}

// counter counts presses per action ID; read it after Settle.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) press(id string) func() {
	return func() { c.mu.Lock(); c.n[id]++; c.mu.Unlock() }
}
func (c *counter) get(id string) int { c.mu.Lock(); defer c.mu.Unlock(); return c.n[id] }

func TestQuickTapsOnTwoButtonsBothCount(t *testing.T) {
	h, clk := start(t)
	c := &counter{n: map[string]int{}}
	h.Do(func() {
		h.App.Show(&ui.Page{Title: "Two", Actions: []ui.Action{
			{ID: "a", Label: "Бас тарту", Kind: ui.Secondary, Do: c.press("a")},
			{ID: "b", Label: "Кезекке тұру", Do: c.press("b")},
		}})
	})
	clk.Add(time.Second) // past the guard
	// tview would call the second tap, within its DoubleClickInterval, a
	// double-click that Button ignores.
	h.TapAction("a")
	h.TapAction("b")
	h.TapAction("b")
	if a, b := c.get("a"), c.get("b"); a != 1 || b != 2 {
		t.Errorf("presses a=%d b=%d, want 1 and 2", a, b)
	}
}

func TestDoubleTapDoesNotPressTheNextPage(t *testing.T) {
	h, clk := start(t)
	c := &counter{n: map[string]int{}}
	var second func()
	first := func() {
		h.App.Show(&ui.Page{Title: "First", Actions: []ui.Action{{ID: "next", Label: "Next", Do: second}}})
	}
	second = func() {
		c.press("next")()
		h.App.Show(&ui.Page{Title: "Second", Actions: []ui.Action{{ID: "next", Label: "Again", Do: c.press("again")}}})
	}
	h.Do(first)
	clk.Add(time.Second)
	h.TapAction("next") // shows the second page at this instant
	h.TapAction("next") // the finger's second tap lands on "Again": dropped
	if n, again := c.get("next"), c.get("again"); n != 1 || again != 0 {
		t.Fatalf("next=%d again=%d, want 1 and 0", n, again)
	}
	clk.Add(ui.DefaultTapGuard)
	h.TapAction("next")
	if again := c.get("again"); again != 1 {
		t.Errorf("a tap after the guard: again=%d, want 1", again)
	}
}

// TestFirstPageHasNoGuard: the page the kiosk starts on was changed to by
// no tap, so a tap at once is a visitor's and is taken.
func TestFirstPageHasNoGuard(t *testing.T) {
	h, _ := start(t)
	c := &counter{n: map[string]int{}}
	h.Do(func() {
		h.App.Show(&ui.Page{Title: "Welcome", Actions: []ui.Action{{ID: "kk", Label: "Қазақ тілі", Do: c.press("kk")}}})
	})
	h.TapAction("kk")
	if n := c.get("kk"); n != 1 {
		t.Errorf("a tap on the first page: %d presses, want 1", n)
	}
}

func TestRefreshKeepsTheGuardAndFocus(t *testing.T) {
	h, clk := start(t)
	c := &counter{n: map[string]int{}}
	var show func()
	show = func() {
		h.App.Show(&ui.Page{ID: "phone", Keypad: []ui.Action{
			{ID: "key-1", Label: "1", Do: func() { c.press("1")(); show() }},
			{ID: "key-2", Label: "2", Do: func() { c.press("2")(); show() }},
		}})
	}
	h.Do(show)
	clk.Add(time.Second)
	// Each key press redraws the same page: the next quick tap must count.
	h.TapAction("key-1")
	h.TapAction("key-2")
	h.TapAction("key-1")
	if one, two := c.get("1"), c.get("2"); one != 2 || two != 1 {
		t.Errorf("presses 1=%d 2=%d, want 2 and 1", one, two)
	}
	h.Key(tcell.KeyTab) // focus on key-2 now
	h.Do(show)          // a refresh keeps it there
	h.Key(tcell.KeyEnter)
	if two := c.get("2"); two != 2 {
		t.Errorf("Enter after a refresh pressed 2 %d times, want 2", two)
	}
}

func TestSecretGesture(t *testing.T) {
	clk := uitest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	sim := uitest.NewScreen()
	opened := 0
	app := ui.New(ui.Options{Screen: sim, Now: clk.Now, Secret: func() { opened++ }})
	h := uitest.New(t, sim, app, 100, 40)
	h.Do(func() { app.Show(&ui.Page{Title: "Сәлеметсіз бе"}) })
	corner := func(n int, gap time.Duration) {
		for i := 0; i < n; i++ {
			clk.Add(gap)
			h.Tap(99, 0)
		}
	}
	corner(ui.SecretTaps-1, 100*time.Millisecond)
	if opened != 0 {
		t.Fatalf("%d taps opened it, want %d", ui.SecretTaps-1, ui.SecretTaps)
	}
	clk.Add(ui.SecretWindow) // too slow: the earlier taps no longer count
	corner(1, 0)
	if opened != 0 {
		t.Fatal("taps spread over more than the window opened it")
	}
	corner(ui.SecretTaps-1, 200*time.Millisecond)
	if opened != 1 {
		t.Errorf("opened %d times after %d quick corner taps, want 1", opened, ui.SecretTaps)
	}
}

func TestNoWayOut(t *testing.T) {
	h, _ := start(t)
	h.Do(func() {
		h.App.Show(&ui.Page{Title: "Сәлеметсіз бе", Actions: []ui.Action{{ID: "go", Label: "Бастау"}}})
	})
	keys := []struct {
		name string
		key  tcell.Key
		r    rune
		mod  tcell.ModMask
	}{
		{"Ctrl+C", tcell.KeyCtrlC, 0, tcell.ModCtrl},
		{"Ctrl+Z", tcell.KeyCtrlZ, 0, tcell.ModCtrl},
		{"Ctrl+\\", tcell.KeyCtrlBackslash, 0, tcell.ModCtrl},
		{"Ctrl+D", tcell.KeyCtrlD, 0, tcell.ModCtrl},
		{"Ctrl+Q", tcell.KeyCtrlQ, 0, tcell.ModCtrl},
		{"Escape", tcell.KeyEscape, 0, tcell.ModNone},
		{"Alt+F4", tcell.KeyF4, 0, tcell.ModAlt},
	}
	for _, k := range keys {
		t.Run(k.name, func(t *testing.T) {
			h.KeyMod(k.key, k.r, k.mod) // Settle fails the test if the loop stopped
			if !h.Contains("Сәлеметсіз бе") {
				t.Errorf("after %s the page is gone:\n%s", k.name, h.Text())
			}
		})
	}
}

func TestKeyboard(t *testing.T) {
	h, clk := start(t)
	c := &counter{n: map[string]int{}}
	h.Do(func() {
		h.App.Show(&ui.Page{
			Languages: []ui.Action{{ID: "lang-kk", Label: "Қазақша", Kind: ui.Selected, Do: c.press("kk")}},
			Actions: []ui.Action{
				{ID: "back", Label: "Артқа", Kind: ui.Secondary, Key: tcell.KeyEscape, Do: c.press("back")},
				{ID: "next", Label: "Келесі", Do: c.press("next")},
			},
			Hidden: []ui.Action{{ID: "demo-scan", Key: tcell.KeyF2, Do: c.press("scan")}},
		})
	})
	clk.Add(time.Second)
	h.Key(tcell.KeyEnter) // focus starts on the primary action
	h.Key(tcell.KeyEscape)
	h.Key(tcell.KeyF2)
	h.Key(tcell.KeyTab) // from "next" round to the language switch
	h.Key(tcell.KeyEnter)
	for id, want := range map[string]int{"next": 1, "back": 1, "scan": 1, "kk": 1} {
		if got := c.get(id); got != want {
			t.Errorf("%s pressed %d times, want %d", id, got, want)
		}
	}
}

func TestOverlayCoversThePage(t *testing.T) {
	h, clk := start(t)
	c := &counter{n: map[string]int{}}
	h.Do(func() {
		h.App.Show(&ui.Page{
			Actions: []ui.Action{{ID: "next", Label: "Келесі", Do: c.press("next")}},
			Overlay: &ui.Overlay{Title: "Сіз әлі осындасыз ба?", Lines: []ui.Line{{Text: "20"}},
				Actions: []ui.Action{{ID: "continue", Label: "Жалғастыру", Do: c.press("continue")}}},
		})
	})
	clk.Add(time.Second)
	if h.HasAction("next") {
		t.Error("the covered page's action is tappable")
	}
	if h.Contains("Келесі") {
		t.Error("the covered page is on show beside the question")
	}
	h.TapAction("continue")
	if n, cont := c.get("next"), c.get("continue"); n != 0 || cont != 1 {
		t.Errorf("next=%d continue=%d, want 0 and 1", n, cont)
	}
}

func TestLayout(t *testing.T) {
	h, _ := start(t)
	keypad := make([]ui.Action, 0, 12)
	for _, k := range "123456789+0" {
		keypad = append(keypad, ui.Action{ID: "key-" + string(k), Label: string(k), Kind: ui.Secondary, Rune: k})
	}
	keypad = append(keypad, ui.Action{ID: "key-del", Label: "⌫", Kind: ui.Secondary, Key: tcell.KeyBackspace2})
	h.Do(func() {
		h.App.Show(&ui.Page{
			Languages: []ui.Action{{ID: "lang-kk", Label: "Қазақша", Kind: ui.Selected}, {ID: "lang-ru", Label: "Русский", Kind: ui.Secondary}},
			Step:      3, Steps: 6, StepLabel: "Қадам 3 / 6",
			Title: "Телефон нөмірі", Field: &ui.Field{Label: "Телефон:", Value: "+7 701"},
			Keypad: keypad, Actions: []ui.Action{{ID: "next", Label: "Келесі"}},
			Footer: "ДЕМО",
		})
	})
	for _, id := range []string{"lang-kk", "lang-ru", "key-1", "key-del", "next"} {
		var w, hh int
		var ok bool
		h.App.Do(func() { _, _, w, hh, ok = h.App.ActionRect(id) })
		if !ok || hh < ui.ButtonHeight || w < 6 {
			t.Errorf("action %s: %d×%d, visible %v; want at least 6×%d", id, w, hh, ok, ui.ButtonHeight)
		}
	}
	for _, s := range []string{"Қадам 3 / 6", "Телефон нөмірі", "+7 701", "ДЕМО"} {
		if !h.Contains(s) {
			t.Errorf("%q not on screen:\n%s", s, h.Text())
		}
	}
	writePNG(t, h, "layout")
}

func TestBigNumber(t *testing.T) {
	h, _ := start(t)
	h.Do(func() { h.App.Show(&ui.Page{Title: "Кезек нөміріңіз", Big: "A-042"}) })
	if got := strings.Count(h.Text(), "█"); got < 40 {
		t.Errorf("block cells = %d, want the number in block letters:\n%s", got, h.Text())
	}
	h.Do(func() { h.Sim.SetSize(30, 30); h.App.Show(&ui.Page{Big: "A-042"}) })
	if !h.Contains("A-042") {
		t.Errorf("on a narrow screen the number must still show as text:\n%s", h.Text())
	}
}

// writePNG keeps a picture of the screen when KIOSK_SCREENS names a folder.
func writePNG(t *testing.T, h *uitest.Harness, name string) {
	dir := os.Getenv("KIOSK_SCREENS")
	if dir == "" {
		return
	}
	if err := h.WritePNG(filepath.Join(dir, name+".png")); err != nil {
		t.Error(err)
	}
}
