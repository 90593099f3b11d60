package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/store/sqlstore"
)

// TestClearCodesRefused: a database from before booking codes were hashed
// is refused while it holds codes, with the way out in the message, and
// opens once they are gone; one with no bookings opens at once.
func TestClearCodesRefused(t *testing.T) {
	ctx := context.Background()
	// old makes a database as the earlier version left it: no meta row,
	// and the given codes in the clear.
	old := func(t *testing.T, codes ...string) (string, *sql.DB) {
		path := filepath.Join(t.TempDir(), "central.db")
		s, err := sqlite.Open(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Exec(`DELETE FROM meta`); err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if _, err := db.Exec(`INSERT INTO bookings (code, branch, service, day, slot_at) VALUES (?, 'ALA-01', 'iin', '2025-09-24', 1)`, c); err != nil {
				t.Fatal(err)
			}
		}
		return path, db
	}

	t.Run("with codes", func(t *testing.T) {
		path, db := old(t, "B7K2Q9", "482913")
		_, err := sqlite.Open(ctx, path, nil)
		if !errors.Is(err, sqlstore.ErrClearCodes) || !strings.Contains(err.Error(), "DELETE FROM bookings") {
			t.Fatalf("Open = %v, want ErrClearCodes saying how to clear them", err)
		}
		if strings.Contains(err.Error(), "B7K2Q9") {
			t.Errorf("the error names a code: %v", err)
		}
		if _, err := db.Exec(`DELETE FROM bookings`); err != nil {
			t.Fatal(err)
		}
		s, err := sqlite.Open(ctx, path, nil)
		if err != nil {
			t.Fatalf("Open after DELETE FROM bookings = %v", err)
		}
		s.Close()
	})
	t.Run("without codes", func(t *testing.T) {
		path, _ := old(t)
		s, err := sqlite.Open(ctx, path, nil)
		if err != nil {
			t.Fatalf("Open = %v, want the database marked and open", err)
		}
		s.Close()
	})
}
