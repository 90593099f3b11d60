// Package demo runs the whole kiosk on a machine with no hardware: the
// reference backend in-process on SQLite, a simulated MRZ scanner on a
// pseudo-terminal that the real scanner driver opens by path, and the real
// printer driver writing each ticket into a folder as the printer's bytes
// (.bin) and a picture of the paper (.png).
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// DemoPIN opens technician mode in the demo (F12), unless the demo's
// configuration sets its own technician.pin_hash. Never use it on a kiosk
// in a hall: it is published here.
const DemoPIN = "135790"

// demoPINHash is DemoPIN's hash, made once with "kiosk pin-hash" so that
// the demo does not spend a quarter of a second hashing at every start.
const demoPINHash = "$argon2id$v=19$m=65536,t=3,p=4$T8zdk0l2/r/ErUTi3iN+dg$z506YMlBTsfny2lA9Un5HWM60gyhfPBt/YQNhWNTUr0"

// Demo is the simulated kiosk hall: a backend, a scanner and a printer.
type Demo struct {
	Config *config.Config
	// BackendURL is the embedded backend on loopback.
	BackendURL string
	// Tickets is the folder the printer writes into.
	Tickets string
	// TokenDir holds the demo's bearer tokens, a file per principal
	// (central.DemoTokenFile): the kiosk's, the branch's clerk, supervisor,
	// display and booking feed.
	TokenDir string
	tokens   map[central.Principal]string
	Store    central.Store
	// ClerkPassword is the console password of central.DemoClerk, kept in
	// central.DemoClerkFile(TokenDir); "" when that clerk was disabled.
	// The console is at BackendURL + "/console/".
	ClerkPassword string
	// BookingCodes are today's sample booked visits (SampleBookingCodes),
	// registered at start; the first is found by the BookingPassport
	// specimen too.
	BookingCodes []string
	Scanner      *scanner.Dev
	Printer      *printer.Dev
	Uplink       *uplink.Uplink
	port         *scannertest.Port
	server       *http.Server
	srv          *central.Server
	log          *slog.Logger
	mu           sync.Mutex
	closers      []func() error
}

// BackendAddr is where the demo's backend listens when the port is free.
const BackendAddr = "127.0.0.1:8780"

