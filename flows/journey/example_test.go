package journey_test

import (
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
)

// A visitor chooses Russian, applies in person with the ICAO specimen
// passport (expired), and is told why they cannot apply.
func Example() {
	loc, _ := time.LoadLocation("Asia/Almaty")
	chk, _ := precheck.ForBranch(config.DefaultFlow(), "Asia/Almaty")
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, loc)
	j, _ := journey.New(journey.Options{
		Flow: config.DefaultFlow(), Languages: i18n.Languages(),
		Checker: chk, Clock: func() time.Time { return now }, Location: loc,
	})
	cat, _ := i18n.New()

	j.Handle(journey.ChooseLanguage{Lang: i18n.Russian})
	j.Handle(journey.ChooseService{})
	j.Handle(journey.ChooseApplicant{})
	doc, _ := mrz.Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10", now)
	j.Handle(journey.Scanned{Doc: doc})

	v := j.View()
	fmt.Println(v.State, v.Precheck.Decision)
	fmt.Println(cat.Format(v.Lang, v.Precheck.Items[0].Text))
	// Output:
	// result cannot-apply
	// Срок действия вашего паспорта истёк 15 апреля 2012
}
