package config

// Flow holds the visitor journey's and the precheck's settings.
type Flow struct {
	// IdleTimeout is how long without a touch before "are you still there?",
	// and StillThereCountdown how long that prompt waits before a reset.
	IdleTimeout         Duration `toml:"idle_timeout"`
	StillThereCountdown Duration `toml:"still_there_countdown"`
	// ExpiryWarningDays warns when the passport expires within this many days.
	ExpiryWarningDays int `toml:"expiry_warning_days"`
	// RepresentativeAllowed switches the representative path on or off.
	RepresentativeAllowed bool `toml:"representative_allowed"`
	// ClosingTime ("18:00", the branch's zone): an application after it
	// counts for the next working day.
	ClosingTime string `toml:"closing_time"`
	// MaxScanFailures is how many failed scans before the visitor is sent
	// to a clerk.
	MaxScanFailures int `toml:"max_scan_failures"`
	// TranslationPolicy maps an issuing state (ICAO code) to whether its
	// passports' personal data are in a script other than Cyrillic or Latin:
	// "required", "not-required" or "ask".
	TranslationPolicy map[string]string `toml:"translation_policy"`
	// ConventionStates are the Minsk and Chisinau convention states, whose
	// notarial documents need no apostille or legalisation.
	ConventionStates []string `toml:"convention_states"`
}
