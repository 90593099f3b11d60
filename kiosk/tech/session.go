package tech

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// IdleTimeout ends a technician's session nobody touches: a technician
// called away must not leave the kiosk closed to visitors, or its test
// buttons open to them.
const IdleTimeout = 2 * time.Minute

// Options are what a technician's session needs from the kiosk.
type Options struct {
	Lock    *Lock
	Catalog *i18n.Catalog
	// Lang is the language the pages open in; "" means Russian, the
	// working language of the centers' staff. The pages have the language
	// switch too.
	Lang i18n.Lang
	// Parts are what the status page checks.
	Parts Parts
	// ConfigPath is shown on the status page; "" means the built-in
	// defaults.
	ConfigPath string
	// PrintTest prints the printer's test page; nil when no printer is
	// fitted.
	PrintTest func(ctx context.Context) error
	// Scanner tells whether a scanner is fitted, for the test-scan page.
	Scanner bool
	// Samples and ScanSample are the demo's specimen passports: the
	// test-scan page has a button for each (and F2 for the first), since
	// the demo's scanner has no glass to put a document on. Nil on a kiosk
	// in a hall.
	Samples    []Sample
	ScanSample func(id string)
	// Show puts a page on screen. It is called on the UI's event loop.
	Show func(*ui.Page)
	// Do runs a function on the UI's event loop; it is called from other
	// goroutines only.
	Do func(func())
	// Exit hands the screen back to the kiosk. It is called on the event
	// loop, after the session has closed itself.
	Exit func()
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Location is the branch's time zone, for the end of a lockout; nil
	// means UTC.
	Location *time.Location
	// Logger gets entries, lockouts and test results; never a PIN.
	Logger *slog.Logger
}

// page is which of the technician's pages is on screen.
type page uint8

const (
	pagePIN page = iota
	pageStatus
	pagePrint
	pageScan
)

// Session is one visit of a technician: the PIN page, then the status page
// with its test print and test scan. Its methods run on the UI's event
// loop; the work that waits (the PIN hash, the checks, the print) runs in
// goroutines whose answers come back through Options.Do.
type Session struct {
	o      Options
	ctx    context.Context
	cancel context.CancelFunc
	lang   i18n.Lang
	page   page
	closed bool
	last   time.Time // the last touch or key, for IdleTimeout

	pin     pinBuf
	pinBusy bool
	pinHint i18n.Message
	pinBad  bool // pinHint is an error, not a note

	checks   []Check
	checking bool

	printing bool
	printed  *bool // nil: no result yet
	printErr string

	scan *scanResult
}

// scanResult is what the test-scan page shows of a scan: the document's
// shape and its checks, never the holder's name, number or dates.
type scanResult struct {
	format, code, issuer string
	valid, readable      bool
	checks               mrz.Checks
	repairs              int
	reason               string // why an unreadable scan was refused
}

// Open starts a session and shows the PIN page. ctx bounds the session's
// work; Close cancels what is still running.
func Open(ctx context.Context, o Options) *Session {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Lang == "" {
		o.Lang = i18n.Russian
	}
	s := &Session{o: o, lang: o.Lang, last: o.Now()}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.o.Logger.Info("technician mode: PIN asked")
	s.show()
	return s
}

// Close ends the session: it cancels the work in progress, drops late
// answers and zeroes the PIN typed so far. Closing twice is harmless.
func (s *Session) Close() {
	if s.closed {
		return
	}
	s.closed = true
	s.cancel()
	s.pin.wipe()
}

// Touch records a tap or a key, which keeps the session open.
func (s *Session) Touch() { s.last = s.o.Now() }

// Tick ends a session left idle for IdleTimeout, and redraws the PIN page
// so a lockout that ended shows as ended. The kiosk calls it every second.
func (s *Session) Tick() {
	if s.closed {
		return
	}
	if s.o.Now().Sub(s.last) >= IdleTimeout {
		s.o.Logger.Info("technician mode: idle, closed")
		s.exit()
		return
	}
	if s.page == pagePIN {
		s.show()
	}
}

