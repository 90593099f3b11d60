package central

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// The files of a kiosk CA's folder.
const (
	KioskCAKeyFile  = "kiosk-ca.key" // PKCS#8 PEM, 0600
	KioskCACertFile = "kiosk-ca.pem" // the CA's self-signed certificate
)

// KioskCertValidity is how long a kiosk's client certificate is valid. A
// kiosk enrolled again gets a new one and the old one is revoked.
const KioskCertValidity = 365 * 24 * time.Hour

// kioskCAValidity is how long the CA's own certificate is valid: longer
// than any kiosk's, so that its certificates never outlive it.
const kioskCAValidity = 20 * 365 * 24 * time.Hour

// KioskCA signs the kiosks' client certificates: the kiosk makes its key
// on the device and sends a certificate request (POST /v1/enrol), and the
// CA binds the key to the kiosk id the one-time code was made for.
type KioskCA struct {
	cert *x509.Certificate
	key  crypto.Signer
	pem  []byte
}

// InitKioskCA makes a new kiosk CA in dir: an ECDSA P-256 key (readable by
// its owner only) and a self-signed certificate. It refuses to replace a
// CA already there, whose certificates the kiosks hold.
func InitKioskCA(dir string, now time.Time) (*KioskCA, error) {
	keyPath, certPath := filepath.Join(dir, KioskCAKeyFile), filepath.Join(dir, KioskCACertFile)
	for _, p := range []string{keyPath, certPath} {
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("central: kiosk CA: %s exists; a new CA would strand every enrolled kiosk, so move it away first if you mean it", p)
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "central kiosk CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(kioskCAValidity),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("central: kiosk CA: %w", err)
	}
	if err := writeNew(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		os.Remove(keyPath)
		return nil, err
	}
	return LoadKioskCA(dir)
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, b []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("central: kiosk CA: %w", err)
	}
	_, werr := f.Write(b)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return fmt.Errorf("central: kiosk CA: %w", err)
	}
	return nil
}

// LoadKioskCA reads the kiosk CA that InitKioskCA made in dir. A key file
// that group or others can read is refused, as the server's key is.
func LoadKioskCA(dir string) (*KioskCA, error) {
	keyPath, certPath := filepath.Join(dir, KioskCAKeyFile), filepath.Join(dir, KioskCACertFile)
	st, err := os.Stat(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("central: kiosk CA: no %s in %s; make one with central kiosk ca init --dir %s", KioskCAKeyFile, dir, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("central: kiosk CA key %s is readable by others (%v); chmod 600 it", keyPath, st.Mode().Perm())
	}
	kb, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA: %w", err)
	}
	cb, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA: %w", err)
	}
	kp, _ := pem.Decode(kb)
	cp, _ := pem.Decode(cb)
	if kp == nil || kp.Type != "PRIVATE KEY" || cp == nil || cp.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("central: kiosk CA in %s: want a PEM PRIVATE KEY in %s and a CERTIFICATE in %s", dir, KioskCAKeyFile, KioskCACertFile)
	}
	k, err := x509.ParsePKCS8PrivateKey(kp.Bytes)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA key: %w", err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("central: kiosk CA key is a %T, not a signing key", k)
	}
	cert, err := x509.ParseCertificate(cp.Bytes)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk CA certificate: %w", err)
	}
	if !cert.IsCA || !samePublic(cert.PublicKey, signer.Public()) {
		return nil, fmt.Errorf("central: kiosk CA in %s: the certificate is not a CA's or not the key's", dir)
	}
	return &KioskCA{cert: cert, key: signer, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})}, nil
}

func samePublic(a, b crypto.PublicKey) bool {
	e, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b)
}

// Certificate is the CA's certificate, for a server's client CA pool.
func (ca *KioskCA) Certificate() *x509.Certificate { return ca.cert }

// PEM is the CA's certificate in PEM.
func (ca *KioskCA) PEM() []byte { return ca.pem }

// signed reports whether the CA signed cert.
func (ca *KioskCA) signed(cert *x509.Certificate) bool {
	return cert.CheckSignatureFrom(ca.cert) == nil
}

// ErrKioskKey: a certificate request's key is not one the CA signs.
var ErrKioskKey = errors.New("central: the key must be ECDSA P-256 or P-384, or ed25519")

// ParseCSR reads a kiosk's PEM certificate request and checks its
// signature (the kiosk holds the key) and its key type.
func ParseCSR(pemText string) (*x509.CertificateRequest, error) {
	b, _ := pem.Decode([]byte(pemText))
	if b == nil || b.Type != "CERTIFICATE REQUEST" {
		return nil, errors.New("central: csr: not a PEM CERTIFICATE REQUEST")
	}
	csr, err := x509.ParseCertificateRequest(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("central: csr: %w", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("central: csr signature: %w", err)
	}
	switch k := csr.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return nil, ErrKioskKey
		}
	case ed25519.PublicKey:
	default:
		return nil, ErrKioskKey
	}
	return csr, nil
}

// issue signs a client certificate for kiosk with the request's key: the
// common name is the kiosk id, the serial random (128 bits). It is valid
// from a little before now, for kiosks whose clocks lag, for
// KioskCertValidity.
func (ca *KioskCA) issue(csr *x509.CertificateRequest, kiosk, branch string, now time.Time) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	notAfter := now.Add(KioskCertValidity)
	if notAfter.After(ca.cert.NotAfter) {
		notAfter = ca.cert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: kiosk, OrganizationalUnit: []string{branch}},
		NotBefore:    now.Add(-10 * time.Minute), NotAfter: notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, csr.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("central: kiosk certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}

// randomSerial is a positive random serial of 128 bits.
func randomSerial() (*big.Int, error) {
	for {
		n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
		if err != nil {
			return nil, fmt.Errorf("central: serial: %w", err)
		}
		if n.Sign() > 0 {
			return n, nil
		}
	}
}

// SerialText is how a certificate's serial is stored and listed: lower
// case hex.
func SerialText(n *big.Int) string { return n.Text(16) }

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
