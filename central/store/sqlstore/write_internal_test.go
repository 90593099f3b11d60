package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// TestWriteWaitsForRunningOp: a request that ends while the writer runs its
// op (a kiosk giving up on a lend) must not return before the op is done
// with the caller's variables. Store.Lend read its result as write returned
// on ctx.Done while the op was still filling it in: a data race, seen under
// -race when a kiosk stopped during a lend.
func TestWriteWaitsForRunningOp(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "w.db"))
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
	var finished atomic.Bool
	errc := make(chan error, 1)
	go func() {
		errc <- s.write(rctx, func(*sql.Tx) error {
			close(started)
			<-release
			// Slow database work: before the fix the caller was back
			// long before this op ended.
			time.Sleep(20 * time.Millisecond)
			finished.Store(true)
			return nil
		})
	}()
	<-started
	cancel()
	close(release)
	err = <-errc
	if !finished.Load() {
		t.Fatalf("write returned %v while its op was still running", err)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("write = %v, want nil (committed) or context.Canceled", err)
	}
}
