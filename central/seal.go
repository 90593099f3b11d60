package central

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// sealer encrypts applications at rest and keys the hashes of document
// numbers and booking codes, so the database never holds personal data, nor
// a code that checks a visit in, in the clear.
type sealer struct {
	aead    cipher.AEAD
	macKey  []byte
	codeKey []byte
	bodyKey []byte
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("central: key is %d bytes, want 32 (AES-256); make one with `head -c32 /dev/urandom`", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("central: key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("central: key: %w", err)
	}
	// The MAC key is derived, so one key file serves both uses.
	return &sealer{aead: aead, macKey: derive(key, "central document-number mac"), codeKey: derive(key, "central booking-code mac"),
		bodyKey: derive(key, "central body-hash mac")}, nil
}

// derive makes a key for one use from the server's key.
func derive(key []byte, use string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(use))
	return m.Sum(nil)
}

// seal returns nonce‖ciphertext; id is bound as additional data so a sealed
// payload cannot be moved to another ticket.
func (s *sealer) seal(id string, plain []byte) []byte {
	out := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic("central: crypto/rand failed: " + err.Error())
	}
	return s.aead.Seal(out, out, plain, []byte(id))
}

var errOpen = errors.New("central: sealed application does not open with this key")

func (s *sealer) open(id string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errOpen
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	if err != nil {
		return nil, errOpen
	}
	return plain, nil
}

// docMAC is the keyed hash of a document number for booking look-ups.
func (s *sealer) docMAC(doc string) []byte {
	m := hmac.New(sha256.New, s.macKey)
	m.Write([]byte(doc))
	return m.Sum(nil)
}

// codeMAC is the keyed hash of a booking code, the only form of it stored.
// Keyed, because booking codes are short: an unkeyed hash of six digits is
// undone by trying the million of them.
func (s *sealer) codeMAC(code string) []byte {
	m := hmac.New(sha256.New, s.codeKey)
	m.Write([]byte(code))
	return m.Sum(nil)
}

// bodyMAC keys the SHA-256 digest of a request body into the form stored
// to tell a retry from a replay (Record.BodyHash). Keyed, because a body
// can be guessed: a check-in's is its id, stored beside the hash, and a
// six-digit code or a document number, found by trying them all. Keying
// the digest, rather than the body, lets a database of plain digests from
// before be keyed in place (Store.KeyBodyHashes), and its retries stay
// retries.
func (s *sealer) bodyMAC(digest []byte) []byte {
	m := hmac.New(sha256.New, s.bodyKey)
	m.Write(digest)
	return m.Sum(nil)
}
