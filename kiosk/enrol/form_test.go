package enrol_test

import (
	"errors"
	"testing"

	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
)

// TestForm walks the page's logic: at most 12 digits, a short code is
// not sent, a refused code is cleared, an unreachable backend keeps the
// code for another try, and success leads on only when the technician
// continues.
func TestForm(t *testing.T) {
	f := enrol.NewForm("525400123456", nil)
	if v := f.View(); v.Lang != i18n.Kazakh || v.State != enrol.Entering {
		t.Fatalf("new form = %+v, want Kazakh, entering", v)
	}
	typeCode := func(s string) {
		for i := range len(s) {
			f.Handle(enrol.Digit{D: s[i]})
		}
	}
	typeCode("12345")
	if eff := f.Handle(enrol.Submit{}); eff != nil || f.View().Problem.Key != "enrol.error.short" {
		t.Errorf("Submit of 5 digits = %v, problem %q; want nothing sent, enrol.error.short", eff, f.View().Problem.Key)
	}
	typeCode("67890123456")
	if got := f.View().Code; got != "123456789012" {
		t.Errorf("code = %q, want 12 digits and no more", got)
	}
	if f.View().Problem.Key != "" {
		t.Errorf("problem after typing = %q, want none", f.View().Problem.Key)
	}
	eff := f.Handle(enrol.Submit{})
	if len(eff) != 1 || eff[0] != (enrol.Send{Code: "123456789012"}) || f.View().State != enrol.Sending {
		t.Fatalf("Submit = %v in %v, want Send of the code, sending", eff, f.View().State)
	}
	f.Handle(enrol.Digit{D: '1'}) // ignored while sending
	f.Handle(enrol.Answered{Err: enrol.ErrUnreachable})
	if v := f.View(); v.State != enrol.Entering || v.Code != "123456789012" || v.Problem.Key != "enrol.error.unreachable" {
		t.Errorf("after unreachable: %+v, want the code kept and the problem said", v)
	}
	f.Handle(enrol.Submit{})
	f.Handle(enrol.Answered{Err: errors.Join(enrol.ErrCodeRefused)})
	if v := f.View(); v.Code != "" || v.Problem.Key != "enrol.error.refused" {
		t.Errorf("after refused: %+v, want the code cleared and the problem said", v)
	}
	f.Handle(enrol.ChooseLanguage{Lang: i18n.Russian})
	typeCode("123456789012")
	f.Handle(enrol.Delete{})
	f.Handle(enrol.Digit{D: '9'})
	f.Handle(enrol.Submit{})
	id := &enrol.Identity{KioskID: "K-07", Branch: "ALA-01"}
	if eff := f.Handle(enrol.Answered{Identity: id}); eff != nil || f.View().State != enrol.Enrolled || f.View().Lang != i18n.Russian {
		t.Fatalf("after success: %v, %+v; want enrolled, in Russian, nothing to do yet", eff, f.View())
	}
	if eff := f.Handle(enrol.Continue{}); len(eff) != 1 || eff[0] != (enrol.Done{Identity: id}) {
		t.Errorf("Continue = %v, want Done", eff)
	}
}
