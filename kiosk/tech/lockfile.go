package tech

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/statefile"
)

// lockState is what the lock file holds. It says nothing about the PIN.
type lockState struct {
	// Wrong is the count of wrong tries since the last lockout or right
	// PIN, the one being checked included.
	Wrong int `json:"wrong"`
	// Lockouts is how many lockouts there were since the last right PIN:
	// the next one lasts LockoutFor(Lockouts+1).
	Lockouts int `json:"lockouts"`
	// Until is the end of the current lockout; zero: none.
	Until time.Time `json:"until,omitzero"`
}

// maxLockouts bounds the escalation count a file may hold: past
// LockoutFor's cap every lockout is the same, and a larger number is not
// a count the kiosk wrote.
const maxLockouts = 1 << 20

// lockedOut is st after one more lockout, starting at now.
func (st lockState) lockedOut(now time.Time) lockState {
	n := min(st.Lockouts+1, maxLockouts)
	return lockState{Lockouts: n, Until: now.Add(LockoutFor(n))}
}

// loadLockState reads the lock file. A missing file is the zero state; a
// file that cannot be read, does not parse or holds counts the kiosk never
// writes is an error.
func loadLockState(path string) (lockState, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return lockState{}, nil
	}
	if err != nil {
		return lockState{}, fmt.Errorf("tech: lock file: %w", err)
	}
	var st lockState
	if err := json.Unmarshal(b, &st); err != nil {
		return lockState{}, fmt.Errorf("tech: lock file %s: %w", path, err)
	}
	if st.Wrong < 0 || st.Wrong > MaxTries || st.Lockouts < 0 || st.Lockouts > maxLockouts {
		return lockState{}, fmt.Errorf("tech: lock file %s: counts %d wrong, %d lockouts are out of range", path, st.Wrong, st.Lockouts)
	}
	return st, nil
}

// save writes st to path so that a power cut leaves either the old file or
// the new one, never a torn one: a temporary file beside it, synced, then
// renamed over it, then the folder synced so that the rename itself
// survives. The file is the kiosk user's alone (0600).
func (st lockState) save(path string) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("tech: lock file: %w", err)
	}
	if err := statefile.Write(path, b); err != nil {
		return fmt.Errorf("tech: lock file: %w", err)
	}
	return nil
}
