package journey_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/mrz/mrztest"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
)

// clock is a fake clock that moves only when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var start = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("+05", 5*3600))

// passport builds a TD3 MRZ with correct check digits.
func passport(state, names, birth, expiry string) string {
	return mrztest.TD3{Code: "P", State: state, Names: names, Number: "X12345678", Nationality: state,
		Birth: birth, Sex: "M", Expiry: expiry}.String()
}

func doc(t testing.TB, text string) *mrz.Document {
	t.Helper()
	d, err := mrz.Parse(text, start)
	if err != nil {
		t.Fatalf("mrz.Parse error = %v", err)
	}
	return d
}

// corrupt breaks the birth date's check digit.
func corrupt(text string) string {
	b := []byte(text)
	i := strings.Index(text, "\n") + 1 + 19
	b[i] = '0' + (b[i]-'0'+1)%10
	return string(b)
}

const idCard = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"

func newJourney(t testing.TB, mod func(*config.Flow)) (*journey.Journey, *clock) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	flow := config.DefaultFlow()
	if mod != nil {
		mod(&flow)
	}
	chk, err := precheck.ForBranch(flow, "Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: start}
	j, err := journey.New(journey.Options{
		Flow: flow, Languages: i18n.Languages(), KioskID: "K-07", Branch: "ALA-01",
		Checker: chk, Clock: c.now, Location: loc,
	})
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return j, c
}

// step is one input, after the clock moves on by wait, and what must follow.
type step struct {
	wait    time.Duration
	in      journey.Input
	want    journey.State
	effects []string // effect type names, e.g. "Submit"
	check   func(t *testing.T, v journey.View, eff []journey.Effect)
}

type path struct {
	name  string
	flow  func(*config.Flow)
	rest  bool // start at rest, without choosing a language first
	steps []step
}

func effectNames(eff []journey.Effect) []string {
	var names []string
	for _, e := range eff {
		names = append(names, strings.TrimPrefix(fmt.Sprintf("%T", e), "journey."))
	}
	return names
}

