package central

import (
	"crypto/tls"
	"log"
	"net/http"
	"time"
)

// HTTPOptions configure the http.Server that NewHTTPServer makes. Zero
// fields take the defaults.
type HTTPOptions struct {
	// ReadHeaderTimeout bounds reading a request's headers; 0 means 10 s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included, so a
	// client that sends its body a byte a minute is cut off; 0 means 30 s.
	// It ends with the request: net/http lifts the deadline once the body
	// is read, so the display stream's connection stays open.
	ReadTimeout time.Duration
	// IdleTimeout closes a keep-alive connection with no request; 0 means
	// 120 s.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's headers; 0 means 16 KiB, room for
	// a bearer token and a client certificate's worth of proxy headers.
	MaxHeaderBytes int
	// TLSConfig is the server's TLS configuration; nil for plain HTTP.
	TLSConfig *tls.Config
	// ErrorLog gets the server's own errors (TLS handshakes, panics); nil
	// means the log package's standard logger.
	ErrorLog *log.Logger
}

// NewHTTPServer returns the http.Server for handler (a *Server) with time
// limits on every connection: without them a slow body or an idle
// keep-alive holds a descriptor for ever, and a thousand of them stop the
// server. There is no WriteTimeout: the display stream (server-sent events)
// lasts all day, and an answer's size is the server's own doing.
//
// cmd/central and the kiosk demo serve through it, so the limits tested are
// the limits served.
func NewHTTPServer(handler http.Handler, o HTTPOptions) *http.Server {
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = 10 * time.Second
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 30 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 120 * time.Second
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = 16 << 10
	}
	return &http.Server{
		Handler:           handler,
		TLSConfig:         o.TLSConfig,
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		ReadTimeout:       o.ReadTimeout,
		IdleTimeout:       o.IdleTimeout,
		MaxHeaderBytes:    o.MaxHeaderBytes,
		ErrorLog:          o.ErrorLog,
	}
}
