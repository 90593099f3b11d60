package validate_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/flows/validate"
)

func TestParseIIN(t *testing.T) {
	tests := []struct {
		name, in string
		want     validate.IIN
		reason   validate.Reason
	}{
		{"valid", "900101300126", "900101300126", ""},
		{"valid other", "850515401239", "850515401239", ""},
		{"valid typed in groups", " 9001 0130 0126 ", "900101300126", ""},
		{"second weighting", "900000001802", "900000001802", ""},
		{"both weightings give 10", "900000001840", "", validate.IINCheckDigit},
		{"wrong check digit", "900101300127", "", validate.IINCheckDigit},
		{"letter", "90010130012A", "", validate.IINNotDigits},
		{"cyrillic letter", "90010130012О", "", validate.IINNotDigits},
		{"dash", "900101-300126", "", validate.IINNotDigits},
		{"too short", "90010130012", "", validate.IINLength},
		{"too long", "9001013001266", "", validate.IINLength},
		{"empty", "", "", validate.IINEmpty},
		{"spaces only", "   ", "", validate.IINEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.ParseIIN(tt.in)
			if got != tt.want || reasonOf(err) != tt.reason {
				t.Errorf("ParseIIN(%q) = %q, %v, want %q, reason %q", tt.in, got, err, tt.want, tt.reason)
			}
			if err != nil && !errors.Is(err, validate.ErrIIN) {
				t.Errorf("ParseIIN(%q) error = %v, want it to wrap ErrIIN", tt.in, err)
			}
			if err != nil && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) && strings.TrimSpace(tt.in) != "" {
				t.Errorf("ParseIIN(%q) error = %q, want no input in it (personal data)", tt.in, err)
			}
		})
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
		kazakh   bool
		reason   validate.Reason
	}{
		{"kz international", "+7 701 123-45-67", "+77011234567", true, ""},
		{"kz trunk 8 with brackets", "8 (701) 123 45 67", "+77011234567", true, ""},
		{"kz ten digits", "7011234567", "+77011234567", true, ""},
		{"kz eleven digits no plus", "77011234567", "+77011234567", true, ""},
		{"kz dots and en dash", "+7.701.123–45–67", "+77011234567", true, ""},
		{"russia", "+7 912 345 67 89", "+79123456789", false, ""},
		{"germany", "+49 30 1234567", "+49301234567", false, ""},
		{"germany 00", "0049 30 1234567", "+49301234567", false, ""},
		{"uzbekistan", "+998 90 123 45 67", "+998901234567", false, ""},
		{"kz too short", "+7 701 123 45", "", false, validate.PhoneKZLength},
		{"kz too long", "+7 701 123 45 67 8", "", false, validate.PhoneKZLength},
		{"russia too short", "+7 912 345", "", false, validate.PhoneTooShort},
		{"russia too long", "+7 912 345 67 89 0", "", false, validate.PhoneTooLong},
		{"letters", "abc", "", false, validate.PhoneLetters},
		{"letter O for zero", "+7 7O1 123 45 67", "", false, validate.PhoneLetters},
		{"hash", "+7#7011234567", "", false, validate.PhoneBadChar},
		{"plus inside", "7+7011234567", "", false, validate.PhoneBadChar},
		{"no country code", "123456789012", "", false, validate.PhoneNoCountry},
		{"russian trunk 8", "8 912 345 67 89", "", false, validate.PhoneNoCountry},
		{"short local", "12345", "", false, validate.PhoneTooShort},
		{"short international", "+1234567", "", false, validate.PhoneTooShort},
		{"too long international", "+1234567890123456", "", false, validate.PhoneTooLong},
		{"country code zero", "+0 123456789", "", false, validate.PhoneNoCountry},
		{"empty", "", "", false, validate.PhoneEmpty},
		{"separators only", " - ( ) ", "", false, validate.PhoneEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.ParsePhone(tt.in)
			if got.E164 != tt.want || got.Kazakh != tt.kazakh || reasonOf(err) != tt.reason {
				t.Errorf("ParsePhone(%q) = %+v, %v, want %q kazakh=%v, reason %q", tt.in, got, err, tt.want, tt.kazakh, tt.reason)
			}
			if err != nil && !errors.Is(err, validate.ErrPhone) {
				t.Errorf("ParsePhone(%q) error = %v, want it to wrap ErrPhone", tt.in, err)
			}
		})
	}
}

func TestMasked(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"+7 701 123 45 67", "+7 701 *** ** 67"},
		{"+49 30 1234567", "+49 ******* 67"},
		{"+7 912 345 67 89", "+7 912 *** ** 89"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := validate.ParsePhone(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Masked(); got != tt.want {
				t.Errorf("ParsePhone(%q).Masked() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func reasonOf(err error) validate.Reason {
	var e *validate.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
