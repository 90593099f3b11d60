package postgres_test

import (
	"context"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestShared: two stores on one database, as two server processes.
func TestShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (central.Store, central.Store) {
		d := freshSchema(t)
		var two [2]central.Store
		for i := range two {
			s, err := postgres.Open(context.Background(), d, nil)
			if err != nil {
				t.Fatalf("postgres.Open: %v", err)
			}
			two[i] = s
		}
		return two[0], two[1]
	})
}
