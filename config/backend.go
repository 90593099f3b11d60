package config

// Backend is the central backend and the kiosk's uplink to it.
type Backend struct {
	// URL is the backend's base URL. Plain http is accepted only for a
	// loopback address (the demo); production uses https with mutual TLS.
	URL        string   `toml:"url"`
	CACert     string   `toml:"ca_cert"`
	ClientCert string   `toml:"client_cert"`
	ClientKey  string   `toml:"client_key"`
	Timeout    Duration `toml:"timeout"`
	// OutboxKeyFile holds the AES-256 key for the outbox at rest.
	OutboxKeyFile string `toml:"outbox_key_file"`
	// OfflinePrefix starts the numbers of tickets issued while offline.
	OfflinePrefix string `toml:"offline_prefix"`
}
