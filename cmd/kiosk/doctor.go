package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// cmdDoctor runs the checks of the technician's status page from the
// command line (the same code, kiosk/tech), opening each device itself,
// and exits 1 when any check failed, so an install script or a monitoring
// job can use it.
func cmdDoctor(ctx context.Context, e *env, args []string) int {
	fset := flag.NewFlagSet("kiosk doctor", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	asJSON := fset.Bool("json", false, "print one JSON object instead of one line per check")
	timeout := fset.Duration("timeout", tech.DefaultTimeout, "bound on each probe of a device or the backend")
	fset.Usage = func() { doctorUsage(e.stderr) }
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if fset.NArg() > 0 {
		doctorUsage(e.stderr)
		return 2
	}
	cfg, src, err := loadConfigFrom(e, defaultConfigPath)
	var checks []tech.Check
	if err != nil {
		checks = []tech.Check{{Name: "config", State: tech.Failed, Value: src, Reason: err.Error()}}
	} else {
		idCheck, enrolled := doctorIdentity(cfg, e.now())
		demoFile := besideDemo(cfg)
		parts, closeParts := doctorParts(ctx, cfg)
		parts.ConfigPath, parts.Version, parts.Timeout, parts.Now = src, version, *timeout, e.now
		checks = tech.Checks(ctx, parts)
		if enrolled {
			checks = withIdentity(checks, idCheck)
		}
		closeParts()
		if demoFile != "" {
			sayDemoBackend(checks, demoFile)
		}
	}
	if *asJSON {
		out := struct {
			Version string       `json:"version"`
			Config  string       `json:"config"`
			OK      bool         `json:"ok"`
			Checks  []tech.Check `json:"checks"`
		}{version, src, !tech.AnyFailed(checks), checks}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(e.stderr, "kiosk doctor: %v\n", err)
			return 1
		}
	} else {
		printChecks(e.stdout, checks, src)
	}
	if tech.AnyFailed(checks) {
		return 1
	}
	return 0
}

// besideDemo points cfg's backend at a running kiosk demo's when cfg keeps
// the default backend (none configured) and shares the demo's state
// folder: "make run" in one terminal, "kiosk doctor" in another. The demo's
// backend listens on a port of its choosing, named in demo.BackendFile. It
// returns that file's path, or "" when cfg is left as it was.
func besideDemo(cfg *config.Config) string {
	def := config.Default().Backend
	if cfg.Backend.URL != def.URL || cfg.Backend.TokenFile != def.TokenFile {
		return ""
	}
	path := demo.BackendFile(cfg.Kiosk.StateDir)
	dc, err := config.Load(path)
	if err != nil {
		return "" // no demo runs here
	}
	cfg.Backend.URL, cfg.Backend.TokenFile = dc.Backend.URL, dc.Backend.TokenFile
	return path
}

// sayDemoBackend adds to the backend check that it checked the demo's.
func sayDemoBackend(checks []tech.Check, file string) {
	for i, c := range checks {
		if c.Name != "backend" {
			continue
		}
		checks[i].Value += " (kiosk demo's backend, from " + file + ")"
		if c.Reason != "" {
			checks[i].Reason += "; this was kiosk demo's backend, from " + file + ": if no demo runs, remove that file"
		}
	}
}

func doctorUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk [--config FILE] doctor [--json] [--timeout 5s]")
	fmt.Fprintln(w, "\nChecks the configuration, the technician PIN hash, the time zone, the state")
	fmt.Fprintln(w, "folder, the outbox key, the scanner, the printer, the backend (a heartbeat),")
	fmt.Fprintln(w, "the outbox and the offline prefix the backend gave the kiosk, as the")
	fmt.Fprintln(w, "technician's screen does. Each is loaded, skipped (not fitted) or failed with")
	fmt.Fprintln(w, "the reason. The scanner's port and the printer are opened: stop the kiosk")
	fmt.Fprintln(w, "service first, or they report the port busy. Beside a running kiosk demo (the")
	fmt.Fprintln(w, "same state folder, no backend configured) it checks the demo's backend.")
	fmt.Fprintln(w, "Exit status: 0 nothing failed, 1 a check failed, 2 usage error.")
}

