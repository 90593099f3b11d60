package escpos

import (
	"image"
	"image/color"
)

// Bitmap is a 1-bit image in GS v 0 order: H rows of Stride bytes, the most
// significant bit of each byte leftmost, 1 a black dot. Pixels past W in the
// last byte of a row are 0.
type Bitmap struct {
	W, H   int
	Stride int
	Pix    []byte
}

// NewBitmap returns a white w×h bitmap.
func NewBitmap(w, h int) *Bitmap {
	s := (w + 7) / 8
	return &Bitmap{W: w, H: h, Stride: s, Pix: make([]byte, s*h)}
}

// Set makes the dot at x, y black (on) or white; outside the bitmap it does
// nothing.
func (bm *Bitmap) Set(x, y int, on bool) {
	if x < 0 || y < 0 || x >= bm.W || y >= bm.H {
		return
	}
	i, m := y*bm.Stride+x/8, byte(0x80>>(x%8))
	if on {
		bm.Pix[i] |= m
	} else {
		bm.Pix[i] &^= m
	}
}

// At reports whether the dot at x, y is black; outside the bitmap it is
// white.
func (bm *Bitmap) At(x, y int) bool {
	if x < 0 || y < 0 || x >= bm.W || y >= bm.H {
		return false
	}
	return bm.Pix[y*bm.Stride+x/8]&(0x80>>(x%8)) != 0
}

// Draw copies src onto bm with its top-left corner at x, y, black dots only
// (a white source dot leaves bm as it was). Dots falling outside bm are
// dropped.
func (bm *Bitmap) Draw(x, y int, src *Bitmap) {
	if x < 0 || x+src.W > bm.W {
		for sy := 0; sy < src.H; sy++ {
			for sx := 0; sx < src.W; sx++ {
				if src.At(sx, sy) {
					bm.Set(x+sx, y+sy, true)
				}
			}
		}
		return
	}
	// Whole bytes, shifted: src keeps the bits past its width at 0.
	shift, base := uint(x%8), x/8
	for sy := 0; sy < src.H; sy++ {
		dy := y + sy
		if dy < 0 || dy >= bm.H {
			continue
		}
		drow := bm.Pix[dy*bm.Stride : (dy+1)*bm.Stride]
		for i, b := range src.Pix[sy*src.Stride : (sy+1)*src.Stride] {
			if b == 0 {
				continue
			}
			j := base + i
			if j < len(drow) {
				drow[j] |= b >> shift
			}
			if shift > 0 && j+1 < len(drow) {
				drow[j+1] |= b << (8 - shift)
			}
		}
	}
}

// Columns returns the bitmap in the column-major form of ESC &: for each of
// the W columns, left to right, ⌈H/8⌉ bytes from the top, most significant
// bit uppermost.
func (bm *Bitmap) Columns() []byte {
	y := (bm.H + 7) / 8
	out := make([]byte, bm.W*y)
	for x := 0; x < bm.W; x++ {
		for py := 0; py < bm.H; py++ {
			if bm.At(x, py) {
				out[x*y+py/8] |= 0x80 >> (py % 8)
			}
		}
	}
	return out
}

// BitmapFromColumns is the inverse of Columns: w columns of y bytes each.
func BitmapFromColumns(w, y int, data []byte) *Bitmap {
	bm := NewBitmap(w, 8*y)
	for x := 0; x < w; x++ {
		for py := 0; py < 8*y; py++ {
			i := x*y + py/8
			if i < len(data) && data[i]&(0x80>>(py%8)) != 0 {
				bm.Set(x, py, true)
			}
		}
	}
	return bm
}

// BitmapFromImage thresholds img: a pixel darker than mid-grey becomes a
// black dot.
func BitmapFromImage(img image.Image) *Bitmap {
	r := img.Bounds()
	bm := NewBitmap(r.Dx(), r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			if g.Y < 128 {
				bm.Set(x-r.Min.X, y-r.Min.Y, true)
			}
		}
	}
	return bm
}

// Image returns the bitmap as a black-on-white grey image.
func (bm *Bitmap) Image() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, bm.W, bm.H))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y := 0; y < bm.H; y++ {
		for x := 0; x < bm.W; x++ {
			if bm.At(x, y) {
				img.Pix[y*img.Stride+x] = 0
			}
		}
	}
	return img
}

// Trim returns the bitmap cut to the columns from 0 to the last one with a
// black dot (at least one column), so a raster line costs only what it
// shows.
func (bm *Bitmap) Trim() *Bitmap {
	last := 0
	for y := 0; y < bm.H; y++ {
		row := bm.Pix[y*bm.Stride : (y+1)*bm.Stride]
		for i := len(row) - 1; i >= 0 && 8*i+7 > last; i-- {
			if b := row[i]; b != 0 {
				x := 8*i + 7
				for b&1 == 0 {
					b >>= 1
					x--
				}
				last = max(last, x)
				break
			}
		}
	}
	out := NewBitmap(last+1, bm.H)
	for y := 0; y < bm.H; y++ {
		copy(out.Pix[y*out.Stride:(y+1)*out.Stride], bm.Pix[y*bm.Stride:])
		if r := out.W % 8; r != 0 {
			out.Pix[(y+1)*out.Stride-1] &= byte(0xFF << (8 - r))
		}
	}
	return out
}
