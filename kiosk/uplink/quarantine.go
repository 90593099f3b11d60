package uplink

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"modernc.org/sqlite"
)

// Why an outbox row was set aside (Counts.QuarantinedBy).
const (
	// ReasonKeyReplaced: the row does not open with the key in force, and
	// the key check sealed at the last start does not either: the key
	// file was replaced. Putting the old key back and restarting delivers
	// these rows ([Outbox.Sweep]).
	ReasonKeyReplaced = "key-replaced"
	// ReasonCorrupt: the row does not open although the key is the one it
	// was sealed with (or the outbox is older than the key check): the
	// bytes were damaged.
	ReasonCorrupt = "corrupt"
	// ReasonBadJSON: the row opens but holds no application.
	ReasonBadJSON = "bad-json"
	// ReasonBadRow: a column the outbox keeps in the clear does not hold
	// what the outbox wrote (no id, text where a time belongs): a damaged
	// or hand-edited file that SQLite's own check passes.
	ReasonBadRow = "bad-row"
	// ReasonCorruptFile starts the reason of the whole outbox file moved
	// aside: "corrupt-file outbox.db.corrupt-20261125T100000.000Z".
	ReasonCorruptFile = "corrupt-file"
)

// ErrCorruptFile: the outbox file is not a SQLite database, or one damaged
// past reading. [Open] moves it aside and starts a new one.
var ErrCorruptFile = errors.New("uplink: outbox file is damaged (kiosk run moves it aside and makes a new one)")

// UnreadableError is an outbox row that does not open. Pending and Get move
// such rows to the quarantine.
type UnreadableError struct {
	ID     string // "" when the id itself is damaged
	Reason string // ReasonKeyReplaced, ReasonCorrupt, ReasonBadJSON, ReasonBadRow
	rowid  int64  // the row's rowid, which the quarantine moves by
}

// Error names the entry masked and the reason.
func (e *UnreadableError) Error() string {
	return fmt.Sprintf("uplink: outbox entry %s does not open (%s)", api.MaskID(e.ID), e.Reason)
}

// The quarantine holds what the outbox could not read: the sealed bytes as
// they were (never opened, never in the clear), the offline number, and
// why and when. meta holds the key check.
const (
	quarantineTable = `CREATE TABLE IF NOT EXISTS quarantine (
		id TEXT NOT NULL, created BIGINT NOT NULL, sealed BLOB NOT NULL,
		off_number TEXT NOT NULL DEFAULT '', off_source TEXT NOT NULL DEFAULT '', off_at BIGINT NOT NULL DEFAULT 0,
		rejected TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL, at BIGINT NOT NULL)`
	metaTable = `CREATE TABLE IF NOT EXISTS meta (name TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL)`
)

// keyCheck is sealed under the outbox key at every start; a start whose key
// does not open it knows the key was replaced.
const keyCheck = "key-check"

// corruptFile marks SQLite's "corrupt" and "not a database" results as
// ErrCorruptFile. Other failures (busy, I/O, disk full) are not the file's
// fault and must not move it aside.
func corruptFile(err error) error {
	const sqliteCorrupt, sqliteNotADB = 11, 26
	var se *sqlite.Error
	if errors.As(err, &se) {
		if c := se.Code() & 0xff; c == sqliteCorrupt || c == sqliteNotADB {
			return fmt.Errorf("%w: %w", ErrCorruptFile, err)
		}
	}
	return err
}

