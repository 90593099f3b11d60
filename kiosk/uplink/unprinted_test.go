package uplink_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// TestOfflineNumberNotKept: the outbox takes the application but fails to
// keep its offline number (a disk error at that write): nothing is
// printed, and the application, delivered later, is reported not printed
// so that nobody calls a ticket no visitor holds.
func TestOfflineNumberNotKept(t *testing.T) {
	b := newBackend(t) // down
	o := b.options(t)
	uplinktest.Learn(t, o)
	u := open(t, o)
	outboxSQL(t, o.OutboxPath, `CREATE TRIGGER disk_error BEFORE UPDATE OF off_number ON outbox BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END`)
	a := application()
	a.ID = api.NewID()
	if r, err := u.Submit(context.Background(), a); err == nil {
		t.Fatalf("Submit with the number not kept = %+v; want an error (nothing printed)", r)
	}
	outboxSQL(t, o.OutboxPath, `DROP TRIGGER disk_error`)
	b.start()
	if n, err := u.Sync(context.Background()); n != 1 || err != nil {
		t.Fatalf("Sync = %d, %v; want 1", n, err)
	}
	if st, s := b.status(a.ID); st != http.StatusOK || s.State != api.StateNotPrinted {
		t.Errorf("the backend has %d %s, want the application, not printed", st, s.State)
	}
}
