// Package release signs and checks what the build host gives a kiosk: the
// flashable image's files and the update bundles.
//
// Keys are ed25519, in the formats every tool reads: the private key as
// PEM PKCS #8 (readable by its owner only), the public key as PEM PKIX. A
// signature is the base64 of the 64 signature bytes on one line, over the
// exact bytes of the file it signs. An image's files are listed with their
// SHA-256 in SHA256SUMS (the coreutils format, so sha256sum -c reads it
// too), and SHA256SUMS.sig signs that list: checking the list's signature
// and then each hash checks everything, before a disk is touched.
package release

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// SumsFile and SigFile name the hash list and its signature in an image's
// folder.
const (
	SumsFile = "SHA256SUMS"
	SigFile  = "SHA256SUMS.sig"
)

// ErrBadSignature: the signature does not verify with the key given (a
// file changed after signing, or another key signed it).
var ErrBadSignature = errors.New("signature does not verify with this key")

// HashError names a file whose content does not match its listed hash or
// size, or that is missing.
type HashError struct {
	Name string
	Err  error // nil: the hash differs
}

func (e *HashError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("%s: SHA-256 differs from %s", e.Name, SumsFile)
}

func (e *HashError) Unwrap() error { return e.Err }

// NewKey makes a key pair and writes the private key to priv (0600,
// never over an existing file) and the public key to pub.
func NewKey(priv, pub string) (ed25519.PublicKey, error) {
	pk, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(sk)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(priv, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	werr := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(priv)
		return nil, fmt.Errorf("release key %s: %w", priv, err)
	}
	if err := os.WriteFile(pub, MarshalPublicKey(pk), 0o644); err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	return pk, nil
}

// MarshalPublicKey gives the PEM PKIX form of a public key.
func MarshalPublicKey(pk ed25519.PublicKey) []byte {
	der, _ := x509.MarshalPKIXPublicKey(pk) // an ed25519 key always marshals
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// ReadPrivateKey reads a PEM PKCS #8 ed25519 private key.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("release key %s: not a PEM private key", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("release key %s: %w", path, err)
	}
	sk, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("release key %s: %T, want ed25519", path, k)
	}
	return sk, nil
}

// ParsePublicKey reads a PEM PKIX ed25519 public key.
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PUBLIC KEY" {
		return nil, errors.New("not a PEM public key")
	}
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	pk, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%T, want ed25519", k)
	}
	return pk, nil
}

// ReadPublicKey reads a public key file.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("release public key: %w", err)
	}
	pk, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("release public key %s: %w", path, err)
	}
	return pk, nil
}

// Sign gives the signature file's content for msg.
func Sign(sk ed25519.PrivateKey, msg []byte) []byte {
	return []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(sk, msg)) + "\n")
}

// Verify checks a signature file's content against msg.
func Verify(pk ed25519.PublicKey, msg, sig []byte) error {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sig)))
	if err != nil || len(raw) != ed25519.SignatureSize {
		return fmt.Errorf("%w (the signature is not one base64 ed25519 signature)", ErrBadSignature)
	}
	if !ed25519.Verify(pk, msg, raw) {
		return ErrBadSignature
	}
	return nil
}

// Sum is one line of SHA256SUMS.
type Sum struct {
	Name   string
	SHA256 [sha256.Size]byte
}

// ParseSums reads SHA256SUMS. Names are plain file names: a path could
// make a check read outside the image's folder.
func ParseSums(b []byte) ([]Sum, error) {
	var out []Sum
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" {
			continue
		}
		h, name, ok := strings.Cut(line, "  ")
		if !ok {
			h, name, ok = strings.Cut(line, " *") // sha256sum --binary
		}
		raw, err := hex.DecodeString(h)
		if !ok || err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("%s line %d: not \"<sha256>  <name>\"", SumsFile, n)
		}
		if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
			return nil, fmt.Errorf("%s line %d: %q is not a plain file name", SumsFile, n, name)
		}
		s := Sum{Name: name}
		copy(s.SHA256[:], raw)
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no file", SumsFile)
	}
	return out, sc.Err()
}

// FormatSums writes SHA256SUMS for the files named, in the order given.
func FormatSums(sums []Sum) []byte {
	var b bytes.Buffer
	for _, s := range sums {
		fmt.Fprintf(&b, "%x  %s\n", s.SHA256, s.Name)
	}
	return b.Bytes()
}

// HashFile gives a file's SHA-256.
func HashFile(path string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// SignDir hashes the files named in dir, writes SHA256SUMS and signs it.
func SignDir(sk ed25519.PrivateKey, dir string, names []string) error {
	var sums []Sum
	for _, n := range names {
		h, err := HashFile(filepath.Join(dir, n))
		if err != nil {
			return fmt.Errorf("release: %w", err)
		}
		sums = append(sums, Sum{Name: n, SHA256: h})
	}
	list := FormatSums(sums)
	if err := os.WriteFile(filepath.Join(dir, SumsFile), list, 0o644); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, SigFile), Sign(sk, list), 0o644); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// VerifyDir checks SHA256SUMS's signature in dir, then the hash of every
// file it lists; want, when given, are names the list must hold (the
// image and its bmap), so a list signed for other files does not pass.
func VerifyDir(pk ed25519.PublicKey, dir string, want ...string) error {
	list, err := os.ReadFile(filepath.Join(dir, SumsFile))
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	sig, err := os.ReadFile(filepath.Join(dir, SigFile))
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := Verify(pk, list, sig); err != nil {
		return fmt.Errorf("release: %s: %w", SumsFile, err)
	}
	sums, err := ParseSums(list)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	listed := map[string]bool{}
	for _, s := range sums {
		listed[s.Name] = true
		h, err := HashFile(filepath.Join(dir, s.Name))
		if err != nil {
			return fmt.Errorf("release: %w", &HashError{Name: s.Name, Err: err})
		}
		if h != s.SHA256 {
			return fmt.Errorf("release: %w", &HashError{Name: s.Name})
		}
	}
	for _, n := range want {
		if !listed[n] {
			return fmt.Errorf("release: %s does not list %s", SumsFile, n)
		}
	}
	return nil
}
