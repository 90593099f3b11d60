package loadgen_test

import (
	"context"
	"database/sql"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/loadgen"
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

const kiosks = 200

// auths are the ways the benchmarks authenticate each kiosk: its own
// token, trusted for central.DefaultTokenCache once verified (as served),
// and the same with the store asked on every request, which is the cost
// of the token check without the cache.
var auths = []struct {
	name  string
	cache time.Duration
}{
	{"token", 0},
	{"token-uncached", -1},
}

// serve starts a server on store and gives every kiosk a token of its own.
func serve(b *testing.B, store central.Store, cache time.Duration) (string, map[string]string) {
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(kiosks), Key: storetest.Key(), TokenCache: cache})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(func() { srv.Close(); ts.Close(); store.Close() })
	tokens := make(map[string]string, kiosks)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range kiosks {
		wg.Go(func() { // at once, so the store commits them in a few batches
			tok, _, err := central.MintToken(context.Background(), store, central.RoleKiosk, "ALA-01", loadgen.KioskID(i), "bench", time.Now())
			if err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			tokens[loadgen.KioskID(i)] = tok
			mu.Unlock()
		})
	}
	wg.Wait()
	return ts.URL, tokens
}

// run measures twice from 200 kiosks: paced at 1,000 submissions/s in
// all for 3 s (the latency at the target rate), then closed loop for 4,000
// submissions (the most the server sustains). Each call is bounded however
// large b.N is.
func run(b *testing.B, url string, tokens map[string]string) {
	b.ResetTimer()
	paced := load(b, loadgen.Options{URL: url, Kiosks: kiosks, Tokens: tokens, Rate: 1000, Total: 3000, Duration: 20 * time.Second})
	saturated := load(b, loadgen.Options{URL: url, Kiosks: kiosks, Tokens: tokens, Total: 4000, Duration: 20 * time.Second})
	b.StopTimer()
	b.ReportMetric(paced.PerSecond(), "paced-submissions/s")
	b.ReportMetric(float64(paced.P50.Microseconds())/1000, "paced-p50-ms")
	b.ReportMetric(float64(paced.P99.Microseconds())/1000, "paced-p99-ms")
	b.ReportMetric(saturated.PerSecond(), "max-submissions/s")
	b.ReportMetric(float64(saturated.P99.Microseconds())/1000, "max-p99-ms")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d kiosks paced at 1000/s: %s", kiosks, paced)
	b.Logf("%d kiosks closed loop:     %s", kiosks, saturated)
	b.Logf("13,000 applications (the September 2022 peak day) take %.1f s at the closed-loop rate", 13000/saturated.PerSecond())
}

func load(b *testing.B, o loadgen.Options) loadgen.Result {
	res, err := loadgen.Run(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	if res.Failed > 0 {
		b.Errorf("%d submissions failed; first: %v", res.Failed, res.FirstErr)
	}
	return res
}

// BenchmarkSQLite200Kiosks: durable submissions (WAL, synchronous=FULL)
// through the real uplink client, each kiosk with its own token; the target
// is ≥ 1,000/s with p99 ≤ 50 ms.
func BenchmarkSQLite200Kiosks(b *testing.B) {
	for _, a := range auths {
		b.Run(a.name, func(b *testing.B) {
			store, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "central.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			url, tokens := serve(b, store, a.cache)
			run(b, url, tokens)
		})
	}
}

// BenchmarkPostgres200Kiosks: the same on PostgreSQL ($KIOSK_TEST_POSTGRES).
func BenchmarkPostgres200Kiosks(b *testing.B) {
	dsn := os.Getenv("KIOSK_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("KIOSK_TEST_POSTGRES is not set; export KIOSK_TEST_POSTGRES=\"$(bash scripts/ci-postgres.sh)\"")
	}
	for _, a := range auths {
		b.Run(a.name, func(b *testing.B) {
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				b.Fatal(err)
			}
			schema := "bench_" + strings.ReplaceAll(api.NewID(), "-", "")[:12]
			if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Exec("DROP SCHEMA " + schema + " CASCADE"); db.Close() })
			u, _ := neturl.Parse(dsn)
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			store, err := postgres.Open(context.Background(), u.String(), nil)
			if err != nil {
				b.Fatal(err)
			}
			url, tokens := serve(b, store, a.cache)
			run(b, url, tokens)
		})
	}
}
