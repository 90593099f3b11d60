package uplink_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestRenewKey: a usable key file is kept, a missing one made, and one
// that cannot be used moved aside, as it was, and replaced.
func TestRenewKey(t *testing.T) {
	good := bytes.Repeat([]byte("ab"), 32)
	tests := map[string]struct {
		content []byte // nil: no file
		mode    os.FileMode
		moved   bool
	}{
		"usable":             {content: good, mode: 0o600},
		"missing":            {},
		"readable by others": {content: good, mode: 0o644, moved: true},
		"not a key":          {content: []byte("not a key\n"), mode: 0o600, moved: true},
		"empty":              {content: []byte{}, mode: 0o600, moved: true},
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "outbox.key")
			if tc.content != nil {
				if err := os.WriteFile(path, tc.content, tc.mode); err != nil {
					t.Fatal(err)
				}
				os.Chmod(path, tc.mode) // past the umask
			}
			r, err := uplink.RenewKey(path, now)
			if err != nil {
				t.Fatalf("RenewKey = %v", err)
			}
			if (r != nil) != tc.moved {
				t.Fatalf("RenewKey moved %+v, want moved %t", r, tc.moved)
			}
			key, err := uplink.LoadKey(path, false)
			if err != nil {
				t.Fatalf("the key after RenewKey: %v", err)
			}
			if tc.content != nil && !tc.moved && !bytes.Equal(key, bytes.Repeat([]byte{0xab}, 32)) {
				t.Errorf("a usable key was replaced")
			}
			if !tc.moved {
				return
			}
			if !errors.Is(r.Cause, uplink.ErrKey) || r.Path != path+".replaced-20261125T100000.000Z" {
				t.Errorf("RenewKey = %+v, want the file moved to outbox.key.replaced-<time>, with an ErrKey cause", r)
			}
			if old, err := os.ReadFile(r.Path); err != nil || !bytes.Equal(old, tc.content) {
				t.Errorf("the file moved aside holds %q, %v; want it as it was", old, err)
			}
		})
	}
	t.Run("no key can be made", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o500)
		defer os.Chmod(dir, 0o700)
		if _, err := os.Create(filepath.Join(dir, "probe")); err == nil {
			t.Skip("the folder is writable all the same (running as root)")
		}
		if _, err := uplink.RenewKey(filepath.Join(dir, "outbox.key"), now); !errors.Is(err, uplink.ErrKey) {
			t.Errorf("RenewKey in a read-only folder = %v, want ErrKey", err)
		}
	})
}

// TestRenewedKeyRestorable: the entries sealed under a key that RenewKey
// moved aside are set aside at Open, the move is counted, and putting the
// old file back delivers them.
func TestRenewedKeyRestorable(t *testing.T) {
	b := newBackend(t)
	o := b.options(t)
	keyFile := filepath.Join(t.TempDir(), "outbox.key")
	if _, err := uplink.LoadKey(keyFile, true); err != nil {
		t.Fatal(err)
	}
	o.OutboxKey = mustKey(t, keyFile)
	got := offlineTickets(t, o, 2)
	os.Chmod(keyFile, 0o644) // a technician's slip: the key is no longer secret

	r, err := uplink.RenewKey(keyFile, time.Now())
	if err != nil || r == nil {
		t.Fatalf("RenewKey of a key readable by others = %+v, %v; want it moved aside", r, err)
	}
	o.OutboxKey, o.KeyFileMoved = mustKey(t, keyFile), r.Path
	u := open(t, o)
	c := counts(t, u)
	marker := uplink.ReasonKeyFileReplaced + " " + filepath.Base(r.Path)
	if c.Pending != 0 || c.QuarantinedBy[uplink.ReasonKeyReplaced] != 2 || c.QuarantinedBy[marker] != 1 || c.Quarantined != 3 {
		t.Errorf("counts with the new key = %+v, want 2 key-replaced and the move (%s)", c, marker)
	}
	u.Close()
	u = open(t, o) // a second start with the same option counts the move once
	if c := counts(t, u); c.Quarantined != 3 {
		t.Errorf("counts after a second start = %+v, want 3 quarantined", c)
	}
	u.Close()

	if err := os.Rename(r.Path, keyFile); err != nil {
		t.Fatal(err)
	}
	os.Chmod(keyFile, 0o600)
	o.OutboxKey, o.KeyFileMoved = mustKey(t, keyFile), ""
	b.start()
	u = open(t, o)
	if n, err := u.Sync(context.Background()); n != 2 || err != nil {
		t.Fatalf("Sync with the old key back = %d, %v; want 2", n, err)
	}
	for _, r := range got {
		if st, s := b.status(r.Ticket.ApplicationID); st != http.StatusOK || s.Ticket.Number != r.Ticket.Number {
			t.Errorf("the backend has %d %+v, want the printed %s", st, s.Ticket, r.Ticket.Number)
		}
	}
}

// TestLoadTokenErrors: every way a token file cannot be used is ErrToken,
// which kiosk run starts over.
func TestLoadTokenErrors(t *testing.T) {
	dir := t.TempDir()
	files := map[string]struct {
		content string
		mode    os.FileMode
	}{
		"readable.token": {"tok\n", 0o644},
		"empty.token":    {"\n", 0o600},
		"two.token":      {"a b\n", 0o600},
	}
	for name, f := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(f.content), f.mode)
		os.Chmod(filepath.Join(dir, name), f.mode)
	}
	for _, name := range []string{"missing.token", "readable.token", "empty.token", "two.token"} {
		if _, err := uplink.LoadToken(filepath.Join(dir, name)); !errors.Is(err, uplink.ErrToken) || !strings.Contains(err.Error(), "token") {
			t.Errorf("LoadToken(%s) = %v, want ErrToken", name, err)
		}
	}
}
