package uplink

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ReasonKeyFileReplaced starts the reason of the record a start leaves in
// the quarantine when it replaced an unusable key file ([RenewKey]):
// "key-file-replaced outbox.key.replaced-20261125T100000.000Z". The
// entries sealed under the old key are set aside as ReasonKeyReplaced.
const ReasonKeyFileReplaced = "key-file-replaced"

// ReplacedKey is a key file [RenewKey] moved aside.
type ReplacedKey struct {
	// Path is where the old file is now: <key>.replaced-<time>.
	Path string
	// Cause is why it was not used (damaged, unreadable, readable by
	// others): an ErrKey error.
	Cause error
}

// RenewKey readies the outbox key file for kiosk run, so that the key
// cannot stop the kiosk: a missing file is made with a fresh key (first
// boot), and a file that cannot be used (unreadable, not a key, or
// readable by others, so no longer a secret) is renamed
// <path>.replaced-<time> and a new key made in its place. Entries sealed
// under the old key are then set aside at Open (ReasonKeyReplaced), and
// delivered once the old file is put back (mode 0600) and the kiosk
// restarted. It returns the file moved aside, nil when none was. Errors:
// ErrKey when no key can be made at all (a read-only or full disk).
func RenewKey(path string, now time.Time) (*ReplacedKey, error) {
	_, cause := LoadKey(path, true)
	if cause == nil {
		return nil, nil
	}
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, cause // there was no file: making one failed
	}
	moved := path + ".replaced-" + now.UTC().Format("20060102T150405.000Z")
	if _, err := os.Lstat(moved); err == nil {
		return nil, fmt.Errorf("%w: %s exists already; not moving the key file over it (%w)", ErrKey, moved, cause)
	}
	if err := os.Rename(path, moved); err != nil {
		return nil, fmt.Errorf("%w: moving the unusable key file aside: %w (%w)", ErrKey, err, cause)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // the rename on disk before the new key is used
		d.Close()
	}
	if _, err := LoadKey(path, true); err != nil {
		return nil, err
	}
	return &ReplacedKey{Path: moved, Cause: cause}, nil
}

// recordKeyFileMoved leaves in the quarantine a record of the key file
// moved aside at this start (its base name), once, so that the heartbeat,
// the technician's page and kiosk doctor say so.
func (o *Outbox) recordKeyFileMoved(ctx context.Context, moved string, now time.Time) error {
	reason := ReasonKeyFileReplaced + " " + filepath.Base(moved)
	if _, err := o.db.ExecContext(ctx, `INSERT INTO quarantine (id, created, sealed, reason, at)
		SELECT ?, ?, x'', ?, ? WHERE NOT EXISTS (SELECT 1 FROM quarantine WHERE reason = ?)`,
		filepath.Base(moved), now.UnixNano(), reason, now.UnixNano(), reason); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	return nil
}
