package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hcsc-kz/kiosk/central"

	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// cmdDemo is the whole kiosk with no hardware: the reference backend
// in-process, a simulated scanner on a pseudo-terminal, tickets as files.
func cmdDemo(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	state := fs.String("state", "./var", "folder for the backend's database, the outbox, tickets and the log")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, cfgPath, err := loadConfigFrom(e, defaultConfigPath)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	log, closeLog, err := openLog(*state)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	defer closeLog()
	d, err := demo.Start(ctx, *state, cfg, log)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	defer d.Close()
	// Said before the screen is taken, so it is there when the demo ends,
	// and again at the end.
	bookings := bookingLine(d) + "\n" + consoleLine(d) + "\n" + displayLine(d)
	fmt.Fprintln(e.stderr, bookings)
	ctx, quit := context.WithCancel(ctx)
	defer quit()

	opts := d.Options()
	opts.Version, opts.Now, opts.Quit, opts.ConfigPath = version, e.now, quit, cfgPath
	opts.Watchdog = notifier() // the image's smoke test runs the demo as a service
	if opts.Catalog, err = i18n.New(); err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	k, err := kiosk.New(opts)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	if err := k.Run(ctx); err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	fmt.Fprintln(e.stdout, bookings)
	fmt.Fprintf(e.stdout, "demo stopped; tickets are in %s, the backend in %s/central.db, its tokens (the clerk's: %s) in %s\n",
		d.Tickets, *state, filepath.Base(central.DemoTokenFile(d.TokenDir, central.RoleClerk, d.Config.Kiosk.Branch)), d.TokenDir)
	return 0
}

// bookingLine names the demo's booked visits for today, to try the
// booked-visit check-in with.
func bookingLine(d *demo.Demo) string {
	return fmt.Sprintf("demo: booking codes for today: %s (the sample passport %q finds the first too)",
		strings.Join(d.BookingCodes, ", "), demo.BookingPassportLabel())
}

// displayLine says where the hall display is, its token in the address.
func displayLine(d *demo.Demo) string {
	return "demo: the hall display: " + d.DisplayURL()
}

// consoleLine says where the clerks' console is and how its demo clerk
// signs in.
func consoleLine(d *demo.Demo) string {
	if d.ClerkPassword == "" {
		return fmt.Sprintf("demo: the clerks' console: %s/console/ (the demo clerk %s is disabled; add one with central user add)", d.BackendURL, central.DemoClerk)
	}
	return fmt.Sprintf("demo: the clerks' console: %s/console/ (login %s, password %s)", d.BackendURL, central.DemoClerk, d.ClerkPassword)
}
