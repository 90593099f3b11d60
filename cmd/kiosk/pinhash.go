package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/hcsc-kz/kiosk/kiosk/tech"
)

// cmdPINHash makes the technician PIN's hash for technician.pin_hash. The
// PIN comes from stdin, never from the command line, where the shell's
// history and the process list would keep it; at a terminal it is asked
// twice without echo.
func cmdPINHash(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "usage: kiosk pin-hash < PIN")
		fmt.Fprintf(e.stderr, "\nReads a PIN of %d to %d digits from stdin (asked twice at a terminal) and\n", tech.MinPIN, tech.MaxPIN)
		fmt.Fprintln(e.stderr, "prints its argon2id hash for [technician] pin_hash in the configuration.")
		return 2
	}
	pin, err := readPIN(e)
	defer clear(pin)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk pin-hash: %v\n", err)
		return 1
	}
	h, err := tech.HashPIN(pin, tech.DefaultParams())
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk pin-hash: %v\n", err)
		return 1
	}
	fmt.Fprintln(e.stdout, h)
	fmt.Fprintln(e.stderr, "Put it in the configuration as:\n\n[technician]\npin_hash = \""+h+"\"")
	return 0
}

// readPIN reads the PIN: from a terminal twice without echo, otherwise the
// first line of stdin.
func readPIN(e *env) ([]byte, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Technician PIN: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return nil, fmt.Errorf("reading the PIN: %w", err)
		}
		fmt.Fprint(e.stderr, "The same PIN again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		defer clear(b)
		if err != nil {
			clear(a)
			return nil, fmt.Errorf("reading the PIN: %w", err)
		}
		if !bytes.Equal(a, b) {
			clear(a)
			return nil, errors.New("the two PINs differ; nothing was hashed")
		}
		return a, nil
	}
	// A line is at most a PIN and its line end; more is not a PIN.
	line, err := bufio.NewReaderSize(io.LimitReader(e.stdin, 64), 128).ReadSlice('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the PIN: %w", err)
	}
	pin := bytes.Clone(bytes.TrimSpace(line))
	clear(line)
	if len(pin) == 0 {
		return nil, errors.New("no PIN on stdin; give one line of digits, e.g. from a file or a pipe")
	}
	return pin, nil
}
