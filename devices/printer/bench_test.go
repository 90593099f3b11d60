package printer_test

import (
	"image"
	"testing"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

// BenchmarkTicket builds the typical trilingual ticket (Kazakh, Russian,
// English; large number, QR code, cut) on every profile. Besides the time
// to build one ticket's bytes (ns/op), it reports:
//
//	bytes/ticket     the job's bytes on the wire, glyph downloads included
//	                 (the driver adds GS r 1, 3 bytes, and the status check
//	                 before it is a separate 12-byte request)
//	s@115200         those bytes' time on a 115200 baud 8N1 line (10 bits a byte)
//	raster-bytes     the same ticket sent as one bit image, as drivers that
//	                 print everything as graphics do
//	raster-s@115200  that image's time on the same line
func BenchmarkTicket(b *testing.B) {
	tk := sampleTicket("kk", "ru", "en")
	for _, p := range printer.Profiles() {
		b.Run(p.Name, func(b *testing.B) {
			l := layout(b, p.Name)
			var job []byte
			for b.Loop() {
				var err error
				if job, err = l.Ticket(tk); err != nil {
					b.Fatal(err)
				}
			}
			raster := rasterTicket(b, l, job)
			b.ReportMetric(float64(len(job)), "bytes/ticket")
			b.ReportMetric(float64(len(job)*10)/115200, "s@115200")
			b.ReportMetric(float64(raster), "raster-bytes")
			b.ReportMetric(float64(raster*10)/115200, "raster-s@115200")
		})
	}
}

// rasterTicket returns the size of the full-raster job of the same ticket:
// ESC @, the paper's picture in GS v 0 bands of 256 rows, the cut.
func rasterTicket(b *testing.B, l *printer.Layout, job []byte) int {
	b.Helper()
	img := decode(b, l, job).Image()
	const m = 16 // the preview's margin
	r := img.Bounds()
	paper := img.SubImage(image.Rect(m, m, r.Dx()-m, r.Dy()-m))
	bm := escpos.BitmapFromImage(paper)
	var out escpos.Builder
	out.Init()
	for y := 0; y < bm.H; y += 256 {
		h := min(256, bm.H-y)
		band := &escpos.Bitmap{W: bm.W, H: h, Stride: bm.Stride, Pix: bm.Pix[y*bm.Stride : (y+h)*bm.Stride]}
		out.Raster(band, escpos.RasterNormal)
	}
	out.Cut()
	return out.Len()
}

// BenchmarkTestPage builds the technician's test page.
func BenchmarkTestPage(b *testing.B) {
	l := layout(b, "generic")
	for b.Loop() {
		if _, err := l.TestPage(); err != nil {
			b.Fatal(err)
		}
	}
}
