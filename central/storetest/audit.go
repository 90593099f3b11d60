package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// testAudit: entries are listed per branch, newest first, with the user's
// login, in pages that neither skip nor repeat (entries of one instant
// too); a view is stored once per user and ticket, by exactly one of many
// racing writers, while other actions are stored each time.
func testAudit(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	u, err := central.AddUser(ctx, st, "sup1", "", central.RoleSupervisor, "ALA-01", []byte("correct horse"), CheapPassword(), now)
	if err != nil {
		t.Fatal(err)
	}
	add := func(e central.AuditEntry) bool {
		t.Helper()
		stored, err := st.AddAudit(ctx, e)
		if err != nil {
			t.Fatalf("AddAudit(%+v): %v", e, err)
		}
		return stored
	}
	var want []string // ids of ALA-01, oldest first
	for i := range 7 {
		// Three entries share each instant: paging must order them by id.
		e := central.AuditEntry{ID: api.NewID(), At: now.Add(time.Duration(i/3) * time.Second), User: u.ID, Branch: "ALA-01",
			Action: central.AuditCalled, Ticket: api.NewID(), Number: fmt.Sprintf("A%03d", i+1)}
		if !add(e) {
			t.Fatalf("entry %d not stored", i)
		}
		want = append(want, e.ID)
		add(central.AuditEntry{ID: api.NewID(), At: e.At, User: "u-other", Branch: "ALA-02", Action: central.AuditCalled, Ticket: api.NewID(), Number: "B001"})
	}
	var got []central.AuditEntry
	q := central.AuditQuery{Branch: "ALA-01", Limit: 3}
	for page := 0; ; page++ {
		es, err := st.AuditLog(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 || page > 5 {
			break
		}
		if len(es) > 3 {
			t.Fatalf("page %d has %d entries, limit 3", page, len(es))
		}
		got = append(got, es...)
		q.Before = es[len(es)-1]
	}
	// Newest first: by time, and by id descending within an instant.
	if len(got) != len(want) {
		t.Fatalf("AuditLog pages gave %d entries, want %d", len(got), len(want))
	}
	if !slices.IsSortedFunc(got, func(a, b central.AuditEntry) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return compareStrings(b.ID, a.ID)
	}) {
		t.Errorf("AuditLog is not newest first: %+v", got)
	}
	ids := map[string]bool{}
	for _, e := range got {
		ids[e.ID] = true
		if e.Branch != "ALA-01" || e.Login != "sup1" || e.User != u.ID || e.Action != central.AuditCalled || e.Ticket == "" || e.Number == "" {
			t.Errorf("entry %+v: want ALA-01's, by sup1, with ticket and number", e)
		}
	}
	for _, id := range want {
		if !ids[id] {
			t.Errorf("entry %s missing from the pages", id)
		}
	}
	if es, err := st.AuditLog(ctx, central.AuditQuery{Branch: "ALA-02"}); err != nil || len(es) != 7 || es[0].Login != "" {
		t.Errorf("ALA-02's log = %d entries, %v; want 7, without a login for an unknown user", len(es), err)
	}

	// A view: once per user and ticket, whoever races.
	ticket := api.NewID()
	view := func(user string) central.AuditEntry {
		return central.AuditEntry{ID: api.NewID(), At: now.Add(time.Minute), User: user, Branch: "ALA-01", Action: central.AuditViewed, Ticket: ticket, Number: "A001"}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stored := 0
	for range 8 {
		wg.Go(func() {
			ok, err := st.AddAudit(ctx, view(u.ID))
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				stored++
			}
		})
	}
	wg.Wait()
	if stored != 1 {
		t.Errorf("8 racing views stored %d times, want 1", stored)
	}
	if add(view(u.ID)) {
		t.Error("a later view of the same ticket by the same user was stored again")
	}
	if !add(view("u-second")) {
		t.Error("another user's view of the ticket was not stored")
	}
	again := central.AuditEntry{ID: api.NewID(), At: now.Add(2 * time.Minute), User: u.ID, Branch: "ALA-01", Action: central.AuditRecalled, Ticket: ticket, Number: "A001"}
	if !add(again) {
		t.Error("a recall was not stored")
	}
	again.ID = api.NewID()
	if !add(again) {
		t.Error("a second recall of the same ticket was not stored: only views are once")
	}
	es, err := st.AuditLog(ctx, central.AuditQuery{Branch: "ALA-01", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range es {
		count[e.Action]++
	}
	if count[central.AuditViewed] != 2 || count[central.AuditRecalled] != 2 || len(es) != 11 {
		t.Errorf("ALA-01's log counts %v in %d entries; want 2 views, 2 recalls, 11 in all", count, len(es))
	}
	if _, err := st.AddAudit(ctx, central.AuditEntry{At: now, User: u.ID, Branch: "ALA-01", Action: central.AuditCalled}); err == nil {
		t.Error("an entry without an id was stored")
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// testSupervisorReads: the latest heartbeat of each kiosk asked for, and
// the live sessions at a branch's windows with their users: not a session
// without a window, an expired one, a disabled user's or another branch's.
func testSupervisorReads(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	for i, k := range []string{"K-01", "K-02", "K-01", "K-09"} {
		if err := st.SaveHeartbeat(ctx, k, now.Add(time.Duration(i)*time.Minute), []byte(fmt.Sprintf(`{"version":"%d"}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	hbs, err := st.Heartbeats(ctx, []string{"K-01", "K-02", "K-03"})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(hbs, func(a, b central.HeartbeatRecord) int { return compareStrings(a.Kiosk, b.Kiosk) })
	if len(hbs) != 2 || hbs[0].Kiosk != "K-01" || !hbs[0].At.Equal(now.Add(2*time.Minute)) || string(hbs[0].Body) != `{"version":"2"}` ||
		hbs[1].Kiosk != "K-02" || string(hbs[1].Body) != `{"version":"1"}` {
		t.Errorf("Heartbeats = %+v; want K-01's latest and K-02's", hbs)
	}
	if hbs, err := st.Heartbeats(ctx, nil); err != nil || len(hbs) != 0 {
		t.Errorf("Heartbeats(none) = %v, %v", hbs, err)
	}

	user := func(login string, role central.Role, branch string) central.UserRecord {
		t.Helper()
		u, err := central.AddUser(ctx, st, login, "", role, branch, []byte("correct horse"), CheapPassword(), now)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	session := func(u central.UserRecord, id string, at time.Time, window int) {
		t.Helper()
		h := central.HashSession(id)
		if err := st.AddSession(ctx, central.SessionRecord{Hash: h, UserID: u.ID, CreatedAt: at, SeenAt: at}); err != nil {
			t.Fatal(err)
		}
		if window > 0 {
			if err := st.SetSessionWindow(ctx, h, window); err != nil {
				t.Fatal(err)
			}
		}
	}
	later := now.Add(time.Hour)
	c1, c2, sup := user("clerk1", central.RoleClerk, "ALA-01"), user("clerk2", central.RoleClerk, "ALA-01"), user("sup", central.RoleSupervisor, "ALA-01")
	gone, other := user("gone", central.RoleClerk, "ALA-01"), user("other", central.RoleClerk, "ALA-02")
	session(c1, "idle", now, 1) // idle by later
	session(c2, "c2", later, 2)
	session(c1, "c1", later.Add(time.Second), 3)
	session(sup, "sup", later, 0) // no window: not at one
	session(gone, "gone", later, 4)
	session(other, "other", later, 1)
	if err := st.DisableUser(ctx, "gone", later); err != nil {
		t.Fatal(err)
	}
	ws, err := st.WindowSessions(ctx, "ALA-01", later.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, fmt.Sprintf("%d:%s", w.Window, w.User.Login))
		if w.User.Hash != "" {
			t.Error("WindowSessions gave a password hash")
		}
	}
	if want := []string{"2:clerk2", "3:clerk1"}; !slices.Equal(got, want) {
		t.Errorf("WindowSessions = %v, want %v", got, want)
	}
	// At the idle limit the sessions are over.
	if ws, err := st.WindowSessions(ctx, "ALA-01", later.Add(time.Second+central.SessionIdle)); err != nil || len(ws) != 0 {
		t.Errorf("WindowSessions after idling = %v, %v; want none", ws, err)
	}
}
