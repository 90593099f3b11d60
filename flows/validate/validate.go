package validate

import (
	"errors"
	"strings"
	"unicode"
)

// Reason is a message key (flows/i18n) saying why an input was refused.
type Reason string

// The reasons an IIN or a phone number is refused.
const (
	IINEmpty      Reason = "validate.iin.empty"
	IINNotDigits  Reason = "validate.iin.not_digits"
	IINLength     Reason = "validate.iin.length"
	IINCheckDigit Reason = "validate.iin.check_digit"

	PhoneEmpty     Reason = "validate.phone.empty"
	PhoneLetters   Reason = "validate.phone.letters"
	PhoneBadChar   Reason = "validate.phone.bad_char"
	PhoneNoCountry Reason = "validate.phone.no_country"
	PhoneTooShort  Reason = "validate.phone.too_short"
	PhoneTooLong   Reason = "validate.phone.too_long"
	PhoneKZLength  Reason = "validate.phone.kz_length"
)

// Reasons lists every Reason, so a test can check each has a translation.
func Reasons() []Reason {
	return []Reason{
		IINEmpty, IINNotDigits, IINLength, IINCheckDigit,
		PhoneEmpty, PhoneLetters, PhoneBadChar, PhoneNoCountry, PhoneTooShort, PhoneTooLong, PhoneKZLength,
	}
}

// ErrIIN and ErrPhone are what an *Error unwraps to, for callers that only
// need to know which field was wrong.
var (
	ErrIIN   = errors.New("validate: IIN refused")
	ErrPhone = errors.New("validate: phone number refused")
)

// Error is a refused input. It never holds the input itself.
type Error struct {
	Field  error  // ErrIIN or ErrPhone
	Reason Reason // the message key to show the visitor
}

// Error returns the field and the reason key, e.g.
// "validate: IIN refused: validate.iin.check_digit".
func (e *Error) Error() string { return e.Field.Error() + ": " + string(e.Reason) }

// Unwrap returns ErrIIN or ErrPhone.
func (e *Error) Unwrap() error { return e.Field }

// IIN is a twelve-digit individual identification number whose check digit
// verifies.
type IIN string

// ParseIIN checks an IIN typed by a visitor. Spaces are ignored (visitors
// type it in groups); anything else that is not a digit is refused.
func ParseIIN(s string) (IIN, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return "", &Error{ErrIIN, IINEmpty}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", &Error{ErrIIN, IINNotDigits}
		}
	}
	if len(s) != 12 {
		return "", &Error{ErrIIN, IINLength}
	}
	if d, ok := iinCheckDigit(s); !ok || int(s[11]-'0') != d {
		return "", &Error{ErrIIN, IINCheckDigit}
	}
	return IIN(s), nil
}

// iinCheckDigit computes the check digit of the first eleven digits of s;
// ok is false when both weightings give 10 (no valid IIN has those digits).
func iinCheckDigit(s string) (digit int, ok bool) {
	sum := 0
	for i := range 11 {
		sum += int(s[i]-'0') * (i + 1)
	}
	if d := sum % 11; d != 10 {
		return d, true
	}
	sum = 0
	for i := range 11 {
		sum += int(s[i]-'0') * ((i+2)%11 + 1)
	}
	if d := sum % 11; d != 10 {
		return d, true
	}
	return 0, false
}

// Phone is a phone number normalised to E.164.
type Phone struct {
	// E164 is the number as "+" and up to 15 digits, e.g. "+77011234567".
	E164 string
	// Kazakh is true for a Kazakhstan number (+7 7…).
	Kazakh bool
}

// Masked shows the number with its middle hidden, for a ticket or a screen
// others may see: "+7 701 *** ** 67" for a Kazakhstan number,
// "+49 ******* 67" for others (two leading and two last digits shown).
func (p Phone) Masked() string {
	d := p.E164
	if len(d) < 6 {
		return strings.Repeat("*", len(d))
	}
	if strings.HasPrefix(d, "+7") && len(d) == 12 {
		return "+7 " + d[2:5] + " *** ** " + d[10:]
	}
	return d[:3] + " " + strings.Repeat("*", len(d)-5) + " " + d[len(d)-2:]
}

// ParsePhone normalises a phone number typed by a visitor.
func ParsePhone(s string) (Phone, error) {
	var b strings.Builder
	plus := false
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '(' || r == ')' || r == '.' || unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
		case r == '+' && i == 0:
			plus = true
		case unicode.IsLetter(r):
			return Phone{}, &Error{ErrPhone, PhoneLetters}
		default:
			return Phone{}, &Error{ErrPhone, PhoneBadChar}
		}
	}
	d := b.String()
	if d == "" {
		return Phone{}, &Error{ErrPhone, PhoneEmpty}
	}
	if !plus {
		switch {
		case strings.HasPrefix(d, "00"):
			d = d[2:]
		case len(d) == 11 && d[0] == '8' && d[1] == '7':
			d = "7" + d[1:]
		case len(d) == 11 && d[0] == '7' && d[1] == '7':
		case len(d) == 10 && d[0] == '7':
			d = "7" + d
		case len(d) < 10:
			return Phone{}, &Error{ErrPhone, PhoneTooShort}
		default:
			return Phone{}, &Error{ErrPhone, PhoneNoCountry}
		}
	}
	if d == "" || d[0] == '0' {
		return Phone{}, &Error{ErrPhone, PhoneNoCountry}
	}
	if d[0] == '7' {
		// +7 is Kazakhstan (7 7…) and Russia: always ten digits after it.
		switch {
		case len(d) < 11:
			if len(d) > 1 && d[1] == '7' {
				return Phone{}, &Error{ErrPhone, PhoneKZLength}
			}
			return Phone{}, &Error{ErrPhone, PhoneTooShort}
		case len(d) > 11:
			if d[1] == '7' {
				return Phone{}, &Error{ErrPhone, PhoneKZLength}
			}
			return Phone{}, &Error{ErrPhone, PhoneTooLong}
		}
		return Phone{E164: "+" + d, Kazakh: d[1] == '7'}, nil
	}
	switch {
	case len(d) < 8:
		return Phone{}, &Error{ErrPhone, PhoneTooShort}
	case len(d) > 15:
		return Phone{}, &Error{ErrPhone, PhoneTooLong}
	}
	return Phone{E164: "+" + d}, nil
}