func TestPaths(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	rus := passport("RUS", "IVANOVA<<ANNA", "900215", "300101")
	chn := passport("CHN", "ZHANG<<WEI", "900215", "300101")
	ind := passport("IND", "SHARMA<<PRIYA", "900215", "300101")
	idle := config.DefaultFlow().IdleTimeout.D()
	countdown := config.DefaultFlow().StillThereCountdown.D()
	goodbye := config.DefaultFlow().GoodbyeTimeout.D()
	S := func(text string) journey.Input { return journey.Scanned{Doc: doc(t, text)} }
	noDoc := func(t *testing.T, v journey.View, _ []journey.Effect) {
		if v.Document != nil || v.Precheck != nil || v.Ticket != nil {
			t.Errorf("View() after reset = doc %v, precheck %v, ticket %v, want all wiped", v.Document, v.Precheck, v.Ticket)
		}
	}
	decision := func(want precheck.Decision) func(*testing.T, journey.View, []journey.Effect) {
		return func(t *testing.T, v journey.View, _ []journey.Effect) {
			if v.Precheck == nil || v.Precheck.Decision != want {
				t.Errorf("View().Precheck = %+v, want decision %v", v.Precheck, want)
			}
		}
	}
	notice := func(key string) func(*testing.T, journey.View, []journey.Effect) {
		return func(t *testing.T, v journey.View, _ []journey.Effect) {
			if v.Notice.Key != key {
				t.Errorf("View().Notice = %q, want %q", v.Notice.Key, key)
			}
		}
	}
	// item checks the precheck's decision and its first item's text.
	item := func(d precheck.Decision, key string) func(*testing.T, journey.View, []journey.Effect) {
		return func(t *testing.T, v journey.View, _ []journey.Effect) {
			t.Helper()
			if v.Precheck.Decision != d || len(v.Precheck.Items) == 0 || v.Precheck.Items[0].Text.Key != key {
				t.Errorf("Precheck = %+v, want %v with %s", v.Precheck, d, key)
			}
		}
	}
	errKey := func(key string) func(*testing.T, journey.View, []journey.Effect) {
		return func(t *testing.T, v journey.View, _ []journey.Effect) {
			if v.Error.Key != key {
				t.Errorf("View().Error = %q, want %q", v.Error.Key, key)
			}
		}
	}
	toTicket := []step{
		{in: journey.Continue{}, want: journey.Phone},
		{in: journey.SkipPhone{}, want: journey.Submitting, effects: []string{"Submit"}},
		{in: journey.Submitted{Number: "A-042", PeopleAhead: 3, WaitMinutes: 12}, want: journey.Ticket, effects: []string{"Print"}},
	}
	join := func(parts ...[]step) []step {
		var all []step
		for _, p := range parts {
			all = append(all, p...)
		}
		return all
	}
	paths := []path{
		{name: "in person, passport is enough, phone given", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(rus), want: journey.Confirm, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Document == nil || v.Document.Surname != "IVANOVA" {
					t.Errorf("View().Document = %+v, want the scanned passport", v.Document)
				}
			}},
			{in: journey.ConfirmData{}, want: journey.Result, check: decision(precheck.OK)},
			{in: journey.Continue{}, want: journey.Phone},
			{in: journey.EnterPhone{Text: "8 (701) 123-45-67"}, want: journey.Submitting, effects: []string{"Submit"},
				check: func(t *testing.T, _ journey.View, eff []journey.Effect) {
					app := eff[0].(journey.Submit).Application
					if app.Phone.E164 != "+77011234567" || app.Document == nil || app.Precheck.Decision != precheck.OK || app.Booked || app.KioskID != "K-07" {
						t.Errorf("Submit = %+v, want the prechecked application with the phone", app)
					}
				}},
			{in: journey.Cancel{}, want: journey.Submitting},
			{in: journey.Submitted{Number: "A-042", PeopleAhead: 3, WaitMinutes: 12}, want: journey.Ticket, effects: []string{"Print"},
				check: func(t *testing.T, v journey.View, eff []journey.Effect) {
					tk := eff[0].(journey.Print).Ticket
					if tk.Number != "A-042" || tk.ReadyDate.String() != "2026-11-26" || len(tk.Bring) != 1 || tk.Booked || tk.Offline {
						t.Errorf("Print = %+v, want A-042 ready 2026-11-26 with the passport", tk)
					}
				}},
			{in: journey.Printed{}, want: journey.Ticket, check: notice("")},
			{in: journey.Done{}, want: journey.Goodbye},
			{wait: goodbye - time.Second, in: journey.Tick{}, want: journey.Goodbye},
			{wait: time.Second, in: journey.Tick{}, want: journey.Language, effects: []string{"Wiped"}, check: noDoc},
		}},
		// A branch that takes representatives and has China's passports
		// down as needing a translation.
		{name: "representative for a Chinese citizen", flow: func(f *config.Flow) {
			representativesOn(f)
			f.TranslationPolicy["CHN"] = config.TranslationRequired
		}, steps: join([]step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{Representative: true}, want: journey.Scan},
			{in: S(chn), want: journey.Confirm},
			{in: journey.ConfirmData{}, want: journey.Result, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Precheck.Decision != precheck.NeedsDocuments || !v.Precheck.TranslationRequired || v.Applicant != precheck.Representative {
					t.Errorf("View() = %+v, want a representative needing documents and a translation", v)
				}
			}},
		}, toTicket, []step{
			{check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if len(v.Ticket.Bring) != 5 {
					t.Errorf("Ticket.Bring = %v, want 5 documents", v.Ticket.Bring)
				}
			}},
		})},
		{name: "representatives switched off", flow: func(f *config.Flow) { f.RepresentativeAllowed = false }, steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{Representative: true}, want: journey.RepresentativeOff},
			{in: journey.Back{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{Representative: true}, want: journey.RepresentativeOff},
			{in: journey.Done{}, want: journey.Goodbye},
			{in: journey.Touch{}, want: journey.Language, effects: []string{"Wiped"}},
		}},
		{name: "the visitor answers the script question", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(ind), want: journey.Confirm},
			{in: journey.ConfirmData{}, want: journey.ScriptQuestion},
			{in: journey.Back{}, want: journey.Confirm},
			{in: journey.ConfirmData{}, want: journey.ScriptQuestion},
			{in: journey.AnswerScript{OtherScriptOnly: true}, want: journey.Result, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if !v.Precheck.TranslationRequired || v.Precheck.TranslationSource != precheck.SourceVisitor {
					t.Errorf("Precheck = %+v, want a translation decided by the visitor", v.Precheck)
				}
			}},
			{in: journey.Back{}, want: journey.ScriptQuestion},
			{in: journey.AnswerScript{OtherScriptOnly: false}, want: journey.Result, check: decision(precheck.OK)},
			{in: journey.Back{}, want: journey.ScriptQuestion},
			{in: journey.Back{}, want: journey.Confirm},
			{in: journey.Back{}, want: journey.Scan, check: noDoc},
		}},
		{name: "two failed scans send the visitor to the desk", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(corrupt(rus)), want: journey.Result, check: decision(precheck.Rescan)},
			{in: journey.Continue{}, want: journey.Scan},
			{in: journey.Scanned{}, want: journey.Result, check: decision(precheck.SeeClerk)},
			{in: journey.Continue{}, want: journey.Goodbye},
		}},
		{name: "a document that is not ICAO is named, not counted as a misread", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: journey.Scanned{NotICAO: mrz.FrenchIDCard}, want: journey.Result, check: item(precheck.CannotApply, "precheck.item.french_id_card")},
			{in: journey.Scanned{NotICAO: mrz.DrivingLicence}, want: journey.Result, check: item(precheck.CannotApply, "precheck.item.driving_licence")},
			{in: journey.Scanned{NotICAO: mrz.FrenchIDCard}, want: journey.Result, check: item(precheck.CannotApply, "precheck.item.french_id_card")},
			{in: S(rus), want: journey.Confirm},
		}},
		{name: "a booking scanned by a driving licence says what it is", steps: []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.ScanForBooking{}, want: journey.BookingScan},
			{in: journey.Scanned{NotICAO: mrz.DrivingLicence}, want: journey.BookingScan, check: errKey("precheck.item.driving_licence")},
			{in: journey.Scanned{NotICAO: mrz.FrenchIDCard}, want: journey.BookingScan, check: errKey("precheck.item.french_id_card")},
		}},
		{name: "a failed scan, then a good one straight from the result", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: journey.Scanned{}, want: journey.Result, check: decision(precheck.Rescan)},
			{in: journey.Done{}, want: journey.Result},
			{in: S(rus), want: journey.Confirm},
			{in: journey.RejectData{}, want: journey.Scan, check: noDoc},
			{in: S(rus), want: journey.Confirm},
		}},
		{name: "an ID card cannot be used", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(idCard), want: journey.Result, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Precheck.Decision != precheck.CannotApply || v.Document != nil {
					t.Errorf("View() = %+v, want cannot-apply and no document kept", v)
				}
			}},
			{in: journey.Back{}, want: journey.Scan},
			{in: S(idCard), want: journey.Result},
			{in: journey.Done{}, want: journey.Goodbye},
		}},
		{name: "phone number refused, then accepted", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(rus), want: journey.Confirm},
			{in: journey.ConfirmData{}, want: journey.Result},
			{in: journey.Continue{}, want: journey.Phone},
			{in: journey.EnterPhone{Text: "+7 7O1 123 45 67"}, want: journey.Phone, check: errKey("validate.phone.letters")},
			{in: journey.EnterPhone{Text: "+7 701 123 45"}, want: journey.Phone, check: errKey("validate.phone.kz_length")},
			{in: journey.Back{}, want: journey.Result, check: errKey("")},
			{in: journey.Continue{}, want: journey.Phone},
			{in: journey.EnterPhone{Text: "+49 30 1234567"}, want: journey.Submitting, effects: []string{"Submit"}},
		}},
		{name: "backend offline and printer out of paper", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(rus), want: journey.Confirm},
			{in: journey.ConfirmData{}, want: journey.Result},
			{in: journey.Continue{}, want: journey.Phone},
			{in: journey.SkipPhone{}, want: journey.Submitting, effects: []string{"Submit"}},
			{wait: 5 * time.Minute, in: journey.Tick{}, want: journey.Submitting},
			{in: journey.Submitted{Number: "K-0007", Offline: true}, want: journey.Ticket, effects: []string{"Print"}, check: notice("device.backend_offline")},
			{in: journey.Printed{OutOfPaper: true}, want: journey.Ticket, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Notice.Key != "device.printer_no_paper" || v.Notice.Args["Number"] != "K-0007" {
					t.Errorf("View().Notice = %+v, want no paper with the number", v.Notice)
				}
			}},
			{in: journey.Cancel{}, want: journey.Goodbye},
		}},
		{name: "scanner goes away and comes back", steps: []step{
			{in: journey.ScannerStatus{Available: false}, want: journey.Service},
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.ScannerDown, check: notice("device.scanner_unavailable")},
			{in: journey.ScannerStatus{Available: true}, want: journey.Scan, check: notice("")},
			{in: journey.ScannerStatus{Available: false}, want: journey.ScannerDown},
			{in: journey.Back{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.ScannerDown},
			{in: journey.Done{}, want: journey.Goodbye},
		}},
		{name: "idle: still here, then walked away", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(rus), want: journey.Confirm},
			{wait: idle - time.Second, in: journey.Tick{}, want: journey.Confirm},
			{wait: time.Second, in: journey.Tick{}, want: journey.StillThere, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Countdown != countdown || v.Document == nil {
					t.Errorf("View() = countdown %v doc %v, want %v and the data still there", v.Countdown, v.Document, countdown)
				}
			}},
			{wait: 5 * time.Second, in: journey.StillHere{}, want: journey.Confirm},
			{wait: idle, in: journey.Tick{}, want: journey.StillThere},
			{wait: countdown - time.Second, in: journey.Tick{}, want: journey.StillThere, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Countdown != time.Second {
					t.Errorf("View().Countdown = %v, want 1s", v.Countdown)
				}
			}},
			{wait: time.Second, in: journey.Tick{}, want: journey.Language, effects: []string{"Wiped"}, check: noDoc},
			{wait: time.Hour, in: journey.Tick{}, want: journey.Language},
		}},
		{name: "idle: a scan answers the prompt and counts", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{wait: idle, in: journey.Tick{}, want: journey.StillThere},
			{in: journey.ScannerStatus{Available: false}, want: journey.StillThere},
			{in: journey.ScannerStatus{Available: true}, want: journey.StillThere},
			{in: S(rus), want: journey.Confirm},
		}},
		{name: "cancel wipes the visit", flow: representativesOn, steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{Representative: true}, want: journey.Scan},
			{in: S(chn), want: journey.Confirm},
			{in: journey.Cancel{}, want: journey.Confirm}, // asks first: TestCancelAsksOnce
			{in: journey.Cancel{}, want: journey.Language, effects: []string{"Wiped"}, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				noDoc(t, v, nil)
				if v.Applicant != precheck.Self || v.Lang != i18n.Kazakh {
					t.Errorf("View() after cancel = %+v, want the defaults", v)
				}
			}},
			{in: journey.Cancel{}, want: journey.Language},
		}},
		{name: "back through every screen", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.Back{}, want: journey.Service},
			{in: journey.Back{}, want: journey.Language},
			{in: journey.Back{}, want: journey.Language},
		}},
		{name: "booked visit by code", steps: join([]step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "12ab56"}, want: journey.BookingCode, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Error.Key != "screen.booking.code_hint" || v.Error.Args["Count"] != 6 {
					t.Errorf("View().Error = %+v, want the code hint for 6 digits", v.Error)
				}
			}},
			{in: journey.EnterBookingCode{Code: "123 456"}, want: journey.BookingLookup, effects: []string{"LookupBooking"},
				check: func(t *testing.T, _ journey.View, eff []journey.Effect) {
					if l := eff[0].(journey.LookupBooking); l.Code != "123456" {
						t.Errorf("LookupBooking = %+v, want code 123456", l)
					}
				}},
			{wait: time.Hour, in: journey.Tick{}, want: journey.BookingLookup},
			{in: journey.BookingFound{Found: true, Day: config.Day{Year: 2026, Month: 11, Day: 25}}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(rus), want: journey.Confirm},
			{in: journey.ConfirmData{}, want: journey.Result},
		}, toTicket, []step{
			{check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if !v.Ticket.Booked {
					t.Errorf("Ticket = %+v, want it marked as booked", v.Ticket)
				}
			}},
		})},
		{name: "booked visit not found, then for another day", steps: []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "999999"}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{}, want: journey.BookingProblem, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Problem.Key != "screen.booking.not_found" {
					t.Errorf("View().Problem = %+v, want not found", v.Problem)
				}
			}},
			{in: journey.Back{}, want: journey.BookingCode},
			{in: journey.EnterBookingCode{Code: "123456"}, want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{Found: true, Day: config.Day{Year: 2026, Month: 11, Day: 27}}, want: journey.BookingProblem, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Problem.Key != "screen.booking.other_day" || v.Problem.Args["Date"] != (config.Day{Year: 2026, Month: 11, Day: 27}) {
					t.Errorf("View().Problem = %+v, want another day, 27 November", v.Problem)
				}
			}},
			{in: journey.Done{}, want: journey.Goodbye},
		}},
		{name: "booked visit found by the passport", steps: []step{
			{in: journey.ChooseService{Booking: true}, want: journey.BookingCode},
			{in: journey.ScanForBooking{}, want: journey.BookingScan},
			{in: journey.Scanned{}, want: journey.BookingScan, check: errKey("precheck.item.rescan")},
			{in: S(rus), want: journey.BookingLookup, effects: []string{"LookupBooking"}, check: func(t *testing.T, _ journey.View, eff []journey.Effect) {
				if l := eff[0].(journey.LookupBooking); l.DocumentNumber != "X12345678" || l.Nationality != "RUS" || l.Code != "" {
					t.Errorf("LookupBooking = %+v, want the passport's number and nationality", l)
				}
			}},
			{in: journey.BookingFound{Found: true, Day: config.Day{Year: 2026, Month: 11, Day: 25}}, want: journey.Applicant},
			{in: journey.Back{}, want: journey.BookingCode, check: noDoc},
			{in: journey.ScanForBooking{}, want: journey.BookingScan},
			{in: journey.Back{}, want: journey.BookingCode},
			{in: journey.ScanForBooking{}, want: journey.BookingScan},
			{in: S(rus), want: journey.BookingLookup, effects: []string{"LookupBooking"}},
			{in: journey.BookingFound{Found: true, Day: config.Day{Year: 2026, Month: 11, Day: 25}}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Confirm},
		}},
		{name: "booking switched off", flow: func(f *config.Flow) { f.BookingEnabled = false }, steps: []step{
			{in: journey.ChooseService{Booking: true}, want: journey.Service},
		}},
		{name: "at rest", rest: true, steps: []step{
			{wait: 24 * time.Hour, in: journey.Tick{}, want: journey.Language},
			{in: journey.ChooseLanguage{Lang: "de"}, want: journey.Language},
			{in: journey.Submitted{Number: "A-1"}, want: journey.Language},
			{in: journey.BookingFound{Found: true}, want: journey.Language},
			{in: journey.ChooseLanguage{Lang: i18n.Russian}, want: journey.Service, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Lang != i18n.Russian {
					t.Errorf("View().Lang = %v, want ru", v.Lang)
				}
			}},
		}},
		{name: "an application that cannot be taken sends the visitor to the desk", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
			{in: S(rus), want: journey.Confirm},
			{in: journey.ConfirmData{}, want: journey.Result},
			{in: journey.Continue{}, want: journey.Phone},
			{in: journey.SkipPhone{}, want: journey.Submitting, effects: []string{"Submit"}},
			{in: journey.SubmitFailed{}, want: journey.Result, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Precheck == nil || v.Precheck.Decision != precheck.SeeClerk {
					t.Errorf("View().Precheck = %+v, want the see-clerk decision", v.Precheck)
				}
			}},
			{in: journey.Done{}, want: journey.Goodbye},
		}},
		{name: "the language switch mid-journey changes the words, not the step", steps: []step{
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: journey.ChooseLanguage{Lang: i18n.English}, want: journey.Applicant, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
				if v.Lang != i18n.English {
					t.Errorf("View().Lang = %v, want en", v.Lang)
				}
			}},
			{in: journey.ChooseLanguage{Lang: "de"}, want: journey.Applicant},
			{in: journey.ChooseApplicant{}, want: journey.Scan},
		}},
		{name: "inputs out of place are ignored", steps: []step{
			{in: journey.ChooseApplicant{}, want: journey.Service},
			{in: journey.ChooseService{}, want: journey.Applicant},
			{in: S(rus), want: journey.Applicant},
			{in: journey.ConfirmData{}, want: journey.Applicant},
			{in: journey.AnswerScript{OtherScriptOnly: true}, want: journey.Applicant},
			{in: journey.Continue{}, want: journey.Applicant},
			{in: journey.EnterPhone{Text: "+77011234567"}, want: journey.Applicant},
			{in: journey.SkipPhone{}, want: journey.Applicant},
			{in: journey.EnterBookingCode{Code: "123456"}, want: journey.Applicant},
			{in: journey.ScanForBooking{}, want: journey.Applicant},
			{in: journey.Done{}, want: journey.Applicant},
			{in: journey.RejectData{}, want: journey.Applicant},
			{in: journey.Touch{}, want: journey.Applicant},
		}},
	}
	for _, p := range paths {
		for _, lang := range i18n.Languages() {
			t.Run(p.name+"/"+string(lang), func(t *testing.T) {
				j, c := newJourney(t, p.flow)
				steps := p.steps
				if !p.rest {
					steps = append([]step{{in: journey.ChooseLanguage{Lang: lang}, want: journey.Service}}, steps...)
				}
				for i, s := range steps {
					c.t = c.t.Add(s.wait)
					var eff []journey.Effect
					if s.in != nil {
						eff = j.Handle(s.in)
						if got := j.State(); got != s.want {
							t.Fatalf("step %d: Handle(%T%+v) state = %v, want %v", i, s.in, s.in, got, s.want)
						}
						if got := effectNames(eff); !reflect.DeepEqual(got, s.effects) {
							t.Fatalf("step %d: Handle(%T) effects = %v, want %v", i, s.in, got, s.effects)
						}
					}
					v := j.View()
					if s.check != nil {
						s.check(t, v, eff)
					}
					readable(t, cat, v)
				}
			})
		}
	}
}

