package enrol

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
)

// The errors the enrolment page branches on; Message gives each its words.
var (
	// ErrCodeShape: the code typed is not 12 digits; nothing was sent.
	ErrCodeShape = errors.New("enrol: the code has 12 digits")
	// ErrCodeRefused: the backend knows no such code, or it was used or
	// has expired (403). A new code from the supervisor helps.
	ErrCodeRefused = errors.New("enrol: code refused: unknown, used or expired; ask the supervisor for a new one")
	// ErrTooManyTries: too many wrong codes from this address (429);
	// waiting helps.
	ErrTooManyTries = errors.New("enrol: too many wrong codes; wait and try again")
	// ErrUnreachable: no answer (the network, the server, a 5xx); trying
	// again later helps.
	ErrUnreachable = errors.New("enrol: backend unreachable")
	// ErrBadAnswer: an answer the kiosk cannot take: a 400 or another
	// status, a body that does not parse, or a certificate that is not for
	// the key the kiosk sent. Support must look.
	ErrBadAnswer = errors.New("enrol: the backend's answer is not usable")
	// ErrStore: the key or the certificate could not be written here.
	ErrStore = errors.New("enrol: the identity could not be stored")
)

// AnswerError is an answer with a status the enrolment does not take: it
// says what came back, and wraps the kind (ErrCodeRefused, ErrTooManyTries,
// ErrUnreachable or ErrBadAnswer).
type AnswerError struct {
	Status int
	Body   api.Error
	Kind   error
}

// Error gives the status and the server's code and message.
func (e *AnswerError) Error() string {
	s := fmt.Sprintf("%v: POST /v1/enrol: %d %s", e.Kind, e.Status, http.StatusText(e.Status))
	if e.Body.Code != "" || e.Body.Message != "" {
		s += ": " + e.Body.Code + ": " + e.Body.Message
	}
	return s
}

// Unwrap returns the kind.
func (e *AnswerError) Unwrap() error { return e.Kind }

// ClientOptions configure a Client.
type ClientOptions struct {
	// BaseURL is the backend, as backend.url. https, or http to a
	// loopback address (the demo).
	BaseURL string
	// TLS checks the backend's certificate (RootCAs from backend.ca_cert;
	// nil: the system's roots). Enrolment needs no client certificate:
	// the code is the credential.
	TLS *tls.Config
	// Timeout bounds the request; 0 means 15 s.
	Timeout time.Duration
	// Dir is the identity folder (Dir).
	Dir string
	// HardwareID is sent with the request (HardwareID).
	HardwareID string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger gets the outcome, never the code or the key; nil discards.
	Logger *slog.Logger
}

// ClientFromConfig is the enrolment client's options from the kiosk's
// configuration: the backend's URL, CA and timeout, and the identity
// folder under the state folder.
func ClientFromConfig(cfg *config.Config, hardwareID string) (ClientOptions, error) {
	o := ClientOptions{BaseURL: cfg.Backend.URL, Timeout: cfg.Backend.Timeout.D(), Dir: Dir(cfg.Kiosk), HardwareID: hardwareID}
	o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	if f := cfg.Backend.CACert; f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return ClientOptions{}, fmt.Errorf("enrol: backend CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(b) {
			return ClientOptions{}, fmt.Errorf("enrol: backend CA file %s holds no PEM certificate", f)
		}
		o.TLS.RootCAs = pool
	}
	return o, nil
}

// Client enrols the kiosk with the backend.
type Client struct {
	o    ClientOptions
	url  string
	http *http.Client
	log  *slog.Logger
}

