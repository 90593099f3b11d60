// Package qrcode turns a short text into a QR code bitmap for the printer
// driver (printers without a native QR command) and for previews (drawing
// what a native GS ( k command prints). The encoder is
// github.com/boombuler/barcode/qr; this package only scales its modules
// into an escpos.Bitmap.
package qrcode

import (
	"fmt"

	"github.com/boombuler/barcode/qr"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

// Bitmap encodes data at error-correction level M and returns the symbol
// with scale×scale dots per module and no quiet zone, and the number of
// modules on a side.
func Bitmap(data string, scale int) (*escpos.Bitmap, int, error) {
	if data == "" {
		return nil, 0, fmt.Errorf("qrcode: empty payload")
	}
	code, err := qr.Encode(data, qr.M, qr.Auto)
	if err != nil {
		return nil, 0, fmt.Errorf("qrcode: encode %d bytes: %w", len(data), err)
	}
	scale = max(scale, 1)
	n := code.Bounds().Dx()
	bm := escpos.NewBitmap(n*scale, n*scale)
	getter, _ := code.(interface{ Get(x, y int) bool })
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var dark bool
			if getter != nil {
				dark = getter.Get(x, y)
			} else {
				r, _, _, _ := code.At(x, y).RGBA()
				dark = r < 0x8000
			}
			if !dark {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					bm.Set(x*scale+dx, y*scale+dy, true)
				}
			}
		}
	}
	return bm, n, nil
}