// Start builds the demo under stateDir from cfg (nil: the defaults), with
// state_dir, the backend URL, the printer and the opening hours
// (config.DemoHours) set to the demo's own.
func Start(ctx context.Context, stateDir string, cfg *config.Config, log *slog.Logger) (d *Demo, err error) {
	if cfg == nil {
		cfg = config.Default()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := *cfg
	d = &Demo{Config: &c, log: log, Tickets: filepath.Join(stateDir, "tickets")}
	defer func() {
		if err != nil {
			d.Close()
			d = nil
		}
	}()
	if err := os.MkdirAll(d.Tickets, 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	c.Kiosk.StateDir = stateDir
	// The demo's hall is open round the clock, whatever [flow.hours] says,
	// so that it prints and calls a ticket at any hour; its branch has the
	// same hours (central.Demo), as a hall's kiosks must have their
	// branch's.
	c.Flow.Hours = config.DemoHours()
	if c.Technician.PINHash == "" {
		c.Technician.PINHash = demoPINHash
	}

	// The backend, on loopback only.
	key, err := central.LoadKey(filepath.Join(stateDir, "central.key"), true)
	if err != nil {
		return nil, fmt.Errorf("demo: backend key: %w", err)
	}
	// The demo serves its database as `central serve` would: another
	// server on it (a second demo in the same folder, a central serve on
	// var/central.db) would number tickets apart from this one.
	unlock, err := sqlite.LockServe(filepath.Join(stateDir, "central.db"))
	if err != nil {
		return nil, fmt.Errorf("demo: backend store: %w; give this demo a folder of its own with --state DIR", err)
	}
	d.closers = append(d.closers, func() error { unlock(); return nil })
	store, err := sqlite.Open(ctx, filepath.Join(stateDir, "central.db"), log)
	if err != nil {
		return nil, fmt.Errorf("demo: backend store: %w", err)
	}
	d.Store = store
	d.closers = append(d.closers, store.Close)
	reg := central.Demo(1)
	d.TokenDir = filepath.Join(stateDir, "tokens")
	if d.tokens, err = central.EnsureDemoTokens(ctx, store, reg, d.TokenDir, time.Now()); err != nil {
		return nil, fmt.Errorf("demo: tokens: %w", err)
	}
	log.Info("demo backend tokens", "dir", d.TokenDir)
	srv, err := central.NewServer(central.Options{Store: store, Registry: reg, Key: key, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("demo: backend: %w", err)
	}
	d.srv = srv
	if d.ClerkPassword, err = mountConsole(ctx, srv, store, reg, d.TokenDir, log); err != nil {
		return nil, err
	}
	// The usual address, so the README can name the console's; any other
	// when it is taken (a second demo, a test beside one).
	ln, err := net.Listen("tcp", BackendAddr)
	if err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, fmt.Errorf("demo: backend: %w", err)
	}
	d.server = central.NewHTTPServer(srv, central.HTTPOptions{})
	go func() { _ = d.server.Serve(ln) }()
	d.BackendURL = "http://" + ln.Addr().String()
	if err := d.addBookings(ctx, time.Now()); err != nil {
		return nil, fmt.Errorf("demo: sample bookings: %w", err)
	}
	c.Backend.URL = d.BackendURL
	c.Backend.ClientCert, c.Backend.ClientKey, c.Backend.CACert = "", "", ""
	c.Backend.TokenFile = central.DemoTokenFile(d.TokenDir, central.RoleKiosk, c.Kiosk.ID)
	c.Backend.OutboxKeyFile = filepath.Join(stateDir, "outbox.key")
	removeBackendFile, err := writeBackendFile(stateDir, d.BackendURL, c.Backend.TokenFile)
	if err != nil {
		return nil, err
	}
	d.closers = append(d.closers, removeBackendFile)
	if _, err := uplink.LoadKey(c.Backend.OutboxKeyFile, true); err != nil {
		return nil, fmt.Errorf("demo: outbox key: %w", err)
	}
	uo, err := uplink.FromConfig(c.Backend, c.Kiosk)
	if err != nil {
		return nil, fmt.Errorf("demo: uplink: %w", err)
	}
	if uo.QueueDay, err = uplink.QueueDayFunc(c.Flow.Hours, uo.Zone); err != nil {
		return nil, fmt.Errorf("demo: uplink: %w", err)
	}
	uo.Logger = log
	d.Uplink, err = uplink.Open(ctx, uo)
	if err != nil {
		return nil, fmt.Errorf("demo: uplink: %w", err)
	}
	d.closers = append(d.closers, d.Uplink.Close)

	// The scanner: a pseudo-terminal the real driver opens by path, unless
	// the config names a port (the image's smoke test feeds a serial port).
	if c.Scanner.Port == "" {
		d.port, err = scannertest.New(stateDir)
		if err != nil {
			return nil, fmt.Errorf("demo: scanner: %w", err)
		}
		d.closers = append(d.closers, d.port.Close)
		c.Scanner.Port = d.port.Path()
	}
	opener, sopts, err := scanner.FromConfig(c.Scanner)
	if err != nil {
		return nil, fmt.Errorf("demo: scanner: %w", err)
	}
	d.Scanner, err = scanner.New(opener, sopts)
	if err != nil {
		return nil, fmt.Errorf("demo: scanner: %w", err)
	}

	// The printer: the real driver, its jobs kept as files and pictures,
	// unless the config names a serial port (the image's smoke test reads
	// the printer's bytes from one).
	if c.Printer.Transport == "serial" && c.Printer.Path != "" {
		if d.Printer, err = hw.Open(ctx, &c); err != nil {
			return nil, fmt.Errorf("demo: printer: %w", err)
		}
		d.closers = append(d.closers, d.Printer.Close)
		return d, nil
	}
	c.Printer.Transport, c.Printer.Path = "file", d.Tickets
	popts, err := hw.Opts(&c)
	if err != nil {
		return nil, fmt.Errorf("demo: printer: %w", err)
	}
	d.Printer, err = printer.New(&ticketFolder{dir: d.Tickets, opts: popts.Profile.PreviewOptions()}, &popts)
	if err != nil {
		return nil, fmt.Errorf("demo: printer: %w", err)
	}
	return d, nil
}

// Token returns a bearer token of the demo's backend: the kiosk's for
// central.RoleKiosk, else the token of that role in the kiosk's branch
// (the clerk's, the booking feed's, …); "" for a role the demo has none of.
func (d *Demo) Token(role central.Role) string {
	p := central.Principal{Role: role, Branch: d.Config.Kiosk.Branch}
	if role == central.RoleKiosk {
		p.Kiosk = d.Config.Kiosk.ID
	}
	return d.tokens[p]
}

// Scan puts the specimen with the given ID on the simulated scanner.
func (d *Demo) Scan(id string) {
	if d.port == nil {
		return // the config named a real port: scans come from there
	}
	for _, s := range Specimens() {
		if s.ID == id {
			if _, err := d.port.Write(scannertest.Frame(s.Lines, "\r\n")); err != nil {
				d.log.Warn("demo scan", "err", err)
			}
			return
		}
	}
}

// Samples lists the specimens for the scan screen's demo buttons.
func (d *Demo) Samples() []screen.Sample {
	var out []screen.Sample
	for _, s := range Specimens() {
		out = append(out, screen.Sample{ID: s.ID, Label: s.Label})
	}
	return out
}

// Options are the kiosk's parts in the demo.
func (d *Demo) Options() kiosk.Options {
	return kiosk.Options{Config: d.Config, Scanner: d.Scanner, Printer: d.Printer, Uplink: d.Uplink,
		Samples: d.Samples(), ScanSample: d.Scan, BookingCodes: d.BookingCodes, Console: d.console(), Logger: d.log}
}

// console names the clerks' console for the ticket page; nil when the demo
// clerk is disabled, as the page then has no sign-in to give.
func (d *Demo) console() *screen.Console {
	if d.ClerkPassword == "" {
		return nil
	}
	return &screen.Console{URL: d.BackendURL + "/console/", Login: central.DemoClerk, Password: d.ClerkPassword}
}

// Close stops the backend and closes the devices, last opened first.
func (d *Demo) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var errs []error
	if d.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		errs = append(errs, d.server.Shutdown(ctx))
		cancel()
		d.server = nil
	}
	if d.srv != nil {
		d.srv.Close()
		d.srv = nil
	}
	for i := len(d.closers) - 1; i >= 0; i-- {
		errs = append(errs, d.closers[i]())
	}
	d.closers = nil
	return errors.Join(errs...)
}
