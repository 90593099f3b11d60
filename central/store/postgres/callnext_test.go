package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestCallNextSkipsLockedTicket: while another server's call-next holds
// the first waiting ticket in its uncommitted transaction, call-next here
// takes the next one rather than wait for that transaction to end (and
// then find the ticket called and pick again). The wait chained the two
// servers' writers: every call, and every write batched with it, waited
// for the other server's whole batch.
func TestCallNextSkipsLockedTicket(t *testing.T) {
	s, db := openRaw(t)
	defer s.Close()
	ctx := context.Background()
	const day = "2025-09-24"
	var numbers []string
	for i := 0; i < 2; i++ {
		r := central.Record{ID: api.NewID(), Branch: "ALA-01", Kiosk: "K-01", Service: "iin", Lane: api.LaneOrdinary, Day: day,
			IssuedAt: storetest.Morning().Add(time.Duration(i) * time.Second)}
		got, _, err := s.Issue(ctx, central.IssueRequest{Record: r, Prefix: "A"})
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, got.Number)
	}
	// The other server, mid-call: the first ticket's row locked.
	other, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback()
	var pid int
	if err := other.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, `SELECT id FROM tickets WHERE number = $1 FOR UPDATE`, numbers[0]); err != nil {
		t.Fatal(err)
	}

	type res struct {
		r   central.Record
		err error
	}
	done := make(chan res, 1)
	go func() {
		r, err := s.CallNext(ctx, central.CallRequest{Branch: "ALA-01", Day: day, Window: "1", Now: storetest.Morning().Add(time.Minute), PriorityRatio: 2})
		done <- res{r, err}
	}()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case got := <-done:
			if got.err != nil || got.r.Number != numbers[1] {
				t.Fatalf("CallNext = %s, %v; want %s, the ticket not locked", got.r.Number, got.err, numbers[1])
			}
			return
		case <-tick.C:
		}
		var blocked int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, pid).Scan(&blocked); err != nil {
			t.Fatal(err)
		}
		if blocked > 0 {
			other.Rollback()
			<-done
			t.Fatal("CallNext waits for the ticket another transaction holds")
		}
	}
}
