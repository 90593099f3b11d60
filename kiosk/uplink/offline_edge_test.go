package uplink_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
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
	// One uplink throughout: a restart would find the entry unprinted by
	// itself. The Submit while down waits this long.
	o.SubmitWait = 2 * time.Second
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

// TestNumberingAtLendLimit: a new outbox of a kiosk that has borrowed all
// it may today is refused more (409 lend-limit), and still learns its
// offline prefix, so the visitors of an outage get tickets.
func TestNumberingAtLendLimit(t *testing.T) {
	b := newBackend(t)
	b.start()
	for range central.MaxOutstanding / central.MaxBlock {
		req := api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: central.MaxBlock}
		if st, body := storetest.Do(t, b.as(central.RoleKiosk), "POST", b.url()+"/v1/kiosks/K-01/number-blocks", req); st != http.StatusCreated {
			t.Fatalf("lending = %d %s", st, body)
		}
	}
	o := b.options(t)
	o.LendSize = 20
	u := open(t, o)
	_, err := u.Sync(context.Background())
	var re *uplink.RejectedError
	if !errors.As(err, &re) || re.Body.Code != api.CodeLendLimit {
		t.Errorf("Sync at the lend limit = %v, want 409 lend-limit", err)
	}
	if n, err := u.Numbering(context.Background()); err != nil || n.Prefix != "K" {
		t.Fatalf("Numbering after a Sync at the lend limit = %+v, %v; want K", n, err)
	}
	b.stop()
	u = reopen(t, u, down(o))
	if r, err := u.Submit(context.Background(), application()); err != nil || r.Ticket.Number != "K001" {
		t.Errorf("Submit while down = %+v, %v; want K001", r.Ticket, err)
	}
}
