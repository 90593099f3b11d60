package config

import (
	"fmt"
	"time"
)

// Flow holds the visitor journey's and the precheck's settings.
type Flow struct {
	// IdleTimeout is how long without a touch before "are you still there?",
	// and StillThereCountdown how long that prompt waits before a reset.
	IdleTimeout         Duration `toml:"idle_timeout"`
	StillThereCountdown Duration `toml:"still_there_countdown"`
	// GoodbyeTimeout is how long the goodbye screen stays before the kiosk
	// is ready for the next visitor; short, because the hall queues behind.
	GoodbyeTimeout Duration `toml:"goodbye_timeout"`
	// TicketTimeout is how long the ticket page stays once the ticket has
	// printed (or failed to) before it goes to goodbye by itself: a visitor
	// who walks off with the paper must not leave the number and the list
	// to the next one in the hall.
	TicketTimeout Duration `toml:"ticket_timeout"`
	// ExpiryWarningDays warns when the passport expires within this many days.
	ExpiryWarningDays int `toml:"expiry_warning_days"`
	// RepresentativeAllowed switches the representative path on. It is off
	// by default: since the MIA rules amended on 29 February 2024 a
	// foreigner's IIN is formed only when they apply in person, and a
	// power of attorney is accepted only to correct an existing IIN.
	RepresentativeAllowed bool `toml:"representative_allowed"`
	// Hours are the branch's opening hours per weekday ([flow.hours]): an
	// application after closing, or on a day the branch does not open,
	// counts for the next day it opens, and the ticket says when that is
	// instead of a wait. They must be the backend's registry hours for the
	// branch, which decide the day whose queue a ticket joins; the kiosk's
	// offline numbers are that day's by these.
	Hours Hours `toml:"hours"`
	// PriorityAge puts visitors of this age or older (read from the
	// passport) in the priority lane, and tells them so; 0 puts nobody
	// there by age. Which categories have priority is the branch's policy:
	// no law was found that makes age a queue priority, so 65 is an
	// assumption (65+ is one of the categories allowed to apply at an
	// embassy since 18 April 2025).
	PriorityAge int `toml:"priority_age"`
	// MaxScanFailures is how many failed scans before the visitor is sent
	// to a clerk.
	MaxScanFailures int `toml:"max_scan_failures"`
	// TranslationPolicy maps an issuing state (ICAO code) to the answer to
	// "does this state's passport print the place of birth in Latin or
	// Cyrillic letters?": "not-required" (it does), "required" (it does
	// not) or "ask" (the visitor is asked). A state not listed is asked
	// about. It is consulted only when the scanner's visual-zone text does
	// not decide.
	TranslationPolicy map[string]string `toml:"translation_policy"`
	// ConventionStates are the Minsk and Chisinau convention states, whose
	// notarial documents need no apostille or legalisation.
	ConventionStates []string `toml:"convention_states"`
	// BookingEnabled offers the "I have a booked visit" way in; a branch
	// that does not take bookings switches it off.
	BookingEnabled bool `toml:"booking_enabled"`
	// BookingCodeLength is the number of digits of a booking code typed on
	// the keypad.
	BookingCodeLength int `toml:"booking_code_length"`
}

// The values of Flow.TranslationPolicy.
const (
	TranslationRequired    = "required"
	TranslationNotRequired = "not-required"
	TranslationAsk         = "ask"
)

// DefaultFlow returns the settings a branch starts from. The policy table is
// a starting point for the states whose passports are common in the halls;
// a branch corrects it in its file, and a state not listed is asked about.
func DefaultFlow() Flow {
	return Flow{
		IdleTimeout:           Duration(60 * time.Second),
		StillThereCountdown:   Duration(20 * time.Second),
		GoodbyeTimeout:        Duration(8 * time.Second),
		TicketTimeout:         Duration(20 * time.Second),
		ExpiryWarningDays:     30,
		RepresentativeAllowed: false,
		Hours:                 OrdinaryHours(),
		PriorityAge:           65,
		MaxScanFailures:       2,
		BookingEnabled:        true,
		BookingCodeLength:     6,
		// Does the state's passport print the place of birth in Latin or
		// Cyrillic? The table, with each entry's source, is in
		// placeofbirth.go.
		TranslationPolicy: defaultTranslationPolicy(),
		// Parties to the Minsk (1993) or Chisinau (2002) conventions on legal
		// assistance with Kazakhstan. Ukraine is left out: it denounced the
		// Minsk convention.
		ConventionStates: []string{"ARM", "AZE", "BLR", "GEO", "KGZ", "MDA", "RUS", "TJK", "TKM", "UZB"},
	}
}

// Validate reports the first setting that cannot work, naming the key and
// the fix.
func (f Flow) Validate() error {
	switch {
	case f.IdleTimeout.D() < 5*time.Second:
		return fmt.Errorf("flow.idle_timeout = %v: too short for a visitor to read a screen; use at least 5s", f.IdleTimeout.D())
	case f.StillThereCountdown.D() <= 0:
		return fmt.Errorf("flow.still_there_countdown = %v: must be positive, e.g. \"20s\"", f.StillThereCountdown.D())
	case f.GoodbyeTimeout.D() <= 0:
		return fmt.Errorf("flow.goodbye_timeout = %v: must be positive, e.g. \"8s\"", f.GoodbyeTimeout.D())
	case f.TicketTimeout.D() < MinTicketTimeout:
		return fmt.Errorf("flow.ticket_timeout = %v: must be at least %v, time to read the number and take the ticket", f.TicketTimeout.D(), MinTicketTimeout)
	case f.ExpiryWarningDays < 0:
		return fmt.Errorf("flow.expiry_warning_days = %d: must be 0 (no warning) or more", f.ExpiryWarningDays)
	case f.MaxScanFailures < 1:
		return fmt.Errorf("flow.max_scan_failures = %d: must be at least 1", f.MaxScanFailures)
	case f.BookingEnabled && (f.BookingCodeLength < 4 || f.BookingCodeLength > 12):
		return fmt.Errorf("flow.booking_code_length = %d: must be 4 to 12 digits", f.BookingCodeLength)
	}
	if _, err := f.Hours.Schedule(); err != nil {
		return fmt.Errorf("flow.%w", err)
	}
	if f.PriorityAge < 0 || f.PriorityAge > 150 {
		return fmt.Errorf("flow.priority_age = %d: use an age in years, or 0 for no priority by age", f.PriorityAge)
	}
	for state, p := range f.TranslationPolicy {
		switch p {
		case TranslationRequired, TranslationNotRequired, TranslationAsk:
		default:
			return fmt.Errorf("flow.translation_policy.%s = %q: want \"required\", \"not-required\" or \"ask\"", state, p)
		}
	}
	return nil
}
