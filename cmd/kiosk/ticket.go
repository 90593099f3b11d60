package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"github.com/hcsc-kz/kiosk/devices/printer/streamconn"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
)

// cmdTicket renders a sample ticket through the real driver on a file:
// the job's bytes, its decoded text on stdout and, with --png, a picture.
func cmdTicket(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("kiosk ticket", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lang := fs.String("lang", "kk", "the visitor's language(s), comma-separated: kk, ru, en (Kazakh is always first)")
	number := fs.String("number", "A042", "the queue number")
	profile := fs.String("profile", "", "printer profile (default: the configured one); see the printer package")
	out := fs.String("out", "", "file to write the ESC/POS job to (required)")
	pngPath := fs.String("png", "", "also write a preview of the paper as PNG")
	booked := fs.Bool("booked", false, "print the booked-in-advance mark")
	translation := fs.Bool("translation", false, "add the notarised translation to the checklist")
	atFlag := fs.String("at", "", `time of issue (default: now): RFC 3339, or "2006-01-02T15:04" in the branch's zone`)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: kiosk ticket [--lang kk|ru|en[,..]] [--number A042] [--at TIME] [--profile NAME] --out ticket.bin [--png ticket.png]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	langs, err := ticketLangs(*lang)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
		return 2
	}
	cfg, err := loadConfig(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
		return 1
	}
	at := e.now()
	if *atFlag != "" {
		if at, err = ticketTime(*atFlag, cfg.Kiosk.TimeZone); err != nil {
			fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
			return 2
		}
	}
	name := *profile
	if name == "" {
		name = cfg.Printer.Profile
	}
	p, err := printer.LookupProfile(name)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
		return 2
	}
	p.Status = printer.NoStatus // a file does not answer
	t, err := sampleTicket(cfg, langs, *number, at, *booked, *translation)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
		return 1
	}
	if err := writeTicket(ctx, p, t, *out); err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
		return 1
	}
	job, err := os.ReadFile(*out)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
		return 1
	}
	res, err := preview.Decode(job, p.PreviewOptions())
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: decoding %s: %v\n", *out, err)
		return 1
	}
	if *pngPath != "" {
		var buf bytes.Buffer
		if err := res.WritePNG(&buf); err != nil {
			fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
			return 1
		}
		if err := os.WriteFile(*pngPath, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(e.stdout, "%s: %d bytes, %.3f s at 115200 baud 8N1; profile %s (%s)\n\n",
		*out, len(job), float64(len(job)*10)/115200, p.Name, p.Kazakh)
	fmt.Fprint(e.stdout, res)
	return 0
}

// writeTicket prints t with the real driver on a file-backed connection.
func writeTicket(ctx context.Context, p printer.Profile, t *printer.Ticket, path string) error {
	c, err := streamconn.Create(path)
	if err != nil {
		return err
	}
	d, err := printer.New(c, &printer.Opts{Profile: p})
	if err != nil {
		_ = c.Close() // New's error is the one to report
		return err
	}
	perr := d.PrintTicket(ctx, t)
	return errors.Join(perr, d.Close())
}

// ticketTime reads --at: an RFC 3339 instant, or a wall-clock time in
// the branch's zone, as a clerk reads the hall's clock.
func ticketTime(s, tz string) (time.Time, error) {
	if at, err := time.Parse(time.RFC3339, s); err == nil {
		return at, nil
	}
	loc, err := zone.Load(tz)
	if err != nil {
		return time.Time{}, err
	}
	at, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("--at=%q: want RFC 3339 (2026-11-25T22:00:00+05:00) or 2026-11-25T22:00 in the branch's zone", s)
	}
	return at, nil
}

// ticketLangs returns Kazakh, then each other language asked for, once.
func ticketLangs(s string) ([]string, error) {
	langs := []string{"kk"}
	for _, l := range strings.Split(s, ",") {
		l = strings.TrimSpace(l)
		switch l {
		case "kk":
		case "ru", "en":
			if !strings.Contains(strings.Join(langs, ","), l) {
				langs = append(langs, l)
			}
		default:
			return nil, fmt.Errorf("--lang %q: want kk, ru or en, comma-separated", l)
		}
	}
	return langs, nil
}

// sampleTicket is the ticket the kiosk would print for an applicant who
// applied now, in the languages given: the words come from the flow's
// catalogs through the same journey code the kiosk uses, so the sample
// cannot drift from the real thing. No personal data.
func sampleTicket(cfg *config.Config, langs []string, number string, now time.Time, booked, translation bool) (*printer.Ticket, error) {
	cat, err := i18n.New()
	if err != nil {
		return nil, err
	}
	loc, err := zone.Load(cfg.Kiosk.TimeZone)
	if err != nil {
		return nil, err
	}
	checker, err := precheck.ForBranch(cfg.Flow, cfg.Kiosk.TimeZone)
	if err != nil {
		return nil, err
	}
	td := journey.TicketData{
		Number: number, PeopleAhead: 12, WaitMinutes: 25, Booked: booked,
		ReadyDate: checker.ReadyDate(now),
		Bring:     []i18n.Message{i18n.M("precheck.item.passport")},
		KioskID:   cfg.Kiosk.ID, Branch: cfg.Kiosk.Branch, Issued: now.In(loc), Lang: i18n.Kazakh,
	}
	// While the centre is closed the ticket says when it opens, as the
	// kiosk's does.
	if o, ok := checker.Opens(now); ok {
		td.Opens = o
	}
	if translation {
		td.Bring = append(td.Bring, i18n.M("precheck.item.notarized_translation"))
	}
	// Printable gives Kazakh and the visitor's language; a sample may show
	// more languages, each after the Kazakh block.
	t := td.Printable(cat)
	for _, l := range langs[1:] {
		td.Lang = i18n.Lang(l)
		t.Blocks = append(t.Blocks, td.Printable(cat).Blocks[1])
	}
	t.Status = "ST-7QK2-9F4M"
	return &t, nil
}