// NewClient checks the options and returns a client.
func NewClient(o ClientOptions) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(o.BaseURL, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("enrol: backend URL %q: want https://host[:port]", o.BaseURL)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return nil, fmt.Errorf("enrol: backend URL %q: use https (plain http only to a loopback address, the demo)", o.BaseURL)
	}
	if o.Dir == "" || o.HardwareID == "" {
		return nil, errors.New("enrol: the identity folder and the hardware id are required")
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &Client{o: o, url: u.String() + "/v1/enrol", log: o.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.http = &http.Client{Timeout: o.Timeout, Transport: &http.Transport{
		Proxy:               nil, // the kiosk talks to its backend directly
		DialContext:         (&net.Dialer{Timeout: o.Timeout}).DialContext,
		TLSClientConfig:     o.TLS,
		TLSHandshakeTimeout: o.Timeout,
	}}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NormaliseCode returns the code's digits; separators and spaces are
// dropped, as the backend drops them. ErrCodeShape when that is not 12
// digits.
func NormaliseCode(code string) (string, error) {
	var b strings.Builder
	for _, r := range code {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
		default:
			return "", ErrCodeShape
		}
	}
	if b.Len() != CodeDigits {
		return "", ErrCodeShape
	}
	return b.String(), nil
}

// CodeDigits is the length of a one-time enrolment code.
const CodeDigits = 12

// Enrol makes a new key pair on the device, sends its certificate request
// with the one-time code, and stores the key, the certificate the backend
// signed and the identity in the identity folder, replacing an earlier
// enrolment (whose certificate the backend revokes). The key never leaves
// the device: only the request, signed by it, is sent. On any error the
// earlier identity, if any, stays as it was.
//
// Errors: ErrCodeShape, ErrCodeRefused, ErrTooManyTries, ErrUnreachable,
// ErrBadAnswer (as *AnswerError when the backend answered), ErrStore.
func Enrol(ctx context.Context, c *Client, code string) (*Identity, error) {
	code, err := NormaliseCode(code)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("%w: key: %w", ErrStore, err)
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		// The backend names the certificate after the code's kiosk id;
		// the subject only says which box asked.
		Subject: pkix.Name{CommonName: c.o.HardwareID},
	}, key)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate request: %w", ErrStore, err)
	}
	body, _ := json.Marshal(api.EnrolRequest{Code: code, HardwareID: c.o.HardwareID,
		CSR: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr}))})
	ans, err := c.post(ctx, body)
	if err != nil {
		c.log.Warn("enrolment failed", "hardwareId", c.o.HardwareID, "err", err)
		return nil, err
	}
	cert, err := certInfo(ans.Certificate)
	switch {
	case err != nil:
		err = fmt.Errorf("%w: certificate: %w", ErrBadAnswer, err)
	case !key.PublicKey.Equal(cert.PublicKey):
		err = fmt.Errorf("%w: the certificate is not for the key this kiosk sent", ErrBadAnswer)
	case ans.KioskID == "" || cert.Subject.CommonName != ans.KioskID:
		err = fmt.Errorf("%w: the certificate names kiosk %q, the answer %q", ErrBadAnswer, cert.Subject.CommonName, ans.KioskID)
	case !isID(ans.KioskID, 16) || !isID(ans.Branch, 32):
		// They are printed on tickets, as kiosk.id and kiosk.branch are.
		err = fmt.Errorf("%w: kiosk id %q or branch %q is not up to 16 (32) Latin letters, digits, '-' or '_'", ErrBadAnswer, ans.KioskID, ans.Branch)
	}
	if err != nil {
		c.log.Warn("enrolment failed", "hardwareId", c.o.HardwareID, "err", err)
		return nil, err
	}
	id := &Identity{KioskID: ans.KioskID, Branch: ans.Branch, NotAfter: cert.NotAfter.UTC(),
		HardwareID: c.o.HardwareID, Enrolled: c.o.Now().UTC(), Dir: c.o.Dir}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("%w: key: %w", ErrStore, err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	idJSON, _ := json.MarshalIndent(id, "", "  ")
	err = store(c.o.Dir, map[string][]byte{keyName: keyPEM, certName: []byte(ans.Certificate),
		caName: []byte(ans.CA), identityName: append(idJSON, '\n')})
	clear(der)
	clear(keyPEM)
	if err != nil {
		c.log.Error("enrolment not stored", "err", err)
		return nil, fmt.Errorf("%w: %w", ErrStore, err)
	}
	c.log.Info("enrolled", "kiosk", id.KioskID, "branch", id.Branch, "notAfter", id.NotAfter, "hardwareId", id.HardwareID)
	return id, nil
}

// post sends the request once: a technician at the page or the console
// tries again, with the same code or a new one.
func (c *Client) post(ctx context.Context, body []byte) (*api.Enrolment, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("enrol: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: read: %w", ErrUnreachable, err)
	}
	ae := &AnswerError{Status: resp.StatusCode}
	switch {
	case resp.StatusCode == http.StatusCreated: // the backend's one success
		var e api.Enrolment
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadAnswer, err)
		}
		return &e, nil
	case resp.StatusCode == http.StatusForbidden:
		ae.Kind = ErrCodeRefused
	case resp.StatusCode == http.StatusTooManyRequests:
		ae.Kind = ErrTooManyTries
	case resp.StatusCode >= 500:
		ae.Kind = ErrUnreachable
	default:
		ae.Kind = ErrBadAnswer
	}
	json.Unmarshal(b, &ae.Body)
	return nil, ae
}

// pemBlock returns the bytes of the first PEM block of the type.
func pemBlock(b []byte, typ string) []byte {
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return nil
		}
		if blk.Type == typ {
			return blk.Bytes
		}
	}
}

// isID is config's rule for kiosk.id and kiosk.branch: ASCII letters,
// digits, '-' and '_', starting with a letter or digit, at most max long.
func isID(s string, max int) bool {
	if s == "" || len(s) > max || s[0] == '-' || s[0] == '_' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
