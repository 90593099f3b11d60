package hw_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
)

func TestOpenFile(t *testing.T) {
	cfg := config.Default()
	cfg.Kiosk.StateDir = t.TempDir()
	cfg.Printer.Transport, cfg.Printer.Path, cfg.Printer.Profile = "file", "", "epson-tm-t20iii"
	d, err := hw.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	defer d.Close()
	if err := d.PrintTestPage(context.Background()); err != nil {
		t.Fatalf("PrintTestPage() error = %v", err)
	}
	job, err := os.ReadFile(filepath.Join(cfg.Kiosk.StateDir, "tickets", "job-0001.bin"))
	if err != nil || len(job) < 100 {
		t.Errorf("job file: %d bytes, %v", len(job), err)
	}
	if d.State() != printer.Ready {
		t.Errorf("State() = %s, want ready", d.State())
	}
}

func TestOpts(t *testing.T) {
	near := &gpiotest.Pin{N: "HW_TEST_NEAR_END", Num: 101}
	cover := &gpiotest.Pin{N: "HW_TEST_COVER", Num: 102}
	for _, p := range []gpio.PinIO{near, cover} {
		if gpioreg.ByName(p.Name()) != nil {
			continue // registered by an earlier run (-count): the registry is process-wide
		}
		if err := gpioreg.Register(p); err != nil {
			t.Fatal(err)
		}
	}
	tests := map[string]struct {
		change  func(c *config.Printer)
		wantErr string
	}{
		"pins found":    {func(c *config.Printer) { c.PaperNearEndPin, c.CoverOpenPin = near.N, cover.N }, ""},
		"pin missing":   {func(c *config.Printer) { c.CoverOpenPin = "GPIO_NOPE" }, "GPIO_NOPE"},
		"profile wrong": {func(c *config.Printer) { c.Profile = "epson-tm-t1000" }, "unknown profile"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := config.Default()
			tt.change(&cfg.Printer)
			o, err := hw.Opts(cfg)
			if tt.wantErr == "" {
				if err != nil || o.NearEnd == nil || o.CoverOpen == nil || o.Reopen == nil {
					t.Errorf("Opts() = %+v, %v; want both pins and Reopen", o, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Opts() error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestOpenOffline starts with a network printer that is not there: Open
// returns an offline Dev and the error.
func TestOpenOffline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	cfg := config.Default()
	cfg.Printer.Transport, cfg.Printer.Address = "tcp", addr
	d, err := hw.Open(context.Background(), cfg)
	if d == nil || err == nil {
		t.Fatalf("Open(closed port) = %v, %v; want an offline Dev and an error", d, err)
	}
	if d.State() != printer.Offline {
		t.Errorf("State() = %s, want offline", d.State())
	}
	perr := d.PrintTicket(context.Background(), &printer.Ticket{Number: "A-1"})
	if !errors.Is(perr, printer.ErrOffline) {
		t.Errorf("PrintTicket() offline = %v, want ErrOffline", perr)
	}
	cfg.Printer.Transport = "carrier-pigeon"
	if d, err := hw.Open(context.Background(), cfg); d != nil || err == nil {
		t.Errorf("Open(bad transport) = %v, %v; want nil and an error", d, err)
	}
}

// TestDefaultProfileCuts: a kiosk's printer has an autocutter, so the
// profile a fresh configuration selects ends each ticket with a cut (GS V),
// not a feed to a tear bar no visitor would find.
func TestDefaultProfileCuts(t *testing.T) {
	o, err := hw.Opts(config.Default())
	if err != nil {
		t.Fatal(err)
	}
	if !o.Profile.Cutter {
		t.Fatalf("default profile %s has no cutter", o.Profile.Name)
	}
	l, err := printer.NewLayout(o.Profile)
	if err != nil {
		t.Fatal(err)
	}
	job, err := l.Ticket(&printer.Ticket{Number: "A-001"})
	if err != nil {
		t.Fatal(err)
	}
	if cut := []byte{0x1d, 'V', 66, 0}; !bytes.HasSuffix(job, cut) {
		t.Errorf("default profile %s: job ends % x, want the cut % x", o.Profile.Name, job[max(0, len(job)-4):], cut)
	}
}
