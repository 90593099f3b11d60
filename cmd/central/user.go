package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/hcsc-kz/kiosk/central"
)

const userUsage = `usage:
  central user add --db DB --role clerk|supervisor|admin --branch ID [--name TEXT] LOGIN < PASSWORD
  central user list --db DB
  central user disable --db DB LOGIN`

// cmdUser manages the console's users: add reads the password from stdin
// (asked twice without echo at a terminal; never from the command line,
// where the shell's history and the process list would keep it) and
// stores its argon2id hash, list shows the users without hashes, disable
// stops one from signing in and ends its sessions.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, userUsage)
		return 2
	}
	fs := flag.NewFlagSet("central user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "./var/central.db", "SQLite file, or a postgres:// URL")
	var role, branch, name *string
	if args[0] == "add" {
		role = fs.String("role", "", "clerk, supervisor or admin")
		branch = fs.String("branch", "", "the branch whose windows the user serves")
		name = fs.String("name", "", "the user's name as the console shows it")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	var err error
	switch {
	case args[0] == "add" && fs.NArg() == 1:
		// Check what needs no password first, so a typo costs no typing.
		if _, err := central.CheckLogin(fs.Arg(0)); err != nil {
			fmt.Fprintln(stderr, "central user:", err)
			return 1
		}
		var pw []byte
		pw, err = readPassword(stdin, stderr)
		defer clear(pw)
		if err == nil {
			err = withStore(ctx, *db, func(s central.Store) error {
				u, err := central.AddUser(ctx, s, fs.Arg(0), *name, central.Role(*role), *branch, pw, central.DefaultPasswordParams(), time.Now())
				if errors.Is(err, central.ErrConflict) {
					return fmt.Errorf("login %q is taken (a disabled user keeps it); central user list shows them", fs.Arg(0))
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "central: user %s added, the %s of %s; they sign in at /console/\n", u.Login, u.Role, u.Branch)
				return nil
			})
		}
	case args[0] == "list" && fs.NArg() == 0:
		err = withStore(ctx, *db, func(s central.Store) error {
			list, err := s.Users(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "LOGIN\tROLE\tBRANCH\tNAME\tCREATED\tDISABLED")
			for _, u := range list {
				disabled := "-"
				if !u.DisabledAt.IsZero() {
					disabled = u.DisabledAt.Local().Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Login, u.Role, u.Branch, dash(u.Name),
					u.CreatedAt.Local().Format(time.DateTime), disabled)
			}
			return tw.Flush()
		})
	case args[0] == "disable" && fs.NArg() == 1:
		err = withStore(ctx, *db, func(s central.Store) error {
			login, err := central.CheckLogin(fs.Arg(0))
			if err == nil {
				err = s.DisableUser(ctx, login, time.Now())
			}
			if errors.Is(err, central.ErrNotFound) || (err != nil && login == "") {
				return fmt.Errorf("no user with login %q; central user list shows them", fs.Arg(0))
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "central: user %s disabled; their console sessions have ended\n", login)
			return nil
		})
	default:
		fmt.Fprintln(stderr, userUsage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "central user:", err)
		return 1
	}
	return 0
}

// readPassword reads a new password: from a terminal twice without echo,
// otherwise the first line of stdin. It is checked against the rules
// before it is hashed.
func readPassword(stdin io.Reader, stderr io.Writer) ([]byte, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "Password (at least %d characters): ", central.MinPassword)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return nil, fmt.Errorf("reading the password: %w", err)
		}
		if err := central.CheckPassword(a); err != nil {
			clear(a)
			return nil, err
		}
		fmt.Fprint(stderr, "The same password again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		defer clear(b)
		if err != nil || !bytes.Equal(a, b) {
			clear(a)
			return nil, errors.New("the two passwords differ; no user was added")
		}
		return a, nil
	}
	// One line: the password and its line end. More is not one password.
	r := bufio.NewReaderSize(io.LimitReader(stdin, central.MaxPassword+2), central.MaxPassword+16)
	line, err := r.ReadSlice('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the password: %w", err)
	}
	pw := bytes.Clone(bytes.TrimRight(line, "\r\n"))
	clear(line)
	if len(pw) == 0 {
		return nil, errors.New("no password on stdin; give it as one line, e.g. from a file or a pipe")
	}
	if err := central.CheckPassword(pw); err != nil {
		clear(pw)
		return nil, err
	}
	return pw, nil
}
