package mrz

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Format is the layout of a machine readable zone.
type Format uint8

// The formats Parse recognises.
const (
	FormatUnknown Format = iota
	TD1                  // ID card, 3 lines of 30
	TD2                  // ID card, 2 lines of 36
	TD3                  // passport, 2 lines of 44
	MRVA                 // visa, 2 lines of 44
	MRVB                 // visa, 2 lines of 36
	RUSInternal          // Russian internal passport, 2 lines of 44 starting "PNRUS"
)

var formatNames = [...]string{"UNKNOWN", "TD1", "TD2", "TD3", "MRVA", "MRVB", "RUS_INTERNAL"}

// String returns the format's name as used in the JSON contract
// ("TD1", "TD2", "TD3", "MRVA", "MRVB", "RUS_INTERNAL").
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// IsPassport reports whether the format is a passport: TD3 or the Russian
// internal passport.
func (f Format) IsPassport() bool { return f == TD3 || f == RUSInternal }

// Sex is the holder's sex as written in the MRZ: 'M', 'F', or 'X' when the
// zone has a filler ('<') or 'X'.
type Sex byte

// The sexes an MRZ can state.
const (
	Male        Sex = 'M'
	Female      Sex = 'F'
	Unspecified Sex = 'X'
)

// String returns "M", "F" or "X".
func (s Sex) String() string {
	if s == 0 {
		return "X"
	}
	return string(rune(s))
}

// DateStatus says whether a date field could be read.
type DateStatus uint8

// The states of a date field.
const (
	// DateMissing: the field, or part of it, is fillers ('<'), as on
	// documents whose holder's day or month of birth is unknown.
	DateMissing DateStatus = iota
	// DateOK: a calendar date.
	DateOK
	// DateInvalid: digits that are not a calendar date (such as 990231), or
	// letters that no repair turned into digits.
	DateInvalid
)

// Date is a calendar date read from a six-digit YYMMDD field. Year holds the
// full year after the century rule. Only a date whose Status is DateOK has
// meaningful Year, Month and Day.
type Date struct {
	Year   int
	Month  time.Month
	Day    int
	Status DateStatus
}

// Known reports whether d is a calendar date.
func (d Date) Known() bool { return d.Status == DateOK }

// String returns "YYYY-MM-DD", or "" when the date is not known.
func (d Date) String() string {
	if !d.Known() {
		return ""
	}
	var b [10]byte
	return string(d.appendISO(b[:0]))
}

func (d Date) appendISO(b []byte) []byte {
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	return appendPadded(b, d.Day, 2)
}

