package preview

import (
	"image"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

// result paints the marks on white paper and returns the decoded job.
func (d *decoder) result() *Result {
	h := d.y + 2*margin
	img := image.NewGray(image.Rect(0, 0, d.o.Dots+2*margin, h))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	dot := func(x, y int) {
		x, y = x+margin, y+margin
		if image.Pt(x, y).In(img.Rect) {
			img.Pix[y*img.Stride+x] = 0
		}
	}
	for _, m := range d.marks {
		bm := m.bm
		if bm == nil {
			bm = d.ref.Bitmap(m.r)
		}
		if bm == nil {
			continue // a character the font lacks prints as a gap
		}
		paint(bm, m, dot)
	}
	for _, l := range d.res.Lines {
		if l.Kind == Cut { // a dashed line where the blade cuts
			for x := 0; x < d.o.Dots; x++ {
				if x/8%2 == 0 {
					dot(x, l.Y+8)
				}
			}
		}
	}
	res := d.res
	res.img = img
	res.length = d.y
	return &res
}

// paint draws bm scaled by the mark's multipliers at the mark's place.
// Emphasised characters get their dots doubled to the right, as printers
// do.
func paint(bm *escpos.Bitmap, m mark, dot func(x, y int)) {
	for y := 0; y < bm.H*m.sh; y++ {
		for x := 0; x < bm.W*m.sw; x++ {
			if bm.At(x/m.sw, y/m.sh) {
				dot(m.x+x, m.y+y)
				if m.bold {
					dot(m.x+x+1, m.y+y)
				}
			}
		}
	}
}
