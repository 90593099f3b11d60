package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

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
func freshSchema(t testing.TB) string { return storetest.PostgresSchema(t) }

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

// TestConcurrentCheckIn: one booking checked in at once through several
// servers on one database (a visitor tapping two kiosks, a kiosk retrying
// under a new id) gets one ticket: every check-in answers with it.
func TestConcurrentCheckIn(t *testing.T) {
	d := freshSchema(t)
	clock := storetest.NewClock(storetest.Morning())
	const servers, rounds = 4, 10
	var ts []*storetest.Server
	for i := 0; i < servers; i++ {
		s, err := postgres.Open(context.Background(), d, nil)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, storetest.Start(t, s, clock, servers))
	}
	feed := ts[0].As(t, central.RoleBooking, "ALA-01", "")
	kiosks := make([]*http.Client, servers)
	for i := range kiosks {
		kiosks[i] = ts[i].Kiosk(t, fmt.Sprintf("K-%02d", i+1))
	}
	for round := 0; round < rounds; round++ {
		code := fmt.Sprintf("RACE%02d", round)
		bk := api.Booking{Code: code, BranchID: "ALA-01", Service: "iin", SlotAt: clock.Now().Add(time.Hour)}
		if st, b := storetest.Do(t, feed, "POST", ts[0].URL+"/v1/bookings", bk); st != http.StatusNoContent {
			t.Fatalf("round %d: book = %d %s", round, st, b)
		}
		type res struct {
			status int
			ticket api.Ticket
			body   []byte
		}
		out := make(chan res, servers)
		start := make(chan struct{})
		for i := 0; i < servers; i++ {
			go func() {
				<-start
				ci := api.CheckIn{ID: api.NewID(), KioskID: fmt.Sprintf("K-%02d", i+1), BranchID: "ALA-01", BookingCode: code}
				st, b := storetest.Do(t, kiosks[i], "POST", ts[i].URL+"/v1/bookings/check-in", ci)
				r := res{status: st, body: b}
				if st == http.StatusCreated || st == http.StatusOK {
					r.ticket = storetest.Decode[api.Ticket](t, b)
				}
				out <- r
			}()
		}
		close(start)
		tickets := map[string]string{} // application id → number
		created := 0
		for i := 0; i < servers; i++ {
			r := <-out
			switch r.status {
			case http.StatusCreated:
				created++
			case http.StatusOK:
			default:
				t.Errorf("round %d: check-in = %d %s", round, r.status, r.body)
				continue
			}
			tickets[r.ticket.ApplicationID] = r.ticket.Number
		}
		if len(tickets) != 1 || created != 1 {
			t.Errorf("round %d: %d concurrent check-ins of one booking gave tickets %v, %d created; want one ticket, created once",
				round, servers, tickets, created)
		}
	}
}

// TestKeyBodyHashesOnce: servers starting at once on a database from before
// body hashes were keyed key each hash once, not once each.
func TestKeyBodyHashesOnce(t *testing.T) {
	d := freshSchema(t)
	ctx := context.Background()
	var stores []central.Store
	for i := 0; i < 4; i++ {
		s, err := postgres.Open(ctx, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	const tickets = 600 // more than a page
	for i := 0; i < tickets; i++ {
		r := central.Record{ID: api.NewID(), Branch: "ALA-01", Kiosk: "K-01", Service: "iin", Lane: api.LaneOrdinary, Day: "2025-09-24",
			IssuedAt: storetest.Morning(), BodyHash: []byte("plain"), Payload: []byte("sealed")}
		if _, _, err := stores[0].Issue(ctx, central.IssueRequest{Record: r, Prefix: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("pgx", d)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM meta WHERE name = 'body_hashes'"); err != nil { // as a database from before
		t.Fatal(err)
	}
	key := func(h []byte) []byte { return append([]byte("keyed "), h...) }
	type res struct {
		n   int
		err error
	}
	out := make(chan res, len(stores))
	for _, s := range stores {
		go func() {
			n, err := s.KeyBodyHashes(ctx, key)
			out <- res{n, err}
		}()
	}
	total := 0
	for range stores {
		r := <-out
		if r.err != nil {
			t.Fatal(r.err)
		}
		total += r.n
	}
	if total != tickets {
		t.Errorf("keyed %d hashes in all, want %d: each once", total, tickets)
	}
	rows, err := db.Query("SELECT body_hash, COUNT(*) FROM tickets GROUP BY body_hash")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var n int
		if err := rows.Scan(&h, &n); err != nil {
			t.Fatal(err)
		}
		if string(h) != "keyed plain" || n != tickets {
			t.Errorf("%d tickets with body hash %q, want all %d %q", n, h, tickets, "keyed plain")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
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
