package glyph_test

import (
	"testing"

	"github.com/hcsc-kz/kiosk/devices/printer/glyph"
)

func TestRenderKazakh(t *testing.T) {
	s, err := glyph.Render(12, 24, []rune(glyph.Kazakh+"АКНОУХI"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]rune{}
	for _, r := range glyph.Kazakh {
		bm := s.Bitmap(r)
		if bm == nil || bm.W != 12 || bm.H != 24 {
			t.Fatalf("Bitmap(%q) = %+v, want a 12×24 cell", r, bm)
		}
		dots := 0
		for y := 0; y < 24; y++ {
			for x := 0; x < 12; x++ {
				if bm.At(x, y) {
					dots++
				}
			}
		}
		if dots < 20 {
			t.Errorf("%q has %d dots; a letter needs more", r, dots)
		}
		key := string(s.Columns(r))
		if other, dup := seen[key]; dup && !(r == 'І' && other == 'I') {
			t.Errorf("%q and %q render the same", r, other)
		}
		seen[key] = r
		// Each Kazakh letter differs from the Russian letter it is
		// transliterated to: that is why it must be downloaded.
		if got := s.Lookup(s.Columns(r)); len(got) == 0 || got[0] != r && r != 'І' {
			t.Errorf("Lookup(Columns(%q)) = %q", r, got)
		}
	}
	if got := s.Lookup(s.Columns('І')); len(got) != 2 || got[0] != 'I' || got[1] != 'І' {
		t.Errorf("Lookup(Columns('І')) = %q, want the look-alikes I and І", got)
	}
	if s.Has('ж') || s.Bitmap('ж') != nil || s.Columns('ж') != nil {
		t.Errorf("a rune not rendered is reported present")
	}
	if w, h := s.Cell(); w != 12 || h != 24 {
		t.Errorf("Cell() = %d×%d", w, h)
	}
	if n := len(s.Runes()); n != 25 {
		t.Errorf("Runes() has %d runes, want 25", n)
	}
}

func TestRenderErrors(t *testing.T) {
	for _, c := range [][2]int{{2, 24}, {12, 4}, {100, 24}} {
		if _, err := glyph.Render(c[0], c[1], []rune("A")); err == nil {
			t.Errorf("Render(%d, %d) = nil error, want one", c[0], c[1])
		}
	}
	s, err := glyph.Render(12, 24, []rune{'\U0001F600'}) // the font has no emoji
	if err != nil || s.Has('\U0001F600') {
		t.Errorf("Render(emoji) = %v, Has = %t; want it left out", err, s.Has('\U0001F600'))
	}
}
