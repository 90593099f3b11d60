package mrz

import "strings"

// The Russian internal passport writes Cyrillic names with one Latin letter
// or digit per Cyrillic letter (MVD rules for the machine readable record of
// the internal passport). The digits stand for the letters Latin has no
// single letter for.
var rusLatinToCyrillic = [...]rune{
	'A': 'А', 'B': 'Б', 'V': 'В', 'G': 'Г', 'D': 'Д', 'E': 'Е', '2': 'Ё',
	'J': 'Ж', 'Z': 'З', 'I': 'И', 'Q': 'Й', 'K': 'К', 'L': 'Л', 'M': 'М',
	'N': 'Н', 'O': 'О', 'P': 'П', 'R': 'Р', 'S': 'С', 'T': 'Т', 'U': 'У',
	'F': 'Ф', 'H': 'Х', 'C': 'Ц', '3': 'Ч', '4': 'Ш', 'W': 'Щ', 'X': 'Ъ',
	'Y': 'Ы', '9': 'Ь', '6': 'Э', '7': 'Ю', '8': 'Я',
}

// russian fills the fields only the Russian internal passport has. Line 2
// holds the first three digits of the series and the six-digit number where
// other passports have the number; the optional data start with the
// series' last digit, then the issue date and the department code.
func (p *parser) russian() {
	d := p.doc
	l2 := p.l[1]
	r := &Russian{
		Series:         l2[0:3] + l2[28:29],
		Number:         l2[3:9],
		IssueDate:      parseDate(l2[29:35], p.yy),
		DepartmentCode: l2[35:38] + "-" + l2[38:41],
	}
	d.Surname, d.GivenNames = toCyrillic(d.Surname), toCyrillic(d.GivenNames)
	r.LatinSurname, r.LatinGivenNames = icaoLatin(d.Surname), icaoLatin(d.GivenNames)
	d.DocumentNumber = r.Series + r.Number
	d.OptionalData = fillToSpace(trimFill(l2[28:42]))
	d.Russian = r
}

// toCyrillic reverses the substitution; spaces stay, a character outside
// the table is kept as it is rather than lost.
func toCyrillic(s string) string {
	var b strings.Builder
	b.Grow(2 * len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) < len(rusLatinToCyrillic) && rusLatinToCyrillic[c] != 0 {
			b.WriteRune(rusLatinToCyrillic[c])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// icaoCyrillic is the transliteration of the Russian alphabet in ICAO Doc
// 9303 part 3, section 6, indexed from А (U+0410) to Я (U+042F). It is the
// one Russia's foreign passports use (FMS order No. 320), so the Latin name
// shown agrees with the holder's foreign passport. Ь has no Latin
// letter and is dropped, as the table lists none for it; Ё is not in the
// block and is handled apart (E, as the table says).
var icaoCyrillic = [...]string{
	"A", "B", "V", "G", "D", "E", "ZH", "Z", "I", "I", "K", "L", "M", "N", "O", "P",
	"R", "S", "T", "U", "F", "KH", "TS", "CH", "SH", "SHCH", "IE", "Y", "", "E", "IU", "IA",
}

// icaoLatin writes Cyrillic in capital Latin letters by ICAO Doc 9303 (see
// icaoCyrillic). The names restored from the MRZ are capitals, so only
// capitals are looked up; any other character (a space, a digit misread in
// the MRZ) is kept as it is rather than lost.
func icaoLatin(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch {
		case c == 'Ё':
			b.WriteByte('E')
		case c >= 'А' && c <= 'Я':
			b.WriteString(icaoCyrillic[c-'А'])
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
