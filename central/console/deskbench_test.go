package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/console"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// BenchmarkDeskPage times the console's page at a window with a visitor
// called there and 50 waiting, on SQLite: the page a clerk reloads after
// every action. It reports the p99 besides the mean (aim: 50 ms).
func BenchmarkDeskPage(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "c.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	clock := storetest.NewClock(storetest.Morning())
	reg := central.Demo(1)
	srv, err := central.NewServer(central.Options{Store: st, Registry: reg, Key: storetest.Key(), Now: clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	con, err := console.New(console.Options{Users: st, Registry: reg, Now: clock.Now, Password: storetest.CheapPassword(), Queue: srv})
	if err != nil {
		b.Fatal(err)
	}
	srv.Mount("/console/", con)
	kiosk := "Bearer " + storetest.Mint(b, st, central.RoleKiosk, "ALA-01", "K-01")
	for range 51 {
		body, _ := json.Marshal(storetest.Application("K-01", api.LaneOrdinary, clock.Now()))
		req := httptest.NewRequest("POST", "/v1/applications", bytes.NewReader(body))
		req.Header.Set("Authorization", kiosk)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("submit = %d: %s", rec.Code, rec.Body)
		}
	}
	u, err := central.AddUser(ctx, st, "clerk1", "", central.RoleClerk, "ALA-01", []byte(password), storetest.CheapPassword(), clock.Now())
	if err != nil {
		b.Fatal(err)
	}
	id := strings.Repeat("s", 43)
	hash := central.HashSession(id)
	if err := st.AddSession(ctx, central.SessionRecord{Hash: hash, UserID: u.ID, CreatedAt: clock.Now(), SeenAt: clock.Now()}); err != nil {
		b.Fatal(err)
	}
	if err := st.SetSessionWindow(ctx, hash, 1); err != nil {
		b.Fatal(err)
	}
	if _, err := srv.CallNextAt(ctx, u.ID, "ALA-01", 1); err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	for b.Loop() {
		req := httptest.NewRequest("GET", "/console/?lang=ru", nil)
		req.AddCookie(&http.Cookie{Name: console.SessionCookie, Value: id})
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="f-latin-surname"`) {
			b.Fatalf("page = %d without the card", rec.Code)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
