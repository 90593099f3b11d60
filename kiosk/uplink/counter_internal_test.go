package uplink

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMarkKeepsLatestDays: the mark keeps the latest markDays days only,
// the kiosk user's alone, and leaves no temporary file behind.
func TestMarkKeepsLatestDays(t *testing.T) {
	dir := t.TempDir()
	path := markFile(filepath.Join(dir, "outbox.db"))
	m := map[string]int{}
	for d := 1; d <= 10; d++ {
		m[fmt.Sprintf("2026-11-%02d", d)] = d
	}
	if err := writeMark(path, m); err != nil {
		t.Fatal(err)
	}
	got := readMark(path)
	if len(got) != markDays || got["2026-11-10"] != 10 || got["2026-11-04"] != 4 || got["2026-11-03"] != 0 {
		t.Errorf("mark = %v, want the latest %d days", got, markDays)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mark file %v, %v; want mode 0600", st, err)
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("files left: %v, want the mark alone", names)
	}
}
