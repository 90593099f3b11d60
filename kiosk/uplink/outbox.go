package uplink

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Outbox is the kiosk's durable queue of applications not yet acknowledged
// by the backend: one SQLite file, synced to disk on every commit, each
// application sealed with AES-256-GCM. It also keeps the offline numbering:
// the lent blocks and the kiosk's own range counter, committed together with
// the ticket that uses a number so that no number is printed twice; the
// counter is kept in a file beside the outbox too (<path>.counter), so that
// a new outbox in its place goes on with the day's numbers.
type Outbox struct {
	db   *sql.DB
	aead cipher.AEAD
	now  func() time.Time
	// mark is the file beside the outbox that keeps the kiosk's own range
	// when the outbox is replaced (counter.go).
	mark string
	// keyReplaced: the key check sealed at the last start does not open
	// with this key, so rows that do not open are the old key's.
	keyReplaced atomic.Bool
	// keyChecked: the key check opens with this key (set before the outbox
	// is shared, by OpenOutbox and Sweep).
	keyChecked bool
}

// Entry is one queued application.
type Entry struct {
	App api.Application
	// Offline is the ticket printed without the backend, nil until then.
	Offline *api.OfflineTicket
	// Created is when it was committed.
	Created time.Time
	// Rejected is the backend's refusal ("409 number-taken"), "" while
	// the entry waits for delivery.
	Rejected string
}

// ErrKey: the outbox key file is missing, malformed or readable by others.
var ErrKey = errors.New("uplink: outbox key")

// LoadKey reads the outbox's AES-256 key: 64 hex digits or 32 raw bytes, in
// a file only the kiosk user may read (mode 0600 or 0400). With create set, a
// missing file is made with a fresh random key (first boot).
func LoadKey(path string, create bool) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		_, werr := f.WriteString(hex.EncodeToString(key) + "\n")
		if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s is readable by others (%v); chmod 600 it and chown it to the kiosk user", ErrKey, path, st.Mode().Perm())
	}
	if len(b) == 32 {
		return b, nil
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%w: %s must hold 64 hex digits or 32 bytes", ErrKey, path)
	}
	return key, nil
}

// OpenOutbox opens (creating when missing) the outbox at path. It only
// reads: rows that do not open are set aside when Pending or Get meet them,
// and all at once by [Outbox.Sweep]. Errors: ErrKey, and ErrCorruptFile
// when the file is not a sound SQLite database ([Open] moves it aside).
func OpenOutbox(ctx context.Context, path string, key []byte) (*Outbox, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("%w: %d bytes, want 32", ErrKey, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")   // durable at commit: before the ticket prints
	q.Add("_pragma", "secure_delete(ON)")   // acknowledged entries are overwritten, not just unlinked
	q.Add("_pragma", "busy_timeout(10000)") // a second process (a technician tool) may read
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	db.SetMaxOpenConns(1)
	for _, s := range []string{
		`CREATE TABLE IF NOT EXISTS outbox (
			id TEXT NOT NULL PRIMARY KEY, created BIGINT NOT NULL, sealed BLOB NOT NULL,
			off_number TEXT NOT NULL DEFAULT '', off_source TEXT NOT NULL DEFAULT '', off_at BIGINT NOT NULL DEFAULT 0,
			rejected TEXT NOT NULL DEFAULT '')`,
		`CREATE TABLE IF NOT EXISTS lent (number TEXT NOT NULL PRIMARY KEY, day TEXT NOT NULL, service TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0)`,
		`CREATE TABLE IF NOT EXISTS counters (day TEXT NOT NULL PRIMARY KEY, next INTEGER NOT NULL)`,
		// meta: the key check (quarantine.go) and what the backend told the
		// kiosk (Numbering); offline_clock: the clock each offline ticket
		// was printed with (api.Clock, JSON).
		quarantineTable, metaTable,
		`CREATE TABLE IF NOT EXISTS offline_clock (id TEXT NOT NULL PRIMARY KEY, clock TEXT NOT NULL)`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, fmt.Errorf("uplink: outbox %s: %w", filepath.Base(path), corruptFile(err))
		}
	}
	// The file holds sealed data only, but keep it to the kiosk user.
	os.Chmod(path, 0o600)
	o := &Outbox{db: db, aead: aead, now: time.Now, mark: markFile(path)}
	if err := o.checkFile(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("uplink: outbox %s: %w", filepath.Base(path), err)
	}
	return o, nil
}

// Close closes the file.
func (o *Outbox) Close() error { return o.db.Close() }

