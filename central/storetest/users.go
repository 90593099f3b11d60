package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// CheapPassword are argon2id costs for tests only, so that a suite of
// sign-ins takes milliseconds; a hall uses central.DefaultPasswordParams.
func CheapPassword() central.PasswordParams {
	return central.PasswordParams{Memory: 64, Time: 1, Threads: 1}
}

// testUsers: users are stored once per login, found with a hash that
// verifies, listed without it, and disabled once.
func testUsers(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	u, err := central.AddUser(ctx, st, " Clerk1 ", "Айгерім Сейітқызы", central.RoleClerk, "ALA-01", []byte("correct horse"), CheapPassword(), now)
	if err != nil {
		t.Fatal(err)
	}
	if u.Login != "clerk1" || u.Hash != "" || u.ID == "" {
		t.Fatalf("AddUser = %+v; want login clerk1, an id, no hash", u)
	}
	if _, err := central.AddUser(ctx, st, "clerk1", "", central.RoleSupervisor, "ALA-01", []byte("another password"), CheapPassword(), now); !errors.Is(err, central.ErrConflict) {
		t.Errorf("a second clerk1 = %v, want ErrConflict", err)
	}
	if _, err := central.AddUser(ctx, st, "sup", "", central.RoleSupervisor, "ALA-01", []byte("supervisor pw"), CheapPassword(), now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err := st.UserByLogin(ctx, "clerk1")
	if err != nil || got.ID != u.ID || got.Name != "Айгерім Сейітқызы" || got.Role != central.RoleClerk || got.Branch != "ALA-01" ||
		!got.CreatedAt.Equal(now) || !got.DisabledAt.IsZero() || !central.VerifyPassword(got.Hash, []byte("correct horse")) {
		t.Fatalf("UserByLogin = %+v, %v; want clerk1 with a hash of its password", got, err)
	}
	if central.VerifyPassword(got.Hash, []byte("correct hors")) {
		t.Error("the hash verifies another password")
	}
	if _, err := st.UserByLogin(ctx, "nobody"); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("UserByLogin(nobody) = %v, want ErrNotFound", err)
	}
	if err := st.DisableUser(ctx, "nobody", now); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("DisableUser(nobody) = %v, want ErrNotFound", err)
	}
	for _, at := range []time.Time{now.Add(time.Hour), now.Add(2 * time.Hour)} {
		if err := st.DisableUser(ctx, "clerk1", at); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.Users(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("Users = %d, %v; want 2", len(list), err)
	}
	if l := list[0]; l.Login != "clerk1" || l.Hash != "" || !l.DisabledAt.Equal(now.Add(time.Hour)) {
		t.Errorf("Users[0] = %+v; want clerk1 without hash, disabled at the first time", l)
	}
	if l := list[1]; l.Login != "sup" || l.Hash != "" || !l.DisabledAt.IsZero() {
		t.Errorf("Users[1] = %+v; want sup, enabled, without hash", l)
	}
}

