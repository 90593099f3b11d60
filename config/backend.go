package config

// Backend is the central backend and the kiosk's uplink to it (package
// kiosk/uplink). Zero durations and counts take the uplink's defaults.
type Backend struct {
	// URL is the backend's base URL. Plain http is accepted only for a
	// loopback address (the demo); production uses https with mutual TLS.
	URL string `toml:"url"`
	// CACert signs the backend's certificate; ClientCert and ClientKey are
	// this kiosk's certificate (common name = kiosk id) and key, in PEM.
	CACert     string `toml:"ca_cert"`
	ClientCert string `toml:"client_cert"`
	ClientKey  string `toml:"client_key"`
	// Timeout bounds one request to the backend.
	Timeout Duration `toml:"timeout"`
	// RetryBase and RetryMax shape the jittered backoff between retries,
	// so a hall of kiosks coming back online does not retry in step
	// (defaults 200ms and 5s).
	RetryBase Duration `toml:"retry_base"`
	RetryMax  Duration `toml:"retry_max"`
	// SubmitWait is how long a visitor waits for the backend's ticket before
	// the kiosk prints an offline one (default 4s).
	SubmitWait Duration `toml:"submit_wait"`
	// SyncInterval is how often undelivered applications are retried
	// (default 5s).
	SyncInterval Duration `toml:"sync_interval"`
	// LendSize is how many of the branch's numbers the kiosk keeps lent for
	// offline tickets that look like any other (default 20; negative: none,
	// offline tickets then use OfflinePrefix).
	LendSize int `toml:"lend_size"`
	// Outbox is the file of undelivered applications; "" means
	// <state_dir>/outbox.db.
	Outbox string `toml:"outbox"`
	// OutboxKeyFile holds the AES-256 key for the outbox at rest: 64 hex
	// digits, readable by the kiosk user only.
	OutboxKeyFile string `toml:"outbox_key_file"`
	// OfflinePrefix starts the numbers of tickets issued while offline with
	// no lent number left; unique per kiosk in the branch, as in the
	// backend's registry.
	OfflinePrefix string `toml:"offline_prefix"`
}
