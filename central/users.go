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
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// The console's sign-in rules, in one place: the store, the console and
// the command line read them here.
const (
	// SessionLifetime ends a console session this long after sign-in,
	// however busy the clerk is.
	SessionLifetime = 12 * time.Hour
	// SessionIdle ends a console session this long after its last request.
	SessionIdle = 30 * time.Minute
	// SessionTouch is how stale a session's last-seen time may grow before
	// a request writes it again: a clerk's every click need not be a write.
	// A session so ends between SessionIdle-SessionTouch and SessionIdle
	// after the last request.
	SessionTouch = time.Minute
	// SignInMaxFailures failed sign-ins of one login within
	// SignInFailureWindow lock it for SignInLockout, the right password
	// included. Counted in the database, so it holds across processes.
	SignInMaxFailures   = 5
	SignInFailureWindow = 15 * time.Minute
	SignInLockout       = 15 * time.Minute
	// MinPassword and MaxPassword bound a password's length in characters
	// and bytes.
	MinPassword = 10
	MaxPassword = 256
)

// ConsoleRoles lists the roles a console user may hold.
func ConsoleRoles() []Role { return []Role{RoleClerk, RoleSupervisor, RoleAdmin} }

// UserRecord is a person who signs in to the console.
type UserRecord struct {
	// ID names the user in logs and sessions: a login may be a person's
	// name, the ID is random.
	ID string
	// Login is what the user types to sign in (CheckLogin's form).
	Login string
	// Name is the user's own name as the console shows it: personal data,
	// never logged.
	Name   string
	Role   Role
	Branch string
	// Hash is the password's argon2id hash in the PHC string format; ""
	// in lists.
	Hash      string
	CreatedAt time.Time
	// DisabledAt is zero while the user may sign in.
	DisabledAt time.Time
}

// SessionRecord is a console session as stored: the hash of its id, never
// the id.
type SessionRecord struct {
	// Hash is the SHA-256 of the session id, which has 256 random bits.
	Hash      []byte
	UserID    string
	CreatedAt time.Time
	// SeenAt is the last request's time, at SessionTouch's resolution.
	SeenAt time.Time
	// Window is the window the clerk chose, 0 until chosen.
	Window int
}

// Expired reports whether the session has ended at now: SessionLifetime
// after sign-in or SessionIdle after its last request.
func (s SessionRecord) Expired(now time.Time) bool {
	return !now.Before(s.CreatedAt.Add(SessionLifetime)) || !now.Before(s.SeenAt.Add(SessionIdle))
}

// UserStore keeps the console's users, their sessions and the failed
// sign-ins; every Store is one.
type UserStore interface {
	// AddUser stores a user. Errors: ErrConflict when the login or id is
	// taken, by a disabled user too.
	AddUser(ctx context.Context, u UserRecord) error
	// UserByLogin returns a user with its hash, a disabled one too.
	// Errors: ErrNotFound.
	UserByLogin(ctx context.Context, login string) (UserRecord, error)
	// Users lists every user, oldest first, with Hash left "".
	Users(ctx context.Context) ([]UserRecord, error)
	// DisableUser marks a user disabled and deletes its sessions, in one
	// transaction; disabling twice keeps the first time. Errors:
	// ErrNotFound.
	DisableUser(ctx context.Context, login string, at time.Time) error
	// SetPassword replaces a user's password hash and ends the user's
	// sessions, in one transaction. Errors: ErrNotFound.
	SetPassword(ctx context.Context, login, hash string) error
	// SignInLocked returns until when a login is locked, or the zero time
	// when it is not locked at now. Logins nobody holds are counted too,
	// so that a lock says nothing of whether a login exists.
	SignInLocked(ctx context.Context, login string, now time.Time) (time.Time, error)
	// SignInFailed counts a failed sign-in of a login at now, and returns
	// until when the login is locked when this failure locked it (the
	// SignInMaxFailures-th within SignInFailureWindow), else the zero time.
	SignInFailed(ctx context.Context, login string, now time.Time) (time.Time, error)
	// SignInSucceeded forgets a login's failures.
	SignInSucceeded(ctx context.Context, login string) error
	// AddSession stores a new session, and deletes the sessions that have
	// expired at s.CreatedAt.
	AddSession(ctx context.Context, s SessionRecord) error
	// Session returns the session with this hash and its user (Hash "").
	// Errors: ErrNotFound, for an unknown session and for a session of a
	// disabled user alike. Expiry is the caller's to check.
	Session(ctx context.Context, hash []byte) (SessionRecord, UserRecord, error)
	// TouchSession sets a session's last-seen time.
	TouchSession(ctx context.Context, hash []byte, at time.Time) error
	// SetSessionWindow records the window the session's clerk serves at.
	SetSessionWindow(ctx context.Context, hash []byte, window int) error
	// DeleteSession ends a session; an unknown one is no error.
	DeleteSession(ctx context.Context, hash []byte) error
}

