package escpos_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

func TestBuilder(t *testing.T) {
	tests := map[string]struct {
		build func(b *escpos.Builder)
		want  []byte
	}{
		"init":               {func(b *escpos.Builder) { b.Init() }, []byte{0x1B, '@'}},
		"cancel kanji":       {func(b *escpos.Builder) { b.CancelKanji() }, []byte{0x1C, '.'}},
		"code table":         {func(b *escpos.Builder) { b.CodeTable(53) }, []byte{0x1B, 't', 53}},
		"centre":             {func(b *escpos.Builder) { b.Align(escpos.Center) }, []byte{0x1B, 'a', 1}},
		"size 4×4":           {func(b *escpos.Builder) { b.Size(4, 4) }, []byte{0x1D, '!', 0x33}},
		"size clamped":       {func(b *escpos.Builder) { b.Size(0, 9) }, []byte{0x1D, '!', 0x07}},
		"bold":               {func(b *escpos.Builder) { b.Bold(true).Bold(false) }, []byte{0x1B, 'E', 1, 0x1B, 'E', 0}},
		"left margin":        {func(b *escpos.Builder) { b.LeftMargin(300) }, []byte{0x1D, 'L', 44, 1}},
		"line spacing":       {func(b *escpos.Builder) { b.LineSpacing(30).DefaultLineSpacing() }, []byte{0x1B, '3', 30, 0x1B, '2'}},
		"user chars":         {func(b *escpos.Builder) { b.UserChars(true) }, []byte{0x1B, '%', 1}},
		"feed":               {func(b *escpos.Builder) { b.Feed(3) }, []byte{0x1B, 'd', 3}},
		"cut":                {func(b *escpos.Builder) { b.Cut() }, []byte{0x1D, 'V', 66, 0}},
		"paper status":       {func(b *escpos.Builder) { b.PaperStatus() }, []byte{0x1D, 'r', 1}},
		"text and line feed": {func(b *escpos.Builder) { b.Text([]byte("A-1")).LF() }, []byte{'A', '-', '1', 0x0A}},
		"define two chars": {
			func(b *escpos.Builder) {
				b.DefineChars(1, '~'-1, []escpos.UserChar{{Width: 2, Data: []byte{0xF0, 0x0F}}, {Width: 1, Data: []byte{0xFF}}})
			},
			[]byte{0x1B, '&', 1, '}', '~', 2, 0xF0, 0x0F, 1, 0xFF},
		},
		"define past 0x7E dropped": {
			func(b *escpos.Builder) {
				b.DefineChars(1, '~', []escpos.UserChar{{Width: 1, Data: []byte{1}}, {Width: 1, Data: []byte{2}}})
			},
			[]byte{0x1B, '&', 1, '~', '~', 1, 1},
		},
		"define below 0x20 ignored": {
			func(b *escpos.Builder) { b.DefineChars(1, 0x1F, []escpos.UserChar{{Width: 1, Data: []byte{1}}}) },
			nil,
		},
		"QR": {
			func(b *escpos.Builder) { b.QR([]byte("AB"), 6, escpos.QRLevelM) },
			[]byte{
				0x1D, '(', 'k', 3, 0, 49, 67, 6,
				0x1D, '(', 'k', 3, 0, 49, 69, 49,
				0x1D, '(', 'k', 5, 0, 49, 80, 48, 'A', 'B',
				0x1D, '(', 'k', 3, 0, 49, 81, 48,
			},
		},
		"raster": {
			func(b *escpos.Builder) {
				bm := escpos.NewBitmap(9, 2)
				bm.Set(0, 0, true)
				bm.Set(8, 1, true)
				b.Raster(bm, escpos.RasterDouble)
			},
			[]byte{0x1D, 'v', '0', 3, 2, 0, 2, 0, 0x80, 0, 0, 0x80},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var b escpos.Builder
			tt.build(&b)
			if !bytes.Equal(b.Bytes(), tt.want) {
				t.Errorf("%s = % x, want % x", name, b.Bytes(), tt.want)
			}
		})
	}
}

func TestStatusRequest(t *testing.T) {
	got := escpos.StatusRequest(escpos.StatusPrinter, escpos.StatusPaper)
	if want := []byte{0x10, 0x04, 1, 0x10, 0x04, 4}; !bytes.Equal(got, want) {
		t.Errorf("StatusRequest(1, 4) = % x, want % x", got, want)
	}
}

func TestTruncate(t *testing.T) {
	b := escpos.NewBuilder(8)
	b.Raw(1, 2, 3, 4)
	b.Truncate(2)
	b.Truncate(10) // beyond the end: no change
	if !bytes.Equal(b.Bytes(), []byte{1, 2}) {
		t.Errorf("Truncate(2) left % x", b.Bytes())
	}
	b.Reset()
	if b.Len() != 0 {
		t.Errorf("Reset left %d bytes", b.Len())
	}
}

