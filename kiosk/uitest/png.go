package uitest

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"

	"github.com/gdamore/tcell/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// FontDir holds the monospace fonts screens are drawn with (Debian's
// fonts-dejavu-core; every Kazakh letter is in DejaVu Sans Mono).
const FontDir = "/usr/share/fonts/truetype/dejavu"

// WritePNG draws the screen as a picture at path, for a person to look at.
func (h *Harness) WritePNG(path string) error {
	cells, w, hh := h.Cells()
	img, err := Render(cells, w, hh)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("uitest: writing %s: %w", path, err)
	}
	return f.Close()
}

func loadFace(name string) (font.Face, error) {
	b, err := os.ReadFile(filepath.Join(FontDir, name))
	if err != nil {
		return nil, fmt.Errorf("uitest: font for screen pictures (install fonts-dejavu-core): %w", err)
	}
	f, err := opentype.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("uitest: %s: %w", name, err)
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: 16, DPI: 72, Hinting: font.HintingFull})
}

// Render draws simulation-screen cells as an image: each cell's background,
// then its runes in its foreground colour, bold where the cell is bold.
func Render(cells []tcell.SimCell, w, h int) (image.Image, error) {
	regular, err := loadFace("DejaVuSansMono.ttf")
	if err != nil {
		return nil, err
	}
	bold, err := loadFace("DejaVuSansMono-Bold.ttf")
	if err != nil {
		return nil, err
	}
	adv, _ := regular.GlyphAdvance('M')
	cw := adv.Ceil()
	m := regular.Metrics()
	ch := (m.Ascent + m.Descent).Ceil()
	img := image.NewRGBA(image.Rect(0, 0, w*cw, h*ch))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			fg, bg, attr := c.Style.Decompose()
			fgc, bgc := rgb(fg, color.White), rgb(bg, color.Black)
			if attr&tcell.AttrReverse != 0 {
				fgc, bgc = bgc, fgc
			}
			r := image.Rect(x*cw, y*ch, (x+1)*cw, (y+1)*ch)
			draw.Draw(img, r, image.NewUniform(bgc), image.Point{}, draw.Src)
			if len(c.Runes) == 0 || c.Runes[0] == ' ' {
				continue
			}
			face := regular
			if attr&tcell.AttrBold != 0 {
				face = bold
			}
			if c.Runes[0] == '█' {
				draw.Draw(img, r, image.NewUniform(fgc), image.Point{}, draw.Src)
				continue
			}
			d := font.Drawer{Dst: img, Src: image.NewUniform(fgc), Face: face,
				Dot: fixed.P(x*cw, y*ch+m.Ascent.Ceil())}
			d.DrawString(string(c.Runes))
		}
	}
	return img, nil
}

func rgb(c tcell.Color, def color.Color) color.Color {
	if c == tcell.ColorDefault {
		return def
	}
	r, g, b := c.RGB()
	if r < 0 {
		return def
	}
	return color.RGBA{uint8(r), uint8(g), uint8(b), 255}
}
