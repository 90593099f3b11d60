package mrz

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Line lengths of the formats.
const (
	td1Len = 30
	td2Len = 36
	td3Len = 44
)

// maxLines bounds how many lines Parse looks at before it gives up: a
// document has at most three, and the count in the error is capped here.
const maxLines = 3

// Parse reads one MRZ from text: 2 or 3 lines, with spaces, tabs and CR
// around each line stripped, empty lines dropped and letters upper-cased
// (a CR alone also ends a line, as many scanners send it).
//
// Two-digit birth and issue years greater than now's two-digit year are
// 19YY, the others 20YY; expiry years are always 20YY.
//
// Input that is not an MRZ gives an *Error; a document whose check digits
// fail is not an error: it comes back with Valid false and the failing
// check in Checks.
func Parse(text string, now time.Time) (*Document, error) {
	var lines [maxLines]string
	n := 0
	for rest := text; rest != ""; {
		i := indexEOL(rest)
		var line string
		if i < 0 {
			line, rest = rest, ""
		} else {
			line, rest = rest[:i], rest[i+1:]
		}
		line = strings.Trim(line, " \t")
		if line == "" {
			continue
		}
		if n == maxLines {
			return nil, &Error{Kind: ErrLineCount, Detail: "more than 3 lines; an MRZ has 2 or 3"}
		}
		lines[n] = line
		n++
	}
	return parseLines(lines[:n], now)
}

// indexEOL returns the index of the first CR or LF in s, or -1: a plain
// loop, as strings.IndexAny builds a set on each call and this runs on
// every parse.
func indexEOL(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' || s[i] == '\n' {
			return i
		}
	}
	return -1
}

// ParseLines is Parse for lines already split, as a scanner delivers them.
// Each line is normalised as in Parse.
func ParseLines(lines []string, now time.Time) (*Document, error) {
	var ls [maxLines]string
	n := 0
	for _, l := range lines {
		l = strings.Trim(l, " \t\r\n")
		if l == "" {
			continue
		}
		if n == maxLines {
			return nil, &Error{Kind: ErrLineCount, Detail: "more than 3 lines; an MRZ has 2 or 3"}
		}
		ls[n] = l
		n++
	}
	return parseLines(ls[:n], now)
}

func parseLines(lines []string, now time.Time) (*Document, error) {
	if len(lines) == 0 {
		return nil, &Error{Kind: ErrEmpty}
	}
	for i, l := range lines {
		l, err := normalizeLine(l, i+1)
		if err != nil {
			return nil, err
		}
		lines[i] = l
	}
	f, err := detect(lines)
	if err != nil {
		return nil, err
	}
	p := parser{doc: &Document{Format: f}, yy: now.Year() % 100}
	copy(p.l[:], lines)
	p.doc.Checks.Letters = p.letters()
	switch f {
	case TD1:
		p.td1()
	default:
		p.twoLine()
	}
	p.doc.Valid = p.doc.Checks.AllPassed()
	return p.doc, nil
}

// normalizeLine upper-cases a line and checks its alphabet. It allocates
// only when the line has lower-case letters.
func normalizeLine(l string, lineNo int) (string, error) {
	lower := false
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '<':
		case c >= 'a' && c <= 'z':
			lower = true
		default:
			col := utf8.RuneCountInString(l[:i]) + 1
			r, _ := utf8.DecodeRuneInString(l[i:])
			return "", &Error{Kind: ErrCharacter, Line: lineNo, Column: col, Detail: strconv.QuoteRune(r)}
		}
	}
	if lower {
		l = strings.ToUpper(l)
	}
	return l, nil
}

// detect tells the format from the line count, the line length and the
// document code.
func detect(lines []string) (Format, error) {
	if d, what := nonICAO(lines); d != NotRecognised {
		return FormatUnknown, &Error{Kind: ErrNotICAO, Document: d, Detail: what}
	}
	n := len(lines[0])
	for i, l := range lines[1:] {
		if len(l) != n {
			return FormatUnknown, &Error{Kind: ErrLineLength, Line: i + 2,
				Detail: "mixed lengths: line 1 has " + strconv.Itoa(n) + " characters, line " + strconv.Itoa(i+2) + " has " + strconv.Itoa(len(l))}
		}
	}
	switch len(lines) {
	case 3:
		if n != td1Len {
			return FormatUnknown, &Error{Kind: ErrLineLength, Line: 1,
				Detail: strconv.Itoa(n) + " characters; a 3-line MRZ (TD1) has 30"}
		}
		return TD1, nil
	case 2:
		switch n {
		case td2Len:
			if lines[0][0] == 'V' {
				return MRVB, nil
			}
			return TD2, nil
		case td3Len:
			switch {
			case lines[0][0] == 'V':
				return MRVA, nil
			case strings.HasPrefix(lines[0], "PNRUS"):
				return RUSInternal, nil
			}
			return TD3, nil
		}
		return FormatUnknown, &Error{Kind: ErrLineLength, Line: 1,
			Detail: strconv.Itoa(n) + " characters; a 2-line MRZ has 36 (TD2, MRV-B) or 44 (TD3, MRV-A)"}
	}
	return FormatUnknown, &Error{Kind: ErrLineCount,
		Detail: strconv.Itoa(len(lines)) + " line; an MRZ has 2 or 3"}
}