// Scan takes a scanner event while the session has the screen. Only the
// test-scan page uses it; everywhere else a scan is dropped, so no
// passport put on the glass during technician mode reaches a page.
func (s *Session) Scan(ev scanner.Event) {
	if s.closed || s.page != pageScan {
		return
	}
	switch ev.Kind {
	case scanner.EventDocument:
		d := ev.Doc
		r := &scanResult{format: d.Format.String(), code: d.DocumentCode, issuer: d.IssuingState,
			valid: d.Valid, readable: true, checks: d.Checks, repairs: len(d.Repairs)}
		s.scan = r
		s.o.Logger.Info("technician mode: test scan", "format", r.format, "valid", r.valid, "repairs", r.repairs)
	case scanner.EventUnreadable:
		// A *scanner.ScanError names the shape and the parser's verdict,
		// never the scanned text.
		s.scan = &scanResult{reason: errText(ev.Err)}
		s.o.Logger.Info("technician mode: test scan unreadable", "err", ev.Err)
	default:
		return
	}
	s.show()
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// exit closes the session and hands the screen back.
func (s *Session) exit() {
	s.Close()
	s.o.Logger.Info("technician mode: left")
	s.o.Exit()
}

// later runs fn on the event loop unless the session closed meanwhile.
func (s *Session) later(fn func()) {
	s.o.Do(func() {
		if !s.closed {
			fn()
		}
	})
}

// submitPIN checks the PIN typed, off the event loop: the hash takes a
// noticeable fraction of a second.
func (s *Session) submitPIN() {
	if s.pinBusy {
		return
	}
	if s.pin.n < MinPIN {
		s.pinHint, s.pinBad = i18n.Message{Key: "tech.pin.short", Args: i18n.Args{"Min": MinPIN, "Max": MaxPIN}}, true
		s.show()
		return
	}
	pin := s.pin.take()
	s.pinBusy, s.pinHint, s.pinBad = true, i18n.M("tech.pin.checking"), false
	s.show()
	go func() {
		err := s.o.Lock.Try(pin)
		clear(pin)
		s.later(func() { s.pinChecked(err) })
	}()
}

// lockedUntil is the end of a lockout as the PIN page says it: the time of
// day, with the date when that is not today (a lockout lasts up to a day).
func (s *Session) lockedUntil(t time.Time) string {
	t = t.In(s.o.Location)
	y, m, d := t.Date()
	if ny, nm, nd := s.o.Now().In(s.o.Location).Date(); y == ny && m == nm && d == nd {
		return t.Format("15:04")
	}
	return t.Format("02.01 15:04")
}

func (s *Session) pinChecked(err error) {
	s.pinBusy = false
	if err == nil {
		s.o.Logger.Info("technician mode: entered")
		s.pinHint = i18n.Message{}
		s.page = pageStatus
		s.runChecks()
		return
	}
	var ae *AttemptError
	if !errors.As(err, &ae) {
		ae = &AttemptError{Err: ErrWrongPIN}
	}
	if errors.Is(ae.Err, ErrLocked) {
		s.o.Logger.Warn("technician mode: locked out after wrong PINs", "until", ae.Until)
		s.pinHint = i18n.Message{Key: "tech.pin.locked", Args: i18n.Args{"Time": s.lockedUntil(ae.Until)}}
	} else {
		s.o.Logger.Info("technician mode: wrong PIN", "left", ae.Left)
		s.pinHint = i18n.Message{Key: "tech.pin.wrong", Args: i18n.Args{"Left": ae.Left}}
	}
	s.pinBad = true
	s.show()
}

// runChecks runs the checks in the background and shows the status page.
func (s *Session) runChecks() {
	if !s.checking {
		s.checking = true
		parts := s.o.Parts
		go func() {
			checks := Checks(s.ctx, parts)
			s.later(func() {
				s.checking, s.checks = false, checks
				for _, c := range checks {
					if c.State == Failed {
						s.o.Logger.Warn("technician mode: check failed", "check", c.Name, "reason", c.Reason)
					}
				}
				s.show()
			})
		}()
	}
	s.show()
}

func (s *Session) testPrint() {
	s.page = pagePrint
	if s.printing || s.o.PrintTest == nil {
		s.show()
		return
	}
	s.printing, s.printed, s.printErr = true, nil, ""
	go func() {
		err := s.o.PrintTest(s.ctx)
		s.later(func() {
			ok := err == nil
			s.printing, s.printed, s.printErr = false, &ok, errText(err)
			s.o.Logger.Info("technician mode: test print", "printed", ok, "err", err)
			s.show()
		})
	}()
	s.show()
}

// show puts the current page on screen.
func (s *Session) show() {
	if s.closed {
		return
	}
	var p *ui.Page
	switch s.page {
	case pagePIN:
		p = s.pinPage()
	case pageStatus:
		p = s.statusPage()
	case pagePrint:
		p = s.printPage()
	case pageScan:
		p = s.scanPage()
	}
	for _, l := range i18n.Languages() {
		kind := ui.Secondary
		if l == s.lang {
			kind = ui.Selected
		}
		p.Languages = append(p.Languages, ui.Action{ID: "lang-" + string(l), Label: s.o.Catalog.Text(l, "lang.name"),
			Kind: kind, Do: func() { s.lang = l; s.show() }})
	}
	s.o.Show(p)
}

func (s *Session) t(key string) string { return s.o.Catalog.Text(s.lang, key) }

func (s *Session) f(m i18n.Message) string { return s.o.Catalog.Format(s.lang, m) }

func (s *Session) exitAction() ui.Action {
	return ui.Action{ID: "tech-exit", Label: s.t("tech.button.exit"), Kind: ui.Danger, Key: tcell.KeyF12, Do: s.exit}
}

func (s *Session) backAction() ui.Action {
	return ui.Action{ID: "tech-back", Label: "← " + s.t("button.back"), Kind: ui.Secondary, Key: tcell.KeyEscape,
		Do: func() { s.page = pageStatus; s.show() }}
}

func (s *Session) pinPage() *ui.Page {
	hint, tone := "", ui.Normal
	if s.pinHint.Key != "" {
		hint = s.f(s.pinHint)
		if s.pinBad {
			tone = ui.Bad
		}
	}
	if until, locked := s.o.Lock.Locked(); locked {
		hint, tone = s.f(i18n.Message{Key: "tech.pin.locked", Args: i18n.Args{"Time": s.lockedUntil(until)}}), ui.Bad
	} else if s.pinHint.Key == "tech.pin.locked" {
		hint = "" // the lockout ended
	}
	p := &ui.Page{ID: "tech-pin", Title: s.t("tech.title"),
		Lines: []ui.Line{{Text: s.t("tech.pin.prompt")}},
		Field: &ui.Field{Label: s.t("tech.pin.label"), Value: strings.Repeat("•", s.pin.n), Hint: hint, Tone: tone}}
	press := func(c byte) func() {
		return func() {
			if !s.pinBusy {
				s.pin.add(c)
				s.show()
			}
		}
	}
	for _, d := range "123456789" {
		p.Keypad = append(p.Keypad, ui.Action{ID: "pin-" + string(d), Label: string(d), Kind: ui.Secondary, Rune: d, Do: press(byte(d))})
	}
	p.Keypad = append(p.Keypad,
		ui.Action{ID: "pin-clear", Label: s.t("button.clear"), Kind: ui.Secondary, Do: func() { s.pin.wipe(); s.show() }},
		ui.Action{ID: "pin-0", Label: "0", Kind: ui.Secondary, Rune: '0', Do: press('0')},
		ui.Action{ID: "pin-delete", Label: "⌫ " + s.t("button.delete"), Kind: ui.Secondary, Key: tcell.KeyBackspace2,
			Do: func() { s.pin.del(); s.show() }})
	exit := s.exitAction()
	exit.Key = tcell.KeyEscape
	p.Actions = []ui.Action{exit,
		{ID: "tech-ok", Label: s.t("tech.button.ok"), Kind: ui.Primary, Key: tcell.KeyEnter, Do: s.submitPIN}}
	return p
}

func (s *Session) statusPage() *ui.Page {
	path := s.o.ConfigPath
	if path == "" {
		path = "—"
	}
	p := &ui.Page{ID: "tech-status", Title: s.t("tech.title"),
		Lines: []ui.Line{{Text: s.f(i18n.Message{Key: "tech.version", Args: i18n.Args{"Version": s.o.Parts.Version, "Config": path}}), Tone: ui.Muted}}}
	if s.checking {
		p.Lines = append(p.Lines, ui.Line{Text: s.t("tech.checking"), Tone: ui.Warn})
	}
	detail := false
	for _, c := range s.checks {
		p.Items = append(p.Items, s.item(c))
		detail = detail || c.State == Failed
	}
	if detail && s.lang != i18n.English {
		// The drivers' own words are English: the page leaves them to
		// the command that prints them.
		p.Notes = append(p.Notes, ui.Line{Text: s.f(i18n.Message{Key: faultDetail, Args: i18n.Args{"Command": DetailCommand}}), Tone: ui.Muted})
	}
	p.Actions = []ui.Action{
		{ID: "tech-print", Label: s.t("tech.button.print"), Kind: ui.Primary, Do: s.testPrint},
		{ID: "tech-scan", Label: s.t("tech.button.scan"), Kind: ui.Primary,
			Do: func() { s.page, s.scan = pageScan, nil; s.show() }},
		{ID: "tech-refresh", Label: s.t("tech.button.refresh"), Kind: ui.Secondary, Key: tcell.KeyF5, Do: s.runChecks},
		s.exitAction(),
	}
	return p
}

// item is one check on the status page: the part and its state on the
// first line, what it reported or why it is not loaded under it. The
// check's own words (Check.Say) replace the drivers' English, which only
// the English page keeps, under them; a printer that writes files is
// called that instead of "not fitted".
func (s *Session) item(c Check) ui.Item {
	key := "tech.check." + strings.ReplaceAll(c.Name, "-", "_")
	if c.Name == "zone-data" { // a check newer than the [tech.check] table
		key = "tech.device.zone_data"
	}
	label := s.t(key)
	it := ui.Item{Text: label + " — " + s.t("tech.state."+c.State.String()), Reason: c.Reason}
	detail := c.Value
	if c.Name == "outbox" {
		detail = s.f(i18n.Message{Key: "tech.outbox_waiting", Args: i18n.Args{"N": c.Value}})
	}
	switch {
	case c.Say.Key != "":
		detail = s.f(c.Say)
		it.Reason = detail
	case c.Reason != "" && s.lang != i18n.English:
		it.Reason = s.t(faultUnknown)
	}
	if s.lang == i18n.English && c.State != Loaded && c.Reason != "" && it.Reason != c.Reason {
		it.Reason += "\n" + c.Reason
	}
	switch {
	case c.State == Loaded:
		it.Tone, it.Reason = ui.Good, ""
		if detail != "" {
			it.Text += ": " + detail
		}
	case c.Say.Key == "tech.device.file":
		it.Text, it.Reason, it.Tone = label+" — "+detail, "", ui.Muted
	case c.State == Skipped:
		it.Tone = ui.Muted
	default:
		it.Tone = ui.Bad
	}
	return it
}

func (s *Session) printPage() *ui.Page {
	p := &ui.Page{ID: "tech-print", Title: s.t("tech.button.print")}
	switch {
	case s.o.PrintTest == nil:
		p.Lines = []ui.Line{{Text: s.t("tech.print.none"), Tone: ui.Warn}}
	case s.printing:
		p.Lines = []ui.Line{{Text: s.t("tech.print.printing")}}
	case s.printed != nil && *s.printed:
		p.Lines = []ui.Line{{Text: s.t("tech.print.done"), Tone: ui.Good}}
	case s.printed != nil:
		p.Lines = []ui.Line{{Text: s.t("tech.print.failed"), Tone: ui.Bad}, {Text: s.printErr, Tone: ui.Muted}}
	}
	p.Actions = []ui.Action{s.backAction()}
	if s.o.PrintTest != nil && !s.printing {
		p.Actions = append(p.Actions, ui.Action{ID: "tech-print", Label: s.t("tech.button.print"), Kind: ui.Primary, Do: s.testPrint})
	}
	return p
}

func (s *Session) scanPage() *ui.Page {
	p := &ui.Page{ID: "tech-scan", Title: s.t("tech.button.scan")}
	if !s.o.Scanner {
		p.Lines = []ui.Line{{Text: s.t("tech.scan.none"), Tone: ui.Warn}}
	} else {
		p.Lines = []ui.Line{{Text: s.t("tech.scan.wait"), Tone: ui.Muted}}
	}
	if r := s.scan; r != nil {
		p.Items = s.scanItems(r)
	}
	if s.o.ScanSample != nil && len(s.o.Samples) > 0 {
		p.Lines = append(p.Lines, ui.Line{Text: s.t("screen.sample") + ":", Tone: ui.Muted})
		for _, sm := range s.o.Samples {
			id := sm.ID
			p.Keypad = append(p.Keypad, ui.Action{ID: "sample-" + id, Label: sm.Label, Kind: ui.Secondary,
				Do: func() { s.o.ScanSample(id) }})
		}
		first := s.o.Samples[0].ID
		p.Hidden = append(p.Hidden, ui.Action{ID: "demo-scan", Key: tcell.KeyF2, Do: func() { s.o.ScanSample(first) }})
	}
	p.Actions = []ui.Action{s.backAction()}
	return p
}

// Sample is one of the demo's specimen passports, for the test scan.
type Sample struct {
	ID    string
	Label string
}

func (s *Session) scanItems(r *scanResult) []ui.Item {
	if !r.readable {
		return []ui.Item{{Text: s.t("tech.scan.unreadable"), Reason: r.reason, Tone: ui.Bad}}
	}
	code, issuer := r.code, r.issuer
	if code == "" {
		code = "—"
	}
	if issuer == "" {
		issuer = "—"
	}
	items := []ui.Item{
		{Text: s.f(i18n.Message{Key: "tech.scan.format", Args: i18n.Args{"Format": r.format, "Code": code}}), Tone: ui.Normal},
		{Text: s.f(i18n.Message{Key: "tech.scan.issuer", Args: i18n.Args{"State": issuer}}), Tone: ui.Normal},
	}
	if r.valid {
		items = append(items, ui.Item{Text: s.t("tech.scan.valid"), Tone: ui.Good})
	} else {
		items = append(items, ui.Item{Text: s.t("tech.scan.invalid"), Tone: ui.Bad})
	}
	for _, d := range []struct {
		key string
		res mrz.CheckResult
	}{
		{"number", r.checks.DocumentNumber}, {"birth", r.checks.BirthDate}, {"expiry", r.checks.ExpiryDate},
		{"optional", r.checks.OptionalData}, {"composite", r.checks.Composite},
	} {
		switch d.res {
		case mrz.CheckPassed:
			items = append(items, ui.Item{Text: s.t("tech.scan.digit."+d.key) + ": " + s.t("tech.scan.passed"), Tone: ui.Good})
		case mrz.CheckFailed:
			items = append(items, ui.Item{Text: s.t("tech.scan.digit."+d.key) + ": " + s.t("tech.scan.failed"), Tone: ui.Bad})
		}
	}
	if r.repairs > 0 {
		items = append(items, ui.Item{Text: s.f(i18n.Message{Key: "tech.scan.repairs", Args: i18n.Args{"N": r.repairs}}), Tone: ui.Warn})
	}
	return items
}

// pinBuf is the PIN being typed, in a fixed array so no copy is left
// behind by a growing slice; wipe zeroes it.
type pinBuf struct {
	b [MaxPIN]byte
	n int
}

func (p *pinBuf) add(c byte) {
	if p.n < len(p.b) {
		p.b[p.n] = c
		p.n++
	}
}

func (p *pinBuf) del() {
	if p.n > 0 {
		p.n--
		p.b[p.n] = 0
	}
}

func (p *pinBuf) wipe() {
	clear(p.b[:])
	p.n = 0
}

// take returns a copy of the PIN for the hash and wipes the buffer; the
// caller zeroes the copy.
func (p *pinBuf) take() []byte {
	out := make([]byte, p.n)
	copy(out, p.b[:p.n])
	p.wipe()
	return out
}
