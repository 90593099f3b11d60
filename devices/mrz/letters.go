package mrz

import "strings"

// letters holds the names and the state codes to A–Z and fillers, where a
// digit can only be an OCR error. A digit with a letter it is commonly
// mistaken for is repaired and reported; a repaired state code must come
// out a known ICAO code. It returns CheckFailed when a digit stays. The
// Russian internal passport's names are left alone: its substitution
// alphabet writes Ч, Ш, Ь, Э, Ю, Я and Ё as digits.
func (p *parser) letters() CheckResult {
	ok := p.state("issuingState", 0, 2)
	switch p.doc.Format {
	case TD1:
		ok = p.state("nationality", 1, 15) && ok
		ok = p.names(2, 0) && ok
	case RUSInternal:
		ok = p.state("nationality", 1, 10) && ok
	default:
		ok = p.state("nationality", 1, 10) && ok
		ok = p.names(0, 5) && ok
	}
	if ok {
		return CheckPassed
	}
	return CheckFailed
}

// ocrLetter returns the letter an OCR engine mistakes for the digit c, or
// 0: the reverse of ocrDigit, with 0 read as O, the commonest letter of
// the three.
func ocrLetter(c byte) byte {
	switch c {
	case '0':
		return 'O'
	case '1':
		return 'I'
	case '2':
		return 'Z'
	case '5':
		return 'S'
	case '6':
		return 'G'
	case '8':
		return 'B'
	}
	return 0
}

// names repairs the digits in the name field of line li from column start
// to the end of the line. It reports false when a digit has no letter.
func (p *parser) names(li, start int) bool {
	l := p.l[li]
	if !hasDigit(l[start:]) {
		return true
	}
	sep := strings.Index(l[start:], "<<")
	if sep < 0 {
		sep = len(l)
	} else {
		sep += start
	}
	var pos [td3Len]int
	var to [td3Len]byte
	var field [td3Len]string
	n := 0
	for i := start; i < len(l); i++ {
		if !isDigit(l[i]) {
			continue
		}
		c := ocrLetter(l[i])
		if c == 0 {
			return false
		}
		pos[n], to[n], field[n] = i, c, "surname"
		if i > sep {
			field[n] = "givenNames"
		}
		n++
	}
	// One call per field, so the repairs are listed by field and column.
	for k := 0; k < n; {
		j := k
		for j < n && field[j] == field[k] {
			j++
		}
		p.replace(field[k], li, pos[k:j], to[k:j])
		k = j
	}
	return true
}

// stateCandidates lists the letters a digit in a state code may stand for.
// A state code is checked against the list of codes, so 0 may be any of
// the round letters: "0<<" can only be Germany's D.
func stateCandidates(c byte) string {
	switch c {
	case '0':
		return "ODQ"
	case '1':
		return "I"
	case '2':
		return "Z"
	case '5':
		return "S"
	case '6':
		return "G"
	case '8':
		return "B"
	}
	return ""
}

// state repairs the digits in the three-letter state code at column start
// of line li when exactly one reading of them is a known ICAO code. It
// reports false when a digit stays.
func (p *parser) state(field string, li, start int) bool {
	code := p.l[li][start : start+3]
	if !hasDigit(code) {
		return true
	}
	var found [3]byte
	matches := 0
	var try func(b [3]byte, i int)
	try = func(b [3]byte, i int) {
		if i == 3 {
			if isKnownState(trimFill(string(b[:]))) {
				found = b
				matches++
			}
			return
		}
		if !isDigit(b[i]) {
			try(b, i+1)
			return
		}
		cands := stateCandidates(b[i])
		for k := 0; k < len(cands); k++ {
			b[i] = cands[k]
			try(b, i+1)
		}
	}
	var b [3]byte
	copy(b[:], code)
	try(b, 0)
	if matches != 1 {
		return false
	}
	var pos []int
	var to []byte
	for i := 0; i < 3; i++ {
		if code[i] != found[i] {
			pos = append(pos, start+i)
			to = append(to, found[i])
		}
	}
	p.replace(field, li, pos, to)
	return true
}

// hasDigit reports whether s holds a digit; it is on every parse's path,
// so a plain loop rather than strings.IndexAny and its set.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}
