// Package hw opens the ticket printer described by the kiosk configuration:
// the transport (serial, character device, TCP or files), the sensor pins
// from periph's gpioreg, and a Reopen function for when the printer goes
// away. It is the only printer code that touches paths and addresses.
//
// # Transports
//
// "serial" opens config.Printer.Path with serialconn at Baud, 8N1;
// "device" opens a raw character device; "tcp" dials Address (port 9100 by
// default); "file" writes one file per job into Path, or into
// <state_dir>/tickets when Path is empty, and reads no status.
//
// # Pins
//
// PaperNearEndPin and CoverOpenPin are looked up by name in gpioreg. The
// host drivers must have been loaded (host.Init) by then; a name that is
// not registered is an error that says so.
//
// # Start-up
//
// When the printer cannot be opened at start-up, Open still returns a Dev,
// offline, whose Run keeps trying; the error is returned beside it so the
// caller can log it.
package hw

import (
	"context"
	"fmt"
	"path/filepath"

	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/uart"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/serialconn"
	"github.com/hcsc-kz/kiosk/devices/printer/streamconn"
)

// Opts returns the driver options for the configuration: the profile,
// the timeouts and the sensor pins. The Reopen function is Dial.
func Opts(cfg *config.Config) (printer.Opts, error) {
	pc := cfg.Printer
	switch pc.Transport {
	case "serial", "device", "tcp", "file":
	default:
		return printer.Opts{}, fmt.Errorf("printer: transport %q; want serial, device, tcp or file", pc.Transport)
	}
	p, err := printer.LookupProfile(pc.Profile)
	if err != nil {
		return printer.Opts{}, err
	}
	if pc.Transport == "file" {
		p.Status = printer.NoStatus
	}
	o := printer.Opts{
		Profile:       p,
		StatusTimeout: pc.StatusTimeout.D(),
		JobTimeout:    pc.JobTimeout.D(),
		PollInterval:  pc.PollInterval.D(),
		ReopenMin:     pc.ReopenMin.D(),
		ReopenMax:     pc.ReopenMax.D(),
		Reopen:        func(ctx context.Context) (conn.Conn, error) { return Dial(ctx, cfg) },
	}
	if o.NearEnd, err = pin(pc.PaperNearEndPin, "printer.paper_near_end_pin"); err != nil {
		return printer.Opts{}, err
	}
	if o.CoverOpen, err = pin(pc.CoverOpenPin, "printer.cover_open_pin"); err != nil {
		return printer.Opts{}, err
	}
	return o, nil
}

func pin(name, key string) (gpio.PinIn, error) {
	if name == "" {
		return nil, nil
	}
	p := gpioreg.ByName(name)
	if p == nil {
		return nil, fmt.Errorf("printer: %s = %q: no such GPIO pin; check the name, and that the host drivers are loaded", key, name)
	}
	return p, nil
}

// Dial opens the configured transport as a conn.Conn.
func Dial(ctx context.Context, cfg *config.Config) (conn.Conn, error) {
	pc := cfg.Printer
	switch pc.Transport {
	case "serial":
		p, err := serialconn.Open(pc.Path)
		if err != nil {
			return nil, err
		}
		baud := pc.Baud
		if baud <= 0 {
			baud = 9600
		}
		c, err := p.Connect(physic.Frequency(baud)*physic.Hertz, uart.One, uart.NoParity, uart.NoFlow, 8)
		if err != nil {
			_ = p.Close() // the Connect error says what went wrong
			return nil, err
		}
		return c, nil
	case "device":
		c, err := streamconn.OpenDevice(pc.Path)
		if err != nil {
			return nil, err
		}
		return c, nil
	case "tcp":
		c, err := streamconn.Dial(ctx, pc.Address)
		if err != nil {
			return nil, err
		}
		return c, nil
	case "file":
		dir := pc.Path
		if dir == "" {
			dir = filepath.Join(cfg.Kiosk.StateDir, "tickets")
		}
		c, err := streamconn.Folder(dir)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, fmt.Errorf("printer: transport %q; want serial, device, tcp or file", pc.Transport)
}

// Open returns the printer driver for the configuration. When the
// transport cannot be opened now, it returns an offline Dev and the error;
// the error promises no retry, since only a caller that runs the Dev (Run
// reopens it) retries. A bad configuration returns a nil Dev.
func Open(ctx context.Context, cfg *config.Config) (*printer.Dev, error) {
	o, err := Opts(cfg)
	if err != nil {
		return nil, err
	}
	c, derr := Dial(ctx, cfg)
	if derr == nil {
		if sc, ok := c.(*streamconn.Conn); ok && !sc.CanRead() {
			o.Profile.Status = printer.NoStatus
		}
	}
	d, err := printer.New(c, &o)
	if err != nil {
		if cl, ok := c.(interface{ Close() error }); ok {
			_ = cl.Close() // New's error is the one to report
		}
		return nil, err
	}
	if derr != nil {
		return d, fmt.Errorf("printer: offline at start-up: %w", derr)
	}
	return d, nil
}
