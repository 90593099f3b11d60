package uplink_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// BenchmarkOutboxCommit: sealing and committing one application, synced to
// disk, which happens before every ticket prints. Target: p99 ≤ 10 ms.
func BenchmarkOutboxCommit(b *testing.B) {
	out, err := uplink.OpenOutbox(context.Background(), filepath.Join(b.TempDir(), "outbox.db"), bytes.Repeat([]byte{3}, 32))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
		t0 := time.Now()
		if err := out.Put(ctx, a, t0); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