// readable checks that every message the view holds reads in its language.
func readable(t *testing.T, cat *i18n.Catalog, v journey.View) {
	t.Helper()
	msgs := []i18n.Message{v.Error, v.Notice, v.Problem}
	if v.Precheck != nil {
		for _, it := range v.Precheck.Items {
			msgs = append(msgs, it.Text, it.Reason)
		}
		msgs = append(msgs, v.Precheck.Notices...)
	}
	for _, m := range msgs {
		if m.Key == "" {
			continue
		}
		if s, err := cat.Localize(v.Lang, m); err != nil || strings.Contains(s, "<no value>") {
			t.Errorf("Localize(%s, %s) = %q, %v, want text", v.Lang, m.Key, s, err)
		}
	}
	if v.Ticket != nil {
		p := v.Ticket.Printable(cat)
		for _, b := range p.Blocks {
			if b.NumberLabel == "" || b.Service == "" || b.Notice == "" || b.Wait == "" {
				t.Errorf("Printable() block %s = %+v, want every line", b.Lang, b)
			}
		}
	}
}

func TestViewButtons(t *testing.T) {
	j, _ := newJourney(t, nil)
	tests := []struct {
		in         journey.Input
		back, canc bool
	}{
		{nil, false, false},
		{journey.ChooseLanguage{Lang: i18n.English}, true, true},
		{journey.ChooseService{}, true, true},
	}
	for _, tt := range tests {
		if tt.in != nil {
			j.Handle(tt.in)
		}
		v := j.View()
		if v.CanBack != tt.back || v.CanCancel != tt.canc {
			t.Errorf("View() on %v = back %v cancel %v, want %v %v", v.State, v.CanBack, v.CanCancel, tt.back, tt.canc)
		}
	}
}