func TestKZ1048(t *testing.T) {
	kz := escpos.KZ1048()
	want := map[byte]rune{
		0x8D: 'Қ', 0x8E: 'Һ', 0x9D: 'қ', 0x9E: 'һ', 0xA1: 'Ұ', 0xA2: 'ұ', 0xA3: 'Ә', 0xA5: 'Ө',
		0xAA: 'Ғ', 0xAF: 'Ү', 0xB4: 'ө', 0xBA: 'ғ', 0xBC: 'ә', 0xBD: 'Ң', 0xBE: 'ң', 0xBF: 'ү',
		0xB2: 'І', 0xB3: 'і', 0xC0: 'А', 0xFF: 'я', 0xB9: '№', 0x97: '—', 0x98: utf8.RuneError,
	}
	for b, r := range want {
		if got := kz.Decode(b); got != r {
			t.Errorf("KZ1048 Decode(%#x) = %q, want %q", b, got, r)
		}
		if r == utf8.RuneError {
			continue
		}
		if got, ok := kz.Encode(r); !ok || got != b {
			t.Errorf("KZ1048 Encode(%q) = %#x, %t; want %#x", r, got, ok, b)
		}
	}
}

// TestCharsetsKazakh states which tables have which Kazakh letters: the
// reason for the strategies.
func TestCharsetsKazakh(t *testing.T) {
	tests := map[string]string{
		escpos.NameKZ1048:  "ӘәҒғҚқҢңӨөҰұҮүҺһІі",
		escpos.NameWPC1251: "Іі",
		escpos.NameCP866:   "",
		escpos.NamePC437:   "",
	}
	for name, want := range tests {
		cs, err := escpos.LookupCharset(name)
		if err != nil {
			t.Fatal(err)
		}
		var got []rune
		for _, r := range "ӘәҒғҚқҢңӨөҰұҮүҺһІі" {
			if _, ok := cs.Encode(r); ok {
				got = append(got, r)
			}
		}
		if string(got) != want {
			t.Errorf("%s has Kazakh letters %q, want %q", name, string(got), want)
		}
		// Every byte that decodes encodes back to itself.
		for b := 0x20; b < 0x100; b++ {
			r := cs.Decode(byte(b))
			if r == utf8.RuneError || r == 0xA0 {
				continue
			}
			if got, ok := cs.Encode(r); !ok || int(got) != b {
				t.Errorf("%s: Decode(%#x) = %q, Encode back = %#x, %t", name, b, r, got, ok)
			}
		}
		if _, ok := cs.Encode('\n'); ok {
			t.Errorf("%s encodes a control character", name)
		}
	}
	if _, err := escpos.LookupCharset("koi8"); err == nil {
		t.Error("LookupCharset(koi8) = nil error, want one")
	}
}

func TestBitmapColumns(t *testing.T) {
	bm := escpos.NewBitmap(12, 24)
	for _, p := range [][2]int{{0, 0}, {11, 23}, {5, 8}, {6, 15}} {
		bm.Set(p[0], p[1], true)
	}
	cols := bm.Columns()
	if len(cols) != 36 || cols[0] != 0x80 || cols[35] != 0x01 {
		t.Errorf("Columns() = % x", cols)
	}
	back := escpos.BitmapFromColumns(12, 3, cols)
	if !bytes.Equal(back.Pix, bm.Pix) {
		t.Errorf("BitmapFromColumns(Columns()) differs")
	}
	trim := bm.Trim()
	if trim.W != 12 {
		t.Errorf("Trim().W = %d, want 12", trim.W)
	}
	bm.Set(11, 23, false)
	if trim = bm.Trim(); trim.W != 7 || !trim.At(6, 15) || trim.At(7, 15) {
		t.Errorf("Trim() after clearing the right column: W = %d", trim.W)
	}
	img := bm.Image()
	if img.GrayAt(0, 0).Y != 0 || img.GrayAt(1, 0).Y != 0xFF {
		t.Errorf("Image() pixels wrong")
	}
	if !bytes.Equal(escpos.BitmapFromImage(img).Pix, bm.Pix) {
		t.Errorf("BitmapFromImage(Image()) differs")
	}
}

func TestBitmapDraw(t *testing.T) {
	src := escpos.NewBitmap(12, 3)
	src.Set(0, 0, true)
	src.Set(11, 2, true)
	src.Set(5, 1, true)
	for _, x := range []int{0, 3, 8, 13, -2, 30} {
		fast := escpos.NewBitmap(40, 4)
		fast.Draw(x, 1, src)
		slow := escpos.NewBitmap(40, 4)
		for sy := 0; sy < src.H; sy++ {
			for sx := 0; sx < src.W; sx++ {
				if src.At(sx, sy) {
					slow.Set(x+sx, 1+sy, true)
				}
			}
		}
		if !bytes.Equal(fast.Pix, slow.Pix) {
			t.Errorf("Draw at x=%d: % x, want % x", x, fast.Pix, slow.Pix)
		}
	}
}
