package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
)

// TestFileModes: the database and its -wal and -shm files are the owner's
// alone whatever the umask, new or from an earlier, laxer run.
func TestFileModes(t *testing.T) {
	old := syscall.Umask(0) // the worst case: files made 0666 unless Open says otherwise
	t.Cleanup(func() { syscall.Umask(old) })
	tests := map[string]func(t *testing.T, path string){
		"new":                      func(*testing.T, string) {},
		"left readable by a run":   func(t *testing.T, path string) { laxRun(t, path) },
		"made by hand, world-read": func(t *testing.T, path string) { os.WriteFile(path, nil, 0o644) },
	}
	for name, before := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "central.db")
			before(t, path)
			s, err := sqlite.Open(context.Background(), path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			// A write, so that the write-ahead log and its index exist.
			if err := s.AddBooking(context.Background(), central.BookingRecord{CodeMAC: []byte{1}, Branch: "ALA-01", Service: "iin",
				Day: "2025-09-24", SlotAt: time.Date(2025, 9, 24, 5, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{path, path + "-wal", path + "-shm"} {
				st, err := os.Stat(f)
				if err != nil {
					t.Errorf("%s: %v", filepath.Base(f), err)
					continue
				}
				if st.Mode().Perm() != 0o600 {
					t.Errorf("%s mode = %v, want -rw-------", filepath.Base(f), st.Mode().Perm())
				}
			}
		})
	}
}

// laxRun leaves a database with its -wal and -shm readable by all, as an
// earlier version under umask 022 did.
func laxRun(t *testing.T, path string) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o644); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}
