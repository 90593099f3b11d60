package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
)

// ticketLike matches what a reader takes for a queue number: a letter or
// two, perhaps a dash, digits ("A042", "A-042", "AP7").
var ticketLike = regexp.MustCompile(`\b[A-Z]{1,2}-?[0-9]{1,5}\b`)

// notTickets are the README's other names of that shape: kiosk ids,
// function keys and MRZ formats.
var notTickets = regexp.MustCompile(`^(K-[0-9]+|F[0-9]+|TD[0-9])$`)

// badNumbers returns the ticket numbers in text not spelled as the backend
// spells them (central.FormatNumber, read back by central.ParseNumber).
func badNumbers(text string) (all, bad []string) {
	for _, n := range ticketLike.FindAllString(text, -1) {
		if notTickets.MatchString(n) {
			continue
		}
		all = append(all, n)
		prefix := strings.TrimRight(n, "-0123456789")
		if _, ok := central.ParseNumber(prefix, n); !ok {
			bad = append(bad, n)
		}
	}
	return all, bad
}

// TestOneNumberFormat: the README, the print-test page and the kiosk's
// sample ticket spell queue numbers one way, the backend's ("A042": the
// prefix and central.NumberWidth digits), so a visitor holding a ticket
// and a clerk reading the guide see the same thing.
func TestOneNumberFormat(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"README.md": string(readme)}

	dir := t.TempDir()
	jobs := filepath.Join(dir, "tickets")
	cfg := filepath.Join(dir, "kiosk.toml")
	toml := "[printer]\ntransport = \"file\"\npath = \"" + jobs + "\"\nprofile = \"generic-58\"\n"
	if err := os.WriteFile(cfg, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runTicketCmd(t, "--config", cfg, "print-test"); code != 0 {
		t.Fatalf("kiosk print-test = %d; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	job, err := os.ReadFile(filepath.Join(jobs, "job-0001.bin"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := printer.LookupProfile("generic-58")
	if err != nil {
		t.Fatal(err)
	}
	page, err := preview.Decode(job, p.PreviewOptions())
	if err != nil {
		t.Fatal(err)
	}
	texts["the print-test page"] = page.String()

	t.Setenv("KIOSK_CONFIG", "")
	code, stdout, stderr := runTicketCmd(t, "ticket", "--out", filepath.Join(dir, "t.bin"))
	if code != 0 {
		t.Fatalf("kiosk ticket = %d; stderr:\n%s", code, stderr)
	}
	texts["kiosk ticket"] = stdout

	for name, text := range texts {
		all, bad := badNumbers(text)
		if len(all) == 0 {
			t.Errorf("%s shows no ticket number; the test looks for none", name)
		}
		if len(bad) > 0 {
			t.Errorf("%s spells ticket numbers %q; want the backend's spelling, e.g. %q", name, bad, central.FormatNumber("A", 42))
		}
	}
}