func appendPadded(b []byte, v, width int) []byte {
	var tmp [8]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// In returns the start of the date in loc. It is the zero time when the date
// is not known.
func (d Date) In(loc *time.Location) time.Time {
	if !d.Known() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// CheckResult is the outcome of one check digit.
type CheckResult uint8

// The outcomes of a check digit.
const (
	CheckAbsent CheckResult = iota // the format has no such check digit
	CheckPassed
	CheckFailed
)

// Checks holds one result per check digit a format may have.
type Checks struct {
	DocumentNumber CheckResult
	BirthDate      CheckResult
	ExpiryDate     CheckResult
	// OptionalData is the check digit over the TD3 personal number field
	// (for the Russian internal passport: the series digit, issue date and
	// department code).
	OptionalData CheckResult
	Composite    CheckResult
	// Letters is not a check digit but the rule that the names and the
	// state codes hold only A–Z and fillers: it fails when one holds a digit
	// that no repair turned into a letter (a repaired state code must be a
	// known ICAO code). For RUSInternal only the state codes are held to
	// it, the names being written with digits by design.
	Letters CheckResult
}

// AllPassed reports whether every check present passed.
func (c Checks) AllPassed() bool {
	for _, r := range [...]CheckResult{c.DocumentNumber, c.BirthDate, c.ExpiryDate, c.OptionalData, c.Composite, c.Letters} {
		if r == CheckFailed {
			return false
		}
	}
	return true
}

// Repair records one OCR confusion corrected: a letter read in a numeric
// field, or a digit read in a name or a state code.
type Repair struct {
	Field  string // "birthDate", "expiryDate", "documentNumber", "surname", "issuingState", …
	Line   int    // 1-based
	Column int    // 1-based
	From   byte   // the character read
	To     byte   // the character put in its place
}

// String describes the repair for a technician: `birthDate line 2 col 15: O→0`.
func (r Repair) String() string {
	return fmt.Sprintf("%s line %d col %d: %c→%c", r.Field, r.Line, r.Column, r.From, r.To)
}

// Russian holds what only the Russian internal passport's MRZ carries.
type Russian struct {
	// Series is the passport's four-digit series and Number its six-digit
	// number; Document.DocumentNumber is the two joined.
	Series string
	Number string
	// IssueDate is the day the passport was issued.
	IssueDate Date
	// DepartmentCode is the issuing department as "NNN-NNN".
	DepartmentCode string
	// LatinSurname and LatinGivenNames are the Cyrillic names written in
	// Latin letters by ICAO Doc 9303 (part 3, section 6): "IVANOVICH", never
	// the MRZ's substitution code "IVANOVI3", which is for machines only.
	LatinSurname    string
	LatinGivenNames string
}

// Document is one parsed machine readable zone.
type Document struct {
	Format Format
	// DocumentCode is the document type with trailing fillers dropped:
	// "P", "PN", "I", "ID", "V", …
	DocumentCode string
	// IssuingState and Nationality are ICAO three-letter codes with fillers
	// dropped ("D<<" becomes "D").
	IssuingState string
	Nationality  string
	// Surname and GivenNames are the holder's names with fillers as spaces;
	// GivenNames is "" when the document has none. For RUSInternal they are
	// in Cyrillic, GivenNames holding the given name and the patronymic.
	Surname    string
	GivenNames string
	// DocumentNumber has fillers dropped; a TD1/TD2 number longer than nine
	// characters is joined with its overflow from the optional data. For
	// RUSInternal it is the ten-digit series and number.
	DocumentNumber string
	BirthDate      Date
	ExpiryDate     Date
	Sex            Sex
	// OptionalData is the TD3 personal number, the TD2/MRV optional data,
	// or TD1 line 1's optional data after any number overflow; trailing
	// fillers dropped, inner fillers as spaces.
	OptionalData string
	// OptionalData2 is TD1 line 2's optional data.
	OptionalData2 string
	Checks        Checks
	// Repairs lists the OCR corrections made; nil when none.
	Repairs []Repair
	// Variants are the issuer's known departures from ICAO 9303 that the
	// document was read with; zero when none.
	Variants Variant
	// Valid is true when every check digit of the format verifies.
	Valid bool
	// Russian is set for RUSInternal documents only.
	Russian *Russian
}

// Variant is a set of departures from ICAO 9303 that real issuers make and
// that Parse reads as the issuer meant.
type Variant uint8

// The variants Parse knows.
const (
	// LongNumberCheckWithFiller: a TD1/TD2 document number longer than nine
	// characters whose check digit the issuer computed over the number with
	// the filler at position 15 (TD1) or 10 (TD2) still in it, as Belgian
	// identity cards do (PRADO BEL-BO-03003: "000590240<601" check digit 3,
	// where ICAO 9303-5 §4.2.2's "000590240601" gives 1).
	LongNumberCheckWithFiller Variant = 1 << iota
)

var variantNames = [...]string{"longNumberCheckWithFiller"}

// Names returns the variants' names as used in the JSON contract, or nil
// when v is zero.
func (v Variant) Names() []string {
	var names []string
	for i, n := range variantNames {
		if v&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return names
}

// String returns the names joined by "+", or "none".
func (v Variant) String() string {
	if v == 0 {
		return "none"
	}
	s := ""
	for _, n := range v.Names() {
		if s != "" {
			s += "+"
		}
		s += n
	}
	return s
}

// NonICAO names a document that has a machine readable zone of its own
// that is not an ICAO 9303 one.
type NonICAO uint8

// The documents Parse recognises and refuses.
const (
	NotRecognised NonICAO = iota
	// FrenchIDCard: the French national identity card of the 1988–2021
	// model, 2 lines of 36 starting "IDFRA", laid out by French rules (name
	// on line 1 with the issuing office, given names on line 2) and not as
	// ICAO's TD2.
	FrenchIDCard
	// DrivingLicence: an ISO/IEC 18013 driving licence (one line of 30
	// starting "D", such as the French and Dutch cards) or the Swiss
	// driving licence (lines of 9, 30 and 30).
	DrivingLicence
)

var nonICAONames = [...]string{"", "FRA_ID_CARD", "DRIVING_LICENCE"}

// String returns the name used in the JSON contract: "FRA_ID_CARD",
// "DRIVING_LICENCE", or "" for NotRecognised.
func (n NonICAO) String() string {
	if int(n) < len(nonICAONames) {
		return nonICAONames[n]
	}
	return "NonICAO(" + strconv.Itoa(int(n)) + ")"
}

// Errors that say why input is not an MRZ. An *Error wraps one of them.
var (
	ErrEmpty      = errors.New("mrz: no MRZ lines")
	ErrLineCount  = errors.New("mrz: wrong number of lines")
	ErrLineLength = errors.New("mrz: wrong line length")
	ErrCharacter  = errors.New("mrz: character outside the MRZ alphabet")
	// ErrNotICAO: a machine readable zone of a document that is not an
	// ICAO travel document; Error.Document says which.
	ErrNotICAO = errors.New("mrz: not an ICAO 9303 document")
)

// Error is a parse failure with the place it concerns.
type Error struct {
	Kind   error // ErrEmpty, ErrLineCount, ErrLineLength, ErrCharacter or ErrNotICAO
	Line   int   // 1-based line, 0 when it concerns the whole input
	Column int   // 1-based column, 0 when it concerns a whole line
	Detail string
	// Document is the document recognised when Kind is ErrNotICAO.
	Document NonICAO
}

// Error returns the kind, the place and the detail, for example
// "mrz: character outside the MRZ alphabet: line 2 column 7: '#'".
func (e *Error) Error() string {
	s := e.Kind.Error()
	switch {
	case e.Line > 0 && e.Column > 0:
		s += ": line " + strconv.Itoa(e.Line) + " column " + strconv.Itoa(e.Column)
	case e.Line > 0:
		s += ": line " + strconv.Itoa(e.Line)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the kind, so callers can use errors.Is(err, mrz.ErrLineLength).
func (e *Error) Unwrap() error { return e.Kind }
