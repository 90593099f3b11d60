package uplink_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// The kiosk opens the uplink once, runs its sync loop, and submits each
// confirmed application; the receipt's ticket is what it prints.
func Example() {
	dir, _ := os.MkdirTemp("", "uplink-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	// A central backend on loopback, as in the demo.
	store, _ := sqlite.Open(ctx, filepath.Join(dir, "central.db"), nil)
	srv, _ := central.NewServer(central.Options{Store: store, Registry: central.Demo(1), Key: storetest.Key()})
	ts := httptest.NewServer(srv)
	defer func() { srv.Close(); ts.Close(); store.Close() }()
	// The kiosk's token, as "central token add --role kiosk" makes it; a
	// kiosk reads it from backend.token_file.
	token, _, _ := central.MintToken(ctx, store, central.RoleKiosk, "ALA-01", "K-01", "example", time.Now())

	key, _ := uplink.LoadKey(filepath.Join(dir, "outbox.key"), true)
	u, err := uplink.Open(ctx, uplink.Options{
		Client:     uplink.ClientOptions{BaseURL: ts.URL, Token: token},
		OutboxPath: filepath.Join(dir, "outbox.db"), OutboxKey: key,
		KioskID: "K-01", BranchID: "ALA-01", LendSize: -1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer u.Close()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go u.Run(runCtx)

	a := storetest.Application("", api.LaneOrdinary, time.Now())
	a.ID = "" // the uplink makes the idempotency key
	r, err := u.Submit(ctx, a)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Ticket.Number, r.Offline)
	// Output: A001 false
}
