package uplink_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestOwnRangeSurvivesNewOutbox: the kiosk printed K001 to K003 of its own
// range, then lost its outbox (a damaged file moved aside and a new one
// made) or the mark kept beside it. The next ticket of the day is K004, not
// a second K001 that the backend would refuse while two visitors hold it.
func TestOwnRangeSurvivesNewOutbox(t *testing.T) {
	tests := map[string]func(t *testing.T, o uplink.Options){
		"outbox moved aside": func(t *testing.T, o uplink.Options) {
			if err := os.WriteFile(o.OutboxPath, bytes.Repeat([]byte("not an outbox "), 400), 0o600); err != nil {
				t.Fatal(err)
			}
			u, err := uplink.Open(context.Background(), o) // as kiosk run does
			if err != nil {
				t.Fatal(err)
			}
			u.Close()
			if moved, _ := filepath.Glob(o.OutboxPath + ".corrupt-*"); len(moved) != 1 {
				t.Fatalf("moved aside: %v", moved)
			}
		},
		"outbox deleted": func(t *testing.T, o uplink.Options) {
			for _, s := range []string{"", "-wal", "-shm"} {
				os.Remove(o.OutboxPath + s)
			}
		},
		"mark deleted": func(t *testing.T, o uplink.Options) {
			marks, _ := filepath.Glob(filepath.Join(filepath.Dir(o.OutboxPath), "*.counter"))
			if len(marks) != 1 {
				t.Fatalf("marks beside the outbox: %v, want one", marks)
			}
			os.Remove(marks[0])
		},
		"mark damaged": func(t *testing.T, o uplink.Options) {
			marks, _ := filepath.Glob(filepath.Join(filepath.Dir(o.OutboxPath), "*.counter"))
			if len(marks) != 1 {
				t.Fatalf("marks beside the outbox: %v, want one", marks)
			}
			os.WriteFile(marks[0], []byte("{not json"), 0o600)
		},
	}
	for name, lose := range tests {
		t.Run(name, func(t *testing.T) {
			b := newBackend(t)
			o := b.options(t)
			before := offlineTickets(t, o, 3)
			if got := before[2].Ticket.Number; got != "K003" {
				t.Fatalf("third offline ticket = %s, want K003", got)
			}
			lose(t, o)
			after := offlineTickets(t, o, 1)[0] // Learn: a new outbox hears its prefix again
			if after.Ticket.Number != "K004" {
				t.Fatalf("offline ticket after %s = %s, want K004 (K001 to K003 are in visitors' hands)", name, after.Ticket.Number)
			}
			b.start()
			u := open(t, o)
			if _, err := u.Sync(context.Background()); err != nil {
				t.Fatal(err)
			}
			if st, s := b.status(after.Ticket.ApplicationID); st != http.StatusOK || s.Ticket.Number != "K004" {
				t.Errorf("the backend has %d %+v, want K004", st, s.Ticket)
			}
		})
	}
}