// printChecks writes one line per check; a reason of several lines (a
// configuration's problems) goes on indented lines below.
func printChecks(w io.Writer, checks []tech.Check, src string) {
	fmt.Fprintf(w, "kiosk %s, configuration from %s\n", version, src)
	failed := 0
	for _, c := range checks {
		lines := strings.Split(c.Detail(), "\n")
		fmt.Fprintf(w, "%-14s %-8s %s\n", c.Name, c.State, lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "%-23s %s\n", "", l)
		}
		if c.State == tech.Failed {
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(w, "%d of %d checks failed\n", failed, len(checks))
	} else {
		fmt.Fprintf(w, "no check failed\n")
	}
}

// doctorParts opens what the checks probe, as "kiosk run" would: the
// scanner's port (opened and closed by the check), the printer (not for
// transport "file", which has none), the backend client and, when the
// kiosk has made one, the outbox. The function returned closes them.
func doctorParts(ctx context.Context, cfg *config.Config) (tech.Parts, func()) {
	p := tech.Parts{Config: cfg}
	var closers []func()
	done := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	if cfg.Scanner.Port != "" {
		opener, _, err := scanner.FromConfig(cfg.Scanner)
		if err != nil {
			p.Scanner = broken{err}
		} else {
			p.Scanner = tech.OpenProbe{Opener: opener}
		}
	}
	if cfg.Printer.Transport != "file" {
		dev, err := hw.Open(ctx, cfg)
		switch {
		case dev == nil:
			p.Printer = broken{err}
		case err != nil:
			// Offline now: the driver's own retrying is of no use here; the
			// cause of the failed open is the reason.
			if cause := errors.Unwrap(err); cause != nil {
				err = cause
			}
			p.Printer = broken{fmt.Errorf("%w: %w", printer.ErrOffline, err)}
			closers = append(closers, func() { _ = dev.Close() })
		default:
			p.Printer = dev
			closers = append(closers, func() { _ = dev.Close() })
		}
	}
	// The backend is tried even when the outbox key is bad (its own check
	// says so): the client needs the URL, the TLS files and the token only,
	// read as uplink.FromConfig reads them.
	co, err := uplink.ClientFromConfig(cfg.Backend)
	var c *uplink.Client
	if err == nil {
		c, err = uplink.NewClient(co)
	}
	if errors.Is(err, uplink.ErrToken) {
		err = fmt.Errorf("%w; kiosk run starts without a token: the backend refuses the kiosk (401) and tickets print offline until this is fixed", err)
	}
	if err != nil {
		p.Backend = broken{err}
	} else {
		p.Backend = c
		closers = append(closers, c.Close)
	}

	switch _, err := os.Stat(uplink.OutboxFile(cfg.Kiosk)); {
	case errors.Is(err, fs.ErrNotExist):
		// No outbox yet: the check says so rather than make one.
		return p, done
	case err != nil:
		p.Outbox = broken{fmt.Errorf("uplink: outbox: %w", err)}
		return p, done
	}
	// The outbox does not need the token (the backend check says what is
	// wrong with it), as kiosk run does not.
	b := cfg.Backend
	b.TokenFile = ""
	uo, err := uplink.FromConfig(b, cfg.Kiosk)
	if err != nil {
		p.Outbox = broken{err}
		return p, done
	}
	defer clear(uo.OutboxKey)
	out, err := uplink.OpenOutbox(ctx, uo.OutboxPath, uo.OutboxKey)
	if err != nil {
		p.Outbox = broken{err}
		return p, done
	}
	p.Outbox = out
	closers = append(closers, func() { _ = out.Close() })
	return p, done
}

// broken is a part that could not be opened: every probe gives why.
type broken struct{ err error }

func (b broken) Probe(context.Context) error { return b.err }

func (b broken) Status(context.Context) (printer.State, error) { return printer.Offline, b.err }

func (b broken) Counts(context.Context) (uplink.Counts, error) { return uplink.Counts{}, b.err }

func (b broken) Heartbeat(context.Context, string, api.Heartbeat) error { return b.err }

func (b broken) Numbering(context.Context) (uplink.Numbering, error) {
	return uplink.Numbering{}, b.err
}
