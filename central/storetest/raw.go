package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// OpenRaw returns a fresh, empty store for one test and a connection to
// its database, for the checks that read the tables themselves; the suite
// closes the store, the caller the connection.
type OpenRaw func(t *testing.T) (central.Store, *sql.DB)

// RunRaw runs the checks of what the tables hold: nothing of a refused
// request, event bodies that are JSON, no booking code in the clear.
func RunRaw(t *testing.T, open OpenRaw) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open OpenRaw)
	}{
		{"RefusedNotStored", testRefusedNotStored},
		{"EventBodiesAreJSON", testEventBodies},
		{"BookingCodesHashed", testBookingCodes},
		{"BodyHashesKeyed", testBodyHashes},
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
		if st, b := Do(t, ts.Caller(t, tc.Method, tc.Path), tc.Method, ts.URL+tc.Path, tc.Body); st != 400 {
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

// testBookingCodes books visits, checks them in by code and by passport,
// and finds neither code in the bookings table, clear or hex-encoded.
func testBookingCodes(t *testing.T, open OpenRaw) {
	store, db := open(t)
	clock := NewClock(Morning())
	ts := Start(t, store, clock, 1)
	base := ts.URL
	codes := []string{"B7K2Q9", "482913"}
	for i, code := range codes {
		bk := api.Booking{Code: code, BranchID: "ALA-01", Service: "iin", SlotAt: clock.Now().Add(time.Duration(i+1) * time.Hour)}
		if i == 1 {
			bk.DocumentNumber = "C01X00T47"
		}
		if st, b := Do(t, ts.Caller(t, "POST", "/v1/bookings"), "POST", base+"/v1/bookings", bk); st != http.StatusNoContent {
			t.Fatalf("book %d = %d %s", i, st, b)
		}
	}
	if st, b := Do(t, ts.Caller(t, "POST", "/v1/bookings"), "POST", base+"/v1/bookings", api.Booking{Code: codes[0], BranchID: "ALA-01", Service: "iin", SlotAt: clock.Now()}); st != http.StatusConflict {
		t.Errorf("the same code again = %d %s, want 409", st, b)
	}
	byCode := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: codes[0]}
	st, b := Do(t, ts.Kiosk(t, "K-01"), "POST", base+"/v1/bookings/check-in", byCode)
	if st != http.StatusCreated || Decode[api.Ticket](t, b).Number != "AB001" {
		t.Errorf("check-in by code = %d %s, want 201 and AB001", st, b)
	}
	if st, _ := Do(t, ts.Kiosk(t, "K-01"), "POST", base+"/v1/bookings/check-in", byCode); st != http.StatusOK {
		t.Errorf("check-in by code again = %d, want 200", st)
	}
	wrong := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: "B7K2Q8"}
	if st, _ := Do(t, ts.Kiosk(t, "K-01"), "POST", base+"/v1/bookings/check-in", wrong); st != http.StatusNotFound {
		t.Errorf("check-in by a wrong code = %d, want 404", st)
	}
	byDoc := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", DocumentNumber: "C01X00T47"}
	if st, b := Do(t, ts.Kiosk(t, "K-01"), "POST", base+"/v1/bookings/check-in", byDoc); st != http.StatusCreated {
		t.Errorf("check-in by passport = %d %s, want 201", st, b)
	}

	rows, err := db.Query("SELECT * FROM bookings")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		n++
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			var cell []byte
			switch v := v.(type) {
			case string:
				cell = []byte(v)
			case []byte:
				cell = v
			default:
				continue
			}
			for _, secret := range append(codes, "C01X00T47") {
				if bytes.Contains(cell, []byte(secret)) || bytes.Contains(bytes.ToLower(cell), []byte(hex.EncodeToString([]byte(secret)))) {
					t.Errorf("bookings.%s holds %q in the clear: %q", cols[i], secret, cell)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(codes) {
		t.Errorf("bookings holds %d rows, want %d", n, len(codes))
	}
}

// testBodyHashes finds the stored body hashes keyed: none is the plain
// SHA-256 of what it identifies, which gives a booking code (a million
// tries) or a document number away with the check-in's id beside it. A
// database from before, holding those plain hashes, is keyed by the next
// server that opens it, once, and retries of its rows are still retries.
func testBodyHashes(t *testing.T, open OpenRaw) {
	store, db := open(t)
	clock := NewClock(Morning())
	ts := Start(t, store, clock, 1)
	base := ts.URL
	kiosk := ts.Kiosk(t, "K-01")
	for i, bk := range []api.Booking{
		{Code: "482913", BranchID: "ALA-01", Service: "iin", SlotAt: clock.Now().Add(time.Hour)},
		{Code: "B7K2Q9", BranchID: "ALA-01", Service: "iin", SlotAt: clock.Now().Add(2 * time.Hour), DocumentNumber: "C01X00T47"},
	} {
		if st, b := Do(t, ts.Caller(t, "POST", "/v1/bookings"), "POST", base+"/v1/bookings", bk); st != http.StatusNoContent {
			t.Fatalf("book %d = %d %s", i, st, b)
		}
	}
	app := Application("K-01", api.LaneOrdinary, clock.Now())
	byCode := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: "482913"}
	byDoc := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", DocumentNumber: "C01X00T47"}
	send := func(want int) {
		t.Helper()
		for _, r := range []struct {
			path string
			body any
		}{{"/v1/applications", app}, {"/v1/bookings/check-in", byCode}, {"/v1/bookings/check-in", byDoc}} {
			if st, b := Do(t, kiosk, "POST", base+r.path, r.body); st != want {
				t.Errorf("POST %s = %d %s, want %d", r.path, st, b, want)
			}
		}
	}
	send(http.StatusCreated)

	// What the server stored before its hashes were keyed, and what anyone
	// with the database can compute.
	appBody, _ := json.Marshal(app)
	plain := map[string][]byte{app.ID: sum(appBody), byCode.ID: sum([]byte(byCode.ID + "\x00482913\x00")), byDoc.ID: sum([]byte(byDoc.ID + "\x00\x00C01X00T47"))}
	hashes := func() map[string][]byte {
		t.Helper()
		out := map[string][]byte{}
		for id := range plain {
			var h []byte
			if err := db.QueryRow("SELECT body_hash FROM tickets WHERE id = $1", id).Scan(&h); err != nil {
				t.Fatalf("body hash of %s: %v", api.MaskID(id), err)
			}
			out[id] = h
		}
		return out
	}
	keyed := hashes()
	for id, h := range keyed {
		if len(h) == 0 || bytes.Equal(h, plain[id]) {
			t.Errorf("ticket %s: body hash %x is the plain SHA-256 of the request: anyone with the database can try codes against it", api.MaskID(id), h)
		}
	}

	// The database as an older server left it (SQLite takes $1 too): plain hashes, not marked.
	for id, h := range plain {
		if _, err := db.Exec("UPDATE tickets SET body_hash = $1 WHERE id = $2", h, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("DELETE FROM meta WHERE name = 'body_hashes'"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second server finds nothing left to key
		if _, err := central.NewServer(central.Options{Store: store, Registry: ts.Registry, Key: Key(), Now: clock.Now}); err != nil {
			t.Fatalf("NewServer on the older database: %v", err)
		}
		for id, h := range hashes() {
			if !bytes.Equal(h, keyed[id]) {
				t.Errorf("server %d: ticket %s: body hash %x after keying, want %x as a new server stores it", i+1, api.MaskID(id), h, keyed[id])
			}
		}
	}
	send(http.StatusOK) // retries, not replays
}

func sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}
