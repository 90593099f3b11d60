package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestShared: two stores on one SQLite file. `central serve` refuses a
// second process on a file, but the short commands (`central user add`)
// open it beside a running server, and their writes must stay right.
func TestShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (central.Store, central.Store) {
		path := filepath.Join(t.TempDir(), "c.db")
		var two [2]central.Store
		for i := range two {
			s, err := sqlite.Open(context.Background(), path, nil)
			if err != nil {
				t.Fatalf("sqlite.Open: %v", err)
			}
			two[i] = s
		}
		return two[0], two[1]
	})
}
