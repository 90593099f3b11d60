package ui_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// longPage is a page taller than 80×24: many choices, a field, a keypad
// and an action row.
func longPage(c *counter, field bool) *ui.Page {
	p := &ui.Page{Title: "Choose", Actions: []ui.Action{
		{ID: "back", Label: "← Back", Kind: ui.Secondary, Do: c.press("back")},
		{ID: "next", Label: "Next", Do: c.press("next")},
	}}
	for i := range 8 {
		id := fmt.Sprintf("c%d", i)
		p.Choices = append(p.Choices, ui.Choice{Action: ui.Action{ID: id, Label: "Choice " + id, Kind: ui.Secondary,
			Do: c.press(id)}, Hint: "What " + id + " means"})
	}
	if field {
		p.Field = &ui.Field{Value: "7701234", Hint: "+7 7xx xxx xx xx"}
		for _, d := range "1234567890" {
			p.Keypad = append(p.Keypad, ui.Action{ID: "key-" + string(d), Label: string(d), Do: c.press(string(d))})
		}
	}
	return p
}

func TestSwipeScrollsAndPressesNothing(t *testing.T) {
	h, clk := start(t)
	h.Resize(80, 24)
	c := &counter{n: map[string]int{}}
	h.Do(func() { h.App.Show(longPage(c, false)) })
	clk.Add(time.Second)
	var x, y, w, hh int
	var ok bool
	h.Do(func() { x, y, w, hh, ok = h.App.ScrollRect() })
	if !ok {
		t.Fatal("a page taller than the screen has no scrolling part")
	}
	if !h.Contains("▼") {
		t.Errorf("no hint that there is more below:\n%s", h.Text())
	}
	top := h.Text()
	// A finger down on the first choice, swiped up, then lifted.
	var cy int
	h.Do(func() { _, cy, _, _, _ = h.App.ActionRect("c0") })
	h.Drag(x+w/2, cy+1, x+w/2, y)
	if h.Text() == top {
		t.Errorf("a swipe up did not scroll:\n%s", h.Text())
	}
	// A swipe that comes back to where it started is no tap either.
	h.Drag(x+w/2, y+hh/2, x+w/2, y+hh/2-3)
	h.Drag(x+w/2, y+hh/2-3, x+w/2, y+hh/2)
	h.Sim.InjectMouse(x+w/2, y+hh/2, tcell.Button1, tcell.ModNone)
	h.Sim.InjectMouse(x+w/2, y+hh/2-2, tcell.Button1, tcell.ModNone)
	h.Sim.InjectMouse(x+w/2, y+hh/2, tcell.Button1, tcell.ModNone)
	h.Sim.InjectMouse(x+w/2, y+hh/2, tcell.ButtonNone, tcell.ModNone)
	h.Settle()
	for i := range 8 {
		if id := fmt.Sprintf("c%d", i); c.get(id) != 0 {
			t.Errorf("a swipe pressed %s", id)
		}
	}
	// A tap without moving still presses, once the choice is in view.
	h.TapAction("c5")
	if c.get("c5") != 1 {
		t.Errorf("a tap on c5 pressed it %d times, want 1", c.get("c5"))
	}
	h.TapAction("next")
	if c.get("next") != 1 {
		t.Errorf("a tap on next pressed it %d times, want 1", c.get("next"))
	}
}

func TestActionsAndFieldNeverScrollAway(t *testing.T) {
	h, _ := start(t)
	h.Resize(80, 24)
	c := &counter{n: map[string]int{}}
	h.Do(func() { h.App.Show(longPage(c, true)) })
	var x, y, w, hh int
	h.Do(func() { x, y, w, hh, _ = h.App.ScrollRect() })
	for notch := range 40 {
		for _, s := range []string{"← Back", "Next", "7701234", "+7 7xx xxx xx xx"} {
			if !h.Contains(s) {
				t.Fatalf("after %d notches %q is off screen:\n%s", notch, s, h.Text())
			}
		}
		for _, id := range []string{"back", "next", "key-1", "key-0"} {
			var shown bool
			h.Do(func() { shown = h.App.ActionVisible(id) })
			if !shown {
				t.Fatalf("after %d notches %s is not whole on screen:\n%s", notch, id, h.Text())
			}
		}
		h.Wheel(x+w/2, y+hh/2, 1)
	}
	if !h.Contains("▲") || h.Contains("▼") {
		t.Errorf("at the end the hint should point up only:\n%s", h.Text())
	}
	if !strings.Contains(h.Text(), "What c7 means") {
		t.Errorf("the wheel did not reach the last choice:\n%s", h.Text())
	}
}

func TestFocusScrollsIntoView(t *testing.T) {
	h, _ := start(t)
	h.Resize(80, 24)
	c := &counter{n: map[string]int{}}
	h.Do(func() { h.App.Show(longPage(c, false)) })
	for range 3 { // from next, past back and the last choice
		h.Key(tcell.KeyBacktab)
	}
	var shown bool
	h.Do(func() { shown = h.App.ActionVisible("c6") })
	if !shown {
		t.Errorf("the focus moved to c6 off screen:\n%s", h.Text())
	}
}

func TestShortPageHasNoScrollHint(t *testing.T) {
	h, _ := start(t)
	h.Resize(80, 24)
	h.Do(func() { h.App.Show(&ui.Page{Title: "Short", Actions: []ui.Action{{ID: "ok", Label: "OK"}}}) })
	if h.Contains("▼") || h.Contains("▲") {
		t.Errorf("a page that fits shows a scroll hint:\n%s", h.Text())
	}
}

func TestRefreshKeepsTheScroll(t *testing.T) {
	h, _ := start(t)
	h.Resize(80, 24)
	c := &counter{n: map[string]int{}}
	p := longPage(c, true)
	p.ID = "phone"
	h.Do(func() { h.App.Show(p) })
	var x, y, w, hh int
	h.Do(func() { x, y, w, hh, _ = h.App.ScrollRect() })
	h.Wheel(x+w/2, y+hh/2, 3)
	before := h.Text()
	// A key typed shows the page again with the same ID.
	h.Do(func() { p.Field.Value += "5"; h.App.Show(p) })
	if after := h.Text(); strings.ReplaceAll(after, "77012345", "7701234") != before {
		t.Errorf("a refresh moved the page:\n%s\nwas\n%s", after, before)
	}
}
