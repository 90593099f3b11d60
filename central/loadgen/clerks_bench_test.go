package loadgen_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
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

const clerks = 50

// BenchmarkCallNext50Clerks: 50 clerks call next, each every 100 ms (500
// calls/s in all, far more than a hall), while 200 kiosks submit 200
// applications/s, and a hall display follows the calls. It reports
// call-next p50/p99 and the p99 from a call-next's start to the display
// stream's event (aim ≤ 100 ms): on SQLite with one server, and on one
// PostgreSQL with two servers (as two processes, each with its own
// connections; the clerks alternate between them and the display follows
// the second, so half the calls cross processes through LISTEN/NOTIFY).
func BenchmarkCallNext50Clerks(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		store, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "central.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		benchClerks(b, []central.Store{store})
	})
	b.Run("postgres-2-servers", func(b *testing.B) {
		dsn := storetest.PostgresSchema(b)
		var stores []central.Store
		for range 2 {
			s, err := postgres.Open(context.Background(), dsn, nil)
			if err != nil {
				b.Fatal(err)
			}
			stores = append(stores, s)
		}
		benchClerks(b, stores)
	})
}

func benchClerks(b *testing.B, stores []central.Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var urls []string
	for _, store := range stores {
		srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(kiosks), Key: storetest.Key()})
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		b.Cleanup(func() { srv.Close(); ts.Close(); store.Close() })
		urls = append(urls, ts.URL)
	}
	store := stores[0]
	tokens := make(map[string]string, kiosks)
	for i := range kiosks {
		tokens[loadgen.KioskID(i)] = storetest.Mint(b, store, central.RoleKiosk, "ALA-01", loadgen.KioskID(i))
	}
	clerk := storetest.Bearer(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clerks}}, storetest.Mint(b, store, central.RoleClerk, "ALA-01", ""))

	// The display, on the last server.
	var mu sync.Mutex
	shown := map[string]time.Time{}
	req, _ := http.NewRequestWithContext(ctx, "GET", urls[len(urls)-1]+"/v1/display?branch=ALA-01", nil)
	req.Header.Set("Authorization", "Bearer "+storetest.Mint(b, store, central.RoleDisplay, "ALA-01", ""))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("display: %v", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && sc.Text() != ": subscribed" {
	}
	go func() {
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var c api.Called
				if json.Unmarshal([]byte(data), &c) == nil {
					mu.Lock()
					shown[c.Number] = time.Now()
					mu.Unlock()
				}
			}
		}
	}()

	// A queue to call from, then kiosks submitting while the clerks call.
	load(b, loadgen.Options{URL: urls[0], Kiosks: kiosks, Tokens: tokens, Total: 1200, Duration: time.Minute})
	const each, period = 10, 500 * time.Millisecond // per clerk: 500 calls in all over 5 s
	b.ResetTimer()
	kctx, stopKiosks := context.WithCancel(ctx)
	kiosksDone := make(chan loadgen.Result, 1)
	go func() {
		res, _ := loadgen.Run(kctx, loadgen.Options{URL: urls[0], Kiosks: kiosks, Tokens: tokens, Rate: 200, Duration: time.Minute})
		kiosksDone <- res
	}()
	called := map[string]time.Time{}
	var lat []time.Duration
	var wg sync.WaitGroup
	for c := range clerks {
		wg.Go(func() {
			// Spread over the period, as clerks do not press at once.
			select {
			case <-time.After(time.Duration(c) * period / clerks):
			case <-ctx.Done():
				return
			}
			tick := time.NewTicker(period)
			defer tick.Stop()
			url := fmt.Sprintf("%s/v1/branches/ALA-01/windows/%d/call-next", urls[c%len(urls)], c+1)
			for range each {
				select {
				case <-tick.C:
				case <-ctx.Done():
					return
				}
				start := time.Now()
				st, body := storetest.Do(b, clerk, "POST", url, nil)
				took := time.Since(start)
				if st != http.StatusOK {
					b.Errorf("call-next = %d %s", st, body)
					return
				}
				number := storetest.Decode[api.Call](b, body).Status.Ticket.Number
				mu.Lock()
				lat = append(lat, took)
				called[number] = start
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	stopKiosks()
	kres := <-kiosksDone
	// Wait for the display to show every call (the benchmark's guard ends it).
	var shownLat []time.Duration
	for {
		mu.Lock()
		shownLat = shownLat[:0]
		for n, at := range called {
			if t, ok := shown[n]; ok {
				shownLat = append(shownLat, t.Sub(at))
			}
		}
		all := len(shownLat) == len(called)
		mu.Unlock()
		if all {
			break
		}
		select {
		case <-ctx.Done():
			b.Fatalf("the display showed %d of %d calls", len(shownLat), len(called))
		case <-time.After(10 * time.Millisecond):
		}
	}
	b.StopTimer()
	p := func(d []time.Duration, q float64) float64 {
		slices.Sort(d)
		return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(lat, 0.5), "call-next-p50-ms")
	b.ReportMetric(p(lat, 0.99), "call-next-p99-ms")
	b.ReportMetric(p(shownLat, 0.5), "to-display-p50-ms")
	b.ReportMetric(p(shownLat, 0.99), "to-display-p99-ms")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d clerks, %d calls on %d server(s); kiosks meanwhile: %s", clerks, len(lat), len(urls), kres)
}
