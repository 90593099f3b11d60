package escpos

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Charset is one character code table: ASCII in 0x20–0x7E and the table's
// own characters in 0x80–0xFF. It is read-only once made, so one value may
// be shared by goroutines.
type Charset struct {
	name string
	hi   [128]rune // 0x80–0xFF; utf8.RuneError where the table has no character
	enc  map[rune]byte
}

// Charset names, as Lookup takes them and profiles write them.
const (
	NameCP866   = "cp866"
	NameWPC1251 = "wpc1251"
	NameKZ1048  = "kz1048"
	NamePC437   = "pc437"
)

// LookupCharset returns the table with the given name: cp866, wpc1251,
// kz1048 or pc437.
func LookupCharset(name string) (*Charset, error) {
	switch name {
	case NameCP866:
		return fromCharmap(name, charmap.CodePage866), nil
	case NameWPC1251:
		return fromCharmap(name, charmap.Windows1251), nil
	case NameKZ1048:
		return KZ1048(), nil
	case NamePC437:
		return fromCharmap(name, charmap.CodePage437), nil
	}
	return nil, fmt.Errorf("escpos: unknown character table %q; want cp866, wpc1251, kz1048 or pc437", name)
}

// KZ1048 returns the KZ-1048 table (STRK1048-2002, IANA "KZ-1048"): WPC1251
// with sixteen places given to the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ and their
// small forms (І і are where WPC1251 has them). 0x98 is unassigned.
func KZ1048() *Charset {
	c := fromCharmap(NameKZ1048, charmap.Windows1251)
	for b, r := range map[byte]rune{
		0x8D: 'Қ', 0x8E: 'Һ', 0x9D: 'қ', 0x9E: 'һ',
		0xA1: 'Ұ', 0xA2: 'ұ', 0xA3: 'Ә', 0xA5: 'Ө',
		0xAA: 'Ғ', 0xAF: 'Ү', 0xB4: 'ө', 0xBA: 'ғ',
		0xBC: 'ә', 0xBD: 'Ң', 0xBE: 'ң', 0xBF: 'ү',
	} {
		c.hi[b-0x80] = r
	}
	c.hi[0x98-0x80] = utf8.RuneError
	c.index()
	return c
}

func fromCharmap(name string, cm *charmap.Charmap) *Charset {
	c := &Charset{name: name}
	for i := range c.hi {
		r := cm.DecodeByte(byte(0x80 + i))
		if r == 0xFFFD || r < 0xA0 && r >= 0x80 { // unassigned, or a C1 control
			r = utf8.RuneError
		}
		c.hi[i] = r
	}
	c.index()
	return c
}

func (c *Charset) index() {
	c.enc = make(map[rune]byte, 128)
	for i := len(c.hi) - 1; i >= 0; i-- { // the lowest byte wins for a rune listed twice
		if r := c.hi[i]; r != utf8.RuneError && r != 0xA0 {
			c.enc[r] = byte(0x80 + i)
		}
	}
}

// Name returns the table's name, e.g. "kz1048".
func (c *Charset) Name() string { return c.name }

// Encode returns the byte that prints r, and false when the table has no
// such character. Printable ASCII maps to itself; control characters and
// DEL are never printable.
func (c *Charset) Encode(r rune) (byte, bool) {
	if r >= 0x20 && r < 0x7F {
		return byte(r), true
	}
	b, ok := c.enc[r]
	return b, ok
}

// Decode returns the character byte b prints, or utf8.RuneError for a
// control byte or a place the table leaves empty.
func (c *Charset) Decode(b byte) rune {
	switch {
	case b >= 0x20 && b < 0x7F:
		return rune(b)
	case b >= 0x80:
		return c.hi[b-0x80]
	}
	return utf8.RuneError
}
