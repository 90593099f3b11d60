package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hcsc-kz/kiosk/devices/scanner"
)

// scanLine is one JSON line of scan-test for anything but a document (a
// document is printed in the `kiosk mrz` schema, with no "event" key).
type scanLine struct {
	Event string `json:"event"` // "state", "unreadable" or "dropped"
	At    string `json:"at"`    // RFC 3339 with fractions of a second
	Port  string `json:"port,omitempty"`
	State string `json:"state,omitempty"` // for "state": connected, disconnected, error
	Error string `json:"error,omitempty"` // never holds scanned text
}

func scanTestUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk [--config FILE] scan-test [--port PATH] [--baud N] [--count N]")
	fmt.Fprintln(w, "\nReads the MRZ scanner and prints one JSON line per event on stdout:")
	fmt.Fprintln(w, "each document in the `kiosk mrz` schema, and")
	fmt.Fprintln(w, `{"event":"state"|"unreadable"|"dropped","at":…,"state":…,"error":…}`)
	fmt.Fprintln(w, "for connection changes, scans that did not parse, and bytes thrown away.")
	fmt.Fprintln(w, "Port and baud default to the config's [scanner] section. Stops on")
	fmt.Fprintln(w, "Ctrl-C, or after --count documents. Exit status 0: stopped; 1: the")
	fmt.Fprintln(w, "scanner settings are unusable; 2: usage error.")
	fmt.Fprintln(w, "\nflags:")
}

// cmdScanTest runs the scanner driver and prints what it reports, for a
// technician checking a scanner at the kiosk and for scripts. The driver
// is the one the kiosk runs, with the same settings, so what scan-test
// reads is what the kiosk will read.
func cmdScanTest(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("kiosk scan-test", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { scanTestUsage(e.stderr); fs.PrintDefaults() }
	port := fs.String("port", "", "serial port `path` (default: the config's [scanner] port)")
	baud := fs.Int("baud", 0, "baud `rate` (default: the config's [scanner] baud)")
	count := fs.Int("count", 0, "stop after `n` documents (default: run until interrupted)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *baud < 0 || *count < 0 {
		fs.Usage()
		return 2
	}
	cfg, err := loadConfig(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk scan-test: %v\n", err)
		return 1
	}
	sc := cfg.Scanner
	if *port != "" {
		sc.Port = *port
	}
	if *baud != 0 {
		sc.Baud = *baud
	}
	serial, opts, err := scanner.FromConfig(sc)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk scan-test: %v\n", err)
		return 1
	}
	opts.Now = e.now
	dev, err := scanner.New(serial, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk scan-test: %v\n", err)
		return 1
	}
	fmt.Fprintf(e.stderr, "kiosk scan-test: reading %s at %d baud; Ctrl-C to stop\n", serial.Path, sc.Baud)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		docs int
		werr error
	)
	dev.Run(ctx, func(ev scanner.Event) {
		if werr != nil {
			return
		}
		if werr = writeScanEvent(e.stdout, serial.Path, ev); werr != nil {
			cancel() // nobody is reading: stop
			return
		}
		if ev.Kind == scanner.EventDocument {
			docs++
			if *count > 0 && docs >= *count {
				cancel()
			}
		}
	})
	if werr != nil {
		fmt.Fprintf(e.stderr, "kiosk scan-test: writing output: %v\n", werr)
		return 1
	}
	return 0
}

// writeScanEvent prints one event as one JSON line.
func writeScanEvent(w io.Writer, port string, ev scanner.Event) error {
	var (
		out []byte
		err error
	)
	if ev.Kind == scanner.EventDocument {
		out, err = json.Marshal(ev.Doc)
	} else {
		l := scanLine{Event: ev.Kind.String(), At: ev.At.Format(time.RFC3339Nano)}
		if ev.Kind == scanner.EventState {
			l.Port, l.State = port, ev.State.String()
		}
		if ev.Err != nil {
			l.Error = ev.Err.Error()
		}
		out, err = json.Marshal(l)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}