func TestPrintable(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	loc := time.FixedZone("+05", 5*3600)
	base := journey.TicketData{
		Number: "A-042", PeopleAhead: 22, WaitMinutes: 35, ReadyDate: config.Day{Year: 2026, Month: 11, Day: 26},
		Bring:   []i18n.Message{i18n.M("precheck.item.passport"), i18n.M("precheck.item.notarized_translation")},
		KioskID: "K-07", Branch: "ALA-01", Issued: time.Date(2026, 11, 25, 10, 5, 0, 0, loc),
	}
	tests := []struct {
		name   string
		mod    func(*journey.TicketData)
		blocks []string
		want   map[string]string // block lang → a line it must hold (Wait, Ready or Issued)
	}{
		{"Russian visitor", func(d *journey.TicketData) { d.Lang = i18n.Russian }, []string{"kk", "ru"},
			map[string]string{"ru": "Перед вами 22 человека. Ожидание: около 35 мин", "kk": "Алдыңызда 22 адам бар. Күту уақыты: шамамен 35 мин"}},
		{"Kazakh visitor", func(d *journey.TicketData) { d.Lang = i18n.Kazakh }, []string{"kk"},
			map[string]string{"kk": "ЖСН дайын болатын күн: 2026\u00a0жылғы\u00a026\u00a0қараша"}}, // no-break spaces keep the date on one line
		{"English visitor, nobody ahead", func(d *journey.TicketData) { d.Lang = i18n.English; d.PeopleAhead = 0 }, []string{"kk", "en"},
			map[string]string{"en": "No one ahead of you. Estimated wait: 35 min"}},
		{"offline", func(d *journey.TicketData) { d.Lang = i18n.English; d.Offline = true }, []string{"kk", "en"},
			map[string]string{"en": "Issued offline: show this ticket at the window."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base
			tt.mod(&d)
			p := d.Printable(cat)
			var langs []string
			for _, b := range p.Blocks {
				langs = append(langs, b.Lang)
				if want, ok := tt.want[b.Lang]; ok && b.Wait != want && b.Ready != want && b.Issued != want {
					t.Errorf("Printable() block %s = %+v, want a line %q", b.Lang, b, want)
				}
				if len(b.Bring) != 2 || b.BringHeading == "" || b.Kiosk == "" || b.Branch == "" || b.Issued == "" {
					t.Errorf("Printable() block %s = %+v, want the checklist, kiosk, branch and issue lines", b.Lang, b)
				}
			}
			if !reflect.DeepEqual(langs, tt.blocks) || p.Number != "A-042" {
				t.Errorf("Printable() = %s with blocks %v, want A-042 with %v", p.Number, langs, tt.blocks)
			}
		})
	}
}

