package sqlite_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/central/store/sqlite"
)

// TestLockServe: one server per SQLite file, however the file is named:
// the same path, another spelling of it, a symbolic link to it or to its
// folder; free again once released.
func TestLockServe(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "central.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	dirLink := filepath.Join(t.TempDir(), "var")
	if err := os.Symlink(dir, dirLink); err != nil {
		t.Fatal(err)
	}
	release, err := sqlite.LockServe(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{db, filepath.Join(dir, ".", "central.db"), link, filepath.Join(dirLink, "central.db")} {
		if r, err := sqlite.LockServe(name); !errors.Is(err, sqlite.ErrServed) {
			if err == nil {
				r()
			}
			t.Errorf("a second server on %s: %v, want ErrServed", name, err)
		}
	}
	release()
	again, err := sqlite.LockServe(link)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}
