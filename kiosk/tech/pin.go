package tech

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PIN lengths: six digits at least, so that the lockout (LockoutFor) holds
// a guesser at the touch screen off for centuries rather than months. The
// hash does not record the length (see the package doc): it is enforced
// where a PIN is made (HashPIN, "kiosk pin-hash") and where one is typed
// (the PIN page, Verify).
const (
	MinPIN = 6
	MaxPIN = 12
)

// Params are the argon2id costs of a PIN hash. They are written into the
// hash, so a kiosk verifies a hash made with other costs than its own
// defaults, and a branch may raise them without a firmware change.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
}

// DefaultParams returns RFC 9106's second recommended setting (64 MiB,
// three passes, four lanes): a quarter of a second on a desktop CPU, up to
// a second on a kiosk's board, which the technician waits once per try.
func DefaultParams() Params { return Params{Memory: 64 * 1024, Time: 3, Threads: 4} }

// Bounds on the costs a hash may ask for, so a mistyped hash in the
// configuration cannot make every PIN check take a gigabyte or a minute.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	saltLen    = 16
	keyLen     = 32
	minSaltLen = 8
	minKeyLen  = 16
	maxPartLen = 64 // bytes of a salt or a key
)

// Errors of the PIN hash.
var (
	// ErrPINFormat: a PIN that is not MinPIN to MaxPIN ASCII digits.
	ErrPINFormat = fmt.Errorf("tech: a PIN is %d to %d digits", MinPIN, MaxPIN)
	// ErrHashFormat: technician.pin_hash is not a hash "kiosk pin-hash"
	// makes. A *HashError wraps it with what is wrong.
	ErrHashFormat = errors.New(`tech: technician.pin_hash is not an argon2id hash; make one with "kiosk pin-hash"`)
)

// HashError says what is wrong with a PIN hash. It never holds the hash.
type HashError struct{ Detail string }

// Error returns ErrHashFormat's text and the detail.
func (e *HashError) Error() string { return ErrHashFormat.Error() + ": " + e.Detail }

// Unwrap returns ErrHashFormat.
func (e *HashError) Unwrap() error { return ErrHashFormat }

// Hash is a parsed PIN hash: the costs, the salt and the derived key. It is
// what Verify compares a typed PIN against.
type Hash struct {
	p    Params
	salt []byte
	key  []byte
}

// CheckPIN returns ErrPINFormat unless pin is MinPIN to MaxPIN ASCII
// digits.
func CheckPIN(pin []byte) error {
	if len(pin) < MinPIN || len(pin) > MaxPIN {
		return ErrPINFormat
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return ErrPINFormat
		}
	}
	return nil
}

// HashPIN makes the hash to put in technician.pin_hash, in the PHC string
// format: $argon2id$v=19$m=65536,t=3,p=4$SALT$KEY (unpadded base64). The
// salt is fresh from crypto/rand, so hashing one PIN twice gives two
// different strings, both of which verify.
func HashPIN(pin []byte, p Params) (string, error) {
	if err := CheckPIN(pin); err != nil {
		return "", err
	}
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("tech: salt: %w", err)
	}
	key := argon2.IDKey(pin, salt, p.Time, p.Memory, p.Threads, keyLen)
	defer clear(key)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

func (p Params) check() error {
	switch {
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return &HashError{Detail: fmt.Sprintf("memory m=%d KiB; want 8×lanes to %d", p.Memory, maxMemory)}
	case p.Time < 1 || p.Time > maxTime:
		return &HashError{Detail: fmt.Sprintf("passes t=%d; want 1 to %d", p.Time, maxTime)}
	case p.Threads < 1:
		return &HashError{Detail: "lanes p=0; want at least 1"}
	}
	return nil
}

// ParseHash reads a hash HashPIN made. Errors are *HashError.
func ParseHash(s string) (*Hash, error) {
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return nil, &HashError{Detail: `want 5 fields, "$argon2id$v=19$m=…,t=…,p=…$SALT$KEY"`}
	}
	if parts[1] != "argon2id" {
		return nil, &HashError{Detail: fmt.Sprintf("algorithm %q; want argon2id", parts[1])}
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, &HashError{Detail: fmt.Sprintf("version %q; want v=%d", parts[2], argon2.Version)}
	}
	var h Hash
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return nil, &HashError{Detail: fmt.Sprintf("cost %q is not a number", kv)}
		}
		switch k {
		case "m":
			h.p.Memory = uint32(n)
		case "t":
			h.p.Time = uint32(n)
		case "p":
			if n > 255 {
				return nil, &HashError{Detail: fmt.Sprintf("lanes p=%d; want at most 255", n)}
			}
			h.p.Threads = uint8(n)
		default:
			return nil, &HashError{Detail: fmt.Sprintf("unknown cost %q; want m, t and p", k)}
		}
	}
	if err := h.p.check(); err != nil {
		return nil, err
	}
	var err error
	if h.salt, err = decodePart(parts[4], "salt", minSaltLen); err != nil {
		return nil, err
	}
	if h.key, err = decodePart(parts[5], "key", minKeyLen); err != nil {
		return nil, err
	}
	return &h, nil
}

func decodePart(s, name string, minLen int) ([]byte, error) {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, &HashError{Detail: name + " is not unpadded base64"}
	}
	if len(b) < minLen || len(b) > maxPartLen {
		return nil, &HashError{Detail: fmt.Sprintf("%s of %d bytes; want %d to %d", name, len(b), minLen, maxPartLen)}
	}
	return b, nil
}

// Params returns the costs the hash was made with.
func (h *Hash) Params() Params { return h.p }

// Verify reports whether pin is the PIN the hash was made from. The keys
// are compared in constant time, and the key derived from pin is zeroed
// before Verify returns.
func (h *Hash) Verify(pin []byte) bool {
	if CheckPIN(pin) != nil {
		return false
	}
	key := argon2.IDKey(pin, h.salt, h.p.Time, h.p.Memory, h.p.Threads, uint32(len(h.key)))
	defer clear(key)
	return subtle.ConstantTimeCompare(key, h.key) == 1
}
