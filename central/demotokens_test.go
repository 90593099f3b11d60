package central_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestDemoTokens: the demo's tokens are made once, kept in owner-only
// files, kept while the store knows them, and replaced when revoked.
func TestDemoTokens(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "c.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	dir := filepath.Join(t.TempDir(), "tokens")
	reg := central.Demo(2)
	first, err := central.EnsureDemoTokens(ctx, store, reg, dir, storetest.Morning())
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 6 {
		t.Errorf("%d demo tokens, want 6 (2 kiosks, clerk, supervisor, display, booking)", len(first))
	}
	k1 := central.Principal{Role: central.RoleKiosk, Branch: "ALA-01", Kiosk: "K-01"}
	path := central.DemoTokenFile(dir, central.RoleKiosk, "K-01")
	if tok, err := central.ReadTokenFile(path); err != nil || tok != first[k1] {
		t.Errorf("ReadTokenFile(%s) = %q, %v; want K-01's token", path, tok, err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("token file mode = %v, %v; want 0600", st.Mode().Perm(), err)
	}
	again, err := central.EnsureDemoTokens(ctx, store, reg, dir, storetest.Morning())
	if err != nil || again[k1] != first[k1] {
		t.Errorf("second start changed K-01's token (%v)", err)
	}
	list, _ := store.Tokens(ctx)
	for _, rec := range list {
		if rec.Kiosk == "K-01" {
			store.RevokeToken(ctx, rec.ID, storetest.Morning())
		}
	}
	third, err := central.EnsureDemoTokens(ctx, store, reg, dir, storetest.Morning())
	if err != nil || third[k1] == first[k1] {
		t.Errorf("after revocation K-01 kept its token (%v), want a new one", err)
	}
	if tok, _ := central.ReadTokenFile(path); tok != third[k1] {
		t.Errorf("the file holds the old token")
	}
	os.Chmod(path, 0o644)
	if _, err := central.ReadTokenFile(path); err == nil {
		t.Errorf("ReadTokenFile of a world-readable file succeeded")
	}
}
