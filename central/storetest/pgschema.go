package storetest

import (
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresSchema returns a DSN of the test PostgreSQL (KIOSK_TEST_POSTGRES)
// on a schema of its own, empty, dropped when t ends; it skips t, saying
// how to run it, when there is no test PostgreSQL.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("KIOSK_TEST_POSTGRES")
	if base == "" {
		t.Skip("KIOSK_TEST_POSTGRES is not set; export KIOSK_TEST_POSTGRES=\"$(bash scripts/ci-postgres.sh)\" to run the PostgreSQL tests")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "t_" + strings.ReplaceAll(api.NewID(), "-", "")[:16]
	if _, err := db.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db.Exec("DROP SCHEMA " + name + " CASCADE")
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
