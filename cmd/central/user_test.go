package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
)

// TestUserCommands: add reads the password from stdin, stores only its
// hash and never prints it; short, empty and missing passwords and bad
// roles are refused; list shows no hash; disable stops the user.
func TestUserCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "central.db")
	user := func(stdin string, args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := cmdUser(ctx, args, strings.NewReader(stdin), &out, &errs)
		return code, out.String(), errs.String()
	}
	const pw = "long enough password"
	code, out, msg := user(pw+"\n", "add", "--db", db, "--role", "clerk", "--branch", "ALA-01", "--name", "Clerk One", "clerk1")
	if code != 0 || !strings.Contains(out, "clerk1") || strings.Contains(out+msg, pw) {
		t.Fatalf("user add = %d %q %q; want 0, the login, never the password", code, out, msg)
	}
	tests := []struct {
		name, stdin string
		args        []string
	}{
		{"short password", "ninechars\n", []string{"--role", "clerk", "--branch", "ALA-01", "short"}},
		{"short in characters, long in bytes", "Құпиясөз1\n", []string{"--role", "clerk", "--branch", "ALA-01", "short"}},
		{"empty line", "\n", []string{"--role", "clerk", "--branch", "ALA-01", "empty"}},
		{"no stdin", "", []string{"--role", "clerk", "--branch", "ALA-01", "empty"}},
		{"too long", strings.Repeat("x", central.MaxPassword+1) + "\n", []string{"--role", "clerk", "--branch", "ALA-01", "long"}},
		{"taken login", pw + "\n", []string{"--role", "clerk", "--branch", "ALA-01", "CLERK1"}},
		{"token role", pw + "\n", []string{"--role", "kiosk", "--branch", "ALA-01", "k"}},
		{"no branch", pw + "\n", []string{"--role", "admin", "boss"}},
		{"bad login", pw + "\n", []string{"--role", "clerk", "--branch", "ALA-01", "-x y"}},
		{"no login", pw + "\n", []string{"--role", "clerk", "--branch", "ALA-01"}},
	}
	for _, tc := range tests {
		code, out, msg := user(tc.stdin, append([]string{"add", "--db", db}, tc.args...)...)
		if code == 0 || out != "" || (len(tc.stdin) > 1 && strings.Contains(msg, strings.TrimSpace(tc.stdin))) {
			t.Errorf("%s: user add = %d %q %q; want a failure, nothing on stdout, no password echoed", tc.name, code, out, msg)
		}
	}
	if code, _, msg := user("exactly10!\n", "add", "--db", db, "--role", "supervisor", "--branch", "ALA-01", "sup"); code != 0 {
		t.Errorf("a password of exactly %d characters: %d %s", central.MinPassword, code, msg)
	}
	_, list, _ := user("", "list", "--db", db)
	if !strings.Contains(list, "clerk1") || !strings.Contains(list, "Clerk One") || !strings.Contains(list, "sup") ||
		strings.Contains(list, "argon2") || strings.Contains(list, "short") {
		t.Errorf("user list:\n%s\nwant clerk1 and sup, no hash, no refused user", list)
	}
	if code, _, _ := user("", "disable", "--db", db, "Clerk1"); code != 0 {
		t.Errorf("user disable = %d", code)
	}
	if code, out, _ := user("", "disable", "--db", db, "nobody"); code == 0 || out != "" {
		t.Errorf("disabling an unknown user = %d %q, want a failure", code, out)
	}
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByLogin(ctx, "clerk1")
	if err != nil || u.DisabledAt.IsZero() || !central.VerifyPassword(u.Hash, []byte(pw)) || !strings.HasPrefix(u.Hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("stored clerk1 = %+v, %v; want disabled, with an argon2id hash of the password", u, err)
	}
}