// testSignInLockout: the SignInMaxFailures-th failure within the window
// locks a login, known or not, for SignInLockout; older failures do not
// count; a success forgets them; failures at once all count.
func testSignInLockout(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	fail := func(login string, at time.Time) time.Time {
		t.Helper()
		until, err := st.SignInFailed(ctx, login, at)
		if err != nil {
			t.Fatal(err)
		}
		return until
	}
	locked := func(login string, at time.Time) time.Time {
		t.Helper()
		until, err := st.SignInLocked(ctx, login, at)
		if err != nil {
			t.Fatal(err)
		}
		return until
	}
	for _, login := range []string{"clerk1", "nobody"} {
		for i := 1; i < central.SignInMaxFailures; i++ {
			if u := fail(login, now.Add(time.Duration(i)*time.Minute)); !u.IsZero() {
				t.Fatalf("%s: failure %d locked until %v", login, i, u)
			}
		}
		at := now.Add(10 * time.Minute)
		want := at.Add(central.SignInLockout)
		if u := fail(login, at); !u.Equal(want) {
			t.Fatalf("%s: failure %d: locked until %v, want %v", login, central.SignInMaxFailures, u, want)
		}
		if u := locked(login, want.Add(-time.Second)); !u.Equal(want) {
			t.Errorf("%s: a second before the end: locked until %v, want %v", login, u, want)
		}
		if u := locked(login, want); !u.IsZero() {
			t.Errorf("%s: at the end of the lock: locked until %v, want unlocked", login, u)
		}
		// After the lock the count starts again.
		if u := fail(login, want); !u.IsZero() {
			t.Errorf("%s: the first failure after the lock locked it", login)
		}
	}
	// Failures spread wider than the window never lock.
	for i := range 2 * central.SignInMaxFailures {
		at := now.Add(time.Duration(i) * (central.SignInFailureWindow/central.SignInMaxFailures + time.Minute))
		if u := fail("slow", at); !u.IsZero() {
			t.Fatalf("failure %d, %v apart, locked the login", i, central.SignInFailureWindow/central.SignInMaxFailures+time.Minute)
		}
	}
	// A success forgets the failures.
	for range central.SignInMaxFailures - 1 {
		fail("forgets", now)
	}
	if err := st.SignInSucceeded(ctx, "forgets"); err != nil {
		t.Fatal(err)
	}
	if u := fail("forgets", now); !u.IsZero() {
		t.Error("a failure after a success locked the login")
	}
	// Failures sent at once all count: exactly one of them locks.
	var mu sync.Mutex
	var locks int
	var wg sync.WaitGroup
	for range central.SignInMaxFailures {
		wg.Go(func() {
			u, err := st.SignInFailed(ctx, "burst", now)
			if err != nil {
				t.Error(err)
			}
			if !u.IsZero() {
				mu.Lock()
				locks++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if locks != 1 || locked("burst", now).IsZero() {
		t.Errorf("%d failures at once: %d locked it, locked now %v; want exactly one and locked", central.SignInMaxFailures, locks, locked("burst", now))
	}
}

// testSessions: a session is found by its hash with its user, keeps its
// window and last-seen time, and ends when deleted, when its user is
// disabled, or (swept at the next sign-in) when it expired.
func testSessions(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	u, err := central.AddUser(ctx, st, "clerk1", "Clerk One", central.RoleClerk, "ALA-01", []byte("correct horse"), CheapPassword(), now)
	if err != nil {
		t.Fatal(err)
	}
	add := func(id string, at time.Time) []byte {
		t.Helper()
		h := central.HashSession(id)
		if err := st.AddSession(ctx, central.SessionRecord{Hash: h, UserID: u.ID, CreatedAt: at, SeenAt: at}); err != nil {
			t.Fatal(err)
		}
		return h
	}
	a := add("a", now)
	se, su, err := st.Session(ctx, a)
	if err != nil || string(se.Hash) != string(a) || se.UserID != u.ID || !se.CreatedAt.Equal(now) || !se.SeenAt.Equal(now) || se.Window != 0 ||
		su.Login != "clerk1" || su.Name != "Clerk One" || su.Branch != "ALA-01" || su.Role != central.RoleClerk || su.Hash != "" {
		t.Fatalf("Session = %+v, %+v, %v; want session a of clerk1", se, su, err)
	}
	if err := st.SetSessionWindow(ctx, a, 3); err != nil {
		t.Fatal(err)
	}
	if err := st.TouchSession(ctx, a, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if se, _, err := st.Session(ctx, a); err != nil || se.Window != 3 || !se.SeenAt.Equal(now.Add(time.Minute)) {
		t.Errorf("after window 3 and a touch: %+v, %v", se, err)
	}
	if _, _, err := st.Session(ctx, central.HashSession("unknown")); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("an unknown session = %v, want ErrNotFound", err)
	}
	// A new sign-in sweeps the sessions that have expired by then: a is
	// idle since now+1m, b is fresh.
	later := now.Add(time.Minute + central.SessionIdle)
	b := add("b", later)
	if _, _, err := st.Session(ctx, a); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("an idle session after a later sign-in = %v, want swept", err)
	}
	if err := st.DeleteSession(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Session(ctx, b); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("a deleted session = %v, want ErrNotFound", err)
	}
	if err := st.DeleteSession(ctx, b); err != nil {
		t.Errorf("deleting twice = %v, want nil", err)
	}
	// A new password ends the sessions.
	d := add("d", later)
	hash, err := central.HashPassword([]byte("a new password"), CheapPassword())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(ctx, "clerk1", hash); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Session(ctx, d); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("a session after a new password = %v, want ErrNotFound", err)
	}
	if got, err := st.UserByLogin(ctx, "clerk1"); err != nil || got.Hash != hash {
		t.Errorf("the hash after SetPassword = %q, %v; want the new one", got.Hash, err)
	}
	if err := st.SetPassword(ctx, "nobody", hash); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("SetPassword(nobody) = %v, want ErrNotFound", err)
	}
	c := add("c", later)
	if err := st.DisableUser(ctx, "clerk1", later); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Session(ctx, c); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("a disabled user's session = %v, want ErrNotFound", err)
	}
}
