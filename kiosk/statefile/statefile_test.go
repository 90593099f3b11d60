package statefile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/statefile"
)

// TestWrite: the file holds exactly the new bytes, is the owner's alone,
// and no temporary file is left beside it; the folder is made if missing.
func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "lock.json")
	for _, data := range []string{`{"wrong":1}`, `{}`} {
		if err := statefile.Write(path, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != data {
			t.Fatalf("file = %q, %v; want %q", got, err, data)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want -rw-------", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the state file", len(entries))
	}
	// A folder that cannot be written: an error, and the old file stays.
	dir := filepath.Dir(path)
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	if os.Getuid() != 0 {
		if err := statefile.Write(path, []byte("new")); err == nil {
			t.Error("Write into a read-only folder = nil, want an error")
		}
		if got, _ := os.ReadFile(path); string(got) != "{}" {
			t.Errorf("after a failed write the file = %q, want the old one", got)
		}
	}
}
