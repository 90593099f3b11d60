package central

import "testing"

// TestEnrolCodeShape: a code is twelve digits, shown in groups of four;
// what the technician types is read with its dashes and spaces left out,
// and nothing else is a code.
func TestEnrolCodeShape(t *testing.T) {
	for _, tc := range []struct {
		typed string
		want  string // "" for not a code
	}{
		{"4821-0937-5512", "482109375512"},
		{"4821 0937 5512", "482109375512"},
		{"482109375512", "482109375512"},
		{" 4821-0937-5512\t", "482109375512"},
		{"4821-0937-551", ""},
		{"4821-0937-55123", ""},
		{"4821-0937-551x", ""},
		{"４８２１０９３７５５１２", ""}, // full-width digits are not the keypad's
		{"", ""},
	} {
		got, ok := normalEnrolCode(tc.typed)
		if ok != (tc.want != "") || got != tc.want && ok {
			t.Errorf("normalEnrolCode(%q) = %q, %v; want %q", tc.typed, got, ok, tc.want)
		}
	}
	for range 20 {
		d, err := newEnrolCodeText()
		if err != nil {
			t.Fatal(err)
		}
		shown := FormatEnrolCode(d)
		if back, ok := normalEnrolCode(shown); !ok || back != d || len(shown) != 14 || shown[4] != '-' || shown[9] != '-' {
			t.Errorf("code %q shown as %q reads back as %q, %v", d, shown, back, ok)
		}
	}
}
