package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

func open(t *testing.T) central.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "central.db"), nil)
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	return s
}

func TestStore(t *testing.T) { storetest.Run(t, open) }
