package printer_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/glyph"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata (and the ticket PNGs)")

// layout returns the layout of the named shipped profile.
func layout(t testing.TB, name string) *printer.Layout {
	t.Helper()
	p, err := printer.LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	l, err := printer.NewLayout(p)
	if err != nil {
		t.Fatalf("NewLayout(%s) error = %v", name, err)
	}
	return l
}

// decode reads a job back with the preview decoder set up for l's profile.
func decode(t testing.TB, l *printer.Layout, job []byte) *preview.Result {
	t.Helper()
	p := l.Profile()
	res, err := preview.Decode(job, p.PreviewOptions())
	if err != nil {
		t.Fatalf("preview.Decode(%s job) error = %v", p.Name, err)
	}
	return res
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (%d bytes, want %d); run go test -update and review the diff", name, len(got), len(want))
	}
}

// TestTicketGolden pins the exact bytes and the decoded text of the
// sample tickets on every shipped profile. Under -update it also writes
// testdata/png/PROFILE-CASE.png for a person to look at.
func TestTicketGolden(t *testing.T) {
	cases := map[string]*printer.Ticket{
		"kk":       sampleTicket("kk"),
		"kk-ru-en": sampleTicket("kk", "ru", "en"),
		"full":     fullTicket("kk", "ru", "en"),
	}
	for _, p := range printer.Profiles() {
		l := layout(t, p.Name)
		for name, tk := range cases {
			t.Run(p.Name+"/"+name, func(t *testing.T) {
				job, err := l.Ticket(tk)
				if err != nil {
					t.Fatalf("Ticket() error = %v", err)
				}
				res := decode(t, l, job)
				base := p.Name + "-" + name
				golden(t, filepath.Join("tickets", base+".bin"), job)
				golden(t, filepath.Join("tickets", base+".txt"), []byte(res.String()))
				if *update {
					var buf bytes.Buffer
					if err := res.WritePNG(&buf); err != nil {
						t.Fatal(err)
					}
					golden(t, filepath.Join("png", base+".png"), buf.Bytes())
				}
			})
		}
	}
}

// TestTicketKazakhLetters checks that every strategy brings the Kazakh
// letters through: the decoded text holds the sample's Kazakh words.
func TestTicketKazakhLetters(t *testing.T) {
	words := []string{"ХҚКО", "Есіл", "нөміріңіз", "сәйкестендіру", "Қызмет", "делдалға", "төлемеңіз", "ақы"}
	for _, p := range printer.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			l := layout(t, p.Name)
			job, err := l.Ticket(sampleTicket("kk", "ru", "en"))
			if err != nil {
				t.Fatal(err)
			}
			text := decode(t, l, job).String()
			for _, w := range words {
				if !strings.Contains(text, w) {
					t.Errorf("%s ticket text lacks %q:\n%s", p.Name, w, text)
				}
			}
			if strings.ContainsAny(text, "?\uFFFD") {
				t.Errorf("%s ticket text holds '?' or U+FFFD, a character lost:\n%s", p.Name, text)
			}
		})
	}
}

// TestTicketFitsPaper feeds awkward tickets to every profile and checks
// that every line stays within the paper width.
func TestTicketFitsPaper(t *testing.T) {
	long := strings.Repeat("Жеке сәйкестендіру нөмірін алу бойынша мемлекеттік қызмет ", 4)
	var ten []string
	for i := range 10 {
		ten = append(ten, strings.Repeat("құжат ", i+1)+"көшірмесі")
	}
	cases := map[string]*printer.Ticket{
		"only a number": {Number: "A-001", Blocks: []printer.Block{{Lang: "kk"}}},
		"no blocks":     {Number: "A-001"},
		"long titles": {Number: "B-123", Status: "ST-1", Blocks: []printer.Block{{
			Lang: "kk", Service: long, Branch: long, Notice: long,
		}}},
		"ten checklist items": {Number: "C-777", Blocks: []printer.Block{{
			Lang: "kk", BringHeading: "Терезеге алып келіңіз:", Bring: ten,
		}}},
		"unbreakable word": {Number: "D-1", Blocks: []printer.Block{{
			Lang: "kk", Service: strings.Repeat("Ә", 130), Bring: []string{strings.Repeat("ң", 70)},
		}}},
		"long number": {Number: "OFFLINE-K07-00042", Blocks: []printer.Block{{Lang: "en", Service: "x"}}},
		"white space": {Number: " A-2 ", Blocks: []printer.Block{{
			Lang: "ru", Service: "  Получение\n\tИИН  ", Bring: []string{"", "  ", "паспорт"},
		}}},
	}
	for _, p := range printer.Profiles() {
		l := layout(t, p.Name)
		for name, tk := range cases {
			t.Run(p.Name+"/"+name, func(t *testing.T) {
				job, err := l.Ticket(tk)
				if err != nil {
					t.Fatalf("Ticket() error = %v", err)
				}
				res := decode(t, l, job)
				for _, ln := range res.Lines {
					if ln.W > p.Dots {
						t.Errorf("line %q is %d dots wide, paper %d", ln.Text, ln.W, p.Dots)
					}
				}
				if !strings.Contains(res.String(), strings.TrimSpace(tk.Number)) {
					t.Errorf("decoded ticket lacks the number %q:\n%s", tk.Number, res)
				}
			})
		}
	}
}

