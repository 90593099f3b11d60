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

// TestTokenCommands: add prints a token once and stores only its hash,
// list shows no secret, revoke ends it; bad grants are refused.
func TestTokenCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "central.db")
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := run(ctx, append([]string{"token"}, args...), &out, &errs)
		return code, out.String(), errs.String()
	}
	code, tok, msg := run("add", "--db", db, "--role", "clerk", "--branch", "ALA-01", "--name", "window 3")
	tok = strings.TrimSpace(tok)
	if code != 0 || !strings.HasPrefix(tok, central.TokenPrefix) || !strings.Contains(msg, "shown only now") {
		t.Fatalf("token add = %d %q %q, want 0, a token and the warning", code, tok, msg)
	}
	refused := [][]string{
		{"add", "--db", db, "--role", "clerk"},
		{"add", "--db", db, "--role", "root", "--branch", "ALA-01"},
		{"add", "--db", db, "--role", "kiosk", "--branch", "ALA-01"},
		{"add", "--db", db, "--role", "admin", "--branch", "ALA-01"},
		{"add", "--db", db, "--role", "clerk", "--branch", "ALA-01", "--kiosk", "K-01"},
		{"revoke", "--db", db, "nosuchid"},
		{"revoke", "--db", db},
		{"frobnicate"},
	}
	for _, args := range refused {
		if code, out, _ := run(args...); code == 0 || out != "" {
			t.Errorf("token %v = %d %q, want a failure and nothing on stdout", args, code, out)
		}
	}
	if code, _, _ := run("add", "--db", db, "--role", "admin", "--name", "ops"); code != 0 {
		t.Errorf("token add admin = %d, want 0", code)
	}
	_, list, _ := run("list", "--db", db)
	if strings.Contains(list, tok) || strings.Contains(list, tok[len(central.TokenPrefix):len(central.TokenPrefix)+8]) {
		t.Errorf("token list shows the token:\n%s", list)
	}
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "clerk") || !strings.Contains(lines[1], "window 3") || !strings.HasSuffix(lines[1], "-") {
		t.Fatalf("token list:\n%s\nwant a header, the clerk's (not revoked) and the admin's", list)
	}
	id := strings.Fields(lines[1])[0]

	s, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := s.TokenByHash(ctx, central.HashToken(tok)); err != nil || rec.ID != id || rec.Role != central.RoleClerk {
		t.Errorf("the store has %+v, %v for the printed token; want the clerk's %s", rec, err, id)
	}
	s.Close()

	if code, out, _ := run("revoke", "--db", db, id); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("token revoke = %d %q", code, out)
	}
	_, list, _ = run("list", "--db", db)
	if l := strings.Split(list, "\n")[1]; strings.HasSuffix(strings.TrimSpace(l), " -") {
		t.Errorf("after revoke the list says %q, want a revocation time", l)
	}
	s, err = sqlite.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.TokenByHash(ctx, central.HashToken(tok)); err == nil {
		t.Errorf("the revoked token is still found")
	}
}
