package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
)

const tokenUsage = `usage:
  central token add --db DB --role kiosk|clerk|supervisor|admin|display|booking [--branch ID] [--kiosk ID] [--name TEXT]
  central token list --db DB
  central token revoke --db DB ID`

// cmdToken manages the bearer tokens in the database: add prints a new
// token once (only its hash is stored), list shows them without secrets,
// revoke ends one.
func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, tokenUsage)
		return 2
	}
	fs := flag.NewFlagSet("central token "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "./var/central.db", "SQLite file, or a postgres:// URL")
	var role, branch, kiosk, name *string
	if args[0] == "add" {
		role = fs.String("role", "", "kiosk, clerk, supervisor, admin, display or booking")
		branch = fs.String("branch", "", "the branch the token acts for (none for admin)")
		kiosk = fs.String("kiosk", "", "the kiosk's id, for a kiosk token")
		name = fs.String("name", "", "who holds it, e.g. \"window 3\"")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	var err error
	switch {
	case args[0] == "add" && fs.NArg() == 0:
		err = withStore(ctx, *db, func(s central.Store) error {
			tok, rec, err := central.MintToken(ctx, s, central.Role(*role), *branch, *kiosk, *name, time.Now())
			if err != nil {
				return err
			}
			// The token alone on stdout, for TOKEN=$(central token add …).
			fmt.Fprintln(stdout, tok)
			fmt.Fprintf(stderr, "central: token %s for %s; it is shown only now, keep it where its holder keeps secrets\n", rec.ID, grant(rec))
			return nil
		})
	case args[0] == "list" && fs.NArg() == 0:
		err = withStore(ctx, *db, func(s central.Store) error {
			list, err := s.Tokens(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tROLE\tBRANCH\tKIOSK\tNAME\tCREATED\tREVOKED")
			for _, t := range list {
				revoked := "-"
				if !t.RevokedAt.IsZero() {
					revoked = t.RevokedAt.Local().Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, dash(t.Branch), dash(t.Kiosk), dash(t.Name),
					t.CreatedAt.Local().Format(time.DateTime), revoked)
			}
			return tw.Flush()
		})
	case args[0] == "revoke" && fs.NArg() == 1:
		err = withStore(ctx, *db, func(s central.Store) error {
			if err := s.RevokeToken(ctx, fs.Arg(0), time.Now()); err != nil {
				if errors.Is(err, central.ErrNotFound) {
					return fmt.Errorf("no token with id %q; central token list shows them", fs.Arg(0))
				}
				return err
			}
			fmt.Fprintf(stdout, "central: token %s revoked; servers refuse it within %v and end its display streams within %v\n",
				fs.Arg(0), central.DefaultTokenCache, central.DefaultTokenCache+central.DefaultKeepAlive)
			return nil
		})
	default:
		fmt.Fprintln(stderr, tokenUsage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "central token:", err)
		return 1
	}
	return 0
}

func grant(t central.TokenRecord) string {
	switch {
	case t.Role == central.RoleAdmin:
		return "an admin of every branch"
	case t.Role == central.RoleKiosk:
		return "kiosk " + t.Kiosk + " of " + t.Branch
	}
	return "the " + string(t.Role) + " of " + t.Branch
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// withStore opens the database, runs fn and closes it.
func withStore(ctx context.Context, db string, fn func(central.Store) error) error {
	var s central.Store
	var err error
	log := slog.New(slog.DiscardHandler)
	if isPostgres(db) {
		s, err = postgres.Open(ctx, db, log)
	} else {
		s, err = sqlite.Open(ctx, db, log)
	}
	if err != nil {
		return err
	}
	return errors.Join(fn(s), s.Close())
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}
