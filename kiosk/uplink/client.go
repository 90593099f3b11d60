package uplink

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Errors the kiosk branches on.
var (
	// ErrUnreachable: no answer from the backend before the deadline (the
	// network, the server, a 5xx). The kiosk goes offline; the outbox keeps
	// the application.
	ErrUnreachable = errors.New("uplink: backend unreachable")
	// ErrRejected: the backend answered with a 4xx. Retrying the same
	// request will not help; *RejectedError says why.
	ErrRejected = errors.New("uplink: backend rejected the request")
	// ErrInsecure: a plain-http URL that is not a loopback address, or
	// https without a client certificate.
	ErrInsecure = errors.New("uplink: insecure backend URL")
)

// RejectedError is a 4xx answer with the server's error body.
type RejectedError struct {
	Status int
	Body   api.Error
}

// Error returns the status and the server's code and message.
func (e *RejectedError) Error() string {
	return fmt.Sprintf("uplink: backend rejected the request: %d %s: %s", e.Status, e.Body.Code, e.Body.Message)
}

// Unwrap returns ErrRejected.
func (e *RejectedError) Unwrap() error { return ErrRejected }

// AnswerError is an answer the client could not take: a 5xx, 429 or 401
// (Status), or a 2xx whose body does not parse (Err). Calls retry it like
// a network error; the ErrUnreachable error they return when their
// context ends wraps the last one, so a caller can tell that the backend
// answered, and what.
type AnswerError struct {
	Method, Path string
	Status       int
	Err          error // why a 2xx body was not taken; nil for a status
}

// Error says what was sent and what came back.
func (e *AnswerError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("uplink: %s %s: answer: %v", e.Method, e.Path, e.Err)
	}
	return fmt.Sprintf("uplink: %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
}

// Unwrap returns Err.
func (e *AnswerError) Unwrap() error { return e.Err }

// ClientOptions configure a Client.
type ClientOptions struct {
	// BaseURL is the backend, "https://central.example.kz" or, for the demo
	// only, "http://127.0.0.1:8080".
	BaseURL string
	// TLS holds the CA and the kiosk's client certificate; required for
	// https (see TLSFromFiles).
	TLS *tls.Config
	// Timeout bounds one attempt; 0 means 5 s.
	Timeout time.Duration
	// RetryBase and RetryMax shape the backoff between attempts: a random
	// wait up to RetryBase·2ⁿ, at most RetryMax. 0 means 200 ms and 5 s.
	RetryBase, RetryMax time.Duration
	// Conns is the number of connections kept open; 0 means 4.
	Conns int
	// Token is the kiosk's bearer token, sent with every request; "" sends
	// none (the client certificate names the kiosk).
	Token string
	// Logger gets retries and failures, never personal data; nil discards.
	Logger *slog.Logger
	// Now is the kiosk's clock, which every answer's Date header is
	// measured against (Clock); nil means time.Now.
	Now func() time.Time
}

// Client speaks the protocol to the backend with timeouts and jittered
// retries. Every retry of a submission carries the same id and body, so the
// backend issues one ticket whatever the network does. It is safe for
// concurrent use.
type Client struct {
	base      *url.URL
	http      *http.Client
	timeout   time.Duration
	retryBase time.Duration
	retryMax  time.Duration
	log       *slog.Logger
	now       func() time.Time
	clock     clock
	auth      string // "Bearer TOKEN", or ""
}