func TestNewOptions(t *testing.T) {
	chk, err := precheck.ForBranch(config.DefaultFlow(), "UTC")
	if err != nil {
		t.Fatal(err)
	}
	noIdle := config.DefaultFlow()
	noIdle.IdleTimeout = 0
	tests := []struct {
		name string
		opt  journey.Options
	}{
		{"no checker", journey.Options{Flow: config.DefaultFlow(), Languages: i18n.Languages(), Clock: time.Now}},
		{"no clock", journey.Options{Flow: config.DefaultFlow(), Languages: i18n.Languages(), Checker: chk}},
		{"no languages", journey.Options{Flow: config.DefaultFlow(), Checker: chk, Clock: time.Now}},
		{"no idle timeout", journey.Options{Flow: noIdle, Languages: i18n.Languages(), Checker: chk, Clock: time.Now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := journey.New(tt.opt); err == nil {
				t.Errorf("New(%s) error = nil, want an error", tt.name)
			}
		})
	}
}

func TestStateNames(t *testing.T) {
	seen := map[string]bool{}
	for s := journey.Language; s <= journey.StillThere; s++ {
		name := s.String()
		if strings.HasPrefix(name, "State(") || seen[name] {
			t.Errorf("State(%d).String() = %q, want a unique name", s, name)
		}
		seen[name] = true
	}
}

