package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/console"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// BenchmarkSignIn times a sign-in with the hall's password costs
// (central.DefaultPasswordParams): a wrong password, an unknown login and
// a disabled user must take the same time, the dummy hash's, and the right
// password about as long. The clock moves four minutes a sign-in, so the
// failures never lock the login.
func BenchmarkSignIn(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "c.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var mu sync.Mutex
	now := storetest.Morning()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(4 * time.Minute)
		return now
	}
	for _, login := range []string{"clerk1", "gone"} {
		if _, err := central.AddUser(ctx, st, login, "", central.RoleClerk, "ALA-01", []byte(password), central.DefaultPasswordParams(), clock()); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.DisableUser(ctx, "gone", clock()); err != nil {
		b.Fatal(err)
	}
	con, err := console.New(console.Options{Users: st, Registry: central.Demo(1), Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	token := strings.Repeat("t", 43)
	for _, bc := range []struct {
		name, login, pw string
		status          int
	}{
		{"wrong password", "clerk1", "not the password", http.StatusUnauthorized},
		{"unknown login", "nobody", password, http.StatusUnauthorized},
		{"disabled user", "gone", password, http.StatusUnauthorized},
		{"right password", "clerk1", password, http.StatusSeeOther},
	} {
		form := url.Values{"csrf": {token}, "login": {bc.login}, "password": {bc.pw}}.Encode()
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("POST", "/console/signin", strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(&http.Cookie{Name: console.SignInCookie, Value: token})
				rec := httptest.NewRecorder()
				con.ServeHTTP(rec, req)
				if rec.Code != bc.status {
					b.Fatalf("%d, want %d", rec.Code, bc.status)
				}
			}
		})
	}
}