// TestTicketTransliterates checks characters no profile table has: they
// come out as stand-ins, never as '?'.
func TestTicketTransliterates(t *testing.T) {
	tests := map[string]struct {
		profile, in, want string
	}{
		"Latin diacritics on WPC1251":      {"generic-raster", "Ünlü №5 — «ok»", "Unlu №5 — «ok»"},
		"punctuation on CP866":             {"xprinter-xp58", "№5 — «ok» …", `№5 - "ok" ...`},
		"Latin diacritics on KZ-1048":      {"epson-tm-t20iii", "Çağrı Şahin Ñandú", "Cagri Sahin Nandu"},
		"symbols with no stand-in dropped": {"generic", "паспорт ✓ 中", "паспорт"},
		"tenge sign":                       {"xprinter-xp58", "0 ₸", "0 тг"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l := layout(t, tt.profile)
			job, err := l.Ticket(&printer.Ticket{Number: "A-1", Blocks: []printer.Block{{Service: tt.in}}})
			if err != nil {
				t.Fatal(err)
			}
			text := decode(t, l, job).String()
			if !strings.Contains(text, "\n"+tt.want+"\n") {
				t.Errorf("Ticket(%q) on %s decodes to\n%s\nwant a line %q", tt.in, tt.profile, text, tt.want)
			}
			if strings.ContainsAny(text, "?\uFFFD") {
				t.Errorf("decoded text holds '?' or U+FFFD")
			}
		})
	}
}

func TestTicketErrors(t *testing.T) {
	tests := map[string]struct {
		t    *printer.Ticket
		want error
	}{
		"no number":         {&printer.Ticket{Blocks: []printer.Block{{Service: "x"}}}, printer.ErrNoNumber},
		"blank number":      {&printer.Ticket{Number: " \t"}, printer.ErrNoNumber},
		"IIN in a line":     {&printer.Ticket{Number: "A-1", Blocks: []printer.Block{{Wait: "ЖСН 990101234567"}}}, printer.ErrPersonalData},
		"IIN in the QR":     {&printer.Ticket{Number: "A-1", Status: "990101234567"}, printer.ErrPersonalData},
		"IIN on the list":   {&printer.Ticket{Number: "A-1", Blocks: []printer.Block{{Bring: []string{"990101234567"}}}}, printer.ErrPersonalData},
		"13 digits is fine": {&printer.Ticket{Number: "A-1", Status: "ST-9901012345678"}, nil},
	}
	l := layout(t, "generic")
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := l.Ticket(tt.t)
			if !errors.Is(err, tt.want) {
				t.Errorf("Ticket(%+v) error = %v, want %v", tt.t, err, tt.want)
			}
		})
	}
}

// TestUserCharsOnlyWhatIsUsed checks that a user-chars ticket downloads
// exactly the Kazakh letters it prints that the table lacks.
func TestUserCharsOnlyWhatIsUsed(t *testing.T) {
	tests := map[string]struct {
		profile, text string
		want          string
	}{
		"WPC1251 has І і":      {"generic", "Қызмет тегін, Ұлы Дала Елі, құжат", "ҚҰқұ"},
		"CP866 lacks І і":      {"xprinter-xp58", "Қызмет тегін", "Қі"},
		"no Kazakh letters":    {"generic", "Получение ИИН", ""},
		"all of them on CP866": {"xprinter-xp58", glyph.Kazakh, glyph.Kazakh},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l := layout(t, tt.profile)
			job, err := l.Ticket(&printer.Ticket{Number: "A-1", Blocks: []printer.Block{{Service: tt.text}}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[rune]bool{}
			for _, r := range decode(t, l, job).UserChars {
				got[r] = true
			}
			for _, r := range tt.want {
				if !got[r] {
					t.Errorf("user chars of %q = %q, lack %q", tt.text, string(keys(got)), r)
				}
			}
			if len(got) != len([]rune(tt.want)) {
				t.Errorf("user chars of %q = %q, want %q", tt.text, string(keys(got)), tt.want)
			}
		})
	}
}

func keys(m map[rune]bool) []rune {
	var out []rune
	for r := range m {
		out = append(out, r)
	}
	return out
}

