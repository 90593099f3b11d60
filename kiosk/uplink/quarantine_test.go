package uplink_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// outboxSQL runs statements on an outbox file as a disk fault or a stray
// tool would, beside the kiosk.
func outboxSQL(t *testing.T, path, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// spoilRow rewrites one row's sealed bytes.
func spoilRow(t *testing.T, path, id string, spoil func([]byte) []byte) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sealed []byte
	if err := db.QueryRow(`SELECT sealed FROM outbox WHERE id = ?`, id).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE outbox SET sealed = ? WHERE id = ?`, spoil(sealed), id); err != nil {
		t.Fatal(err)
	}
}

// sealRaw seals plain as the outbox does (nonce, then AES-256-GCM with the
// id as additional data), for a row that opens but holds no application.
func sealRaw(t *testing.T, key []byte, id string, plain []byte) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, aead.NonceSize())
	rand.Read(out)
	return aead.Seal(out, out, plain, []byte(id))
}

func counts(t *testing.T, u *uplink.Uplink) uplink.Counts {
	t.Helper()
	c, err := u.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// offlineTickets submits n applications while the backend is down and
// closes the uplink: the outbox holds n printed tickets, oldest first.
func offlineTickets(t *testing.T, o uplink.Options, n int) []uplink.Receipt {
	t.Helper()
	o.SubmitWait = 20 * time.Millisecond // nobody answers: no need to wait long
	uplinktest.Learn(t, o)
	u, err := uplink.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	var out []uplink.Receipt
	for range n {
		r, err := u.Submit(context.Background(), application())
		if err != nil || !r.Offline {
			t.Fatalf("Submit while down = %+v, %v; want an offline ticket", r, err)
		}
		out = append(out, r)
	}
	return out
}

// legacySchema gives the outbox at path the table of earlier versions,
// whose id could be NULL.
func legacySchema(t *testing.T, path string) {
	t.Helper()
	for _, q := range []string{
		`ALTER TABLE outbox RENAME TO outbox_new`,
		`CREATE TABLE outbox (
			id TEXT PRIMARY KEY, created BIGINT NOT NULL, sealed BLOB NOT NULL,
			off_number TEXT NOT NULL DEFAULT '', off_source TEXT NOT NULL DEFAULT '', off_at BIGINT NOT NULL DEFAULT 0,
			rejected TEXT NOT NULL DEFAULT '')`,
		`INSERT INTO outbox SELECT * FROM outbox_new`,
		`DROP TABLE outbox_new`,
	} {
		outboxSQL(t, path, q)
	}
}

// TestOpenQuarantines: one unreadable row, or a replaced key, must not stop
// the kiosk. Open succeeds, the rows that open are delivered to the real
// backend, the others are set aside with their cause and counted.
func TestOpenQuarantines(t *testing.T) {
	tests := map[string]struct {
		// spoil damages the outbox of five offline tickets; it may return
		// another key for the kiosk to start with.
		spoil     func(t *testing.T, o uplink.Options, ids []string) []byte
		bad       []int // which of the five are unreadable
		reason    string
		delivered []string
	}{
		"flipped bit": {spoil: func(t *testing.T, o uplink.Options, ids []string) []byte {
			spoilRow(t, o.OutboxPath, ids[1], func(b []byte) []byte { b[20] ^= 0x01; return b })
			return nil
		}, bad: []int{1}, reason: uplink.ReasonCorrupt, delivered: []string{"K001", "K003", "K004", "K005"}},
		"truncated": {spoil: func(t *testing.T, o uplink.Options, ids []string) []byte {
			spoilRow(t, o.OutboxPath, ids[2], func(b []byte) []byte { return b[:5] })
			return nil
		}, bad: []int{2}, reason: uplink.ReasonCorrupt, delivered: []string{"K001", "K002", "K004", "K005"}},
		"not an application": {spoil: func(t *testing.T, o uplink.Options, ids []string) []byte {
			outboxSQL(t, o.OutboxPath, `UPDATE outbox SET sealed = ? WHERE id = ?`, sealRaw(t, o.OutboxKey, ids[3], []byte("{not json")), ids[3])
			return nil
		}, bad: []int{3}, reason: uplink.ReasonBadJSON, delivered: []string{"K001", "K002", "K003", "K005"}},
		"text in a number column": {spoil: func(t *testing.T, o uplink.Options, ids []string) []byte {
			outboxSQL(t, o.OutboxPath, `UPDATE outbox SET off_at = 'x1' WHERE id = ?`, ids[1])
			return nil
		}, bad: []int{1}, reason: uplink.ReasonBadRow, delivered: []string{"K001", "K003", "K004", "K005"}},
		"no id": {spoil: func(t *testing.T, o uplink.Options, ids []string) []byte {
			legacySchema(t, o.OutboxPath)
			outboxSQL(t, o.OutboxPath, `UPDATE outbox SET id = NULL WHERE id = ?`, ids[0])
			return nil
		}, bad: []int{0}, reason: uplink.ReasonBadRow, delivered: []string{"K002", "K003", "K004", "K005"}},
		"no id, refused long ago": {spoil: func(t *testing.T, o uplink.Options, ids []string) []byte {
			legacySchema(t, o.OutboxPath)
			outboxSQL(t, o.OutboxPath, `UPDATE outbox SET id = NULL, rejected = 'uplink: backend rejected the request: 409 number-taken: taken' WHERE id = ?`, ids[4])
			return nil
		}, bad: []int{4}, reason: uplink.ReasonBadRow, delivered: []string{"K001", "K002", "K003", "K004"}},
		"replaced key": {spoil: func(t *testing.T, o uplink.Options, ids []string) []byte {
			return bytes.Repeat([]byte{7}, 32)
		}, bad: []int{0, 1, 2, 3, 4}, reason: uplink.ReasonKeyReplaced},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b := newBackend(t)
			o := b.options(t)
			got := offlineTickets(t, o, 5)
			var ids []string
			for _, r := range got {
				ids = append(ids, r.Ticket.ApplicationID)
			}
			if key := tc.spoil(t, o, ids); key != nil {
				o.OutboxKey = key
			}
			b.start()
			u, err := uplink.Open(context.Background(), o)
			if err != nil {
				t.Fatalf("uplink.Open with %s = %v; the kiosk must start", name, err)
			}
			defer u.Close()
			if c := counts(t, u); c.Pending != 5-len(tc.bad) || c.Quarantined != len(tc.bad) || c.QuarantinedBy[tc.reason] != len(tc.bad) {
				t.Errorf("counts at start = %+v, want %d pending, %d quarantined (%s)", c, 5-len(tc.bad), len(tc.bad), tc.reason)
			}
			if n, err := u.Sync(context.Background()); n != len(tc.delivered) || err != nil {
				t.Fatalf("Sync = %d, %v; want %d, nil", n, err, len(tc.delivered))
			}
			var delivered []string
			for i, r := range got {
				st, s := b.status(r.Ticket.ApplicationID)
				if st == 200 {
					delivered = append(delivered, s.Ticket.Number)
				}
				for _, j := range tc.bad {
					if i == j && st != 404 {
						t.Errorf("unreadable entry %d reached the backend: %d %+v", i, st, s.Ticket)
					}
				}
			}
			if join(delivered) != join(tc.delivered) {
				t.Errorf("the backend has %v, want %v", delivered, tc.delivered)
			}
			// The kiosk keeps serving: a new application, sealed under the
			// key in force, goes through.
			if r, err := u.Submit(context.Background(), application()); err != nil || r.Offline {
				t.Errorf("Submit after the quarantine = %+v, %v; want an online ticket", r, err)
			}
			if c := counts(t, u); c.Pending != 0 || c.Rejected != 0 || c.Quarantined != len(tc.bad) {
				t.Errorf("counts after sync = %+v, want 0 pending, %d quarantined", c, len(tc.bad))
			}
		})
	}
}

// TestSyncQuarantines: a row spoiled while the kiosk runs is set aside by
// the next Sync, and the rest are still delivered.
func TestSyncQuarantines(t *testing.T) {
	b := newBackend(t)
	o := b.options(t)
	got := offlineTickets(t, o, 3)
	u := open(t, o)
	outboxSQL(t, o.OutboxPath, `UPDATE outbox SET sealed = x'00' WHERE id = ?`, got[0].Ticket.ApplicationID)
	b.start()
	if n, err := u.Sync(context.Background()); n != 2 || err != nil {
		t.Fatalf("Sync over a spoiled row = %d, %v; want 2, nil", n, err)
	}
	if c := counts(t, u); c.Pending != 0 || c.Quarantined != 1 || c.QuarantinedBy[uplink.ReasonCorrupt] != 1 {
		t.Errorf("counts = %+v, want 1 quarantined (corrupt)", c)
	}
}

// TestReplacedKeyRestored: the quarantine keeps the sealed bytes, so a
// kiosk whose old key is put back delivers what was set aside.
func TestReplacedKeyRestored(t *testing.T) {
	b := newBackend(t)
	o := b.options(t)
	got := offlineTickets(t, o, 2)
	oldKey := o.OutboxKey
	o.OutboxKey = bytes.Repeat([]byte{9}, 32)
	u, err := uplink.Open(context.Background(), down(o))
	if err != nil {
		t.Fatalf("Open with a replaced key = %v", err)
	}
	if c := counts(t, u); c.Quarantined != 2 || c.QuarantinedBy[uplink.ReasonKeyReplaced] != 2 {
		t.Errorf("counts with a replaced key = %+v, want 2 key-replaced", c)
	}
	// Meanwhile the kiosk serves, sealing under the new key; the offline
	// numbering, kept in the clear, goes on.
	fresh, err := u.Submit(context.Background(), application())
	if err != nil || !fresh.Offline || fresh.Ticket.Number != "K003" {
		t.Fatalf("Submit under the new key = %+v, %v", fresh, err)
	}
	u.Close()

	o.OutboxKey = oldKey
	b.start()
	u = open(t, o)
	if c := counts(t, u); c.Pending != 2 || c.Quarantined != 1 || c.QuarantinedBy[uplink.ReasonKeyReplaced] != 1 {
		t.Errorf("counts with the old key back = %+v, want 2 pending and the new key's entry quarantined", c)
	}
	if n, err := u.Sync(context.Background()); n != 2 || err != nil {
		t.Fatalf("Sync with the old key back = %d, %v; want 2", n, err)
	}
	for _, r := range got {
		if st, s := b.status(r.Ticket.ApplicationID); st != 200 || s.Ticket.Number != r.Ticket.Number {
			t.Errorf("server has %d %+v, want the printed %s", st, s.Ticket, r.Ticket.Number)
		}
	}
}

// TestOutboxFileUnreadable: a file that is not a database, or one damaged
// past reading, is moved aside and a new outbox made; the kiosk starts and
// the move is counted for the technician.
func TestOutboxFileUnreadable(t *testing.T) {
	tests := map[string]func(t *testing.T, path string){
		"not a database": func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("not an outbox "), 400), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"damaged pages": func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			// Keep the header page; overwrite everything after it.
			if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5}, int(st.Size())-4096), 4096); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, spoil := range tests {
		t.Run(name, func(t *testing.T) {
			b := newBackend(t)
			o := b.options(t)
			offlineTickets(t, o, 30)
			spoil(t, o.OutboxPath)
			before, err := os.ReadFile(o.OutboxPath)
			if err != nil {
				t.Fatal(err)
			}
			b.start()
			u, err := uplink.Open(context.Background(), o)
			if err != nil {
				t.Fatalf("uplink.Open of a spoiled file = %v; the kiosk must start", err)
			}
			defer u.Close()
			moved, _ := filepath.Glob(o.OutboxPath + ".corrupt-*")
			if len(moved) != 1 {
				t.Fatalf("moved aside: %v, want one outbox.db.corrupt-<time>", moved)
			}
			if kept, err := os.ReadFile(moved[0]); err != nil || !bytes.Equal(kept, before) {
				t.Errorf("the file moved aside differs from the spoiled one (%v)", err)
			}
			c := counts(t, u)
			var reason string
			for r := range c.QuarantinedBy {
				reason = r
			}
			if c.Quarantined != 1 || !strings.HasPrefix(reason, uplink.ReasonCorruptFile) || !strings.Contains(reason, filepath.Base(moved[0])) {
				t.Errorf("counts = %+v, want the moved file counted with its name", c)
			}
			if r, err := u.Submit(context.Background(), application()); err != nil || r.Offline {
				t.Errorf("Submit on the new outbox = %+v, %v; want an online ticket", r, err)
			}
			// A second start finds the new outbox sound: nothing more moves.
			u.Close()
			u2 := open(t, o)
			if again, _ := filepath.Glob(o.OutboxPath + ".corrupt-*"); len(again) != 1 || counts(t, u2).Quarantined != 1 {
				t.Errorf("second start moved %v, counts %+v", again, counts(t, u2))
			}
		})
	}
}

// TestQuarantineKeepsSealed: what is set aside stays sealed, the cause is a
// code, and the outbox check reads it without the key.
func TestQuarantineKeepsSealed(t *testing.T) {
	b := newBackend(t)
	o := b.options(t)
	offlineTickets(t, o, 1)
	o2 := o
	o2.OutboxKey = bytes.Repeat([]byte{3}, 32)
	u, err := uplink.Open(context.Background(), o2)
	if err != nil {
		t.Fatal(err)
	}
	u.Close()
	for _, f := range []string{o.OutboxPath, o.OutboxPath + "-wal"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, secret := range []string{"ERIKSSON", "L898902C3", "1974-08-12"} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s holds %q in the clear after the quarantine", filepath.Base(f), secret)
			}
		}
	}
	out, err := uplink.OpenOutbox(context.Background(), o.OutboxPath, o.OutboxKey)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if c, err := out.Counts(context.Background()); err != nil || c.Quarantined != 1 || c.Pending != 0 {
		t.Errorf("Counts of the outbox file = %+v, %v", c, err)
	}
	if pending, err := out.Pending(context.Background(), 10); len(pending) != 0 || err != nil {
		t.Errorf("Pending = %d entries, %v; want none", len(pending), err)
	}
}

// TestNewOutboxKeysNotNull: a new outbox's keys cannot be NULL, so a stray
// write cannot make a row without an id.
func TestNewOutboxKeysNotNull(t *testing.T) {
	b := newBackend(t)
	o := b.options(t)
	offlineTickets(t, o, 1)
	db, err := sql.Open("sqlite", "file:"+o.OutboxPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE outbox SET id = NULL`,
		`INSERT INTO lent (number, day, service) VALUES (NULL, '2026-11-25', 'iin')`,
		`INSERT INTO counters (day, next) VALUES (NULL, 1)`,
		`INSERT INTO offline_clock (id, clock) VALUES (NULL, '{}')`,
		`INSERT INTO meta (name, value) VALUES (NULL, x'00')`,
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "NOT NULL") {
			t.Errorf("%s = %v, want a NOT NULL constraint failure", q, err)
		}
	}
}
