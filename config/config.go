package config

import (
	"fmt"
	"time"
)

// Config is the whole kiosk configuration. Each section lives in its own file.
type Config struct {
	Kiosk      Kiosk      `toml:"kiosk"`
	Scanner    Scanner    `toml:"scanner"`
	Printer    Printer    `toml:"printer"`
	Flow       Flow       `toml:"flow"`
	Backend    Backend    `toml:"backend"`
	Technician Technician `toml:"technician"`

	// Notices are what Load ignored but the technician should know of:
	// keys older firmware read that mean nothing now. They do not stop the
	// kiosk (an upgrade must not turn a working file into a restart loop);
	// "kiosk config check" prints them and "kiosk run" logs them.
	Notices []Problem `toml:"-"`
}

// Kiosk identifies the terminal and where it stands.
type Kiosk struct {
	ID        string   `toml:"id"`        // printed on tickets, e.g. "K-07"
	Branch    string   `toml:"branch"`    // branch id known to the backend
	Languages []string `toml:"languages"` // offered languages, Kazakh first: ["kk", "ru", "en"]
	TimeZone  string   `toml:"time_zone"` // IANA zone of the branch, "Asia/Almaty"
	StateDir  string   `toml:"state_dir"` // outbox, tickets and logs live below it
}

// Technician holds the technician mode settings. Technician mode opens
// with F12 and the PIN; five wrong PINs in a row lock it for five minutes,
// the next five for longer, across restarts (kiosk/tech).
type Technician struct {
	// PINHash is the argon2id hash of the technician PIN (6 to 12 digits),
	// as "kiosk pin-hash" prints it ("$argon2id$v=19$m=…,t=…,p=…$SALT$KEY"),
	// so the PIN itself is never in the file or its backups. Empty disables
	// technician mode; a hash that does not parse stops the kiosk at start
	// ("kiosk doctor" names the problem). Validation cannot see the PIN's
	// length in the hash: "kiosk pin-hash" refuses a short PIN, and the
	// PIN page refuses to check one, so a hash made of a shorter PIN by
	// older firmware never opens technician mode (the page says a PIN has
	// 6 to 12 digits): make a new one.
	PINHash string `toml:"pin_hash"`
}

// Duration is a time.Duration written in TOML as a string such as "30s" or "2m".
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration (want e.g. \"30s\", \"2m\"): %q", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }
