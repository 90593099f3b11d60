package central

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// DefaultEnrolTTL is how long an enrolment code works unless the
// technician's command says otherwise.
const DefaultEnrolTTL = 24 * time.Hour

// enrolDigits is the length of an enrolment code: decimal digits, because
// the kiosk's enrolment screen has a touch keypad of digits. Twelve digits
// (40 bits) with the failure limit per address leave a guesser no chance
// within a code's day.
const enrolDigits = 12

// EnrolCode is a stored one-time enrolment code: its keyed hash, never the
// code, and the kiosk it enrols.
type EnrolCode struct {
	Hash      []byte
	Branch    string
	Kiosk     string
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is zero until a kiosk enrolled with the code.
	UsedAt time.Time
}

// KioskCert is a client certificate the kiosk CA issued.
type KioskCert struct {
	// Serial is the certificate's serial number in lower case hex.
	Serial     string
	Kiosk      string
	Branch     string
	HardwareID string
	IssuedAt   time.Time
	NotAfter   time.Time
	// RevokedAt is zero while the certificate is the kiosk's current one.
	RevokedAt time.Time
}

// EnrolStore keeps the enrolment codes and the kiosks' certificates; every
// Store is one.
type EnrolStore interface {
	// AddEnrolCode stores a code, replacing the kiosk's earlier one, used
	// or not: one code per kiosk works at a time. Errors: ErrConflict when
	// another kiosk's code has the same hash.
	AddEnrolCode(ctx context.Context, c EnrolCode) error
	// EnrolCodeByHash returns the code with this hash if it is unused and
	// does not expire by now. Errors: ErrNotFound for an unknown, used or
	// expired code alike.
	EnrolCodeByHash(ctx context.Context, hash []byte, now time.Time) (EnrolCode, error)
	// Enrol uses the code with this hash for cert.Kiosk and stores cert as
	// the kiosk's current certificate, revoking (at cert.IssuedAt) every
	// certificate of the kiosk stored before, all in one write. The code's
	// check is part of the write: of two enrolments with one code, exactly
	// one succeeds. Errors: ErrNotFound when the code is unknown, used,
	// expired at cert.IssuedAt or made for another kiosk; nothing is
	// written then.
	Enrol(ctx context.Context, hash []byte, cert KioskCert) error
	// CurrentKioskCert returns the kiosk's unrevoked certificate. Errors:
	// ErrNotFound when it has none.
	CurrentKioskCert(ctx context.Context, kiosk string) (KioskCert, error)
	// KioskCerts lists every certificate issued, revoked ones too, by
	// kiosk, then oldest first.
	KioskCerts(ctx context.Context) ([]KioskCert, error)
	// RevokeKioskCerts revokes the kiosk's unrevoked certificates at at
	// and reports how many.
	RevokeKioskCerts(ctx context.Context, kiosk string, at time.Time) (int, error)
}

// newEnrolCodeText makes a random code of enrolDigits digits.
func newEnrolCodeText() (string, error) {
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(enrolDigits), nil)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return "", fmt.Errorf("central: enrolment code: %w", err)
	}
	return fmt.Sprintf("%0*d", enrolDigits, n), nil
}

// FormatEnrolCode groups a code's digits by four, as it is shown and
// typed: 4821-0937-5512.
func FormatEnrolCode(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(digits[i:min(i+4, len(digits))])
	}
	return b.String()
}

// normalEnrolCode returns the digits of a typed code, without the
// separators and spaces; false for anything that is not a code's shape.
func normalEnrolCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\t':
		default:
			return "", false
		}
		if b.Len() > enrolDigits {
			return "", false
		}
	}
	return b.String(), b.Len() == enrolDigits
}

// enrolCodeKey derives the key of the codes' hashes from the server's key:
// a code has only 40 bits, which an unkeyed hash would give away to anyone
// reading the database.
func enrolCodeKey(key []byte) []byte { return derive(key, "central enrolment-code mac") }

func enrolCodeHash(codeKey []byte, digits string) []byte {
	m := hmac.New(sha256.New, codeKey)
	m.Write([]byte(digits))
	return m.Sum(nil)
}

// MintEnrolCode makes a one-time code that enrols kiosk in branch until
// now+ttl, stores its keyed hash under the server's key (the one
// LoadKey reads) and returns the code, grouped for reading, which is never
// stored and cannot be shown again. The kiosk's earlier code stops
// working.
func MintEnrolCode(ctx context.Context, es EnrolStore, key []byte, branch, kiosk string, ttl time.Duration, now time.Time) (string, EnrolCode, error) {
	if len(key) != 32 {
		return "", EnrolCode{}, fmt.Errorf("central: key is %d bytes, want 32", len(key))
	}
	return mintEnrolCode(ctx, es, enrolCodeKey(key), branch, kiosk, ttl, now)
}

func mintEnrolCode(ctx context.Context, es EnrolStore, codeKey []byte, branch, kiosk string, ttl time.Duration, now time.Time) (string, EnrolCode, error) {
	if branch == "" || kiosk == "" {
		return "", EnrolCode{}, fmt.Errorf("central: an enrolment code needs the branch and the kiosk id")
	}
	if ttl <= 0 {
		ttl = DefaultEnrolTTL
	}
	digits, err := newEnrolCodeText()
	if err != nil {
		return "", EnrolCode{}, err
	}
	c := EnrolCode{Hash: enrolCodeHash(codeKey, digits), Branch: branch, Kiosk: kiosk,
		CreatedAt: now.UTC(), ExpiresAt: now.Add(ttl).UTC()}
	if err := es.AddEnrolCode(ctx, c); err != nil {
		return "", EnrolCode{}, fmt.Errorf("central: store enrolment code: %w", err)
	}
	c.Hash = nil
	return FormatEnrolCode(digits), c, nil
}