// nonICAO recognises the machine readable zones of documents that are not
// ICAO travel documents, so they are refused for what they are rather than
// read as TD1 or TD2 with fields that are not there. The description it
// returns names the document, never its content.
func nonICAO(lines []string) (NonICAO, string) {
	switch {
	case len(lines) == 2 && len(lines[0]) == td2Len && len(lines[1]) == td2Len && strings.HasPrefix(lines[0], "IDFRA"):
		// France issues no ICAO TD2 document: its identity card is TD1
		// since 2021, and "IDFRA" on 2×36 is the card of 1988–2021,
		// whose line 1 ends with the issuing office and whose line 2
		// starts with the card number and holds the given names.
		return FrenchIDCard, "French national identity card (1988–2021 model)"
	case len(lines) == 1 && len(lines[0]) == td1Len && lines[0][0] == 'D':
		// ISO/IEC 18013 driving licences print one line of 30 starting
		// with "D" (ICAO document codes start with A, C, I, P or V).
		return DrivingLicence, "driving licence (ISO/IEC 18013, one line of 30)"
	case len(lines) == 3 && len(lines[0]) == 9 && len(lines[1]) == td1Len && len(lines[2]) == td1Len:
		return DrivingLicence, "Swiss driving licence (lines of 9, 30 and 30)"
	}
	return NotRecognised, ""
}

// parser holds one parse's state; lines may be replaced by repaired copies.
type parser struct {
	doc *Document
	l   [maxLines]string
	yy  int // the current two-digit year, for the century rule
}

// twoLine parses the 2-line formats, which share line 1 and the first 28
// characters of line 2.
func (p *parser) twoLine() {
	d := p.doc
	l1 := p.l[0]
	d.DocumentCode = trimFill(l1[0:2])
	d.IssuingState = trimFill(l1[2:5])
	d.Surname, d.GivenNames = splitNames(l1[5:])

	rus := d.Format == RUSInternal
	if d.Format == TD2 && p.l[1][9] == '<' {
		d.Checks.DocumentNumber, d.Variants = overflowCheck(p.l[1][0:9], p.l[1][28:35])
	} else {
		d.Checks.DocumentNumber = p.check("documentNumber", 1, 0, 9, 9, rus)
	}
	d.Checks.BirthDate = p.check("birthDate", 1, 13, 19, 19, true)
	d.Checks.ExpiryDate = p.check("expiryDate", 1, 21, 27, 27, true)

	switch d.Format {
	case TD3, RUSInternal:
		d.Checks.OptionalData = p.check("optionalData", 1, 28, 42, 42, rus)
		d.Checks.Composite = p.composite(1, 43, [][2]int{{0, 10}, {13, 20}, {21, 43}})
	case TD2:
		d.Checks.Composite = p.composite(1, 35, [][2]int{{0, 10}, {13, 20}, {21, 35}})
	}

	l2 := p.l[1]
	d.Nationality = trimFill(l2[10:13])
	d.BirthDate = parseDate(l2[13:19], p.yy)
	d.Sex = parseSex(l2[20])
	d.ExpiryDate = parseDate(l2[21:27], 99)

	switch d.Format {
	case TD3:
		d.DocumentNumber = dropFill(l2[0:9])
		d.OptionalData = fillToSpace(trimFill(l2[28:42]))
	case MRVA:
		d.DocumentNumber = dropFill(l2[0:9])
		d.OptionalData = fillToSpace(trimFill(l2[28:44]))
	case MRVB:
		d.DocumentNumber = dropFill(l2[0:9])
		d.OptionalData = fillToSpace(trimFill(l2[28:36]))
	case TD2:
		d.DocumentNumber, d.OptionalData = overflowNumber(l2[0:9], l2[9], l2[28:35])
	case RUSInternal:
		p.russian()
	}
}

