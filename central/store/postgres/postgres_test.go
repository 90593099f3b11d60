package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// DSN returns the test database, or skips: run scripts/ci-postgres.sh and
// export KIOSK_TEST_POSTGRES to include PostgreSQL.
func dsn(t testing.TB) string {
	d := os.Getenv("KIOSK_TEST_POSTGRES")
	if d == "" {
		t.Skip("KIOSK_TEST_POSTGRES is not set; export KIOSK_TEST_POSTGRES=\"$(bash scripts/ci-postgres.sh)\" to run the PostgreSQL tests")
	}
	return d
}

// freshSchema makes an empty schema for one test and returns a DSN that
// uses it; the schema is dropped when the test ends.
func freshSchema(t testing.TB) string {
	base := dsn(t)
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

func open(t *testing.T) central.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), freshSchema(t), nil)
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
	}
	return s
}

func TestStore(t *testing.T) { storetest.Run(t, open) }

func openRaw(t *testing.T) (central.Store, *sql.DB) {
	t.Helper()
	d := freshSchema(t)
	s, err := postgres.Open(context.Background(), d, nil)
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
	}
	db, err := sql.Open("pgx", d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

func TestStoreTables(t *testing.T) { storetest.RunRaw(t, openRaw) }

// TestTwoServers: two stores (as two server processes) on one database
// issue numbers at once; none is issued twice.
func TestTwoServers(t *testing.T) {
	d := freshSchema(t)
	clock := storetest.NewClock(storetest.Morning())
	var bases []string
	var servers []*storetest.Server
	for i := 0; i < 2; i++ {
		s, err := postgres.Open(context.Background(), d, nil)
		if err != nil {
			t.Fatal(err)
		}
		ts := storetest.Start(t, s, clock, 10)
		bases = append(bases, ts.URL)
		servers = append(servers, ts)
	}
	// The tokens are in the shared database: either server knows them.
	kiosks := map[int]*http.Client{}
	for k := 1; k <= 10; k++ {
		kiosks[k] = servers[k%2].Kiosk(t, fmt.Sprintf("K-%02d", k))
	}
	type res struct{ number, err string }
	out := make(chan res, 200)
	for k := 1; k <= 10; k++ {
		go func() {
			for i := 0; i < 20; i++ {
				a := storetest.Application(fmt.Sprintf("K-%02d", k), api.LaneOrdinary, clock.Now())
				st, b := storetest.Do(t, kiosks[k], "POST", bases[(k+i)%2]+"/v1/applications", a)
				if st != 201 {
					out <- res{err: fmt.Sprintf("submit = %d %s", st, b)}
					continue
				}
				out <- res{number: storetest.Decode[api.Ticket](t, b).Number}
			}
		}()
	}
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		r := <-out
		if r.err != "" {
			t.Error(r.err)
			continue
		}
		if seen[r.number] {
			t.Errorf("number %s issued twice", r.number)
		}
		seen[r.number] = true
	}
	if len(seen) != 200 {
		t.Errorf("%d distinct numbers, want 200", len(seen))
	}
}

// TestLendCapAcrossServers: a kiosk's cap on lent numbers holds when its
// requests reach several servers on one database at once: each lend reads
// the kiosk's count under the row's lock.
func TestLendCapAcrossServers(t *testing.T) {
	d := freshSchema(t)
	var stores []central.Store
	for range 4 {
		s, err := postgres.Open(context.Background(), d, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	const requests, size = 40, 100
	got := make(chan int, requests)
	for i := range requests {
		go func() {
			_, n, err := stores[i%len(stores)].Lend(context.Background(), central.LendRequest{
				Kiosk: "K-01", Branch: "ALA-01", Service: "iin", Day: "2025-09-24", Size: size, Max: central.MaxOutstanding, Now: storetest.Morning()})
			if err != nil {
				t.Error(err)
			}
			got <- n
		}()
	}
	total := 0
	for range requests {
		total += <-got
	}
	if total != central.MaxOutstanding {
		t.Errorf("K-01 was lent %d numbers through %d servers, want the cap %d", total, len(stores), central.MaxOutstanding)
	}
}
