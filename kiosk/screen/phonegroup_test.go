package screen_test

import (
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/validate"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
)

// TestPhoneGroupingEveryLength types numbers key by key and checks the
// field after each key: the grouping is the one the number is read by
// (eleven digits from 7 or 8 are the country or trunk digit and ten
// more), so a number accepted as +7 701 123 45 67 is never shown as
// 770 112 34 567; a number is regrouped only at the digit that changes how
// it is read.
func TestPhoneGroupingEveryLength(t *testing.T) {
	tests := []struct {
		name  string
		typed string
		shown []string // after each key
	}{
		{"7 and ten digits", "770112345678", []string{"7", "77", "770", "770 1", "770 11", "770 112", "770 112 3",
			"770 112 34", "770 112 34 5", "770 112 34 56", "7 701 123 45 67", "7 701 123 45 678"}},
		{"+7 and ten digits", "+770112345678", []string{"+", "+7", "+7 7", "+7 70", "+7 701", "+7 701 1", "+7 701 12",
			"+7 701 123", "+7 701 123 4", "+7 701 123 45", "+7 701 123 45 6", "+7 701 123 45 67", "+7 701 123 45 678"}},
		{"8 and ten digits", "870112345678", []string{"8", "8 7", "8 70", "8 701", "8 701 1", "8 701 12", "8 701 123",
			"8 701 123 4", "8 701 123 45", "8 701 123 45 6", "8 701 123 45 67", "8 701 123 45 678"}},
		{"ten digits", "701123456789", []string{"7", "70", "701", "701 1", "701 12", "701 123", "701 123 4",
			"701 123 45", "701 123 45 6", "701 123 45 67", "701 123 45 678", "701 123 45 6789"}},
		{"7 777", "777712345678", []string{"7", "77", "777", "777 7", "777 71", "777 712", "777 712 3", "777 712 34",
			"777 712 34 5", "777 712 34 56", "7 777 123 45 67", "7 777 123 45 678"}},
		{"Almaty line with 7", "77271234567", []string{"7", "77", "772", "772 7", "772 71", "772 712", "772 712 3",
			"772 712 34", "772 712 34 5", "772 712 34 56", "7 727 123 45 67"}},
		{"abroad", "+4930123", []string{"+", "+4", "+49", "+493", "+4930", "+49301", "+493012", "+4930123"}},
		{"+7 Russia", "+79161234567", []string{"+", "+7", "+7 9", "+7 91", "+7 916", "+7 916 1", "+7 916 12",
			"+7 916 123", "+7 916 123 4", "+7 916 123 45", "+7 916 123 45 6", "+7 916 123 45 67"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder(t)
			v := journey.View{State: journey.Phone, Lang: i18n.Kazakh}
			for i, r := range tt.typed {
				id := "key-" + string(r)
				if r == '+' {
					id = "key-plus"
				}
				press(t, b.Page(v, screen.Status{}), id)
				got := b.Page(v, screen.Status{}).Field.Value
				if got != tt.shown[i] {
					t.Errorf("typed %q: field shows %q, want %q", tt.typed[:i+1], got, tt.shown[i])
				}
				// What is shown is what is sent: the last ten digits of an
				// accepted +7 number are grouped as the number is stored.
				if p, err := validate.ParsePhone(tt.typed[:i+1]); err == nil && strings.HasPrefix(p.E164, "+7") {
					n := p.E164[2:]
					if want := n[:3] + " " + n[3:6] + " " + n[6:8] + " " + n[8:]; !strings.HasSuffix(got, want) {
						t.Errorf("typed %q: field shows %q, but the number is read as +7 %s", tt.typed[:i+1], got, want)
					}
				}
			}
		})
	}
}