// td1 parses the 3-line ID card format.
func (p *parser) td1() {
	d := p.doc
	if p.l[0][14] == '<' {
		// A long number's check digit sits in the optional data, after
		// the overflow, and covers the whole number.
		d.Checks.DocumentNumber, d.Variants = overflowCheck(p.l[0][5:14], p.l[0][15:30])
	} else {
		d.Checks.DocumentNumber = p.check("documentNumber", 0, 5, 14, 14, false)
	}
	d.Checks.BirthDate = p.check("birthDate", 1, 0, 6, 6, true)
	d.Checks.ExpiryDate = p.check("expiryDate", 1, 8, 14, 14, true)
	d.Checks.Composite = p.compositeTD1()
	l1, l2 := p.l[0], p.l[1]

	d.DocumentCode = trimFill(l1[0:2])
	d.IssuingState = trimFill(l1[2:5])
	d.DocumentNumber, d.OptionalData = overflowNumber(l1[5:14], l1[14], l1[15:30])
	d.BirthDate = parseDate(l2[0:6], p.yy)
	d.Sex = parseSex(l2[7])
	d.ExpiryDate = parseDate(l2[8:14], 99)
	d.Nationality = trimFill(l2[15:18])
	d.OptionalData2 = fillToSpace(trimFill(l2[18:29]))
	d.Surname, d.GivenNames = splitNames(p.l[2])
}

func (p *parser) compositeTD1() CheckResult {
	l1, l2 := p.l[0], p.l[1]
	sum := weightedSum(l1[5:30], 0)
	sum = weightedSum(l2[0:7], 25) + sum
	sum = weightedSum(l2[8:15], 32) + sum
	sum = weightedSum(l2[18:29], 39) + sum
	return p.verifyOrRepairDigit("composite", 1, 29, sum%10)
}

// composite checks the composite digit at line li, position c, over the
// given ranges of that line. Only the digit itself may be repaired: the
// ranges hold alphanumeric fields.
func (p *parser) composite(li, c int, ranges [][2]int) CheckResult {
	l := p.l[li]
	sum, w := 0, 0
	for _, r := range ranges {
		sum += weightedSum(l[r[0]:r[1]], w)
		w += r[1] - r[0]
	}
	return p.verifyOrRepairDigit("composite", li, c, sum%10)
}

// verifyOrRepairDigit compares the check character at (li, c) with want,
// repairing an OCR-confused letter in the check character when that makes
// it match.
func (p *parser) verifyOrRepairDigit(field string, li, c, want int) CheckResult {
	ch := p.l[li][c]
	if charValue(ch) == want && (isDigit(ch) || ch == '<') {
		return CheckPassed
	}
	if d := ocrDigit(ch); d != 0 && int(d-'0') == want {
		p.replace(field, li, []int{c}, []byte{d})
		return CheckPassed
	}
	return CheckFailed
}

// check verifies the check digit at position c of line li over the field
// [start, end). When it fails and the field is numeric, letters that OCR
// confuses with digits are replaced, and the repair kept if it makes the
// check pass. The check character itself is always numeric.
func (p *parser) check(field string, li, start, end, c int, numeric bool) CheckResult {
	l := p.l[li]
	ch := l[c]
	asIs := (isDigit(ch) || ch == '<') && weightedSum(l[start:end], 0)%10 == charValue(ch)
	if asIs && (!numeric || digitsOrFill(l[start:end])) {
		return CheckPassed
	}
	// A letter in a numeric field is an OCR error even when the sum
	// passes as read (G counts 16 where 6 counts 6: the same modulo 10).
	var buf [td3Len]byte
	copy(buf[:], l)
	var pos []int
	var to []byte
	try := func(i int) {
		if d := ocrDigit(buf[i]); d != 0 {
			buf[i] = d
			pos = append(pos, i)
			to = append(to, d)
		}
	}
	if numeric {
		for i := start; i < end; i++ {
			try(i)
		}
	}
	try(c)
	if len(pos) == 0 || !isDigit(buf[c]) || weightedSum(string(buf[start:end]), 0)%10 != charValue(buf[c]) {
		if asIs {
			return CheckPassed
		}
		return CheckFailed
	}
	p.replace(field, li, pos, to)
	return CheckPassed
}

// digitsOrFill reports whether s holds only digits and fillers.
func digitsOrFill(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '<' {
			return false
		}
	}
	return true
}

// replace writes repaired characters into line li and records each repair.
func (p *parser) replace(field string, li int, pos []int, to []byte) {
	b := []byte(p.l[li])
	for k, i := range pos {
		p.doc.Repairs = append(p.doc.Repairs, Repair{Field: field, Line: li + 1, Column: i + 1, From: b[i], To: to[k]})
		b[i] = to[k]
	}
	p.l[li] = string(b)
}

