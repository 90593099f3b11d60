package glyph

import (
	_ "embed"
	"fmt"
	"image"
	"image/draw"
	"slices"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

// ttf is DejaVu Sans Mono Bold; see LICENSE-DejaVu.txt.
//
//go:embed DejaVuSansMono-Bold.ttf
var ttf []byte

// Kazakh lists the letters of the Kazakh Cyrillic alphabet that are not in
// the Russian one, capital then small.
const Kazakh = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"

// Set is a read-only table of rendered cells.
type Set struct {
	w, h   int
	cells  map[rune]*escpos.Bitmap
	byDots map[string][]rune
}

// Render draws each rune of runes into a w×h cell. Runes the font lacks are
// left out of the Set (Has reports false for them).
func Render(w, h int, runes []rune) (*Set, error) {
	if w < 4 || h < 8 || w > 64 || h > 64 {
		return nil, fmt.Errorf("glyph: cell %d×%d out of range; want 4–64 × 8–64 dots", w, h)
	}
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("glyph: embedded font: %w", err)
	}
	// DejaVu Sans Mono advances 1233/2048 em and spans 1.164 em from
	// ascender to descender. The advance is sized to one dot less than the
	// cell, so letters keep a blank column between them, as printer fonts do.
	size := min(float64(w-1)*2048/1233, float64(h)/1.17)
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("glyph: font face: %w", err)
	}
	defer face.Close()
	s := &Set{w: w, h: h, cells: make(map[rune]*escpos.Bitmap, len(runes)), byDots: make(map[string][]rune, len(runes))}
	baseline := (h*4 + 2) / 5
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	for _, r := range runes {
		if _, dup := s.cells[r]; dup {
			continue
		}
		if _, ok := face.GlyphAdvance(r); !ok {
			continue
		}
		draw.Draw(mask, mask.Bounds(), image.Transparent, image.Point{}, draw.Src)
		d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, baseline)}
		d.DrawString(string(r))
		bm := escpos.NewBitmap(w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if mask.AlphaAt(x, y).A >= 128 {
					bm.Set(x, y, true)
				}
			}
		}
		s.cells[r] = bm
		key := string(bm.Columns())
		s.byDots[key] = append(s.byDots[key], r)
	}
	for _, rs := range s.byDots {
		slices.Sort(rs)
	}
	return s, nil
}

// Cell returns the cell size in dots.
func (s *Set) Cell() (w, h int) { return s.w, s.h }

// Has reports whether r was rendered.
func (s *Set) Has(r rune) bool { _, ok := s.cells[r]; return ok }

// Bitmap returns the cell of r, or nil when r was not rendered. The caller
// must not change it.
func (s *Set) Bitmap(r rune) *escpos.Bitmap { return s.cells[r] }

// Columns returns the cell of r in ESC & order (see escpos.Bitmap.Columns),
// or nil when r was not rendered.
func (s *Set) Columns(r rune) []byte {
	if bm := s.cells[r]; bm != nil {
		return bm.Columns()
	}
	return nil
}

// Lookup returns the runes whose cells have exactly these column bytes (as
// Columns gives them), lowest first, or nil when none has. Look-alikes
// share a cell: Latin A and Cyrillic А, Latin Y and Cyrillic Ү, Latin I
// and Cyrillic І.
func (s *Set) Lookup(columns []byte) []rune {
	return s.byDots[string(columns)]
}

// Runes returns every rendered rune, in no particular order.
func (s *Set) Runes() []rune {
	out := make([]rune, 0, len(s.cells))
	for r := range s.cells {
		out = append(out, r)
	}
	return out
}
