package printer

import (
	"fmt"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/glyph"
)

// TestPage returns the job of the technician's test page: the profile,
// every letter of the Kazakh and Russian alphabets through the profile's
// strategy, printable ASCII, the raw upper half of the selected code table
// (so a wrong ESC t number shows at once), a large number, a QR code and
// the cut.
func (l *Layout) TestPage() ([]byte, error) {
	b := escpos.NewBuilder(4096)
	b.Init().CancelKanji().CodeTable(l.table)
	head := []para{
		{text: l.printable("kiosk print-test"), align: escpos.Center, size: 1, bold: true},
		{text: l.printable(l.p.Model), align: escpos.Center, size: 1},
		{text: l.printable(fmt.Sprintf("profile %s, %d dots, %s ESC t %d, kazakh %s",
			l.p.Name, l.p.Dots, l.p.Charset, l.table, l.p.Kazakh)), size: 1},
		{size: 1},
		{text: l.printable("ASCII:"), size: 1, bold: true},
	}
	l.emit(b, head, nil, true)
	for c := 0x20; c < 0x7F; c += 32 {
		for i := c; i < c+32 && i < 0x7F; i++ {
			b.Raw(byte(i))
		}
		b.LF()
	}
	b.Raw([]byte(fmt.Sprintf("ESC t %d, 0x80-0xFF:", l.table))...).LF()
	for hi := 0x80; hi < 0x100; hi += 16 {
		b.Raw([]byte(fmt.Sprintf("%X ", hi>>4))...)
		for i := hi; i < hi+16; i++ {
			b.Raw(byte(i))
		}
		b.LF()
	}
	b.LF()
	// The alphabets go last among the text: with user-defined characters
	// they take ASCII codes, which the lines above print as themselves.
	alpha := []para{
		{text: l.printable("Қазақ әліпбиі / Kazakh:"), size: 1, bold: true},
		{text: l.printable(glyph.Kazakh), size: 1},
		{text: l.printable("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"), size: 1},
		{text: l.printable("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"), size: 1},
		{text: l.printable("№ « » — …"), size: 1},
		{text: l.printable("A042"), align: escpos.Center, size: l.numberSize(4), bold: true},
	}
	udc := l.allocate(alpha)
	if len(udc) > 0 {
		l.start(b, udc) // ESC @ again clears the table: select it again, then define
	}
	l.emit(b, alpha, udc, true)
	if len(udc) > 0 {
		b.UserChars(false)
	}
	b.LF()
	if err := l.qr(b, "print-test "+l.p.Name); err != nil {
		return nil, err
	}
	l.finish(b)
	return b.Bytes(), nil
}
