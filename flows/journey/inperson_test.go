package journey_test

import (
	"testing"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
)

// representativesOn is a branch that still takes representatives at the
// kiosk (flow.representative_allowed): the tests of that path set it.
func representativesOn(f *config.Flow) { f.RepresentativeAllowed = true }

// TestSomeoneElse is "someone else" on the applicant screen under both
// values of flow.representative_allowed, and under the default, which is
// off: an IIN is formed only in person (MIA rules amended 29 February 2024).
func TestSomeoneElse(t *testing.T) {
	tests := []struct {
		name string
		flow func(*config.Flow)
		// want is where "someone else" leads; then Back returns to the
		// applicant screen, from where "myself" goes on to the scan.
		want     journey.State
		scanRole precheck.Applicant
	}{
		{name: "default", want: journey.RepresentativeOff},
		{name: "switched off", flow: func(f *config.Flow) { f.RepresentativeAllowed = false }, want: journey.RepresentativeOff},
		{name: "switched on", flow: representativesOn, want: journey.Scan, scanRole: precheck.Representative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := newJourney(t, tt.flow)
			j.Handle(journey.ChooseLanguage{Lang: "en"})
			j.Handle(journey.ChooseService{})
			j.Handle(journey.ChooseApplicant{Representative: true})
			v := j.View()
			if v.State != tt.want {
				t.Fatalf("someone else: state = %v, want %v", v.State, tt.want)
			}
			if tt.want == journey.Scan {
				if v.Applicant != tt.scanRole {
					t.Errorf("someone else: applicant = %v, want the representative", v.Applicant)
				}
				return
			}
			if !v.CanBack || !v.CanCancel {
				t.Errorf("in-person page: back %v, cancel %v; want both, to choose again or start over", v.CanBack, v.CanCancel)
			}
			j.Handle(journey.Back{})
			if s := j.View().State; s != journey.Applicant {
				t.Fatalf("Back from the in-person page: state = %v, want applicant", s)
			}
			j.Handle(journey.ChooseApplicant{})
			if v := j.View(); v.State != journey.Scan || v.Applicant != precheck.Self {
				t.Errorf("myself after Back: state %v applicant %v, want scan in person", v.State, v.Applicant)
			}
		})
	}
}
