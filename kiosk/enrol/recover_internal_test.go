package enrol

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// identityFiles makes a matching key, certificate and identity for kiosk.
func identityFiles(t *testing.T, kiosk string) map[string][]byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: kiosk},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	id, _ := json.Marshal(Identity{KioskID: kiosk, Branch: "ALA-01", NotAfter: tmpl.NotAfter})
	return map[string][]byte{
		keyName:      pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}),
		certName:     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		caName:       nil,
		identityName: id,
	}
}

// TestPowerCut stages a second identity and stops at each point of the
// replacement, as a power cut would: Load then gives the old identity or
// the new one whole, never a key beside another key's certificate, and
// leaves no staged file behind.
func TestPowerCut(t *testing.T) {
	for renamed := 0; renamed <= 4; renamed++ {
		for _, stagedAll := range []bool{false, true} {
			if !stagedAll && renamed > 0 {
				continue // renames start only once everything is staged
			}
			dir := t.TempDir()
			if err := store(dir, identityFiles(t, "K-OLD")); err != nil {
				t.Fatal(err)
			}
			next := identityFiles(t, "K-NEW")
			names := []string{keyName, certName, caName, identityName}
			last := len(names)
			if !stagedAll {
				last = 2 // the key and certificate staged, not the identity
			}
			for _, n := range names[:last] {
				if err := writeFile(dir, n+staged, next[n]); err != nil {
					t.Fatal(err)
				}
			}
			for _, n := range names[:renamed] {
				if err := os.Rename(filepath.Join(dir, n+staged), filepath.Join(dir, n)); err != nil {
					t.Fatal(err)
				}
			}
			id, err := Load(dir)
			want := "K-OLD"
			if stagedAll {
				want = "K-NEW"
			}
			if err != nil || id.KioskID != want {
				t.Errorf("staged all %v, %d renamed: Load = %+v, %v; want %s", stagedAll, renamed, id, err, want)
			}
			left, _ := filepath.Glob(filepath.Join(dir, "*"+staged))
			if len(left) > 0 {
				t.Errorf("staged all %v, %d renamed: %v left behind", stagedAll, renamed, left)
			}
		}
	}
}
