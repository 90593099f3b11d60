package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// OpenRaw returns a fresh, empty store for one test and a connection to
// its database, for the checks that read the tables themselves; the suite
// closes the store, the caller the connection.
type OpenRaw func(t *testing.T) (central.Store, *sql.DB)

// RunRaw runs the checks of what the tables hold: nothing of a refused
// request, event bodies that are JSON.
func RunRaw(t *testing.T, open OpenRaw) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open OpenRaw)
	}{
		{"RefusedNotStored", testRefusedNotStored},
		{"EventBodiesAreJSON", testEventBodies},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// count returns the rows of a table.
func count(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// testRefusedNotStored sends every bad request and finds every table empty.
func testRefusedNotStored(t *testing.T, open OpenRaw) {
	store, db := open(t)
	clock := NewClock(Morning())
	ts := Start(t, store, clock, 1)
	for _, tc := range BadRequests(clock.Now()) {
		if st, b := Do(t, ts.Client(), tc.Method, ts.URL+tc.Path, tc.Body); st != 400 {
			t.Errorf("%s = %d %.200s, want 400", tc.Name, st, b)
		}
	}
	for _, table := range []string{"tickets", "bookings", "heartbeats", "events", "lends", "counters"} {
		if n := count(t, db, table); n != 0 {
			t.Errorf("%s holds %d rows after refused requests, want none", table, n)
		}
	}
}

// testEventBodies stores events whose fields need escaping, straight into
// the store (which must not rely on the server's checks), and reads every
// body back as JSON.
func testEventBodies(t *testing.T, open OpenRaw) {
	store, db := open(t)
	defer store.Close()
	at := Morning()
	odd := []string{
		`quote " and backslash \`,
		"tag \U000E0041 and private use \U000F0000", // not printable: %q would write \U000e0041
		"line separator \u2028 and soft hyphen \u00ad",
		"қазақша",
	}
	var recs []central.EventRecord
	for _, r := range odd {
		recs = append(recs, central.EventRecord{Kiosk: "K-01", Event: api.Event{
			Kind: api.EventPrintFailed, At: at, Session: "s1", Language: "kk", Reason: r, ApplicationID: api.NewID(),
		}})
	}
	if err := store.AddEvents(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT body FROM events")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		var e api.Event
		if !json.Valid([]byte(body)) {
			t.Errorf("stored event body is not JSON: %q", body)
			continue
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Errorf("stored event body %q: %v", body, err)
			continue
		}
		if e.Language != "kk" || !api.ValidID(e.ApplicationID) {
			t.Errorf("stored event body %q lost a field", body)
		}
		seen[e.Reason] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, r := range odd {
		if !seen[r] {
			t.Errorf("reason %q did not come back from the stored bodies", r)
		}
	}
}
