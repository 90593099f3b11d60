package uplink

import (
	"fmt"
	"os"
	"strings"

	"github.com/hcsc-kz/kiosk/config"
)

// LoadToken reads the kiosk's bearer token (central token add --role kiosk)
// from a file that only the kiosk user may read, like the outbox key.
func LoadToken(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("uplink: token: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("uplink: token file %s is readable by others (%v); chmod 600 it and chown it to the kiosk user", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("uplink: token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" || strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
		return "", fmt.Errorf("uplink: token file %s must hold the token alone, on one line", path)
	}
	return tok, nil
}

// ClientFromConfig is the client part of the kiosk's configuration: the
// backend's URL and timeout, the TLS files and the token, read from their
// files.
func ClientFromConfig(b config.Backend) (ClientOptions, error) {
	o := ClientOptions{BaseURL: b.URL, Timeout: b.Timeout.D()}
	if b.ClientCert != "" || b.ClientKey != "" {
		tlsConf, err := TLSFromFiles(b.CACert, b.ClientCert, b.ClientKey)
		if err != nil {
			return ClientOptions{}, err
		}
		o.TLS = tlsConf
	}
	if b.TokenFile != "" {
		tok, err := LoadToken(b.TokenFile)
		if err != nil {
			return ClientOptions{}, err
		}
		o.Token = tok
	}
	return o, nil
}
