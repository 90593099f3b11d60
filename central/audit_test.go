package central_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// syncBuffer is a log many goroutines write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAuditLost: when the audit log cannot be written (its table gone),
// the clerk's call and completion, already committed, still succeed and
// the loss is logged at error level with the masked ticket and no
// visitor's data; an export, which has not happened yet, is refused.
func TestAuditLost(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "central.db")
	st, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := storetest.NewClock(storetest.Morning())
	logs := &syncBuffer{}
	srv, err := central.NewServer(central.Options{Store: st, Registry: central.Demo(1), Key: storetest.Key(), Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	a := storetest.Application("K-01", api.LaneOrdinary, clock.Now())
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	kiosk := storetest.Bearer(ts.Client(), storetest.Mint(t, st, central.RoleKiosk, "ALA-01", "K-01"))
	if code, b := storetest.Do(t, kiosk, "POST", ts.URL+"/v1/applications", a); code != http.StatusCreated {
		t.Fatalf("submit = %d: %s", code, b)
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP TABLE audit`); err != nil {
		t.Fatal(err)
	}
	call, err := srv.CallNextAt(ctx, "u-clerk", "ALA-01", 1)
	if err != nil || call.Status.Ticket.ApplicationID != a.ID {
		t.Fatalf("CallNextAt = %+v, %v; want the ticket called although its audit entry is lost", call.Status, err)
	}
	if _, err := srv.AtWindow(ctx, "u-clerk", "ALA-01", 1); err != nil {
		t.Errorf("AtWindow = %v; want the card although its view is not recorded", err)
	}
	if _, err := srv.Act(ctx, central.ClerkAction{Branch: "ALA-01", ID: a.ID, Action: central.ActionComplete, User: "u-clerk", Result: central.ResultIIN}); err != nil {
		t.Errorf("Act(complete) = %v; want done although its audit entry is lost", err)
	}
	log := logs.String()
	for _, action := range []string{"called", "viewed", "completed"} {
		if !strings.Contains(log, `level=ERROR msg="audit entry not stored" user=u-clerk action=`+action+` branch=ALA-01 ticket=`+api.MaskID(a.ID)) {
			t.Errorf("the log does not say the %s entry was lost:\n%s", action, log)
		}
	}
	if err := srv.RecordExport(ctx, "u-sup", "ALA-01"); !errors.Is(err, central.ErrNotAudited) {
		t.Errorf("RecordExport = %v, want ErrNotAudited", err)
	}
	for _, secret := range []string{"ERIKSSON", a.Applicant.DocumentNumber, a.ID} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}
