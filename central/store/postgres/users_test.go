package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestSignInLockAcrossServers: failed sign-ins of one login sent at once
// to several servers on one database all count: exactly one of them locks
// the login, and every server then sees it locked.
func TestSignInLockAcrossServers(t *testing.T) {
	d := freshSchema(t)
	var stores []central.Store
	for range 3 {
		s, err := postgres.Open(context.Background(), d, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	now := storetest.Morning()
	var mu sync.Mutex
	locks := 0
	var wg sync.WaitGroup
	for i := range central.SignInMaxFailures {
		wg.Go(func() {
			until, err := stores[i%len(stores)].SignInFailed(context.Background(), "clerk1", now)
			if err != nil {
				t.Error(err)
			}
			if !until.IsZero() {
				mu.Lock()
				locks++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if locks != 1 {
		t.Errorf("%d failures through %d servers locked the login %d times, want once", central.SignInMaxFailures, len(stores), locks)
	}
	for i, s := range stores {
		if until, err := s.SignInLocked(context.Background(), "clerk1", now); err != nil || until.IsZero() {
			t.Errorf("server %d: locked until %v, %v; want locked", i, until, err)
		}
	}
}
