package printer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NoBreakSpace (U+00A0) joins words the ticket must not split across
// lines, such as the parts of a date: the layout breaks lines only at
// plain spaces and prints a no-break space as a plain one.
const NoBreakSpace = '\u00a0'

// clean folds runs of white space (including line breaks and tabs) to one
// space, drops control and format characters, and trims the ends. A run
// holding a no-break space folds to one no-break space.
func clean(s string) string {
	var b strings.Builder
	var space rune // the pending separator, 0 for none
	for _, r := range s {
		switch {
		case r == NoBreakSpace:
			if b.Len() > 0 {
				space = NoBreakSpace
			}
			continue
		case unicode.IsSpace(r):
			if b.Len() > 0 && space == 0 {
				space = ' '
			}
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if space != 0 {
			b.WriteRune(space)
			space = 0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// translit returns a stand-in for a character a profile cannot print, in
// characters more tables have, or "" when there is none. The caller tries
// the result again and may call translit on each of its characters.
func translit(r rune) string {
	if s, ok := standIn(r); ok {
		return s
	}
	if r >= 'А' && r <= 'я' || r == 'Ё' || r == 'ё' {
		return cyrLatin(r)
	}
	// Latin letters with diacritics: the base letter.
	if d := norm.NFD.String(string(r)); d != string(r) {
		var b strings.Builder
		for _, c := range d {
			if !unicode.Is(unicode.Mn, c) {
				b.WriteRune(c)
			}
		}
		return b.String()
	}
	return ""
}

// standIn holds the stand-ins that are not a plain decomposition. Kazakh
// letters fall back to the nearest Russian letter, the way Kazakh was typed
// before KZ-1048.
func standIn(r rune) (string, bool) {
	switch r {
	case 'Ә':
		return "А", true
	case 'ә':
		return "а", true
	case 'Ғ':
		return "Г", true
	case 'ғ':
		return "г", true
	case 'Қ':
		return "К", true
	case 'қ':
		return "к", true
	case 'Ң':
		return "Н", true
	case 'ң':
		return "н", true
	case 'Ө':
		return "О", true
	case 'ө':
		return "о", true
	case 'Ұ', 'Ү':
		return "У", true
	case 'ұ', 'ү':
		return "у", true
	case 'Һ':
		return "Х", true
	case 'һ':
		return "х", true
	case 'І':
		return "I", true
	case 'і':
		return "i", true
	case '—', '–', '‑', '−', '•', '·':
		return "-", true
	case '«', '»', '“', '”', '„':
		return "\"", true
	case '‘', '’':
		return "'", true
	case '…':
		return "...", true
	case '№':
		return "No", true
	case '\u00a0':
		return " ", true
	case '×':
		return "x", true
	case '€':
		return "EUR", true
	case '₸':
		return "тг", true
	case 'ß':
		return "ss", true
	case 'ı':
		return "i", true
	case 'Ł':
		return "L", true
	case 'ł':
		return "l", true
	case 'Đ':
		return "D", true
	case 'đ':
		return "d", true
	case 'Ø':
		return "O", true
	case 'ø':
		return "o", true
	case 'Æ':
		return "AE", true
	case 'æ':
		return "ae", true
	case 'Œ':
		return "OE", true
	case 'œ':
		return "oe", true
	}
	return "", false
}

// cyrLatin is a plain Russian-to-Latin transliteration, the last resort of
// a table with no Cyrillic at all.
func cyrLatin(r rune) string {
	const up = "A B V G D E Zh Z I Y K L M N O P R S T U F Kh Ts Ch Sh Shch ' Y ' E Yu Ya"
	parts := strings.Split(up, " ")
	switch {
	case r == 'Ё':
		return "Yo"
	case r == 'ё':
		return "yo"
	case r >= 'А' && r <= 'Я':
		return parts[r-'А']
	case r >= 'а' && r <= 'я':
		return strings.ToLower(parts[r-'а'])
	}
	return ""
}

// wrap breaks s into lines of at most width runes, at spaces where it can
// and inside a word longer than a line where it must. The first line
// starts with lead spaces, continuation lines with indent (a hanging
// indent for list items).
func wrap(s []rune, width, lead, indent int) [][]rune {
	if width < 1 {
		width = 1
	}
	if indent >= width {
		indent = 0
	}
	if lead >= width {
		lead = 0
	}
	var lines [][]rune
	pad := lead
	for len(s) > 0 {
		avail := width - pad
		if len(s) <= avail {
			lines = append(lines, withPad(s, pad))
			break
		}
		cut := -1
		for i := avail; i > 0; i-- {
			if s[i] == ' ' {
				cut = i
				break
			}
		}
		if cut <= 0 { // one word longer than the line
			lines = append(lines, withPad(s[:avail], pad))
			s = s[avail:]
		} else {
			lines = append(lines, withPad(trimRight(s[:cut]), pad))
			s = s[cut+1:]
		}
		for len(s) > 0 && s[0] == ' ' {
			s = s[1:]
		}
		pad = indent
	}
	return lines
}

func withPad(s []rune, pad int) []rune {
	if pad == 0 {
		return s
	}
	out := make([]rune, pad, pad+len(s))
	for i := range out {
		out[i] = ' '
	}
	return append(out, s...)
}

func trimRight(s []rune) []rune {
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}
