package uplink_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// BenchmarkOpenSweep: what the start costs with a full outbox (a day's
// outage) now that Open checks the file and opens every entry to set aside
// what does not open: the kiosk's time from start to first screen.
func BenchmarkOpenSweep(b *testing.B) {
	for _, n := range []int{100, 2000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			key, err := uplink.LoadKey(b.TempDir()+"/outbox.key", true)
			if err != nil {
				b.Fatal(err)
			}
			o := uplink.Options{Client: uplink.ClientOptions{BaseURL: "http://127.0.0.1:1"}, OutboxPath: b.TempDir() + "/outbox.db",
				OutboxKey: key, KioskID: "K-01", BranchID: "ALA-01", LendSize: -1}
			out, err := uplink.OpenOutbox(context.Background(), o.OutboxPath, key)
			if err != nil {
				b.Fatal(err)
			}
			for range n {
				if err := out.Put(context.Background(), storetest.Application("K-01", api.LaneOrdinary, time.Now()), time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			out.Close()
			for b.Loop() {
				u, err := uplink.Open(context.Background(), o)
				if err != nil {
					b.Fatal(err)
				}
				u.Close()
			}
		})
	}
}
