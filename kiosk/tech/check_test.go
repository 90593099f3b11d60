package tech_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/conntest"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// deadURL is a loopback address nobody listens on.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestChecks runs the checks on real parts: the demo's backend, outbox and
// configuration, a scanner on a pty opened by path, printers with and
// without a connection, with one thing broken per case.
func TestChecks(t *testing.T) {
	ctx := context.Background()
	d := demotest.Demo(t)
	port, err := scannertest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	// The demo kiosk's first sync: the backend tells it its offline prefix.
	if _, err := d.Uplink.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	// base is a kiosk whose every part works: a scanner on the pty, a
	// printer that needs no status answer, the demo's link and outbox.
	base := func(t *testing.T) tech.Parts {
		c := *d.Config
		c.Scanner.Port = port.Path()
		c.Printer.Transport = "serial"
		opener, _, err := scanner.FromConfig(c.Scanner)
		if err != nil {
			t.Fatal(err)
		}
		po := printer.DefaultOpts()
		po.Profile.Status = printer.NoStatus
		p, err := printer.New(&conntest.Discard{D: conn.Half}, &po)
		if err != nil {
			t.Fatal(err)
		}
		return tech.Parts{Config: &c, ConfigPath: "kiosk.toml", Version: "test", Scanner: tech.OpenProbe{Opener: opener},
			Printer: p, Backend: d.Uplink, Outbox: d.Uplink}
	}
	tests := map[string]struct {
		change func(t *testing.T, p *tech.Parts)
		want   map[string]tech.State // the checks that differ from all loaded
		reason map[string]string     // a piece of the reason
		says   map[string]string     // the words on the technician page
	}{
		"all working": {change: func(*testing.T, *tech.Parts) {},
			want: map[string]tech.State{}},
		"demo kiosk": {change: func(t *testing.T, p *tech.Parts) {
			p.Config.Printer.Transport = "file"
			p.Config.Technician.PINHash = ""
		}, want: map[string]tech.State{"printer": tech.Skipped, "technician": tech.Skipped},
			reason: map[string]string{"printer": `transport "file"`, "technician": "pin_hash is empty"}},
		"no scanner configured": {change: func(t *testing.T, p *tech.Parts) { p.Config.Scanner.Port = "" },
			want: map[string]tech.State{"scanner": tech.Skipped}, reason: map[string]string{"scanner": "port is empty"}},
		"scanner unplugged": {change: func(t *testing.T, p *tech.Parts) {
			opener, _, err := scanner.FromConfig(config.Scanner{Port: filepath.Join(t.TempDir(), "ttyGone"), Baud: 9600, DataBits: 8, Parity: "none", StopBits: "1"})
			if err != nil {
				t.Fatal(err)
			}
			p.Scanner = tech.OpenProbe{Opener: opener}
		}, want: map[string]tech.State{"scanner": tech.Failed}, reason: map[string]string{"scanner": "port not found"},
			says: map[string]string{"scanner": "tech.fault.scanner_unplugged"}},
		"scanner failing in many lines": {change: func(t *testing.T, p *tech.Parts) {
			// The backend refuses control characters and long texts in a
			// heartbeat; the report of the scanner must still get through.
			p.Scanner = failingProbe{errors.Join(errors.New("port busy"), errors.New(strings.Repeat("and more ", 100)))}
		}, want: map[string]tech.State{"scanner": tech.Failed}, reason: map[string]string{"scanner": "port busy"},
			says: map[string]string{"scanner": "tech.fault.scanner_fault"}},
		"printer without a connection": {change: func(t *testing.T, p *tech.Parts) {
			po := printer.DefaultOpts()
			po.Reopen = func(context.Context) (conn.Conn, error) { return nil, errors.New("no such device") }
			dev, err := printer.New(nil, &po)
			if err != nil {
				t.Fatal(err)
			}
			p.Printer = dev
		}, want: map[string]tech.State{"printer": tech.Failed}, reason: map[string]string{"printer": "offline"},
			says: map[string]string{"printer": "tech.fault.printer_offline"}},
		"backend down": {change: func(t *testing.T, p *tech.Parts) {
			c, err := uplink.NewClient(uplink.ClientOptions{BaseURL: deadURL(t)})
			if err != nil {
				t.Fatal(err)
			}
			p.Backend, p.Timeout = c, 300*time.Millisecond
		}, want: map[string]tech.State{"backend": tech.Failed}, reason: map[string]string{"backend": "unreachable"},
			says: map[string]string{"backend": "tech.fault.backend_unreachable"}},
		"kiosk unknown to the backend": {change: func(t *testing.T, p *tech.Parts) { p.Config.Kiosk.ID = "K-99" },
			want: map[string]tech.State{"backend": tech.Failed}, reason: map[string]string{"backend": "rejected"},
			says: map[string]string{"backend": "tech.fault.backend_refused"}},
		"no outbox yet": {change: func(t *testing.T, p *tech.Parts) { p.Outbox = nil },
			want: map[string]tech.State{"outbox": tech.Skipped, "offline-prefix": tech.Skipped},
			says: map[string]string{"outbox": "tech.fault.outbox_none", "offline-prefix": "tech.fault.outbox_none"}},
		"offline prefix not told yet": {change: func(t *testing.T, p *tech.Parts) {
			out, err := uplink.OpenOutbox(ctx, filepath.Join(t.TempDir(), "outbox.db"), make([]byte, 32))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { out.Close() })
			p.Outbox = out
		}, want: map[string]tech.State{"offline-prefix": tech.Failed}, reason: map[string]string{"offline-prefix": "none known yet"}},
		"PIN in clear": {change: func(t *testing.T, p *tech.Parts) { p.Config.Technician.PINHash = "1234" },
			want:   map[string]tech.State{"config": tech.Failed, "technician": tech.Failed},
			reason: map[string]string{"config": "bare PIN", "technician": "kiosk pin-hash"}},
		"PIN hash cut short": {change: func(t *testing.T, p *tech.Parts) { p.Config.Technician.PINHash = "$argon2id$v=19$m=65536,t=3,p=4$" },
			want: map[string]tech.State{"technician": tech.Failed}, reason: map[string]string{"technician": "5 fields"}},
		"unknown time zone": {change: func(t *testing.T, p *tech.Parts) { p.Config.Kiosk.TimeZone = "Asia/Nowhere" },
			want:   map[string]tech.State{"config": tech.Failed, "time-zone": tech.Failed},
			reason: map[string]string{"time-zone": "Asia/Nowhere"}},
		"zone data older than 2024a": {change: func(t *testing.T, p *tech.Parts) {
			p.LoadZone = func(string) (*time.Location, error) { return time.FixedZone("+06", 6*60*60), nil }
		}, want: map[string]tech.State{"zone-data": tech.Failed}, reason: map[string]string{"zone-data": "UTC+6 on 2024-03-01, want +5"}},
		"zone data missing": {change: func(t *testing.T, p *tech.Parts) {
			p.LoadZone = func(name string) (*time.Location, error) { return nil, errors.New("unknown time zone " + name) }
		}, want: map[string]tech.State{"zone-data": tech.Failed, "time-zone": tech.Failed, "config": tech.Loaded},
			reason: map[string]string{"zone-data": "install a current kiosk build"}},
		"default outbox key before the first start": {change: func(t *testing.T, p *tech.Parts) {
			p.Config.Backend.OutboxKeyFile = ""
			p.Config.Kiosk.StateDir = t.TempDir()
		}, want: map[string]tech.State{"outbox-key": tech.Skipped}, reason: map[string]string{"outbox-key": "first start"}},
		// kiosk run makes a missing state folder: it is "missing", a kiosk
		// that has not run, not a fault; unless kiosk run could not make it.
		"state folder missing": {change: func(t *testing.T, p *tech.Parts) {
			p.Config.Kiosk.StateDir = filepath.Join(t.TempDir(), "gone", "var")
		}, want: map[string]tech.State{"state-dir": tech.Skipped}, reason: map[string]string{"state-dir": "is missing: kiosk run makes it"}},
		"state folder missing, parent read-only": {change: func(t *testing.T, p *tech.Parts) {
			dir := filepath.Join(t.TempDir(), "ro")
			if err := os.Mkdir(dir, 0o500); err != nil {
				t.Fatal(err)
			}
			if os.Geteuid() == 0 {
				t.Skip("root writes into a read-only folder")
			}
			p.Config.Kiosk.StateDir = filepath.Join(dir, "var")
		}, want: map[string]tech.State{"state-dir": tech.Failed}, reason: map[string]string{"state-dir": "is missing, and kiosk run cannot make it"}},
		"outbox key readable by others": {change: func(t *testing.T, p *tech.Parts) {
			b, err := os.ReadFile(p.Config.Backend.OutboxKeyFile)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "outbox.key")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			p.Config.Backend.OutboxKeyFile = path
		}, want: map[string]tech.State{"outbox-key": tech.Failed}, reason: map[string]string{"outbox-key": "chmod 600"}},
	}
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	order := []string{"config", "technician", "time-zone", "zone-data", "state-dir", "outbox-key", "scanner", "printer", "backend", "outbox", "offline-prefix"}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := base(t)
			tc.change(t, &p)
			got := tech.Checks(ctx, p)
			if len(got) != len(order) {
				t.Fatalf("Checks() = %v, want %d checks", got, len(order))
			}
			for i, c := range got {
				want, ok := tc.want[c.Name]
				if !ok {
					want = tech.Loaded
				}
				if c.Name != order[i] || c.State != want {
					t.Errorf("check %d = %s, want %s %s", i, c, order[i], want)
				}
				if r := tc.reason[c.Name]; !strings.Contains(c.Reason, r) {
					t.Errorf("%s reason = %q, want it to say %q", c.Name, c.Reason, r)
				}
				if c.State != tech.Loaded && c.Reason == "" {
					t.Errorf("%s = %s with no reason", c.Name, c.State)
				}
				// The technician page says it in its own words, never the
				// drivers' English.
				if c.State != tech.Loaded && c.Say.Key == "" {
					t.Errorf("%s = %s with no words for the technician page", c.Name, c.State)
				}
				if c.Say.Key != "" && !cat.Has(i18n.Kazakh, c.Say.Key) {
					t.Errorf("%s says %q, not in the catalog", c.Name, c.Say.Key)
				}
				if k := tc.says[c.Name]; k != "" && c.Say.Key != k {
					t.Errorf("%s says %q, want %q", c.Name, c.Say.Key, k)
				}
			}
			if failed := len(tc.want) > 0 && anyFailed(tc.want); tech.AnyFailed(got) != failed {
				t.Errorf("AnyFailed(%v) = %t, want %t", got, !failed, failed)
			}
		})
	}
}

