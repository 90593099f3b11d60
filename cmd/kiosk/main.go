// Command kiosk is the self-service kiosk of the Public Service Center halls:
// the visitor's full-screen app, and the subcommands technicians and other
// tools use at the bench.
//
// Usage:
//
//	kiosk [--config FILE] COMMAND [flags]
//
// Run "kiosk help" for the list of commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"
)

// env is what a subcommand may touch of the outside world, so tests can run
// commands in-process with their own streams and clock.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	// configPath is the --config flag or $KIOSK_CONFIG; empty means the
	// built-in defaults (or the default path when it exists).
	configPath string
}

// command is one subcommand. run returns the process exit status.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// commands lists the subcommands. It is a function, not a package variable,
// so nothing in this package is mutable global state.
func commands() map[string]command {
	return map[string]command{
		"run":       {"the kiosk on its hardware (the service manager starts it)", cmdRun},
		"demo":      {"demo [--state DIR]: the whole kiosk with no hardware; F2 scans a sample, F10 quits", cmdDemo},
		"mrz":       {"parse MRZ lines on stdin, print one JSON object", cmdMRZ},
		"config":    {"config check FILE: validate a configuration, print the effective settings", cmdConfig},
		"scan-test": {"print each scan from the MRZ scanner as JSON lines", cmdScanTest},
		"precheck":  {"precheck an MRZ on stdin: what the kiosk tells the visitor, as JSON", cmdPrecheck},

		"ticket":     {"render a sample queue ticket to an ESC/POS file (and a PNG)", cmdTicket},
		"print-test": {"print the test page on the configured printer, report its status", cmdPrintTest},
		"doctor":     {"doctor [--json]: check config, devices, backend and outbox; exit 1 when one failed", cmdDoctor},
		"pin-hash":   {"read a technician PIN on stdin, print its hash for [technician] pin_hash", cmdPINHash},
		"update":     {"update [--no-reboot] BUNDLE | --status: install a signed update into the other slot and reboot into it, or print the update state (root, on the image)", cmdUpdate},
		"enrol":      {"enrol --code CODE: enrol this kiosk with the backend (a key made here, a certificate from the backend)", cmdEnrol},

		"verify-image": {"verify-image --pub KEY DIR: check an image's signature and hashes before flashing", cmdVerifyImage},
		"read-back":    {"read-back --bmap FILE DEVICE: read a flashed device back against the bmap", cmdReadBack},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run parses the global flags and dispatches to a subcommand.
func run(ctx context.Context, e *env, args []string) int {
	e.configPath = os.Getenv("KIOSK_CONFIG")
	for len(args) > 0 {
		switch {
		case args[0] == "--config" && len(args) > 1:
			e.configPath, args = args[1], args[2:]
			continue
		case len(args[0]) > 9 && args[0][:9] == "--config=":
			e.configPath, args = args[0][9:], args[1:]
			continue
		}
		break
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		return 0
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "kiosk: unknown command %q\n", args[0])
		usage(e.stderr)
		return 2
	}
	return cmd.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk [--config FILE] COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, cmds[n].summary)
	}
}
