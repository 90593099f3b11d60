package enrol

import (
	"errors"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// State is where the enrolment page is.
type State uint8

// The enrolment page's states.
const (
	// Entering: the hardware id and the keypad for the code.
	Entering State = iota
	// Sending: the request is on its way; nothing to press.
	Sending
	// Enrolled: the kiosk id and branch, and the way on to the visitors.
	Enrolled
)

// Input is what the enrolment page hands the Form: a tap, or the answer
// to a request.
type Input interface{ enrolInput() }

// The Form's inputs.
type (
	// ChooseLanguage switches the page's language.
	ChooseLanguage struct{ Lang i18n.Lang }
	// Digit appends a digit to the code.
	Digit struct{ D byte }
	// Delete removes the code's last digit.
	Delete struct{}
	// Clear empties the code.
	Clear struct{}
	// Submit sends the code when it is complete.
	Submit struct{}
	// Answered is Enrol's result for the code sent.
	Answered struct {
		Identity *Identity
		Err      error
	}
	// Continue leaves the page once enrolled.
	Continue struct{}
)

func (ChooseLanguage) enrolInput() {}
func (Digit) enrolInput()          {}
func (Delete) enrolInput()         {}
func (Clear) enrolInput()          {}
func (Submit) enrolInput()         {}
func (Answered) enrolInput()       {}
func (Continue) enrolInput()       {}

// Effect is work the Form asks of its runner.
type Effect interface{ enrolEffect() }

// The Form's effects.
type (
	// Send asks the runner to call Enrol with the code and hand back
	// Answered.
	Send struct{ Code string }
	// Done: the kiosk is enrolled and the page is left; the runner goes on
	// to the visitor journey.
	Done struct{ Identity *Identity }
)

func (Send) enrolEffect() {}
func (Done) enrolEffect() {}

// View is what the enrolment page shows.
type View struct {
	State      State
	Lang       i18n.Lang
	Languages  []i18n.Lang
	HardwareID string
	// Code is the digits typed so far.
	Code string
	// Problem is why the last try failed, in words for the technician;
	// empty when there is none.
	Problem i18n.Message
	// Identity is the enrolment, once Enrolled.
	Identity *Identity
}

// Form is the enrolment page's logic, apart from its looks (the page is
// kiosk/screen's, the request Enrol's): the code typed, the request under
// way, and the answer. Its methods run on the UI's event loop.
type Form struct {
	v View
}

// NewForm starts on the code entry in the first language (Kazakh).
func NewForm(hardwareID string, langs []i18n.Lang) *Form {
	if len(langs) == 0 {
		langs = i18n.Languages()
	}
	return &Form{v: View{Lang: langs[0], Languages: langs, HardwareID: hardwareID}}
}

// View is the page's state now.
func (f *Form) View() View { return f.v }

// Handle applies one input and returns the work it asks for.
func (f *Form) Handle(in Input) []Effect {
	switch in := in.(type) {
	case ChooseLanguage:
		f.v.Lang = in.Lang
	case Digit:
		if f.v.State == Entering && in.D >= '0' && in.D <= '9' && len(f.v.Code) < CodeDigits {
			f.v.Code += string(in.D)
			f.v.Problem = i18n.Message{}
		}
	case Delete:
		if f.v.State == Entering && f.v.Code != "" {
			f.v.Code = f.v.Code[:len(f.v.Code)-1]
			f.v.Problem = i18n.Message{}
		}
	case Clear:
		if f.v.State == Entering {
			f.v.Code, f.v.Problem = "", i18n.Message{}
		}
	case Submit:
		if f.v.State != Entering {
			return nil
		}
		if len(f.v.Code) != CodeDigits {
			f.v.Problem = Message(ErrCodeShape)
			return nil
		}
		f.v.State, f.v.Problem = Sending, i18n.Message{}
		return []Effect{Send{Code: f.v.Code}}
	case Answered:
		if f.v.State != Sending {
			return nil
		}
		if in.Err != nil || in.Identity == nil {
			// A refused code is no use again; anything else may be tried
			// again as typed.
			f.v.State, f.v.Problem = Entering, Message(in.Err)
			if errors.Is(in.Err, ErrCodeRefused) {
				f.v.Code = ""
			}
			return nil
		}
		f.v.State, f.v.Code, f.v.Identity = Enrolled, "", in.Identity
	case Continue:
		if f.v.State == Enrolled {
			return []Effect{Done{Identity: f.v.Identity}}
		}
	}
	return nil
}

// Message is the technician's words for an error of Enrol, one of the
// catalogs' "enrol.error" keys; never the Go error's text.
func Message(err error) i18n.Message {
	switch {
	case errors.Is(err, ErrCodeShape):
		return i18n.M("enrol.error.short")
	case errors.Is(err, ErrCodeRefused):
		return i18n.M("enrol.error.refused")
	case errors.Is(err, ErrTooManyTries):
		return i18n.M("enrol.error.too_many")
	case errors.Is(err, ErrUnreachable):
		return i18n.M("enrol.error.unreachable")
	case errors.Is(err, ErrStore):
		return i18n.M("enrol.error.local")
	}
	return i18n.M("enrol.error.bad_answer")
}

// Until is the certificate's last day, for the catalogs' date format.
func (id *Identity) Until() config.Day {
	t := id.NotAfter
	return config.Day{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}