// checkFile runs SQLite's quick check (the outbox is small: this is quick)
// and reads the key check.
func (o *Outbox) checkFile(ctx context.Context) error {
	var res string
	if err := o.db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil {
		return corruptFile(err)
	}
	if res != "ok" {
		return fmt.Errorf("%w: quick_check: %s", ErrCorruptFile, res)
	}
	var sealed []byte
	err := o.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = ?`, keyCheck).Scan(&sealed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil // a new outbox, or one from before the key check
	case err != nil:
		return corruptFile(err)
	}
	n := o.aead.NonceSize()
	if len(sealed) < n {
		o.keyReplaced.Store(true)
		return nil
	}
	if _, err := o.aead.Open(nil, sealed[:n], sealed[n:], []byte(keyCheck)); err != nil {
		o.keyReplaced.Store(true)
		return nil
	}
	o.keyChecked = true
	return nil
}

// quarantine moves one row out of the outbox, by its rowid, with its
// columns as they are (sealed bytes never opened); a NULL, which the
// quarantine does not take, becomes the column's empty value.
func (o *Outbox) quarantine(ctx context.Context, rowid int64, reason string) error {
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("uplink: outbox quarantine: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO quarantine (id, created, sealed, off_number, off_source, off_at, rejected, reason, at)
		SELECT COALESCE(id, ''), COALESCE(created, 0), COALESCE(sealed, x''), COALESCE(off_number, ''), COALESCE(off_source, ''),
			COALESCE(off_at, 0), COALESCE(rejected, ''), ?, ? FROM outbox WHERE rowid = ?`,
		reason, o.now().UnixNano(), rowid); err != nil {
		return fmt.Errorf("uplink: outbox quarantine: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE rowid = ?`, rowid); err != nil {
		return fmt.Errorf("uplink: outbox quarantine: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("uplink: outbox quarantine: %w", err)
	}
	return nil
}

// Swept is what [Outbox.Sweep] did.
type Swept struct {
	// Quarantined rows did not open; Restored ones, set aside earlier,
	// open again (the old key is back) and wait for delivery.
	Quarantined, Restored int
	// KeyReplaced: the key in force is not the one of the last start.
	KeyReplaced bool
	// Waiting is how many entries wait for delivery; Unprinted lists
	// those to be sent (waiting, or refused for the kiosk's sake) without
	// an offline number: the kiosk stopped before it printed them.
	Waiting   int
	Unprinted []string
}

// Sweep readies the outbox for a kiosk's start, so that nothing in it can
// stop the start: quarantined rows that open with the key in force go back
// to the outbox, every row that does not open is moved to the quarantine,
// refusals recorded before refusals were kept are put in today's form, and
// the key check is sealed under the key in force. A row is set aside by
// its rowid, so one whose id is damaged goes too. Only errors of the file
// itself are returned. It is for a start ([Open] calls it), before the
// outbox is shared.
func (o *Outbox) Sweep(ctx context.Context) (Swept, error) {
	sw := Swept{KeyReplaced: o.keyReplaced.Load()}
	var err error
	if sw.Restored, err = o.restore(ctx); err != nil {
		return sw, err
	}
	if err := o.settleLegacy(ctx); err != nil {
		return sw, err
	}
	n, err := o.each(ctx, func(e Entry) {
		if e.Rejected == "" {
			sw.Waiting++
		}
		// An entry refused for the kiosk's sake is sent again, and when it
		// was never printed it must arrive reported so.
		if e.Offline == nil && (e.Rejected == "" || Retryable(e.Rejected)) {
			sw.Unprinted = append(sw.Unprinted, e.App.ID)
		}
	}, `SELECT `+entryCols+` FROM outbox`)
	if err != nil {
		return sw, err
	}
	sw.Quarantined = n
	if o.keyChecked {
		return sw, nil
	}
	nonce := make([]byte, o.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return sw, fmt.Errorf("uplink: outbox: %w", err)
	}
	sealed := o.aead.Seal(nonce, nonce, []byte(keyCheck), []byte(keyCheck))
	if _, err := o.db.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
		keyCheck, sealed); err != nil {
		return sw, fmt.Errorf("uplink: outbox: %w", err)
	}
	o.keyReplaced.Store(false)
	o.keyChecked = true
	return sw, nil
}