// NewClient checks the URL and the TLS settings and returns a client.
func NewClient(o ClientOptions) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(o.BaseURL, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("uplink: backend URL %q: want https://host[:port]", o.BaseURL)
	}
	switch u.Scheme {
	case "https":
		if o.TLS == nil || (len(o.TLS.Certificates) == 0 && o.TLS.GetClientCertificate == nil) {
			return nil, fmt.Errorf("%w: https needs the kiosk's client certificate (client_cert, client_key)", ErrInsecure)
		}
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%w: plain http is allowed to a loopback address only (the demo), not %s; use https with mutual TLS", ErrInsecure, u.Hostname())
		}
	default:
		return nil, fmt.Errorf("uplink: backend URL scheme %q: want https", u.Scheme)
	}
	c := &Client{base: u, timeout: o.Timeout, retryBase: o.RetryBase, retryMax: o.RetryMax, log: o.Logger, now: o.Now}
	if c.now == nil {
		c.now = time.Now
	}
	if o.Token != "" {
		c.auth = "Bearer " + o.Token
	}
	if c.timeout <= 0 {
		c.timeout = 5 * time.Second
	}
	if c.retryBase <= 0 {
		c.retryBase = 200 * time.Millisecond
	}
	if c.retryMax <= 0 {
		c.retryMax = 5 * time.Second
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	conns := o.Conns
	if conns <= 0 {
		conns = 4
	}
	tr := &http.Transport{
		Proxy:               nil, // the kiosk talks to its backend directly
		DialContext:         (&net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     o.TLS,
		TLSHandshakeTimeout: c.timeout,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
	}
	c.http = &http.Client{Transport: tr}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// TLSFromFiles builds the mutual-TLS settings from PEM files: the CA that
// signs the backend's certificate, and the kiosk's certificate and key.
func TLSFromFiles(caFile, certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("uplink: client certificate: %w", err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("uplink: CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("uplink: CA file %s holds no PEM certificate", caFile)
		}
		conf.RootCAs = pool
	}
	return conf, nil
}

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// backoff is the wait before retry n (n ≥ 0): full jitter, so a hall of
// kiosks coming back together does not hit the server in step.
func (c *Client) backoff(n int) time.Duration {
	ceil := c.retryBase << min(n, 16)
	if ceil <= 0 || ceil > c.retryMax {
		ceil = c.retryMax
	}
	return c.retryBase/4 + rand.N(ceil)
}

// call sends one request, retrying network errors, 5xx and 429 until ctx
// ends. It returns the final status; out receives a 2xx body.
func (c *Client) call(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	var last error
	for n := 0; ; n++ {
		st, err := c.once(ctx, method, path, body, out)
		if err == nil || errors.Is(err, ErrRejected) {
			return st, err
		}
		// An attempt cut short by ctx says nothing about the backend:
		// the one before it is the one to report.
		if last == nil || ctx.Err() == nil {
			last = err
		}
		wait := c.backoff(n)
		c.log.Debug("retrying", "path", path, "attempt", n+1, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, fmt.Errorf("%w: %s %s: %w (last: %w)", ErrUnreachable, method, path, ctx.Err(), last)
		case <-t.C:
		}
	}
}

func (c *Client) once(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, c.base.String()+path, rd)
	if err != nil {
		return 0, fmt.Errorf("uplink: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	sent := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("uplink: %s %s: %w", method, path, scrub(err))
	}
	defer resp.Body.Close()
	c.clock.observe(sent, c.now(), resp.Header.Get("Date"))
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, fmt.Errorf("uplink: %s %s: read: %w", method, path, err)
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		if out != nil && len(b) > 0 {
			if err := json.Unmarshal(b, out); err != nil {
				return 0, &AnswerError{Method: method, Path: path, Status: resp.StatusCode, Err: err}
			}
		}
		return resp.StatusCode, nil
	// A 401 is about the kiosk's credential, not the request: the
	// application is kept and retried (the visitor gets an offline
	// ticket) until a technician fixes the token.
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusUnauthorized:
		return resp.StatusCode, &AnswerError{Method: method, Path: path, Status: resp.StatusCode}
	default:
		re := &RejectedError{Status: resp.StatusCode}
		json.Unmarshal(b, &re.Body)
		return resp.StatusCode, re
	}
}

// scrub keeps url.Error's operation and cause but not the URL's query.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Submit sends an application until the backend answers or ctx ends. A
// retry after a lost answer gets the same ticket. Errors: ErrUnreachable,
// *RejectedError.
func (c *Client) Submit(ctx context.Context, a api.Application) (api.Ticket, error) {
	body, err := json.Marshal(a)
	if err != nil {
		return api.Ticket{}, fmt.Errorf("uplink: %w", err)
	}
	var t api.Ticket
	_, err = c.call(ctx, "POST", "/v1/applications", body, &t)
	return t, err
}

// Status returns a ticket's progress. Errors: ErrUnreachable, *RejectedError
// (404 for an unknown id).
func (c *Client) Status(ctx context.Context, id string) (api.Status, error) {
	var s api.Status
	_, err := c.call(ctx, "GET", "/v1/applications/"+url.PathEscape(id), nil, &s)
	return s, err
}

// CheckIn returns the ticket of a booked visit. Errors: ErrNoBooking
// (the backend has no such booking), ErrUnreachable, *RejectedError.
func (c *Client) CheckIn(ctx context.Context, ci api.CheckIn) (api.Ticket, error) {
	body, _ := json.Marshal(ci)
	var t api.Ticket
	_, err := c.call(ctx, "POST", "/v1/bookings/check-in", body, &t)
	return t, noBooking(err)
}

// Heartbeat reports the kiosk's health. A heartbeat without a Clock gets
// the kiosk's offset at its At as measured so far.
func (c *Client) Heartbeat(ctx context.Context, kiosk string, hb api.Heartbeat) error {
	if hb.Clock == nil && !hb.At.IsZero() {
		hb.Clock = c.clock.at(hb.At)
	}
	body, _ := json.Marshal(hb)
	_, err := c.call(ctx, "POST", "/v1/kiosks/"+url.PathEscape(kiosk)+"/heartbeat", body, nil)
	return err
}

// Events reports session events.
func (c *Client) Events(ctx context.Context, kiosk string, ev []api.Event) error {
	body, _ := json.Marshal(api.Events{Events: ev})
	_, err := c.call(ctx, "POST", "/v1/kiosks/"+url.PathEscape(kiosk)+"/events", body, nil)
	return err
}

// Lend asks for a block of numbers to print while offline.
func (c *Client) Lend(ctx context.Context, kiosk string, req api.BlockRequest) (api.Block, error) {
	body, _ := json.Marshal(req)
	var b api.Block
	_, err := c.call(ctx, "POST", "/v1/kiosks/"+url.PathEscape(kiosk)+"/number-blocks", body, &b)
	return b, err
}

// Clock is the kiosk's offset from the backend's clock now, measured from
// the Date header of every answer so far; nil before the first answer.
func (c *Client) Clock() *api.Clock { return c.clock.at(c.now()) }
