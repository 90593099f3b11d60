// Package statefile writes the small files the kiosk keeps in its state
// folder (the technician lock, the offline number counter) so that a power
// cut leaves either the old file or the new one, never half of one.
package statefile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write replaces the file at path with data, readable by the kiosk user
// only (0600): it writes a temporary file in the same folder, syncs it,
// renames it over path and syncs the folder, so that the rename itself
// survives a power cut. The folder is made (0700) when missing.
func Write(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// CreateTemp makes the file 0600 already; say so for whoever reads
	// this, and in case an ACL did otherwise.
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	return nil
}
