package demo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
)

// BackendFile is where a running demo says where its backend is, for
// kiosk doctor run beside it: the backend listens on a port of its own
// choosing, which no configuration names. The file is a kiosk
// configuration with the [backend] table only (the URL and the kiosk's
// token file); the demo writes it at start and removes it when it stops.
func BackendFile(stateDir string) string { return filepath.Join(stateDir, "demo-backend.toml") }

// writeBackendFile writes BackendFile for the demo's backend and returns
// the function that removes it.
func writeBackendFile(stateDir, url, tokenFile string) (func() error, error) {
	if abs, err := filepath.Abs(tokenFile); err == nil {
		tokenFile = abs // the reader may run in another folder
	}
	var f struct {
		Backend struct {
			URL       string `toml:"url"`
			TokenFile string `toml:"token_file"`
		} `toml:"backend"`
	}
	f.Backend.URL, f.Backend.TokenFile = url, tokenFile
	data, err := toml.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("demo: backend file: %w", err)
	}
	path := BackendFile(stateDir)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, fmt.Errorf("demo: backend file: %w", err)
	}
	return func() error {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("demo: backend file: %w", err)
		}
		return nil
	}, nil
}
