package enrol

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

// The files in the identity folder. Each is replaced whole: written as
// name+".new" first (temporary file, fsync, rename), all of them, the
// identity last; then each ".new" is renamed over its name. A power cut
// in between leaves the identity's ".new", and Load finishes the renames.
const (
	keyName      = "key.pem"       // the kiosk's private key, PKCS #8, 0600
	certName     = "cert.pem"      // its client certificate from the backend
	caName       = "ca.pem"        // the kiosk CA, for the record
	identityName = "identity.json" // Identity
	staged       = ".new"
)

// ErrNotEnrolled: the identity folder holds no identity yet.
var ErrNotEnrolled = errors.New("enrol: not enrolled: no identity yet; enter a code on the enrolment page or run \"kiosk enrol --code CODE\"")

// Dir is the kiosk's identity folder: <state_dir>/identity.
func Dir(k config.Kiosk) string { return filepath.Join(k.StateDir, "identity") }

// Identity is what the kiosk keeps of its enrolment, beside its key and
// certificate. It never holds the private key.
type Identity struct {
	KioskID    string    `json:"kioskId"`
	Branch     string    `json:"branch"`
	NotAfter   time.Time `json:"notAfter"`
	HardwareID string    `json:"hardwareId"`
	// Enrolled is when the backend's answer was stored, on the kiosk's
	// clock.
	Enrolled time.Time `json:"enrolled"`
	// Dir is the identity folder it was read from or written to.
	Dir string `json:"-"`
}

// KeyFile is the private key's file, for mutual TLS.
func (id *Identity) KeyFile() string { return filepath.Join(id.Dir, keyName) }

// CertFile is the client certificate's file, for mutual TLS.
func (id *Identity) CertFile() string { return filepath.Join(id.Dir, certName) }

// Load reads the identity in dir and checks that its key and certificate
// belong together and name its kiosk. A replacement that a power cut
// interrupted is finished first. Errors: ErrNotEnrolled when there is
// none.
func Load(dir string) (*Identity, error) {
	if err := recoverStaged(dir); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, identityName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotEnrolled
	}
	if err != nil {
		return nil, fmt.Errorf("enrol: identity: %w", err)
	}
	id := &Identity{Dir: dir}
	if err := json.Unmarshal(b, id); err != nil || id.KioskID == "" {
		return nil, fmt.Errorf("enrol: identity %s is damaged: enrol the kiosk again", filepath.Join(dir, identityName))
	}
	pair, err := tls.LoadX509KeyPair(id.CertFile(), id.KeyFile())
	if err != nil {
		return nil, fmt.Errorf("enrol: identity in %s: key and certificate: %w; enrol the kiosk again", dir, err)
	}
	if cn := pair.Leaf.Subject.CommonName; cn != id.KioskID {
		return nil, fmt.Errorf("enrol: identity in %s: the certificate names kiosk %q, the identity %q; enrol the kiosk again", dir, cn, id.KioskID)
	}
	return id, nil
}

// Apply makes cfg use the identity: the uplink's client certificate and
// key are the identity's files, and kiosk.id and kiosk.branch are the
// enrolment's when cfg leaves them empty. A kiosk id set in cfg that is
// not the certificate's is an error (the backend would refuse every
// request as another kiosk's); cfg is changed all the same, so the kiosk
// still starts and prints offline tickets while a technician fixes it.
func Apply(cfg *config.Config, id *Identity) error {
	cfg.Backend.ClientCert, cfg.Backend.ClientKey = id.CertFile(), id.KeyFile()
	if cfg.Kiosk.ID == "" {
		cfg.Kiosk.ID = id.KioskID
	}
	if cfg.Kiosk.Branch == "" {
		cfg.Kiosk.Branch = id.Branch
	}
	switch {
	case cfg.Kiosk.ID != id.KioskID:
		return fmt.Errorf("enrol: kiosk.id is %q but the kiosk is enrolled as %q: the backend refuses it; leave kiosk.id empty", cfg.Kiosk.ID, id.KioskID)
	case cfg.Kiosk.Branch != id.Branch:
		return fmt.Errorf("enrol: kiosk.branch is %q but the kiosk is enrolled in %q: the backend refuses it; leave kiosk.branch empty", cfg.Kiosk.Branch, id.Branch)
	}
	return nil
}

// prepareDir makes the identity folder, or narrows an existing one, to
// 0700: the kiosk user's alone.
func prepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("enrol: identity folder: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("enrol: identity folder: %w", err)
	}
	return nil
}

// store replaces the identity with a new one: stage every file, then
// commit the renames.
func store(dir string, files map[string][]byte) error {
	if err := prepareDir(dir); err != nil {
		return err
	}
	// A stale staging from an earlier failed try is not this one's.
	if err := recoverStaged(dir); err != nil {
		return err
	}
	for _, name := range []string{keyName, certName, caName, identityName} {
		if err := writeFile(dir, name+staged, files[name]); err != nil {
			return err
		}
	}
	return commit(dir)
}

// commit renames every staged file over its name, the identity last, and
// syncs the folder.
func commit(dir string) error {
	for _, name := range []string{keyName, certName, caName, identityName} {
		err := os.Rename(filepath.Join(dir, name+staged), filepath.Join(dir, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("enrol: identity: %w", err)
		}
	}
	return syncDir(dir)
}

// recoverStaged finishes a replacement whose identity was staged (every
// file was then) and drops one that was not, with any temporary file.
func recoverStaged(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, identityName+staged)); err == nil {
		return commit(dir)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("enrol: identity folder: %w", err)
	}
	for _, e := range ents {
		if n := e.Name(); strings.HasSuffix(n, staged) || strings.Contains(n, ".tmp") {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return fmt.Errorf("enrol: identity: %w", err)
			}
		}
	}
	return nil
}

// writeFile writes data to dir/name, 0600, atomically: a temporary file
// in the same folder, fsync, rename, fsync of the folder.
func writeFile(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, name+".tmp*")
	if err != nil {
		return fmt.Errorf("enrol: identity: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("enrol: identity: %w", err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("enrol: identity: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("enrol: identity: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("enrol: identity: %w", err)
	}
	if err = os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("enrol: identity: %w", err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("enrol: identity folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("enrol: identity folder: %w", err)
	}
	return nil
}

// certInfo parses a PEM certificate.
func certInfo(pemText string) (*x509.Certificate, error) {
	blk := pemBlock([]byte(pemText), "CERTIFICATE")
	if blk == nil {
		return nil, errors.New("no PEM certificate")
	}
	return x509.ParseCertificate(blk)
}