// TestChecksHeartbeatTellsTheOutbox: the backend check's heartbeat carries
// the kiosk's clock, so its outbox depth must be the outbox's: a heartbeat
// that said 0 while offline tickets wait would make the backend hold those
// tickets as printed before the outbox was empty.
func TestChecksHeartbeatTellsTheOutbox(t *testing.T) {
	ctx := context.Background()
	d := demotest.Demo(t)
	if _, err := d.Uplink.Sync(ctx); err != nil { // measures the clock
		t.Fatal(err)
	}
	out, err := uplink.OpenOutbox(ctx, filepath.Join(t.TempDir(), "outbox.db"), make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	a := api.Application{ID: api.NewID(), KioskID: d.Config.Kiosk.ID}
	if err := out.Put(ctx, a, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		outbox tech.Outbox
	}{{"one waiting", out}, {"outbox unreadable", brokenOutbox{}}} {
		checks := tech.Checks(ctx, tech.Parts{Config: d.Config, Backend: d.Uplink, Outbox: tc.outbox})
		if c := checks[8]; c.Name != "backend" || c.State != tech.Loaded {
			t.Fatalf("%s: %s, want the backend loaded", tc.name, c)
		}
		if at, err := d.Store.EmptyOutbox(ctx, d.Config.Kiosk.ID); err != nil || !at.IsZero() {
			t.Errorf("%s: the backend holds the outbox empty at %v (%v); it never was", tc.name, at, err)
		}
	}
}

type brokenOutbox struct{}

func (brokenOutbox) Counts(context.Context) (uplink.Counts, error) {
	return uplink.Counts{}, errors.New("disk I/O error")
}

// failingProbe is a scanner whose probe always fails with err.
type failingProbe struct{ err error }

func (f failingProbe) Probe(context.Context) error { return f.err }

func anyFailed(m map[string]tech.State) bool {
	for _, s := range m {
		if s == tech.Failed {
			return true
		}
	}
	return false
}

func TestChecksNoConfig(t *testing.T) {
	got := tech.Checks(context.Background(), tech.Parts{})
	if len(got) != 1 || got[0].Name != "config" || got[0].State != tech.Failed {
		t.Errorf("Checks(no config) = %v, want config failed alone", got)
	}
}

func TestCheckJSON(t *testing.T) {
	tests := []struct {
		c    tech.Check
		want string
	}{
		{tech.Check{Name: "scanner", State: tech.Loaded, Value: "/dev/ttyACM0"}, `{"name":"scanner","state":"loaded","value":"/dev/ttyACM0"}`},
		{tech.Check{Name: "printer", State: tech.Skipped, Reason: "not fitted"}, `{"name":"printer","state":"skipped","reason":"not fitted"}`},
		{tech.Check{Name: "backend", State: tech.Failed, Reason: "down"}, `{"name":"backend","state":"failed","reason":"down"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.c)
		if err != nil || string(b) != tt.want {
			t.Errorf("json.Marshal(%s) = %s, %v, want %s", tt.c, b, err, tt.want)
		}
	}
}