// TestPrintableDateWhole lays the ticket out on 58 mm and 80 mm paper in
// every language: the ready date and the kiosk line's issue date each stay
// on one printed line, however the line before them breaks.
func TestPrintableDateWhole(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	day := config.Day{Year: 2026, Month: 12, Day: 2}
	d := journey.TicketData{
		Number: "A-042", PeopleAhead: 3, WaitMinutes: 10, ReadyDate: day, KioskID: "K-07", Branch: "ALA-01",
		Issued: time.Date(2026, 12, 2, 10, 5, 0, 0, time.FixedZone("+05", 5*3600)),
	}
	for _, lang := range []i18n.Lang{i18n.Kazakh, i18n.Russian, i18n.English} {
		d.Lang = lang
		tk := d.Printable(cat)
		for _, name := range []string{"generic-58", "generic", "epson-tm-t88vi", "generic-raster"} {
			p, err := printer.LookupProfile(name)
			if err != nil {
				t.Fatal(err)
			}
			l, err := printer.NewLayout(p)
			if err != nil {
				t.Fatal(err)
			}
			job, err := l.Ticket(&tk)
			if err != nil {
				t.Fatal(err)
			}
			res, err := preview.Decode(job, p.PreviewOptions())
			if err != nil {
				t.Fatal(err)
			}
			text := res.String()
			for _, bl := range tk.Blocks {
				date := cat.Date(i18n.Lang(bl.Lang), day)
				if !strings.Contains(text, date) { // the ready line
					t.Errorf("%s ticket on %s: %q not whole on one line:\n%s", lang, name, date, text)
				}
			}
			if !strings.Contains(text, "K-07 · 02.12.2026 10:05") { // the kiosk line, once for all languages
				t.Errorf("%s ticket on %s: no kiosk line with the issue date whole:\n%s", lang, name, text)
			}
		}
	}
}
