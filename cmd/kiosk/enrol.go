package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
)

// cmdEnrol enrols the kiosk from a console, as the enrolment page does:
// a key made here, a certificate request with the one-time code, the
// answer stored in <state_dir>/identity/. Enrolling an enrolled kiosk
// again makes a new key; the backend revokes the old certificate.
func cmdEnrol(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("kiosk enrol", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	code := fs.String("code", "", "the one-time code from the supervisor's page or \"central kiosk enrol\" (12 digits)")
	root := fs.String("root", "/", "read the hardware id under this root (for tests)")
	fs.Usage = func() { enrolUsage(e.stderr) }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *code == "" {
		enrolUsage(e.stderr)
		return 2
	}
	cfg, src, err := loadConfigFrom(e, defaultConfigPath)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	if !cfg.Backend.Enrol {
		fmt.Fprintf(e.stderr, "kiosk enrol: backend.enrol is false in %s: the kiosk would not use the identity; set [backend] enrol = true first\n", src)
		return 1
	}
	hwid, err := enrol.HardwareID(*root)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk enrol: %v\n", err)
		return 1
	}
	dir := enrol.Dir(cfg.Kiosk)
	if old, err := enrol.Load(dir); err == nil {
		fmt.Fprintf(e.stdout, "enrolled as %s of %s: enrolling again makes a new key; the backend revokes the old certificate\n", old.KioskID, old.Branch)
	}
	co, err := enrol.ClientFromConfig(cfg, hwid)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk enrol: %v\n", err)
		return 1
	}
	co.Now = e.now
	c, err := enrol.NewClient(co)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk enrol: %v\n", err)
		return 1
	}
	cat, err := i18n.New()
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk enrol: %v\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "hardware id %s, backend %s\n", hwid, cfg.Backend.URL)
	id, err := enrol.Enrol(ctx, c, *code)
	if err != nil {
		// The technician's words first, the detail for support after.
		fmt.Fprintf(e.stderr, "kiosk enrol: %s\n  (%v)\n", cat.Format(i18n.English, enrol.Message(err)), err)
		return 1
	}
	fmt.Fprintf(e.stdout, "enrolled: kiosk %s, branch %s, certificate valid until %s; identity in %s\n",
		id.KioskID, id.Branch, id.NotAfter.Format(time.DateOnly), dir)
	fmt.Fprintln(e.stdout, "a kiosk showing the enrolment page goes on after a restart of its service")
	return 0
}

func enrolUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk [--config FILE] enrol --code CODE")
	fmt.Fprintln(w, "\nEnrols this kiosk with the backend (backend.enrol must be true): makes a")
	fmt.Fprintln(w, "key pair here (it never leaves the kiosk), sends a certificate request with")
	fmt.Fprintln(w, "the one-time code and stores the certificate, the kiosk id and the branch in")
	fmt.Fprintln(w, "<state_dir>/identity/. Enrolling again makes a new key and the backend")
	fmt.Fprintln(w, "revokes the old certificate. Exit status: 0 enrolled, 1 refused or failed,")
	fmt.Fprintln(w, "2 usage error.")
}

// runIdentity is the kiosk's identity for "kiosk run" with backend.enrol:
// the stored one, or, while there is none (or it is damaged), the one the
// enrolment page gets before any visitor is served. The page tells the
// service manager it is ready and keeps its watchdog fed.
func runIdentity(ctx context.Context, e *env, cfg *config.Config, cat *i18n.Catalog, log *slog.Logger) (*enrol.Identity, error) {
	dir := enrol.Dir(cfg.Kiosk)
	id, err := enrol.Load(dir)
	switch {
	case err == nil:
		return id, nil
	case !errors.Is(err, enrol.ErrNotEnrolled):
		log.Error("identity unusable: the enrolment page is shown to enrol again", "err", err)
	}
	hwid, err := enrol.HardwareID("/")
	if err != nil {
		return nil, err
	}
	co, err := enrol.ClientFromConfig(cfg, hwid)
	if err != nil {
		return nil, err
	}
	co.Now, co.Logger = e.now, log
	c, err := enrol.NewClient(co)
	if err != nil {
		return nil, err
	}
	var langs []i18n.Lang
	for _, l := range cfg.Kiosk.Languages {
		if lang, err := i18n.ParseLang(l); err == nil {
			langs = append(langs, lang)
		}
	}
	page, err := kiosk.NewEnrolment(kiosk.EnrolOptions{Catalog: cat, Languages: langs, HardwareID: hwid, Now: e.now, Logger: log,
		Enrol:    func(ctx context.Context, code string) (*enrol.Identity, error) { return enrol.Enrol(ctx, c, code) },
		Watchdog: notifier()}) // ready once the page is drawn: a kiosk waiting for enrolment has booted well
	if err != nil {
		return nil, err
	}
	return page.Run(ctx)
}

// identityCheck is kiosk doctor's report of the enrolment: skipped when
// backend.enrol is off, failed when the kiosk is not enrolled or its
// certificate has expired.
func identityCheck(cfg *config.Config, id *enrol.Identity, loadErr error, now time.Time) tech.Check {
	c := tech.Check{Name: "identity"}
	switch {
	case !cfg.Backend.Enrol:
		c.State, c.Reason = tech.Skipped, "backend.enrol is off: the kiosk uses client_cert and client_key or its token"
	case errors.Is(loadErr, enrol.ErrNotEnrolled):
		c.State, c.Reason = tech.Failed, "not enrolled: enter a code on the enrolment page or run \"kiosk enrol --code CODE\""
	case loadErr != nil:
		c.State, c.Reason = tech.Failed, loadErr.Error()
	case !now.Before(id.NotAfter):
		c.State, c.Value = tech.Failed, fmt.Sprintf("kiosk %s of %s", id.KioskID, id.Branch)
		c.Reason = fmt.Sprintf("the certificate expired on %s: enrol the kiosk again with a new code", id.NotAfter.Format(time.DateOnly))
	default:
		c.State = tech.Loaded
		c.Value = fmt.Sprintf("kiosk %s of %s, certificate valid until %s, hardware id %s",
			id.KioskID, id.Branch, id.NotAfter.Format(time.DateOnly), id.HardwareID)
	}
	return c
}

// doctorIdentity reads the enrolment for kiosk doctor and, when there is
// one, makes cfg use it as "kiosk run" does, so the backend check goes
// over the kiosk's mutual TLS. Its check is reported only for a kiosk
// with backend.enrol (ok false otherwise).
func doctorIdentity(cfg *config.Config, now time.Time) (c tech.Check, ok bool) {
	if !cfg.Backend.Enrol {
		return identityCheck(cfg, nil, nil, now), false
	}
	id, err := enrol.Load(enrol.Dir(cfg.Kiosk))
	if err != nil {
		return identityCheck(cfg, nil, err, now), true
	}
	c = identityCheck(cfg, id, nil, now)
	if err := enrol.Apply(cfg, id); err != nil {
		c.State, c.Reason = tech.Failed, err.Error()
	}
	return c, true
}

// withIdentity puts the identity check before the backend's, which it
// explains.
func withIdentity(checks []tech.Check, id tech.Check) []tech.Check {
	for i, c := range checks {
		if c.Name == "backend" {
			return append(checks[:i], append([]tech.Check{id}, checks[i:]...)...)
		}
	}
	return append(checks, id)
}