func TestTestPage(t *testing.T) {
	for _, p := range printer.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			l := layout(t, p.Name)
			job, err := l.TestPage()
			if err != nil {
				t.Fatal(err)
			}
			text := decode(t, l, job).String()
			qr := "[QR: print-test " + p.Name + "]"
			if !p.NativeQR {
				qr = "[image " // sent as a bit image
			}
			for _, want := range []string{glyph.Kazakh, "АБВГДЕЁЖЗИЙКЛМНОП", qr, p.Name} {
				if !strings.Contains(text, want) {
					t.Errorf("test page lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

func TestProfiles(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range printer.Profiles() {
		if err := p.Validate(); err != nil {
			t.Errorf("shipped profile: %v", err)
		}
		if p.Source == "" || p.Model == "" {
			t.Errorf("profile %s: empty Source or Model", p.Name)
		}
		if seen[p.Name] {
			t.Errorf("profile %s listed twice", p.Name)
		}
		seen[p.Name] = true
	}
	if _, err := printer.LookupProfile("epson-tm-t99"); err == nil || !strings.Contains(err.Error(), "generic") {
		t.Errorf("LookupProfile(unknown) error = %v, want the list of names", err)
	}
	bad := map[string]func(p *printer.Profile){
		"kz1048 on wpc1251":   func(p *printer.Profile) { p.Charset = "wpc1251" },
		"user chars without":  func(p *printer.Profile) { p.Kazakh, p.UserChars, p.Charset = printer.UserChars, false, "cp866" },
		"table without ESC t": func(p *printer.Profile) { delete(p.Tables, "kz1048") },
		"odd cell":            func(p *printer.Profile) { p.CellH = 20 },
		"narrow paper":        func(p *printer.Profile) { p.Dots = 60 },
	}
	for name, change := range bad {
		p, _ := printer.LookupProfile("epson-tm-t20iii")
		change(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("%s: Validate() = nil, want an error", name)
		}
	}
}

// TestRasterOneWayToCentre: a centred bit image (a Kazakh line on the
// raster profile, a QR code without GS ( k) must not be placed by both
// ESC a 1 and GS L. Printers differ on whether ESC a applies to GS v 0,
// and a decoder that applies both draws the line off-centre; the layout
// centres an image inside a bitmap as wide as the paper instead, so the
// ink lands mid-paper whatever ESC a does.
func TestRasterOneWayToCentre(t *testing.T) {
	for _, p := range printer.Profiles() {
		l := layout(t, p.Name)
		for name, tk := range map[string]*printer.Ticket{
			"kk":       sampleTicket("kk"),
			"kk-ru-en": sampleTicket("kk", "ru", "en"),
			"full":     fullTicket("kk", "ru", "en"),
		} {
			job, err := l.Ticket(tk)
			if err != nil {
				t.Fatalf("%s/%s: %v", p.Name, name, err)
			}
			for _, ln := range decode(t, l, job).Lines {
				if ln.Kind != preview.Raster {
					continue
				}
				if ln.Align != escpos.Left && ln.Margin > 0 {
					t.Errorf("%s/%s: image %q at y=%d is placed by both ESC a %d and GS L %d",
						p.Name, name, ln.Text, ln.Y, ln.Align, ln.Margin)
				}
				if ln.Align == escpos.Center && ln.W != p.Dots {
					t.Errorf("%s/%s: centred image %q at y=%d is %d dots wide at margin 0: where it lands depends on ESC a",
						p.Name, name, ln.Text, ln.Y, ln.W)
				}
			}
		}
	}
}

// TestTicketDateWhole: a date the flow joins with no-break spaces moves to
// the next line whole, wherever the line would otherwise break, and prints
// with plain spaces. A date with no spaces at all stays whole too.
func TestTicketDateWhole(t *testing.T) {
	dates := []string{"2 желтоқсан 2026", "2026 жылғы 2 желтоқсан", "2 декабря 2026", "2 December 2026", "02.12.2026"}
	for _, p := range printer.Profiles() {
		l := layout(t, p.Name)
		for _, date := range dates {
			for n := range l.Columns() {
				// n one-letter words put the date at every place on the line.
				ready := strings.Repeat("а ", n) + strings.ReplaceAll(date, " ", "\u00a0")
				tk := &printer.Ticket{Number: "A-001", Blocks: []printer.Block{{Lang: "kk", Ready: ready}}}
				job, err := l.Ticket(tk)
				if err != nil {
					t.Fatalf("%s: %v", p.Name, err)
				}
				text := decode(t, l, job).String()
				if !strings.Contains(text, date) {
					t.Fatalf("%s, date after %d words: %q is not whole on one line:\n%s", p.Name, n, date, text)
				}
			}
		}
	}
}

// TestTicketQRCaption: the QR code has a caption saying what it is for,
// in each language of the ticket, just above the code; a ticket without a
// code has no caption.
func TestTicketQRCaption(t *testing.T) {
	for _, p := range printer.Profiles() {
		l := layout(t, p.Name)
		tk := sampleTicket("kk", "ru")
		job, err := l.Ticket(tk)
		if err != nil {
			t.Fatal(err)
		}
		// The raster profile draws the Kazakh line as an image that reads
		// as its text.
		text := strings.NewReplacer("[image: ", "", "]\n", "\n").Replace(decode(t, l, job).String())
		want := "^ Сканерлеңіз: кезектегі орныңыз\n^ Сканируйте: ваше место в очереди\n\n^ "
		if !strings.Contains(text, want) {
			t.Errorf("%s: ticket lacks the QR caption in both languages above the code:\n%s", p.Name, text)
		}
		tk.Status = ""
		if job, err = l.Ticket(tk); err != nil {
			t.Fatal(err)
		}
		if text := decode(t, l, job).String(); strings.Contains(text, "Сканер") {
			t.Errorf("%s: ticket without a QR code has its caption:\n%s", p.Name, text)
		}
	}
}
