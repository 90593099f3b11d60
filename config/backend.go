package config

// Backend is the central backend and the kiosk's uplink to it (package
// kiosk/uplink, whose FromConfig reads these settings; the outbox is
// <state_dir>/outbox.db).
type Backend struct {
	// URL is the backend's base URL. Plain http is accepted only for a
	// loopback address (the demo); production uses https with mutual TLS.
	URL string `toml:"url"`
	// CACert signs the backend's certificate; ClientCert and ClientKey are
	// this kiosk's certificate (common name = kiosk id) and key, in PEM.
	CACert     string `toml:"ca_cert"`
	ClientCert string `toml:"client_cert"`
	ClientKey  string `toml:"client_key"`
	// TokenFile holds the kiosk's bearer token from "central token add
	// --role kiosk", readable by the kiosk user only (like the outbox key).
	// The backend knows the kiosk by it, or by its client certificate;
	// empty sends no token.
	TokenFile string `toml:"token_file"`
	// Timeout bounds one request to the backend; retries come on top, with
	// jittered backoff.
	Timeout Duration `toml:"timeout"`
	// OutboxKeyFile holds the AES-256 key for the outbox at rest: 64 hex
	// digits, readable by the kiosk user only. Empty: <state_dir>/outbox.key,
	// made on the kiosk's first start.
	OutboxKeyFile string `toml:"outbox_key_file"`
	// SubmitWait is how long a visitor waits for the backend's ticket
	// before the kiosk prints an offline one.
	SubmitWait Duration `toml:"submit_wait"`
	// SyncInterval is how often the outbox is offered to the backend again
	// while applications wait in it.
	SyncInterval Duration `toml:"sync_interval"`
	// LendSize is how many numbers the kiosk keeps lent by the backend for
	// offline tickets (0: none; offline tickets then take numbers of the
	// kiosk's own range). The prefix of that range is not set here: the
	// backend sends it with its blocks of numbers (see uplink.Numbering).
	LendSize int `toml:"lend_size"`
	// Enrol says the kiosk's identity comes from first-boot enrolment
	// (package kiosk/enrol): until it has one, "kiosk run" shows the
	// enrolment page; then the uplink uses the key made on the device and
	// the certificate the backend signed, both in <state_dir>/identity/,
	// and kiosk.id and kiosk.branch come from the enrolment unless the
	// file sets them. client_cert and client_key stay empty.
	Enrol bool `toml:"enrol"`
}
