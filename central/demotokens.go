package central

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DemoTokenFile is the file under dir that holds a demo principal's token:
// "kiosk-K-01" for a kiosk (id is its kiosk id), "clerk-ALA-01",
// "supervisor-ALA-01", "display-ALA-01" and "booking-ALA-01" for a
// branch's (id is the branch).
func DemoTokenFile(dir string, role Role, id string) string {
	return filepath.Join(dir, string(role)+"-"+id)
}

// ReadTokenFile reads a token from a file that only its owner may read, as
// a kiosk keeps its token (backend.token_file).
func ReadTokenFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("central: token file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("central: token file %s is readable by others (%v); chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("central: token file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if !wellFormed(tok) {
		return "", fmt.Errorf("central: token file %s does not hold a token (%s…, one line)", path, TokenPrefix)
	}
	return tok, nil
}

// EnsureDemoTokens gives the demo's principals tokens, kept in files under
// dir (0600, the folder 0700) so that a kiosk, a script or a person on the
// same machine can use them: every kiosk of reg, and a clerk, a
// supervisor, a display and a booking feed of each branch. A file whose
// token the store does not know, or knows revoked, or for another
// principal, gets a new token; the others are kept. It returns the tokens
// by principal (TokenID left empty). For the demo only: a hall's tokens
// are made one by one with "central token add" and kept where their
// holders keep secrets.
func EnsureDemoTokens(ctx context.Context, ts TokenStore, reg Registry, dir string, now time.Time) (map[Principal]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("central: demo tokens: %w", err)
	}
	var want []Principal
	for _, b := range reg.Branches {
		for _, k := range b.Kiosks {
			want = append(want, Principal{Role: RoleKiosk, Branch: b.ID, Kiosk: k.ID})
		}
		for _, r := range []Role{RoleClerk, RoleSupervisor, RoleDisplay, RoleBooking} {
			want = append(want, Principal{Role: r, Branch: b.ID})
		}
	}
	out := make(map[Principal]string, len(want))
	for _, p := range want {
		id := p.Branch
		if p.Role == RoleKiosk {
			id = p.Kiosk
		}
		path := DemoTokenFile(dir, p.Role, id)
		tok, err := ReadTokenFile(path)
		if err == nil {
			rec, err := ts.TokenByHash(ctx, HashToken(tok))
			if err == nil && rec.Role == p.Role && rec.Branch == p.Branch && rec.Kiosk == p.Kiosk {
				out[p] = tok
				continue
			}
			if err != nil && !errors.Is(err, ErrNotFound) {
				return nil, fmt.Errorf("central: demo tokens: %w", err)
			}
		}
		// Missing, unreadable or loose: a new token replaces it.
		tok, _, err = MintToken(ctx, ts, p.Role, p.Branch, p.Kiosk, "demo", now)
		if err != nil {
			return nil, err
		}
		if err := writeSecret(path, tok+"\n"); err != nil {
			return nil, fmt.Errorf("central: demo tokens: %w", err)
		}
		out[p] = tok
	}
	return out, nil
}

// writeSecret replaces the file at path with data, readable by the owner
// only, never leaving a half-written file.
func writeSecret(path, data string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".token-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	_, werr := tmp.WriteString(data)
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