// ocrDigit returns the digit an OCR engine mistakes for c, or 0. The pairs
// are those whose OCR-B glyphs differ by one stroke or a corner: O, Q and D
// for 0 (round, tailed, flat-sided), I for 1, Z for 2, S for 5, G for 6 and
// B for 8. Letters that resemble a digit less (A/4, T/7, L/1) are left
// out: a repair is only kept when a check digit then passes, and one
// check digit in ten passes by chance, so each pair must earn its place.
func ocrDigit(c byte) byte {
	switch c {
	case 'O', 'Q', 'D':
		return '0'
	case 'G':
		return '6'
	case 'I':
		return '1'
	case 'B':
		return '8'
	case 'S':
		return '5'
	case 'Z':
		return '2'
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// charValue is a character's value in the check digit sum: digits their
// value, A–Z 10–35, the filler 0.
func charValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 0
}

// weightedSum is the ICAO 7-3-1 weighted sum of s, starting at weight
// index w (so ranges of a composite continue one another's weights).
func weightedSum(s string, w int) int {
	weights := [3]int{7, 3, 1}
	sum, k := 0, w%3
	for i := 0; i < len(s); i++ {
		sum += charValue(s[i]) * weights[k]
		if k++; k == 3 {
			k = 0
		}
	}
	return sum
}

// CheckDigit returns the ICAO 9303 check digit of s, for tools and tests
// that build MRZs.
func CheckDigit(s string) byte { return byte('0' + weightedSum(s, 0)%10) }

// overflowCheck verifies a TD1/TD2 long document number: the first nine
// characters plus the overflow in the optional data up to its first
// filler, whose last character is the check digit. When ICAO's rule fails
// but the issuer's rule of counting the filler between the two parts
// passes, it reports LongNumberCheckWithFiller.
func overflowCheck(first9, opt string) (CheckResult, Variant) {
	end := strings.IndexByte(opt, '<')
	if end < 0 {
		end = len(opt)
	}
	if end < 1 {
		return CheckFailed, 0
	}
	num := opt[:end-1]
	c := opt[end-1]
	if !isDigit(c) {
		return CheckFailed, 0
	}
	head := weightedSum(first9, 0)
	switch charValue(c) {
	case (head + weightedSum(num, 9)) % 10:
		return CheckPassed, 0
	case (head + weightedSum(num, 10)) % 10: // the filler, worth 0, takes weight 9
		return CheckPassed, LongNumberCheckWithFiller
	}
	return CheckFailed, 0
}

// overflowNumber returns the document number and the optional data of a
// TD1/TD2 document. When the number's check character is a filler, the
// number continues in the optional data up to its first filler, the last
// character before it being the check digit; the optional data are what
// follows.
func overflowNumber(first9 string, check byte, opt string) (number, optional string) {
	if check != '<' {
		return dropFill(first9), fillToSpace(trimFill(opt))
	}
	end := strings.IndexByte(opt, '<')
	if end < 0 {
		end = len(opt)
	}
	if end < 1 {
		return dropFill(first9), fillToSpace(trimFill(opt))
	}
	number = dropFill(first9) + opt[:end-1]
	if end < len(opt) {
		optional = fillToSpace(trimFill(strings.TrimLeft(opt[end:], "<")))
	}
	return number, optional
}

// parseDate reads YYMMDD. Years greater than pivot are 19YY, others 20YY;
// an expiry date passes 99 so that it is always 20YY.
func parseDate(s string, pivot int) Date {
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			return Date{Status: DateMissing}
		}
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return Date{Status: DateInvalid}
		}
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[2]-'0')*10 + int(s[3]-'0')
	dd := int(s[4]-'0')*10 + int(s[5]-'0')
	year := 2000 + yy
	if yy > pivot {
		year = 1900 + yy
	}
	if mm < 1 || mm > 12 || dd < 1 || dd > daysIn(year, time.Month(mm)) {
		return Date{Status: DateInvalid}
	}
	return Date{Year: year, Month: time.Month(mm), Day: dd, Status: DateOK}
}

func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func parseSex(c byte) Sex {
	switch c {
	case 'M':
		return Male
	case 'F':
		return Female
	}
	return Unspecified
}

// splitNames splits a name field on the first "<<" into surname and given
// names, fillers turned to spaces.
func splitNames(field string) (surname, given string) {
	i := strings.Index(field, "<<")
	if i < 0 {
		return fillToSpace(trimFill(field)), ""
	}
	return fillToSpace(strings.Trim(field[:i], "<")), fillToSpace(strings.Trim(field[i+2:], "<"))
}

// trimFill drops trailing fillers.
func trimFill(s string) string { return strings.TrimRight(s, "<") }

// dropFill removes every filler; it allocates only when an inner one exists.
func dropFill(s string) string {
	s = trimFill(s)
	if strings.IndexByte(s, '<') < 0 {
		return s
	}
	return strings.ReplaceAll(s, "<", "")
}

// fillToSpace turns each run of inner fillers into one space. It allocates
// only when there is one.
func fillToSpace(s string) string {
	if strings.IndexByte(s, '<') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevFill := false
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			if !prevFill {
				b.WriteByte(' ')
			}
			prevFill = true
			continue
		}
		prevFill = false
		b.WriteByte(s[i])
	}
	return b.String()
}