func (o *Outbox) seal(a api.Application) ([]byte, error) {
	a.Offline = nil
	plain, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	out := make([]byte, o.aead.NonceSize(), o.aead.NonceSize()+len(plain)+o.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	return o.aead.Seal(out, out, plain, []byte(a.ID)), nil
}

// open unseals an entry. Errors: *UnreadableError.
func (o *Outbox) open(id string, sealed []byte) (api.Application, error) {
	var a api.Application
	n := o.aead.NonceSize()
	var plain []byte
	err := errors.New("truncated")
	if len(sealed) >= n {
		plain, err = o.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	}
	if err != nil {
		reason := ReasonCorrupt
		if o.keyReplaced.Load() {
			reason = ReasonKeyReplaced
		}
		return a, &UnreadableError{ID: id, Reason: reason}
	}
	// The JSON error is not kept: it may quote what it could not parse.
	if err := json.Unmarshal(plain, &a); err != nil {
		return a, &UnreadableError{ID: id, Reason: ReasonBadJSON}
	}
	return a, nil
}

// Put commits an application; when Put returns, it is on disk. Putting an
// id again keeps the first.
func (o *Outbox) Put(ctx context.Context, a api.Application, now time.Time) error {
	sealed, err := o.seal(a)
	if err != nil {
		return err
	}
	if _, err := o.db.ExecContext(ctx, `INSERT INTO outbox (id, created, sealed) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		a.ID, now.UnixNano(), sealed); err != nil {
		return fmt.Errorf("uplink: outbox put: %w", err)
	}
	return nil
}

// Delete wipes an acknowledged entry.
func (o *Outbox) Delete(ctx context.Context, id string) error {
	if _, err := o.db.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
		return fmt.Errorf("uplink: outbox delete: %w", err)
	}
	return nil
}

// Reject marks an entry refused by the backend (reason: the status and the
// server's code, "409 number-taken", never its message). It stays, sealed
// and counted (Counts), and is no longer sent, except that refusals of the
// kiosk's identity are retried (see Uplink.Sync).
func (o *Outbox) Reject(ctx context.Context, id, reason string) error {
	if _, err := o.db.ExecContext(ctx, `UPDATE outbox SET rejected = ? WHERE id = ?`, reason, id); err != nil {
		return fmt.Errorf("uplink: outbox reject: %w", err)
	}
	return nil
}

// Pending returns the entries still to deliver, oldest first, at most limit.
// An entry that does not open is moved to the quarantine and left out.
func (o *Outbox) Pending(ctx context.Context, limit int) ([]Entry, error) {
	var out []Entry
	if _, err := o.each(ctx, func(e Entry) { out = append(out, e) },
		`SELECT `+entryCols+` FROM outbox WHERE rejected = '' ORDER BY created, id LIMIT ?`, limit); err != nil {
		return nil, err
	}
	return out, nil
}

// each runs query (over entryCols) and gives fn every entry that opens.
// Rows that do not open, or whose plain columns do not scan, are moved to
// the quarantine once the query is done, since the outbox's one connection
// is busy until then; each returns how many were.
func (o *Outbox) each(ctx context.Context, fn func(Entry), query string, args ...any) (int, error) {
	rows, err := o.db.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	var bad []*UnreadableError
	for rows.Next() {
		e, err := o.scan(rows)
		var ue *UnreadableError
		switch {
		case errors.As(err, &ue):
			bad = append(bad, ue)
		case err != nil:
			rows.Close()
			return 0, err
		default:
			fn(e)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	for _, ue := range bad {
		if err := o.quarantine(ctx, ue.rowid, ue.Reason); err != nil {
			return 0, err
		}
	}
	return len(bad), nil
}

// Get returns one entry as it is now, rejected or not. Errors:
// fs.ErrNotExist when there is no such entry (delivered, or never
// committed); *UnreadableError when it does not open, in which case it has
// been moved to the quarantine.
func (o *Outbox) Get(ctx context.Context, id string) (Entry, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT `+entryCols+` FROM outbox WHERE id = ?`, id)
	if err != nil {
		return Entry{}, fmt.Errorf("uplink: outbox: %w", err)
	}
	if !rows.Next() {
		err := rows.Err()
		rows.Close()
		if err != nil {
			return Entry{}, fmt.Errorf("uplink: outbox: %w", err)
		}
		return Entry{}, fmt.Errorf("uplink: outbox entry %s: %w", api.MaskID(id), fs.ErrNotExist)
	}
	e, err := o.scan(rows)
	rows.Close()
	var ue *UnreadableError
	if errors.As(err, &ue) {
		if qerr := o.quarantine(ctx, ue.rowid, ue.Reason); qerr != nil {
			return Entry{}, errors.Join(err, qerr)
		}
	}
	return e, err
}

// entryCols are an entry's columns, the rowid first: a row whose id is
// damaged is still quarantined by its rowid.
const entryCols = `rowid, id, created, sealed, off_number, off_source, off_at, rejected`

// scan reads a row of entryCols. The plain columns are read as they are
// and checked here rather than by Scan, which would fail the whole query
// on one damaged row. Errors: *UnreadableError (ReasonBadRow when a plain
// column is not what the outbox wrote).
func (o *Outbox) scan(rows *sql.Rows) (Entry, error) {
	var rowid int64
	var v [7]any
	if err := rows.Scan(&rowid, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]); err != nil {
		return Entry{}, fmt.Errorf("uplink: outbox: %w", err)
	}
	id, ok1 := v[0].(string)
	created, ok2 := v[1].(int64)
	sealed, ok3 := v[2].([]byte)
	num, ok4 := v[3].(string)
	src, ok5 := v[4].(string)
	at, ok6 := v[5].(int64)
	rejected, ok7 := v[6].(string)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || id == "" {
		return Entry{}, &UnreadableError{ID: id, Reason: ReasonBadRow, rowid: rowid}
	}
	a, err := o.open(id, sealed)
	var ue *UnreadableError
	if errors.As(err, &ue) {
		ue.rowid = rowid
	}
	if err != nil {
		return Entry{}, err
	}
	e := Entry{App: a, Created: time.Unix(0, created), Rejected: rejected}
	if num != "" {
		e.Offline = &api.OfflineTicket{Number: num, Source: api.OfflineSource(src), IssuedAt: time.Unix(0, at)}
		e.App.Offline = e.Offline
	}
	return e, nil
}

