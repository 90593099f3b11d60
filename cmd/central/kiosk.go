package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

const kioskUsage = `usage:
  central kiosk ca init --dir DIR
  central kiosk enrol --db DB --branch ID --kiosk ID [--ttl 24h] [--key-file FILE]
  central kiosk list --db DB
  central kiosk revoke --db DB --kiosk ID`

// cmdKiosk manages kiosk enrolment: the kiosk CA, the one-time codes and
// the certificates the CA issued.
func cmdKiosk(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) >= 2 && args[0] == "ca" && args[1] == "init" {
		return cmdKioskCA(args[2:], stdout, stderr)
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, kioskUsage)
		return 2
	}
	fs := flag.NewFlagSet("central kiosk "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "./var/central.db", "SQLite file, or a postgres:// URL")
	kiosk := fs.String("kiosk", "", "the kiosk's id, as in the registry")
	var branch, keyFile *string
	var ttl *time.Duration
	if args[0] == "enrol" {
		branch = fs.String("branch", "", "the kiosk's branch, as in the registry")
		ttl = fs.Duration("ttl", central.DefaultEnrolTTL, "how long the code works")
		keyFile = fs.String("key-file", "", "the server's key file (default: DB file + .key; required with PostgreSQL)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, kioskUsage)
		return 2
	}
	var err error
	switch args[0] {
	case "enrol":
		err = kioskEnrol(ctx, *db, *keyFile, *branch, *kiosk, *ttl, stdout, stderr)
	case "list":
		err = withStore(ctx, *db, func(s central.Store) error { return kioskList(ctx, s, stdout) })
	case "revoke":
		if *kiosk == "" {
			err = errors.New("give the kiosk: --kiosk ID")
			break
		}
		err = withStore(ctx, *db, func(s central.Store) error {
			n, err := s.RevokeKioskCerts(ctx, *kiosk, time.Now())
			if err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("kiosk %s has no certificate to revoke; central kiosk list shows them", *kiosk)
			}
			fmt.Fprintf(stdout, "central: kiosk %s's certificate revoked; servers refuse it within %v; enrol the kiosk again to give it a new one\n",
				*kiosk, central.DefaultTokenCache)
			return nil
		})
	default:
		fmt.Fprintln(stderr, kioskUsage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "central kiosk:", err)
		return 1
	}
	return 0
}

func cmdKioskCA(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("central kiosk ca init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "folder for the CA's key (0600) and certificate")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, kioskUsage)
		return 2
	}
	ca, err := central.InitKioskCA(*dir, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "central kiosk:", err)
		return 1
	}
	fmt.Fprintf(stdout, "central: kiosk CA made in %s (valid until %s); serve with --kiosk-ca %s and back the folder up: a new CA means enrolling every kiosk again\n",
		*dir, ca.Certificate().NotAfter.Format(time.DateOnly), *dir)
	return 0
}

// kioskEnrol makes a code and prints it once, with its expiry.
func kioskEnrol(ctx context.Context, db, keyFile, branch, kiosk string, ttl time.Duration, stdout, stderr io.Writer) error {
	if branch == "" || kiosk == "" {
		return errors.New("give the branch and the kiosk: --branch ID --kiosk ID")
	}
	if ttl <= 0 {
		return errors.New("--ttl must be positive")
	}
	pg := isPostgres(db)
	if keyFile == "" {
		if pg {
			return errors.New("--key-file is required with PostgreSQL: the servers' key, which the code's hash is keyed with")
		}
		keyFile = db + ".key"
	}
	// As central serve does: a SQLite database's key is made beside it
	// when missing, so the server started later finds it.
	key, err := central.LoadKey(keyFile, !pg)
	if err != nil {
		return err
	}
	return withStore(ctx, db, func(s central.Store) error {
		code, rec, err := central.MintEnrolCode(ctx, s, key, branch, kiosk, ttl, time.Now())
		if err != nil {
			return err
		}
		if err := central.AuditEnrolCodeMade(ctx, s, rec); err != nil {
			return fmt.Errorf("the code is made, but its audit entry was not stored: %w", err)
		}
		// The code alone on stdout, for CODE=$(central kiosk enrol …).
		fmt.Fprintln(stdout, code)
		fmt.Fprintf(stderr, "central: enrolment code for kiosk %s of %s, valid until %s, once; it is shown only now. A new code for the kiosk replaces it.\n",
			kiosk, branch, rec.ExpiresAt.Local().Format(time.DateTime))
		return nil
	})
}

func kioskList(ctx context.Context, s central.Store, stdout io.Writer) error {
	list, err := s.KioskCerts(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIOSK\tBRANCH\tHARDWARE\tSERIAL\tISSUED\tSTATE")
	for _, c := range list {
		state := "current until " + c.NotAfter.Local().Format(time.DateOnly)
		switch {
		case !c.RevokedAt.IsZero():
			state = "revoked " + c.RevokedAt.Local().Format(time.DateTime)
		case !now.Before(c.NotAfter):
			state = "expired " + c.NotAfter.Local().Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Kiosk, c.Branch, dash(c.HardwareID), c.Serial, c.IssuedAt.Local().Format(time.DateTime), state)
	}
	return tw.Flush()
}

// loadKioskCA loads --kiosk-ca; nil without it. Enrolled kiosks show
// their certificates over TLS, so the flag needs --tls-cert and --tls-key.
func loadKioskCA(c config) (*central.KioskCA, error) {
	if c.kioskCA == "" {
		return nil, nil
	}
	if c.tlsCert == "" || c.tlsKey == "" {
		return nil, errors.New("central: --kiosk-ca needs --tls-cert and --tls-key: enrolled kiosks authenticate with their certificates over TLS")
	}
	return central.LoadKioskCA(c.kioskCA)
}

// trustKioskCA adds the kiosk CA to the client CAs, so that an enrolled
// kiosk may show the certificate it signed (verified when shown, as
// tlsConfig does for --client-ca).
func trustKioskCA(conf *tls.Config, ca *central.KioskCA) {
	if conf == nil || ca == nil {
		return
	}
	if conf.ClientCAs == nil {
		conf.ClientCAs = x509.NewCertPool()
	}
	conf.ClientCAs.AddCert(ca.Certificate())
	conf.ClientAuth = tls.VerifyClientCertIfGiven
}