// HashSession is the hash a UserStore keeps of a session id.
func HashSession(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}

// NewSessionID returns a new random session id: 256 bits, unpadded
// base64url, fit for a cookie.
func NewSessionID() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("central: session id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// CheckLogin returns the login in its stored form (trimmed, lower case)
// or an error when it cannot be one: 1 to 64 of a-z, 0-9, '.', '_', '-',
// starting with a letter or digit.
func CheckLogin(login string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(login))
	if l == "" || len(l) > 64 {
		return "", errors.New("central: a login has 1 to 64 characters")
	}
	for i, c := range []byte(l) {
		ok := 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
		if !ok && (i == 0 || c != '.' && c != '_' && c != '-') {
			return "", errors.New("central: a login is letters a-z, digits and . _ - (not first)")
		}
	}
	return l, nil
}

// CheckPassword reports what is wrong with a new password.
func CheckPassword(pw []byte) error {
	switch {
	case len(pw) > MaxPassword:
		return fmt.Errorf("central: a password has at most %d bytes", MaxPassword)
	case !utf8.Valid(pw):
		return errors.New("central: the password is not UTF-8 text")
	case utf8.RuneCount(pw) < MinPassword:
		return fmt.Errorf("central: a password has at least %d characters", MinPassword)
	}
	return nil
}

// PasswordParams are the argon2id costs of a password hash, written into
// the hash so that a change of costs leaves older hashes readable.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
}

// DefaultPasswordParams are OWASP's argon2id minimum (19 MiB, 2 passes, 1
// lane): a sign-in a day per clerk can afford more, but a hall's server
// signs in fifty clerks at opening on two cores.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}
}

// Bounds a stored hash must keep, so that a hash from the database cannot
// ask for gigabytes.
const (
	maxPasswordMemory = 1 << 20 // KiB: 1 GiB
	maxPasswordTime   = 16
	passwordSaltLen   = 16
	passwordKeyLen    = 32
)

func (p PasswordParams) check() error {
	if p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxPasswordMemory || p.Time < 1 || p.Time > maxPasswordTime {
		return fmt.Errorf("central: argon2id costs m=%d,t=%d,p=%d out of bounds", p.Memory, p.Time, p.Threads)
	}
	return nil
}

// HashPassword returns pw's argon2id hash with a fresh random salt, in
// the PHC string format $argon2id$v=19$m=…,t=…,p=…$SALT$KEY.
func HashPassword(pw []byte, p PasswordParams) (string, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, passwordSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("central: salt: %w", err)
	}
	key := argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, passwordKeyLen)
	defer clear(key)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw is the password hash was made from,
// comparing in constant time. A malformed hash verifies nothing.
func VerifyPassword(hash string, pw []byte) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false
	}
	var p PasswordParams
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return false
		}
		switch {
		case k == "m":
			p.Memory = uint32(n)
		case k == "t":
			p.Time = uint32(n)
		case k == "p" && n <= 255:
			p.Threads = uint8(n)
		default:
			return false
		}
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if p.check() != nil || err1 != nil || err2 != nil || len(salt) < 8 || len(want) < 16 || len(want) > 64 {
		return false
	}
	key := argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	defer clear(key)
	return subtle.ConstantTimeCompare(key, want) == 1
}

// AddUser checks a new console user, hashes the password and stores the
// user. branch is required for every role: the console serves one
// branch's windows.
func AddUser(ctx context.Context, us UserStore, login, name string, role Role, branch string, pw []byte, p PasswordParams, now time.Time) (UserRecord, error) {
	l, err := CheckLogin(login)
	if err != nil {
		return UserRecord{}, err
	}
	switch {
	case !slices.Contains(ConsoleRoles(), role):
		return UserRecord{}, fmt.Errorf("central: role %q: use clerk, supervisor or admin", role)
	case branch == "":
		return UserRecord{}, fmt.Errorf("central: a %s needs a branch", role)
	case utf8.RuneCountInString(name) > 128 || !utf8.ValidString(name):
		return UserRecord{}, errors.New("central: a name has at most 128 characters of UTF-8")
	}
	if err := CheckPassword(pw); err != nil {
		return UserRecord{}, err
	}
	hash, err := HashPassword(pw, p)
	if err != nil {
		return UserRecord{}, err
	}
	var id [6]byte
	if _, err := rand.Read(id[:]); err != nil {
		return UserRecord{}, fmt.Errorf("central: user id: %w", err)
	}
	u := UserRecord{ID: "u" + hex.EncodeToString(id[:]), Login: l, Name: name, Role: role, Branch: branch,
		Hash: hash, CreatedAt: now.UTC()}
	if err := us.AddUser(ctx, u); err != nil {
		return UserRecord{}, fmt.Errorf("central: store user: %w", err)
	}
	u.Hash = ""
	return u, nil
}
