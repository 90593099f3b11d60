package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
)

// cmdPrintTest prints the test page on the configured printer (every
// Kazakh and Russian letter through the profile's strategy, ASCII, the raw
// upper half of the code table, a large number, a QR code) and reports the
// printer's status before and after. Exit status 0: printed; 1: not.
func cmdPrintTest(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("kiosk print-test", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "usage: kiosk print-test [--timeout 30s]")
		return 2
	}
	cfg, err := loadConfig(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk print-test: %v\n", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	dev, err := hw.Open(ctx, cfg)
	if dev == nil {
		fmt.Fprintf(e.stderr, "kiosk print-test: %v\n", err)
		return 1
	}
	defer func() {
		if err := dev.Close(); err != nil {
			fmt.Fprintf(e.stderr, "kiosk print-test: %v\n", err)
		}
	}()
	p := dev.Layout().Profile()
	fmt.Fprintf(e.stdout, "printer:  %s\n", dev)
	fmt.Fprintf(e.stdout, "profile:  %s (%s), %d dots, %s as ESC t %d, Kazakh by %s, native QR %t, cutter %t, status %s\n",
		p.Name, p.Model, p.Dots, p.Charset, p.Tables[p.Charset], p.Kazakh, p.NativeQR, p.Cutter, p.Status)
	fmt.Fprintf(e.stdout, "numbers:  %s\n", p.Source)
	if err != nil {
		// One try only: print-test exits here, so nothing is retried.
		fmt.Fprintf(e.stdout, "status:   offline: %v\n", err)
		fmt.Fprintln(e.stdout, "printed:  no; check the printer and run kiosk print-test again")
		return 1
	}
	st, err := dev.Status(ctx)
	if err != nil {
		fmt.Fprintf(e.stdout, "status:   %s: %v\n", st, err)
		return 1
	}
	fmt.Fprintf(e.stdout, "status:   %s\n", st)
	if err := dev.PrintTestPage(ctx); err != nil {
		var je *printer.JobError
		if errors.As(err, &je) {
			fmt.Fprintf(e.stdout, "printed:  no, %s (state %s): %v\n", je.Stage, je.State, je.Err)
		} else {
			fmt.Fprintf(e.stdout, "printed:  no: %v\n", err)
		}
		return 1
	}
	fmt.Fprintf(e.stdout, "printed:  yes; status now %s\n", dev.State())
	return 0
}
