package screen_test

import (
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// TestSomeoneElseHint reads the hint under "someone else" in each
// language: with representatives off (the default) it never speaks of a
// power of attorney from them, which the next page says does not work;
// with them on it does.
func TestSomeoneElseHint(t *testing.T) {
	on := config.DefaultFlow()
	on.RepresentativeAllowed = true
	for _, l := range i18n.Languages() {
		for _, tt := range []struct {
			name string
			flow config.Flow
			want string
		}{
			{"off", config.DefaultFlow(), "screen.applicant_in_person.representative_hint"},
			{"on", on, "screen.applicant.representative_hint"},
		} {
			t.Run(string(l)+"/"+tt.name, func(t *testing.T) {
				h, cat, _ := kiosk(t, tt.flow)
				h.TapAction("lang-" + string(l))
				shown := words(h.Text())
				poa := words(cat.Text(l, "screen.applicant.representative_hint"))
				if got := strings.Contains(shown, poa); got != (tt.name == "on") {
					t.Errorf("representatives %s: power-of-attorney hint shown = %v:\n%s", tt.name, got, h.Text())
				}
				if want := words(cat.Text(l, tt.want)); !strings.Contains(shown, want) {
					t.Errorf("representatives %s: hint %q missing:\n%s", tt.name, want, h.Text())
				}
			})
		}
	}
}
