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

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"github.com/hcsc-kz/kiosk/devices/printer/streamconn"
)

// cmdTicket renders a sample ticket through the real driver on a file:
// the job's bytes, its decoded text on stdout and, with --png, a picture.
func cmdTicket(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("kiosk ticket", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lang := fs.String("lang", "kk", "the visitor's language(s), comma-separated: kk, ru, en (Kazakh is always first)")
	number := fs.String("number", "A-042", "the queue number")
	profile := fs.String("profile", "", "printer profile (default: the configured one); see the printer package")
	out := fs.String("out", "", "file to write the ESC/POS job to (required)")
	pngPath := fs.String("png", "", "also write a preview of the paper as PNG")
	booked := fs.Bool("booked", false, "print the booked-in-advance mark")
	translation := fs.Bool("translation", false, "add the notarised translation to the checklist")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: kiosk ticket [--lang kk|ru|en[,..]] [--number A-042] [--profile NAME] --out ticket.bin [--png ticket.png]")
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
	name := *profile
	if name == "" {
		cfg, err := loadConfig(e)
		if err != nil {
			fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
			return 1
		}
		name = cfg.Printer.Profile
	}
	p, err := printer.LookupProfile(name)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk ticket: %v\n", err)
		return 2
	}
	p.Status = printer.NoStatus // a file does not answer
	t := sampleTicket(langs, *number, e.now())
	t.Booked = *booked
	if !*translation {
		for i := range t.Blocks {
			t.Blocks[i].Bring = t.Blocks[i].Bring[:1]
		}
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

// sampleTicket is a ticket with plain sample texts in the languages given.
// The real texts come from the flow's message catalogs; these stand in
// until the flow wires them. No personal data.
func sampleTicket(langs []string, number string, now time.Time) *printer.Ticket {
	issued := now.Format("02.01.2006 15:04")
	ready := now.AddDate(0, 0, 1)
	for ready.Weekday() == time.Saturday || ready.Weekday() == time.Sunday {
		ready = ready.AddDate(0, 0, 1)
	}
	day := ready.Format("02.01.2006")
	blocks := map[string]printer.Block{
		"kk": {
			Lang: "kk", NumberLabel: "Кезек нөміріңіз", Booked: "Алдын ала жазылған",
			Service: "Жеке сәйкестендіру нөмірін (ЖСН) алу",
			Branch:  "ХҚКО, Астана қ., Есіл ауданы", Kiosk: "Киоск K-07", Issued: issued,
			Wait: "Алдыңызда 12 адам, ~25 мин", Ready: "ЖСН дайын болады: " + day,
			BringHeading: "Терезеге алып келіңіз:",
			Bring:        []string{"шетелдік паспорт", "паспорттың нотариат куәландырған аудармасы"},
			Notice:       "Қызмет тегін көрсетіледі, делдалға ақы төлемеңіз",
		},
		"ru": {
			Lang: "ru", NumberLabel: "Ваш номер", Booked: "По записи",
			Service: "Получение ИИН", Kiosk: "Киоск K-07", Issued: issued,
			Wait: "Перед вами 12 человек, ~25 мин", Ready: "ИИН будет готов: " + day,
			BringHeading: "Возьмите к окну:",
			Bring:        []string{"иностранный паспорт", "нотариальный перевод паспорта"},
			Notice:       "Услуга бесплатна, не платите посредникам",
		},
		"en": {
			Lang: "en", NumberLabel: "Your number", Booked: "Booked",
			Service: "Getting an IIN", Kiosk: "Kiosk K-07", Issued: issued,
			Wait: "12 people ahead, ~25 min", Ready: "IIN ready on: " + day,
			BringHeading: "Bring to the window:",
			Bring:        []string{"foreign passport", "notarized translation of the passport"},
			Notice:       "The service is free; do not pay intermediaries",
		},
	}
	t := &printer.Ticket{Number: number, Status: "ST-7QK2-9F4M"}
	for _, l := range langs {
		t.Blocks = append(t.Blocks, blocks[l])
	}
	return t
}
