package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"testing/synctest"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// TestWriteWaitsForRunningOp: a request that ends while the writer runs its
// op (a kiosk giving up on a lend) must not return before the op is done
// with the caller's variables. Store.Lend read its result as write returned
// on ctx.Done while the op was still filling it in: a data race, seen under
// -race when a kiosk stopped during a lend. In a synctest bubble the test
// waits until every goroutine is blocked, so it sees where the caller stands
// without timing anything.
func TestWriteWaitsForRunningOp(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "w.db"))
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		s, err := New(ctx, Options{Write: db, Dialect: Dialect{Name: "sqlite", Blob: "BLOB"}})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()

		rctx, cancel := context.WithCancel(ctx)
		started, release := make(chan struct{}), make(chan struct{})
		result := 0
		errc := make(chan error, 1)
		go func() {
			err := s.write(rctx, func(*sql.Tx) error {
				close(started)
				<-release
				result = 42 // what Lend's op writes for its caller
				return nil
			})
			if err == nil && result != 42 {
				t.Errorf("write = nil but the op's result is %d", result)
			}
			errc <- err
		}()
		<-started
		cancel()
		synctest.Wait() // the caller has returned, or waits for the op
		select {
		case err := <-errc:
			close(release) // let the op end, so the store closes
			t.Fatalf("write returned %v while its op was still running", err)
		default:
		}
		close(release)
		if err := <-errc; err != nil {
			t.Fatalf("write = %v after its op committed, want nil", err)
		}
	})
}
