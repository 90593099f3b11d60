package printer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
)

// Strategy is how a profile prints the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І.
type Strategy int

// Strategies, cheapest first.
const (
	// KZ1048 selects the KZ-1048 code table, which has every Kazakh letter:
	// plain text, one byte a letter.
	KZ1048 Strategy = iota + 1
	// UserChars prints on a Cyrillic table (CP866 or WPC1251) and sends the
	// Kazakh letters a ticket uses as user-defined characters (ESC &) on
	// ASCII codes the ticket does not print.
	UserChars
	// Raster prints the lines that hold a letter the table lacks as
	// GS v 0 bit images, and every other line as text.
	Raster
)

// String returns the name used in profiles and config: "kz1048",
// "user-chars" or "raster".
func (s Strategy) String() string {
	switch s {
	case KZ1048:
		return "kz1048"
	case UserChars:
		return "user-chars"
	case Raster:
		return "raster"
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// Dialect is how a printer reports its status.
type Dialect int

// Status dialects.
const (
	// DLEEOT: real-time DLE EOT 1–4 answers and GS r 1 after each job.
	DLEEOT Dialect = iota + 1
	// NoStatus: the transport is write-only (a file, some USB adapters);
	// only the GPIO sensors, when fitted, tell the state.
	NoStatus
)

// String returns "dle-eot" or "none".
func (d Dialect) String() string {
	switch d {
	case DLEEOT:
		return "dle-eot"
	case NoStatus:
		return "none"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// Profile describes one printer model: what the ticket layout may use and
// the vendor's numbers for it.
type Profile struct {
	Name  string // the config name, e.g. "epson-tm-t20iii"
	Model string // the model as sold, e.g. "Epson TM-T20III"
	// Dots is the printable width in dots: 384 on 58 mm paper, 576 on
	// 80 mm at 203 dpi, 512 on 80 mm at 180 dpi.
	Dots int
	// CellW and CellH are the Font A character cell in dots (12×24).
	CellW, CellH int
	// DPI is the print head's resolution in dots per inch (203 or 180);
	// 0 means 203, the common one. It turns dots into paper length.
	DPI int
	// Tables maps character table names (escpos.NameCP866, …) to this
	// vendor's ESC t number for them.
	Tables map[string]byte
	// Charset names the table tickets are printed in; it must be in Tables.
	Charset string
	// Kazakh is the strategy for the Kazakh letters.
	Kazakh Strategy
	// UserChars is whether the printer takes ESC & user-defined characters.
	UserChars bool
	// NativeQR is whether the printer draws QR codes itself (GS ( k);
	// without it the QR code is sent as a bit image.
	NativeQR bool
	// Cutter is whether there is an autocutter (GS V); without one the
	// paper is fed past the tear bar.
	Cutter bool
	// Status is the status dialect.
	Status Dialect
	// Source says where the numbers come from, and which are assumed.
	Source string
}

// Profiles returns the shipped printer profiles, sorted by name. Each call
// returns fresh values, so callers may change them.
func Profiles() []Profile {
	epsonTables := map[string]byte{escpos.NamePC437: 0, escpos.NameCP866: 17, escpos.NameWPC1251: 46, escpos.NameKZ1048: 53}
	ps := []Profile{
		{
			Name: "generic", Model: "Generic 80 mm ESC/POS printer", Dots: 576, CellW: 12, CellH: 24,
			Tables:  map[string]byte{escpos.NamePC437: 0, escpos.NameCP866: 17, escpos.NameWPC1251: 46},
			Charset: escpos.NameWPC1251, Kazakh: UserChars, UserChars: true, NativeQR: true, Cutter: true, Status: DLEEOT,
			Source: "assumed: Epson numbering (17 PC866, 46 WPC1251), which most ESC/POS clones follow; " +
				"user-defined characters and GS ( k are assumed; run kiosk print-test to confirm",
		},
		{
			Name: "generic-58", Model: "Generic 58 mm ESC/POS printer", Dots: 384, CellW: 12, CellH: 24,
			Tables:  map[string]byte{escpos.NamePC437: 0, escpos.NameCP866: 17, escpos.NameWPC1251: 46},
			Charset: escpos.NameWPC1251, Kazakh: UserChars, UserChars: true, NativeQR: true, Cutter: true, Status: DLEEOT,
			Source: "assumed, as generic, on 58 mm paper; with an autocutter, as kiosk printers have " +
				"(a desktop printer with a tear bar only: xprinter-xp58)",
		},
		{
			Name: "generic-raster", Model: "ESC/POS printer without user-defined characters", Dots: 576, CellW: 12, CellH: 24,
			Tables:  map[string]byte{escpos.NamePC437: 0, escpos.NameCP866: 17, escpos.NameWPC1251: 46},
			Charset: escpos.NameWPC1251, Kazakh: Raster, UserChars: false, NativeQR: false, Cutter: true, Status: DLEEOT,
			Source: "the last resort: Kazakh lines and the QR code as GS v 0 bit images; Epson numbering assumed",
		},
		{
			Name: "epson-tm-t20iii", Model: "Epson TM-T20III", Dots: 576, CellW: 12, CellH: 24,
			Tables: epsonTables, Charset: escpos.NameKZ1048, Kazakh: KZ1048, UserChars: true, NativeQR: true, Cutter: true, Status: DLEEOT,
			Source: "vendor: Epson character code tables for the TM-T20III (17 PC866, 46 WPC1251, 53 KZ-1048), " +
				"576 dots at 203 dpi, GS ( k QR and autocutter per its specification",
		},
		{
			Name: "epson-tm-t88vi", Model: "Epson TM-T88VI", Dots: 512, CellW: 12, CellH: 24, DPI: 180,
			Tables: epsonTables, Charset: escpos.NameKZ1048, Kazakh: KZ1048, UserChars: true, NativeQR: true, Cutter: true, Status: DLEEOT,
			Source: "vendor: Epson character code tables for the TM-T88 V/VI (17, 46, 53 as TM-T20III), " +
				"512 dots at 180 dpi (Font A, 42 columns)",
		},
		{
			Name: "xprinter-xp58", Model: "Xprinter XP-58 (IIH)", Dots: 384, CellW: 12, CellH: 24,
			Tables:  map[string]byte{escpos.NamePC437: 0, escpos.NameCP866: 17, escpos.NameWPC1251: 23},
			Charset: escpos.NameCP866, Kazakh: UserChars, UserChars: true, NativeQR: true, Cutter: false, Status: DLEEOT,
			Source: "assumed: CP866 as 17 (the Epson number, common in Xprinter firmware), WPC1251 as 23 " +
				"(from the printer issue, not confirmed from a vendor table), GS ( k and ESC & assumed; no cutter",
		},
		{
			Name: "star-tsp650ii", Model: "Star TSP650II in ESC/POS emulation", Dots: 576, CellW: 12, CellH: 24,
			Tables:  map[string]byte{escpos.NamePC437: 1, escpos.NameCP866: 10, escpos.NameWPC1251: 34},
			Charset: escpos.NameWPC1251, Kazakh: UserChars, UserChars: true, NativeQR: false, Cutter: true, Status: DLEEOT,
			Source: "vendor: Star's code page numbers (10 CP866, 34 WPC1251, 1 PC437); assumed: that ESC/POS " +
				"emulation takes them under ESC t, ESC & and DLE EOT; QR sent as a bit image",
		},
		{
			Name: "bixolon-srp350plusiii", Model: "Bixolon SRP-350plusIII", Dots: 512, CellW: 12, CellH: 24, DPI: 180,
			Tables:  map[string]byte{escpos.NamePC437: 0, escpos.NameCP866: 17, escpos.NameWPC1251: 28},
			Charset: escpos.NameWPC1251, Kazakh: UserChars, UserChars: true, NativeQR: true, Cutter: true, Status: DLEEOT,
			Source: "vendor: the Bixolon/Samsung SRP command table (17 PC866, 28 WPC1251); assumed for this " +
				"model, with 512 dots at 180 dpi and GS ( k",
		},
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}

// LookupProfile returns the shipped profile with the given name; an empty
// name means "generic".
func LookupProfile(name string) (Profile, error) {
	if name == "" {
		name = "generic"
	}
	var names []string
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("printer: unknown profile %q; want one of %s", name, strings.Join(names, ", "))
}

// Validate reports the first inconsistency in p.
func (p *Profile) Validate() error {
	switch {
	case p.Name == "":
		return fmt.Errorf("printer: profile has no name")
	case p.CellW < 8 || p.CellH < 16 || p.CellH%8 != 0:
		return fmt.Errorf("printer: profile %s: cell %d×%d; want at least 8×16 dots, height a multiple of 8", p.Name, p.CellW, p.CellH)
	case p.Dots < 8*p.CellW || p.Dots%8 != 0:
		return fmt.Errorf("printer: profile %s: %d dots per line; want a multiple of 8 and room for 8 characters", p.Name, p.Dots)
	case p.Kazakh < KZ1048 || p.Kazakh > Raster:
		return fmt.Errorf("printer: profile %s: unknown Kazakh strategy %d", p.Name, p.Kazakh)
	case p.Kazakh == KZ1048 && p.Charset != escpos.NameKZ1048:
		return fmt.Errorf("printer: profile %s: strategy kz1048 needs charset kz1048, not %q", p.Name, p.Charset)
	case p.Kazakh == UserChars && !p.UserChars:
		return fmt.Errorf("printer: profile %s: strategy user-chars on a printer without user-defined characters; use raster", p.Name)
	case p.Status != DLEEOT && p.Status != NoStatus:
		return fmt.Errorf("printer: profile %s: unknown status dialect %d", p.Name, p.Status)
	}
	if _, ok := p.Tables[p.Charset]; !ok {
		return fmt.Errorf("printer: profile %s: charset %q has no ESC t number in Tables", p.Name, p.Charset)
	}
	if _, err := escpos.LookupCharset(p.Charset); err != nil {
		return fmt.Errorf("printer: profile %s: %w", p.Name, err)
	}
	return nil
}

// TableNames returns the inverse of Tables: ESC t number to table name,
// as the preview decoder takes it.
func (p *Profile) TableNames() map[byte]string {
	out := make(map[byte]string, len(p.Tables))
	for name, n := range p.Tables {
		out[n] = name
	}
	return out
}

// PreviewOptions describe the profile's paper to the preview decoder, so a
// job built for this printer is read back as this printer would print it.
func (p Profile) PreviewOptions() preview.Options {
	return preview.Options{Dots: p.Dots, CellW: p.CellW, CellH: p.CellH, Tables: p.TableNames()}
}

// Millimetres returns the paper length of n dots fed at the profile's
// resolution.
func (p Profile) Millimetres(n int) float64 {
	dpi := p.DPI
	if dpi <= 0 {
		dpi = 203
	}
	return float64(n) * 25.4 / float64(dpi)
}
