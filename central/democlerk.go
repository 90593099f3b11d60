package central

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DemoClerk is the login of the demo's console user, a clerk of the demo
// branch.
const DemoClerk = "clerk1"

// DemoClerkFile is the file under dir that holds the demo clerk's
// password, beside the demo's tokens.
func DemoClerkFile(dir string) string { return filepath.Join(dir, "console-"+DemoClerk) }

// EnsureDemoClerk gives the demo a console user DemoClerk, a clerk of
// branch, and returns its password, kept in DemoClerkFile(dir) (0600) so
// that it stays the same from one start to the next. A missing or loose
// file, or one the user's hash does not take, gets a new password, which
// ends the user's sessions. A disabled DemoClerk stays disabled: it
// returns "". For the demo only: a hall's users are added one by one with
// "central user add", their passwords chosen by them.
func EnsureDemoClerk(ctx context.Context, us UserStore, branch, dir string, now time.Time) (string, error) {
	path := DemoClerkFile(dir)
	u, err := us.UserByLogin(ctx, DemoClerk)
	found := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("central: demo clerk: %w", err)
	}
	if found && !u.DisabledAt.IsZero() {
		return "", nil
	}
	if pw, err := readSecret(path); err == nil && found && u.Branch == branch && VerifyPassword(u.Hash, []byte(pw)) {
		return pw, nil
	}
	pw, err := demoPassword()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("central: demo clerk: %w", err)
	}
	if found {
		hash, err := HashPassword([]byte(pw), DefaultPasswordParams())
		if err != nil {
			return "", err
		}
		if err := us.SetPassword(ctx, DemoClerk, hash); err != nil {
			return "", fmt.Errorf("central: demo clerk: %w", err)
		}
	} else if _, err := AddUser(ctx, us, DemoClerk, "Demo Clerk", RoleClerk, branch, []byte(pw), DefaultPasswordParams(), now); err != nil {
		return "", err
	}
	if err := writeSecret(path, pw+"\n"); err != nil {
		return "", fmt.Errorf("central: demo clerk: %w", err)
	}
	return pw, nil
}

// readSecret reads a one-line secret from a file only its owner may read.
func readSecret(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("central: %s is readable by others", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// demoPassword is 12 random characters, in three groups, that read
// aloud and type without confusion (no 0/o, 1/l/i).
func demoPassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var s strings.Builder
	var b [1]byte
	for n := 0; n < 12; {
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("central: demo clerk: %w", err)
		}
		// Only bytes below a multiple of the alphabet's size: no bias.
		if int(b[0]) >= 256/len(alphabet)*len(alphabet) {
			continue
		}
		if n > 0 && n%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(alphabet[int(b[0])%len(alphabet)])
		n++
	}
	return s.String(), nil
}
