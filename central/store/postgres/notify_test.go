package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestNotificationsRelisten: the store's notices tell of each appended
// event, and when the listening connection is cut the store connects
// again, listens again and says that notices may have been lost.
func TestNotificationsRelisten(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u, err := url.Parse(freshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	app := "relisten-" + api.NewID()[:8]
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	notices := s.Notifications(ctx)
	next := func() central.EventNotice {
		t.Helper()
		select {
		case n, ok := <-notices:
			if !ok {
				t.Fatal("the notices ended")
			}
			return n
		case <-ctx.Done():
			t.Fatal("no notice before the guard's deadline")
		}
		return central.EventNotice{}
	}
	appendOne := func() int64 {
		t.Helper()
		id, err := s.AppendBranchEvent(ctx, api.BranchEvent{Kind: api.ChangeCalled, Branch: "ALA-01", Number: "A001", Window: "1", At: storetest.Morning()})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if n := next(); n != (central.EventNotice{}) {
		t.Fatalf("first notice = %+v, want the listening one (no branch)", n)
	}
	id := appendOne()
	if n := next(); n != (central.EventNotice{Branch: "ALA-01", ID: id}) {
		t.Fatalf("notice = %+v, want ALA-01 %d", n, id)
	}

	admin, err := sql.Open("pgx", dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var cut int
	if err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND query LIKE 'LISTEN%'`, app).Scan(&cut); err != nil || cut != 1 {
		t.Fatalf("cut %d listening connections (%v), want 1", cut, err)
	}
	if n := next(); n != (central.EventNotice{}) {
		t.Fatalf("after the cut: notice %+v, want the listening one again", n)
	}
	id = appendOne()
	if n := next(); n != (central.EventNotice{Branch: "ALA-01", ID: id}) {
		t.Fatalf("after the cut: notice %+v, want ALA-01 %d", n, id)
	}
}
