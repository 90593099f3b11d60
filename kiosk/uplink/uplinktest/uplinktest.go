// Package uplinktest puts a kiosk's outbox into the states a technician
// must be told about (printed tickets the backend refused, rows that no
// longer open), with the real uplink and a real backend, for the tests of
// the packages that report them: the runner's heartbeat, the technician's
// page, kiosk doctor and kiosk run.
package uplinktest

import (
	"context"
	"database/sql"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	_ "modernc.org/sqlite" // the outbox's driver, to damage a row
)

// deadURL is a loopback address nobody listens on.
func deadURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "http://" + ln.Addr().String()
}

// Learn writes into the outbox of o the numbering the demo registry
// (central.Demo) gives kiosk o.KioskID, as if the backend had told it with
// a block of numbers: a kiosk that never heard its offline prefix prints no
// offline ticket, and the tests that need one start with the backend down.
func Learn(t testing.TB, o uplink.Options) {
	t.Helper()
	prefix := ""
	for _, k := range central.Demo(99).Branches[0].Kiosks {
		if k.ID == o.KioskID {
			prefix = k.OfflinePrefix
		}
	}
	if prefix == "" {
		t.Fatalf("uplinktest: kiosk %s is not in the demo registry", o.KioskID)
	}
	out, err := uplink.OpenOutbox(context.Background(), o.OutboxPath, o.OutboxKey)
	if err != nil {
		t.Fatalf("uplinktest: %v", err)
	}
	defer out.Close()
	n := uplink.Numbering{Prefix: prefix, Width: central.NumberWidth, Learned: time.Now().Format(time.DateOnly)}
	if err := out.SetNumbering(context.Background(), n); err != nil {
		t.Fatalf("uplinktest: %v", err)
	}
}

// Offline submits n applications of kiosk o.KioskID with no backend
// answering, as in a network outage: the outbox of o holds n printed
// offline tickets, which it returns, oldest first.
func Offline(t testing.TB, o uplink.Options, n int) []uplink.Receipt {
	t.Helper()
	o.Client.BaseURL, o.SubmitWait, o.LendSize = deadURL(t), 20*time.Millisecond, -1
	Learn(t, o)
	u, err := uplink.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("uplinktest: %v", err)
	}
	defer u.Close()
	var out []uplink.Receipt
	for range n {
		a := storetest.Application(o.KioskID, api.LaneOrdinary, time.Now())
		a.ID = ""
		r, err := u.Submit(context.Background(), a)
		if err != nil || !r.Offline {
			t.Fatalf("uplinktest: Submit with the backend down = %+v, %v; want an offline ticket", r, err)
		}
		out = append(out, r)
	}
	return out
}

// Spoil damages the sealed bytes of one outbox row, as a failing disk
// would: the row no longer opens.
func Spoil(t testing.TB, outboxPath, id string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+outboxPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE outbox SET sealed = CAST(x'00' AS BLOB) WHERE id = ?`, id)
	if err != nil {
		t.Fatalf("uplinktest: %v", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("uplinktest: no outbox row %s", api.MaskID(id))
	}
}

// SpoilColumn writes text into the time column of one outbox row, kept in
// the clear, as a hand edit or a damaged page that SQLite's own check
// passes would: the row no longer scans.
func SpoilColumn(t testing.TB, outboxPath, id string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+outboxPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE outbox SET off_at = 'x1' WHERE id = ?`, id)
	if err != nil {
		t.Fatalf("uplinktest: %v", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("uplinktest: no outbox row %s", api.MaskID(id))
	}
}

// Refused leaves in the outbox of o one printed ticket the backend at url
// refused: 409 number-taken, because another outbox of the same kiosk (in
// dir) printed the same offline number and delivered it first.
func Refused(t testing.TB, o uplink.Options, url, dir string) uplink.Receipt {
	t.Helper()
	other := o
	other.OutboxPath = filepath.Join(dir, "other-outbox.db")
	Offline(t, other, 1)
	got := Offline(t, o, 1)[0]
	for _, oo := range []uplink.Options{other, o} {
		sync(t, oo, url)
	}
	return got
}

// Troubled leaves in the outbox of o a printed ticket the backend at url
// refused (Refused) and one that no longer opens, set aside, the way a day
// of outage and a failing disk leave it.
func Troubled(t testing.TB, o uplink.Options, url, dir string) (refused, damaged uplink.Receipt) {
	t.Helper()
	refused = Refused(t, o, url, dir)
	damaged = Offline(t, o, 1)[0]
	Spoil(t, o.OutboxPath, damaged.Ticket.ApplicationID)
	sync(t, o, url)
	return refused, damaged
}

// sync opens the uplink of o on the backend at url and makes one pass.
func sync(t testing.TB, o uplink.Options, url string) {
	t.Helper()
	o.Client.BaseURL, o.LendSize = url, -1
	u, err := uplink.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("uplinktest: %v", err)
	}
	defer u.Close()
	if _, err := u.Sync(context.Background()); err != nil {
		t.Fatalf("uplinktest: Sync: %v", err)
	}
}
