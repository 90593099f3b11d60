package preview_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/glyph"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
)

func TestDecodeErrors(t *testing.T) {
	tests := map[string]struct {
		job  []byte
		want string
	}{
		"unknown ESC":          {[]byte{0x1B, 'J', 5}, "unknown command ESC 'J'"},
		"unknown GS":           {[]byte{0x1D, 'k', 2}, "unknown command GS 'k'"},
		"unknown FS":           {[]byte{0x1C, 'p', 1, 0}, "unknown command FS 'p'"},
		"control byte":         {[]byte{'A', 0x07}, "control byte 0x07"},
		"cut short":            {[]byte{0x1B, 't'}, "cut short"},
		"table not in profile": {[]byte{0x1B, 't', 99}, "ESC t 99"},
		"raster cut short":     {[]byte{0x1D, 'v', '0', 0, 2, 0, 2, 0, 0xFF}, "cut short"},
		"raster too wide":      {append([]byte{0x1D, 'v', '0', 0, 80, 0, 1, 0}, make([]byte, 80)...), "overflows"},
		"DLE not EOT":          {[]byte{0x10, 0x05, 1}, "real-time command"},
		"user char too wide":   {append([]byte{0x1B, '&', 3, 'A', 'A', 13}, make([]byte, 39)...), "13 dots wide"},
		"user char wrong y":    {[]byte{0x1B, '&', 2, 'A', 'A', 1, 0, 0}, "want y=3"},
		"QR function unknown":  {[]byte{0x1D, '(', 'k', 3, 0, 49, 70, 0}, "QR function 70"},
		"other symbol":         {[]byte{0x1D, '(', 'k', 3, 0, 48, 67, 3}, "only QR code"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := preview.Decode(tt.job, preview.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode(% x) error = %v, want one containing %q", tt.job, err, tt.want)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	kz := escpos.KZ1048()
	enc := func(s string) []byte {
		var out []byte
		for _, r := range s {
			c, _ := kz.Encode(r)
			out = append(out, c)
		}
		return out
	}
	set, err := glyph.Render(12, 24, []rune("Ә"))
	if err != nil {
		t.Fatal(err)
	}
	var b escpos.Builder
	b.Init().CancelKanji().CodeTable(53)
	b.Align(escpos.Center).Size(2, 2).Bold(true).Text(enc("Қош")).LF()
	b.Size(1, 1).Bold(false).Align(escpos.Left).LF()
	b.CodeTable(17).DefineChars(3, '~', []escpos.UserChar{{Width: 12, Data: set.Columns('Ә')}}).UserChars(true)
	b.Text([]byte("~ ~")).LF().UserChars(false).Text([]byte("~")).LF()
	bm := escpos.NewBitmap(16, 8)
	bm.Set(0, 0, true)
	b.LeftMargin(80).Raster(bm, escpos.RasterNormal).LeftMargin(0)
	b.Align(escpos.Right).QR([]byte("ST-1"), 4, escpos.QRLevelM)
	b.Feed(2).PaperStatus().Raw(escpos.StatusRequest(4)...).Cut()
	res, err := preview.Decode(b.Bytes(), preview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "^ ×2 Қош\n\nӘ Ә\n~\n[image 16×8]\n> ×4 [QR: ST-1]\n--- cut ---\n"
	if got := res.String(); got != want {
		t.Errorf("Decode().String() =\n%s\nwant\n%s", got, want)
	}
	if res.StatusRequests != 2 {
		t.Errorf("StatusRequests = %d, want 2", res.StatusRequests)
	}
	if len(res.UserChars) != 1 || res.UserChars[0] != 'Ә' {
		t.Errorf("UserChars = %q, want [Ә]", res.UserChars)
	}
	if l := res.Lines[0]; !l.Bold || l.Size != 2 || l.W != 72 || l.Align != escpos.Center {
		t.Errorf("first line = %+v, want bold, ×2, 72 dots, centred", l)
	}
	var buf bytes.Buffer
	if err := res.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != 576+32 {
		t.Errorf("PNG width %d, want 576 dots and two 16-dot margins", w)
	}
	// The raster's single dot sits at the left margin of 80 dots.
	if g := res.Image().GrayAt(16+80, 16+res.Lines[4].Y); g.Y != 0 {
		t.Errorf("raster dot not at margin 80 (grey %d)", g.Y)
	}
}
