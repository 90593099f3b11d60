package central_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// FuzzSubmit sends arbitrary bodies to the submission of kiosk K-01, as a
// faulty kiosk build or an attacker with its token would: every answer is
// a success or a 4xx with an Error body, never a 5xx or a panic, and a
// refusal never echoes the body's bytes.
func FuzzSubmit(f *testing.F) {
	clock := storetest.NewClock(storetest.Morning())
	good, _ := json.Marshal(storetest.Application("K-01", api.LaneOrdinary, clock.Now()))
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"5f0c6a8e-3b7d-4c1e-9a2f-6d8b1e4c7a90","applicant":{"sex":"Q","birthDate":"not-a-date"}}`))
	f.Add([]byte("{\"id\":\"\\ud800\",\"language\":\"k\u0000k\"}"))
	f.Add(append([]byte(`{"language":"`), 0xff, 0xfe, '"', '}'))

	store := newStore(f)
	srv, err := central.NewServer(central.Options{Store: store, Registry: central.Demo(1), Key: storetest.Key(), Now: clock.Now})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close(); store.Close() })
	token := storetest.Mint(f, store, central.RoleKiosk, "ALA-01", "K-01")

	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/v1/applications", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		switch {
		case w.Code >= 500:
			t.Fatalf("%d %s for body %q", w.Code, w.Body.Bytes(), body)
		case w.Code >= 400:
			var e api.Error
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" {
				t.Fatalf("%d with body %q, want an Error", w.Code, w.Body.Bytes())
			}
		case w.Code != http.StatusCreated && w.Code != http.StatusOK:
			t.Fatalf("status %d for body %q", w.Code, body)
		}
	})
}
