package uplink

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hcsc-kz/kiosk/config"
)

// ErrToken: the token file is missing, unreadable, readable by others or
// does not hold a token. kiosk run starts without a token then (the
// backend refuses the kiosk with 401 and tickets print offline), and kiosk
// doctor fails the backend check with the reason.
var ErrToken = errors.New("uplink: token file")

// LoadToken reads the kiosk's bearer token (central token add --role kiosk)
// from a file that only the kiosk user may read, like the outbox key.
// Errors: ErrToken.
func LoadToken(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrToken, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%w %s is readable by others (%v); chmod 600 it and chown it to the kiosk user", ErrToken, path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrToken, err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" || strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
		return "", fmt.Errorf("%w %s must hold the token alone, on one line", ErrToken, path)
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