// Depth is the number of entries waiting for delivery.
func (o *Outbox) Depth(ctx context.Context) (int, error) {
	var n int
	if err := o.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE rejected = ''`).Scan(&n); err != nil {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	return n, nil
}

// AddLent stores numbers the backend lent; numbers already known are kept.
func (o *Outbox) AddLent(ctx context.Context, b api.Block) error {
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	defer tx.Rollback()
	for _, n := range b.Numbers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lent (number, day, service) VALUES (?, ?, ?) ON CONFLICT (number) DO NOTHING`, n, b.Day, b.Service); err != nil {
			return fmt.Errorf("uplink: outbox: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM lent WHERE day < ?`, b.Day); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	return nil
}

// LentLeft is how many lent numbers of day are unused.
func (o *Outbox) LentLeft(ctx context.Context, day, service string) (int, error) {
	var n int
	err := o.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM lent WHERE day = ? AND service = ? AND used = 0`, day, service).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	return n, nil
}

// TakeOffline gives entry id an offline number and commits both at once,
// with clock, the kiosk's offset from the backend at now (nil: unknown): a
// lent number of the day for an ordinary ticket when one is left, else the
// next of the kiosk's own range, written as the backend said (Numbering).
// An entry that has a number already keeps it. Errors: ErrNoOfflinePrefix
// when a number of its own range is needed and the backend never said how.
func (o *Outbox) TakeOffline(ctx context.Context, id, day, service string, lane api.Lane, now time.Time, clock *api.Clock) (api.OfflineTicket, error) {
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return api.OfflineTicket{}, fmt.Errorf("uplink: outbox: %w", err)
	}
	defer tx.Rollback()
	var num, src string
	var at int64
	err = tx.QueryRowContext(ctx, `SELECT off_number, off_source, off_at FROM outbox WHERE id = ?`, id).Scan(&num, &src, &at)
	if err != nil {
		return api.OfflineTicket{}, fmt.Errorf("uplink: outbox entry %s: %w", api.MaskID(id), err)
	}
	if num != "" {
		return api.OfflineTicket{Number: num, Source: api.OfflineSource(src), IssuedAt: time.Unix(0, at)}, nil
	}
	t := api.OfflineTicket{IssuedAt: now, Clock: clock}
	if lane == api.LaneOrdinary {
		err := tx.QueryRowContext(ctx, `SELECT number FROM lent WHERE day = ? AND service = ? AND used = 0 ORDER BY LENGTH(number), number LIMIT 1`, day, service).Scan(&t.Number)
		switch {
		case err == nil:
			t.Source = api.OfflineLent
			if _, err := tx.ExecContext(ctx, `UPDATE lent SET used = 1 WHERE number = ?`, t.Number); err != nil {
				return api.OfflineTicket{}, fmt.Errorf("uplink: outbox: %w", err)
			}
		case !errors.Is(err, sql.ErrNoRows):
			return api.OfflineTicket{}, fmt.Errorf("uplink: outbox: %w", err)
		}
	}
	if t.Number == "" {
		n, err := numbering(ctx, tx)
		if err != nil {
			return api.OfflineTicket{}, err
		}
		if n.Prefix == "" {
			return api.OfflineTicket{}, ErrNoOfflinePrefix
		}
		seq, err := o.nextOwn(ctx, tx, day)
		if err != nil {
			return api.OfflineTicket{}, err
		}
		t.Number, t.Source = n.Format(seq), api.OfflineKiosk
	}
	if clock != nil {
		b, _ := json.Marshal(clock)
		if _, err := tx.ExecContext(ctx, `INSERT INTO offline_clock (id, clock) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET clock = excluded.clock`, id, string(b)); err != nil {
			return api.OfflineTicket{}, fmt.Errorf("uplink: outbox: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET off_number = ?, off_source = ?, off_at = ? WHERE id = ?`,
		t.Number, string(t.Source), now.UnixNano(), id); err != nil {
		return api.OfflineTicket{}, fmt.Errorf("uplink: outbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return api.OfflineTicket{}, fmt.Errorf("uplink: outbox: %w", err)
	}
	return t, nil
}
