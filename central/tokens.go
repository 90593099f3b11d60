package central

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// TokenPrefix starts every bearer token, so that a token pasted where it
// does not belong (a log, a config key, a ticket) can be recognised.
const TokenPrefix = "hcsc_"

// tokenLen is the length of a token: the prefix and 32 random bytes
// (256 bits) in unpadded base64url.
const tokenLen = len(TokenPrefix) + 43

// DefaultTokenCache is how long a verified token is trusted without asking
// the store again, unless Options.TokenCache says otherwise: a revoked
// token stops working within this time.
const DefaultTokenCache = 10 * time.Second

// TokenRecord is a stored bearer token: its hash, never the token.
type TokenRecord struct {
	// ID names the token in lists and for revocation; it is not secret.
	ID string
	// Hash is the SHA-256 of the token. A token has 256 random bits, so a
	// fast hash is enough: there is nothing to guess.
	Hash []byte
	Role Role
	// Branch is the branch the token acts for; "" for RoleAdmin.
	Branch string
	// Kiosk is the kiosk's id for RoleKiosk, "" otherwise.
	Kiosk string
	// Name says who holds the token ("window 3", "Astana booking feed").
	Name      string
	CreatedAt time.Time
	// RevokedAt is zero while the token is valid.
	RevokedAt time.Time
}

// Principal is who the token authenticates.
func (t TokenRecord) Principal() Principal {
	return Principal{Role: t.Role, Branch: t.Branch, Kiosk: t.Kiosk, TokenID: t.ID}
}

// TokenStore keeps the bearer tokens; every Store is one.
type TokenStore interface {
	// AddToken stores a token. Errors: ErrConflict when its id or hash is
	// stored already.
	AddToken(ctx context.Context, t TokenRecord) error
	// TokenByHash returns the token with this hash unless it is revoked.
	// It is one indexed look-up whose condition leaves revoked tokens out,
	// so an unknown and a revoked token take the same path. Errors:
	// ErrNotFound for both.
	TokenByHash(ctx context.Context, hash []byte) (TokenRecord, error)
	// Tokens lists every token, the revoked ones too, oldest first, with
	// Hash left nil.
	Tokens(ctx context.Context) ([]TokenRecord, error)
	// RevokeToken marks a token revoked at the given time; revoking a
	// revoked token keeps the first time. Errors: ErrNotFound.
	RevokeToken(ctx context.Context, id string, at time.Time) error
}

// HashToken is the hash a TokenStore keeps of a token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CheckGrant reports what is wrong with a token's role, branch and kiosk:
// a kiosk token names its kiosk and branch, an admin token no branch, every
// other token a branch and no kiosk.
func CheckGrant(role Role, branch, kiosk string) error {
	switch {
	case !slices.Contains(TokenRoles(), role):
		return fmt.Errorf("central: role %q: use one of kiosk, clerk, supervisor, admin, display, booking", role)
	case role == RoleAdmin && (branch != "" || kiosk != ""):
		return errors.New("central: an admin token acts for every branch: give no branch and no kiosk")
	case role == RoleAdmin:
		return nil
	case branch == "":
		return fmt.Errorf("central: a %s token needs its branch", role)
	case role == RoleKiosk && kiosk == "":
		return errors.New("central: a kiosk token needs the kiosk's id")
	case role != RoleKiosk && kiosk != "":
		return fmt.Errorf("central: a %s token names no kiosk", role)
	}
	return nil
}

// MintToken makes a new random token for the grant, stores its hash and
// returns the token, which is never stored and cannot be shown again.
func MintToken(ctx context.Context, ts TokenStore, role Role, branch, kiosk, name string, now time.Time) (string, TokenRecord, error) {
	if err := CheckGrant(role, branch, kiosk); err != nil {
		return "", TokenRecord{}, err
	}
	if len(name) > 128 {
		return "", TokenRecord{}, errors.New("central: token name over 128 characters")
	}
	var secret [32]byte
	var id [6]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", TokenRecord{}, fmt.Errorf("central: token: %w", err)
	}
	if _, err := rand.Read(id[:]); err != nil {
		return "", TokenRecord{}, fmt.Errorf("central: token: %w", err)
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(secret[:])
	rec := TokenRecord{ID: hex.EncodeToString(id[:]), Hash: HashToken(token), Role: role, Branch: branch, Kiosk: kiosk,
		Name: name, CreatedAt: now.UTC()}
	if err := ts.AddToken(ctx, rec); err != nil {
		return "", TokenRecord{}, fmt.Errorf("central: store token: %w", err)
	}
	rec.Hash = nil
	return token, rec, nil
}

// wellFormed reports whether s can be a token at all, so that garbage
// never reaches the store.
func wellFormed(s string) bool {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenPrefix) {
		return false
	}
	for _, c := range []byte(s[len(TokenPrefix):]) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// verifier checks bearer tokens against the store and remembers the valid
// ones for ttl, so that a busy hall does not cost a look-up per request.
type verifier struct {
	store TokenStore
	now   func() time.Time
	ttl   time.Duration // ≤ 0: no cache

	mu    sync.RWMutex
	cache map[[sha256.Size]byte]cachedToken
}

type cachedToken struct {
	p     Principal
	until time.Time
}

// maxCachedTokens bounds the cache; a hall has a few hundred tokens.
const maxCachedTokens = 10000

func newVerifier(store TokenStore, now func() time.Time, ttl time.Duration) *verifier {
	return &verifier{store: store, now: now, ttl: ttl, cache: map[[sha256.Size]byte]cachedToken{}}
}

// verify returns the principal of a token. An unknown, revoked or malformed
// token gets the same 401.
func (v *verifier) verify(ctx context.Context, token string) (Principal, error) {
	if !wellFormed(token) {
		return Principal{}, unauthorized(`Bearer realm="central", error="invalid_token"`)
	}
	h := sha256.Sum256([]byte(token))
	now := v.now()
	if v.ttl > 0 {
		v.mu.RLock()
		c, ok := v.cache[h]
		v.mu.RUnlock()
		if ok && now.Before(c.until) {
			return c.p, nil
		}
	}
	rec, err := v.store.TokenByHash(ctx, h[:])
	if errors.Is(err, ErrNotFound) || (err == nil && subtle.ConstantTimeCompare(rec.Hash, h[:]) != 1) {
		return Principal{}, unauthorized(`Bearer realm="central", error="invalid_token"`)
	}
	if err != nil {
		return Principal{}, fmt.Errorf("central: token look-up: %w", err)
	}
	p := rec.Principal()
	if v.ttl > 0 {
		v.mu.Lock()
		if len(v.cache) >= maxCachedTokens {
			for k, c := range v.cache {
				if !now.Before(c.until) {
					delete(v.cache, k)
				}
			}
			if len(v.cache) >= maxCachedTokens {
				clear(v.cache)
			}
		}
		v.cache[h] = cachedToken{p: p, until: now.Add(v.ttl)}
		v.mu.Unlock()
	}
	return p, nil
}