// restore moves quarantined rows that open with the key in force back to
// the outbox. An id already back in the outbox keeps the outbox's row.
func (o *Outbox) restore(ctx context.Context) (int, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT rowid, id, sealed FROM quarantine WHERE reason IN (?, ?)`, ReasonKeyReplaced, ReasonCorrupt)
	if err != nil {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	var back []int64
	for rows.Next() {
		var rowid int64
		var id string
		var sealed []byte
		if err := rows.Scan(&rowid, &id, &sealed); err != nil {
			rows.Close()
			return 0, fmt.Errorf("uplink: outbox: %w", err)
		}
		if _, err := o.open(id, sealed); err == nil {
			back = append(back, rowid)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	for _, rowid := range back {
		if err := o.unquarantine(ctx, rowid); err != nil {
			return 0, err
		}
	}
	return len(back), nil
}

func (o *Outbox) unquarantine(ctx context.Context, rowid int64) error {
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, created, sealed, off_number, off_source, off_at, rejected)
		SELECT id, created, sealed, off_number, off_source, off_at, rejected FROM quarantine WHERE rowid = ?
		ON CONFLICT (id) DO NOTHING`, rowid); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM quarantine WHERE rowid = ?`, rowid); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	return nil
}

// openOrMoveAside opens the outbox at path; a file that is not a sound
// database is renamed to <path>.corrupt-<time> (with its -wal and -shm),
// a new outbox is made in its place, and the move is recorded in its
// quarantine so that the technician and the heartbeat see it. The old file
// is kept as it was for whoever can recover it.
func openOrMoveAside(ctx context.Context, path string, key []byte, now time.Time) (out *Outbox, moved string, err error) {
	out, err = OpenOutbox(ctx, path, key)
	if !errors.Is(err, ErrCorruptFile) {
		return out, "", err
	}
	cause := err
	moved = path + ".corrupt-" + now.UTC().Format("20060102T150405.000Z")
	if _, err := os.Lstat(moved); err == nil {
		return nil, "", fmt.Errorf("uplink: outbox: %s exists already; not moving the damaged outbox over it: %w", moved, cause)
	}
	// The journal first: a new outbox must never meet the old one's WAL.
	for _, suffix := range []string{"-wal", "-shm", ""} {
		if err := os.Rename(path+suffix, moved+suffix); err != nil && !(suffix != "" && errors.Is(err, fs.ErrNotExist)) {
			return nil, "", fmt.Errorf("uplink: outbox: moving the damaged file aside: %w (%w)", err, cause)
		}
	}
	out, err = OpenOutbox(ctx, path, key)
	if err != nil {
		return nil, "", err
	}
	name := filepath.Base(moved)
	if _, err := out.db.ExecContext(ctx, `INSERT INTO quarantine (id, created, sealed, reason, at) VALUES (?, ?, x'', ?, ?)`,
		name, now.UnixNano(), ReasonCorruptFile+" "+name, now.UnixNano()); err != nil {
		out.Close()
		return nil, "", fmt.Errorf("uplink: outbox: %w", err)
	}
	return out, moved, nil
}

// openOutbox opens the outbox for Open: moved aside when damaged, then
// swept, so that the kiosk starts whatever the file holds.
func (u *Uplink) openOutbox(ctx context.Context) (*Outbox, error) {
	out, moved, err := openOrMoveAside(ctx, u.o.OutboxPath, u.o.OutboxKey, u.now())
	if err != nil {
		return nil, err
	}
	if moved != "" {
		u.log.Error("outbox file damaged: moved aside, new outbox made; its tickets are not delivered", "moved", moved)
	}
	if u.o.KeyFileMoved != "" {
		if err := out.recordKeyFileMoved(ctx, u.o.KeyFileMoved, u.now()); err != nil {
			out.Close()
			return nil, err
		}
	}
	out.now = u.now
	sw, err := out.Sweep(ctx)
	if err != nil {
		out.Close()
		return nil, err
	}
	if sw.KeyReplaced {
		u.log.Error("outbox key differs from the last start's: entries sealed under the old key are quarantined; put the old key back to deliver them")
	}
	if sw.Quarantined > 0 || sw.Restored > 0 {
		u.log.Error("outbox entries set aside", "quarantined", sw.Quarantined, "restored", sw.Restored)
	}
	for _, id := range sw.Unprinted {
		u.orphans[id] = true
	}
	if sw.Waiting > 0 {
		u.log.Info("outbox has undelivered applications", "count", sw.Waiting, "unprinted", len(sw.Unprinted))
	}
	return out, nil
}
