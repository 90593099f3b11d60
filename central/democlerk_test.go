package central_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestDemoClerk: the demo clerk is made once with a password kept in an
// owner-only file, kept from start to start, given a new password when the
// file is lost (ending its sessions), and left alone when disabled.
func TestDemoClerk(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "c.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	dir := filepath.Join(t.TempDir(), "tokens")
	now := storetest.Morning()
	pw, err := central.EnsureDemoClerk(ctx, store, "ALA-01", dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$`).MatchString(pw) || central.CheckPassword([]byte(pw)) != nil {
		t.Fatalf("demo password %q: want three groups of four", pw)
	}
	u, err := store.UserByLogin(ctx, central.DemoClerk)
	if err != nil || u.Role != central.RoleClerk || u.Branch != "ALA-01" || !central.VerifyPassword(u.Hash, []byte(pw)) {
		t.Fatalf("demo clerk %+v, %v; want a clerk of ALA-01 with the password", u, err)
	}
	st, err := os.Stat(central.DemoClerkFile(dir))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v %v; want 0600", st, err)
	}
	if again, err := central.EnsureDemoClerk(ctx, store, "ALA-01", dir, now); err != nil || again != pw {
		t.Errorf("second start: %q, %v; want the same password", again, err)
	}
	session := central.HashSession("s")
	if err := store.AddSession(ctx, central.SessionRecord{Hash: session, UserID: u.ID, CreatedAt: now, SeenAt: now}); err != nil {
		t.Fatal(err)
	}
	os.Remove(central.DemoClerkFile(dir))
	fresh, err := central.EnsureDemoClerk(ctx, store, "ALA-01", dir, now)
	if err != nil || fresh == pw || fresh == "" {
		t.Fatalf("after the file was lost: %q, %v; want a new password", fresh, err)
	}
	if u, _ := store.UserByLogin(ctx, central.DemoClerk); !central.VerifyPassword(u.Hash, []byte(fresh)) {
		t.Error("the new password does not sign in")
	}
	if _, _, err := store.Session(ctx, session); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("a session from before the new password: %v, want ended", err)
	}
	if err := store.DisableUser(ctx, central.DemoClerk, now); err != nil {
		t.Fatal(err)
	}
	if pw, err := central.EnsureDemoClerk(ctx, store, "ALA-01", dir, now); err != nil || pw != "" {
		t.Errorf("a disabled demo clerk: %q, %v; want it left disabled", pw, err)
	}
}
