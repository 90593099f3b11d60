package tech_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

// hall is the demo kiosk on a simulation screen, technician mode on with
// the demo's PIN.
type hall struct {
	t   *testing.T
	d   *demo.Demo
	k   *kiosk.Kiosk
	h   *uitest.Harness
	clk *uitest.Clock
	cat *i18n.Catalog
	loc *time.Location
}

func newHall(t *testing.T) *hall {
	t.Helper()
	return newHallAt(t, 10, 0)
}

// newHallAt is newHall with the clock at hour:minute in Almaty.
func newHallAt(t *testing.T, hour, minute int) *hall {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	x := demotest.Start(t, demotest.Setup{
		Start: time.Date(2026, 11, 25, hour, minute, 0, 0, loc),
		Options: func(_ testing.TB, _ *demo.Demo, o *kiosk.Options) {
			o.ConfigPath, o.Version = "/etc/kiosk/kiosk.toml", "1.2.3-test"
		},
	})
	return &hall{t: t, d: x.D, k: x.K, h: x.H, clk: x.Clock, cat: x.Cat, loc: loc}
}

func (x *hall) tap(id string) {
	x.t.Helper()
	x.clk.Add(time.Second)
	x.h.TapAction(id)
}

// until settles the UI until ok holds: the PIN hash, the checks, the
// printer and the scanner answer from their own goroutines.
func (x *hall) until(what string, ok func() bool) {
	x.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			x.t.Fatalf("%s never happened; the screen:\n%s", what, x.h.Text())
		}
		x.h.Settle()
	}
}

func (x *hall) waitText(s string) {
	x.t.Helper()
	x.until("text "+s, func() bool { return x.h.Contains(s) })
}

func (x *hall) ru(key string, args i18n.Args) string {
	return x.cat.Format(i18n.Russian, i18n.Message{Key: key, Args: args})
}

// scannerReady waits until the demo's scanner driver holds the pty: a
// scan written before that would be echoed by the tty, not read.
func (x *hall) scannerReady() {
	x.t.Helper()
	x.until("scanner connected", func() bool { return x.d.Scanner.State() == scanner.StateConnected })
}

func (x *hall) typePIN(pin string) {
	x.t.Helper()
	x.h.Type(pin)
	x.h.Key(tcell.KeyEnter)
}

// TestTechnicianMode walks technician mode on the whole demo kiosk: F12
// over a visitor's passport, the lockout, the status page, a test print,
// a test scan and the way back.
func TestTechnicianMode(t *testing.T) {
	x := newHall(t)
	x.scannerReady()

	// A visitor has a passport on screen when the technician comes.
	x.tap("lang-en")
	x.tap("self")
	x.d.Scan("over-65")
	x.until("the confirm screen", func() bool { return x.h.HasAction("confirm") })
	if !x.h.Contains("SMITH") {
		t.Fatalf("the visitor's passport is not on screen:\n%s", x.h.Text())
	}

	x.h.Key(tcell.KeyF12)
	if !x.h.HasAction("tech-ok") || !x.h.Contains(x.ru("tech.pin.prompt", nil)) {
		t.Fatalf("F12 did not open the PIN page:\n%s", x.h.Text())
	}
	for _, pd := range []string{"SMITH", "JOHN", "5334013720"} {
		if x.h.Contains(pd) {
			t.Errorf("personal data %q on the technician's screen:\n%s", pd, x.h.Text())
		}
	}

	// The PIN is masked as it is typed.
	x.h.Type("12")
	if !x.h.Contains("••") || x.h.Contains("12▏") {
		t.Errorf("PIN not masked:\n%s", x.h.Text())
	}
	x.tap("pin-clear")

	// A PIN of four digits, the old minimum, is refused before it is
	// checked, and costs no try.
	x.typePIN("1234")
	x.waitText(x.ru("tech.pin.short", i18n.Args{"Min": 6, "Max": 12}))

	// Five wrong PINs lock technician mode; the right one is refused while
	// locked.
	for left := tech.MaxTries - 1; left >= 1; left-- {
		x.typePIN("000000")
		x.waitText(x.ru("tech.pin.wrong", i18n.Args{"Left": left}))
	}
	x.typePIN("999999")
	locked := x.ru("tech.pin.locked", i18n.Args{"Time": x.clk.Now().Add(tech.Lockout).In(x.loc).Format("15:04")})
	x.waitText(locked)
	// Leaving the PIN page and coming back keeps the lockout.
	x.h.Key(tcell.KeyEscape)
	x.h.Key(tcell.KeyF12)
	if !x.h.Contains(locked) {
		t.Errorf("the lockout did not survive leaving the PIN page:\n%s", x.h.Text())
	}
	x.typePIN(demo.DemoPIN)
	x.waitText(locked)
	if x.h.HasAction("tech-print") {
		t.Fatalf("the right PIN opened technician mode during the lockout:\n%s", x.h.Text())
	}

	// Once the lockout is over, the right PIN opens the status page. (The
	// PIN page, idle for longer than IdleTimeout, has closed by then.)
	x.clk.Add(tech.Lockout)
	x.k.Tick()
	x.h.Settle()
	x.h.Key(tcell.KeyF12)
	if !x.h.HasAction("tech-ok") || x.h.Contains(locked) {
		t.Errorf("after the lockout, F12 does not give a PIN page free of it:\n%s", x.h.Text())
	}
	x.typePIN(demo.DemoPIN)
	x.until("the status page", func() bool { return x.h.HasAction("tech-print") })
	x.until("the checks", func() bool { return !x.h.Contains(x.ru("tech.checking", nil)) })
	state := func(check, st string) string {
		return x.ru("tech.check."+check, nil) + " — " + x.ru("tech.state."+st, nil)
	}
	for _, want := range []string{
		state("scanner", "loaded"), state("backend", "loaded"),
		x.ru("tech.check.printer", nil) + " — " + x.ru("tech.device.file", i18n.Args{"Path": x.d.Tickets}),
		state("outbox", "loaded"), state("config", "loaded"), state("technician", "loaded"),
		"1.2.3-test", "/etc/kiosk/kiosk.toml",
	} {
		if !x.h.Contains(want) {
			t.Errorf("status page lacks %q:\n%s", want, x.h.Text())
		}
	}
	writePNG(t, x.h, "technician-status")

	// Test print: the printer's test page lands in the demo's folder.
	x.tap("tech-print")
	x.waitText(x.ru("tech.print.done", nil))
	if b, err := os.ReadFile(filepath.Join(x.d.Tickets, "ticket-0001.bin")); err != nil || len(b) == 0 {
		t.Errorf("no test page in the tickets folder: %v", err)
	}
	x.tap("tech-back")

	// Test scan: the format and the checks, not the holder.
	x.tap("tech-scan")
	x.d.Scan("latin")
	x.waitText(x.ru("tech.scan.format", i18n.Args{"Format": "TD3", "Code": "P"}))
	for _, want := range []string{
		x.ru("tech.scan.issuer", i18n.Args{"State": "D"}), x.ru("tech.scan.valid", nil),
		x.ru("tech.scan.digit.birth", nil) + ": " + x.ru("tech.scan.passed", nil),
	} {
		if !x.h.Contains(want) {
			t.Errorf("test scan lacks %q:\n%s", want, x.h.Text())
		}
	}
	for _, pd := range []string{"MUSTERMANN", "ERIKA", "C01X00T47", "1964", "640812"} {
		if x.h.Contains(pd) {
			t.Errorf("personal data %q on the test-scan page:\n%s", pd, x.h.Text())
		}
	}
	writePNG(t, x.h, "technician-scan")
	x.tap("tech-back")

	// Exit: the welcome screen, with nothing of the visitor.
	x.tap("tech-exit")
	if !x.h.Contains(x.cat.Text(i18n.Kazakh, "lang.choose")) {
		t.Errorf("exit did not lead to the welcome screen:\n%s", x.h.Text())
	}
	for _, pd := range []string{"SMITH", "MUSTERMANN"} {
		if x.h.Contains(pd) {
			t.Errorf("personal data %q after technician mode:\n%s", pd, x.h.Text())
		}
	}
	// The journey takes the visitor's taps again.
	x.tap("lang-ru")
	if !x.h.HasAction("self") && !x.h.Contains(x.cat.Text(i18n.Russian, "screen.service.title")) {
		t.Errorf("the journey did not resume:\n%s", x.h.Text())
	}
}

// TestTechnicianLockoutRestart: a kiosk started again over the same state
// folder (a power cycle) is still locked, and its next run of wrong PINs
// locks for longer, past midnight here, so the page gives the date too.
func TestTechnicianLockoutRestart(t *testing.T) {
	x := newHallAt(t, 23, 50)
	waitFor := func(h *uitest.Harness, want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !h.Contains(want) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q on screen:\n%s", want, h.Text())
			}
			h.Settle()
		}
	}
	// lockOut types wrong PINs until the page says it is locked until
	// the time shown by layout, d from now.
	lockOut := func(h *uitest.Harness, d time.Duration, layout string) string {
		t.Helper()
		for left := tech.MaxTries - 1; left >= 0; left-- {
			h.Type("000000")
			h.Key(tcell.KeyEnter)
			if left > 0 {
				waitFor(h, x.ru("tech.pin.wrong", i18n.Args{"Left": left}))
			}
		}
		locked := x.ru("tech.pin.locked", i18n.Args{"Time": x.clk.Now().Add(d).In(x.loc).Format(layout)})
		waitFor(h, locked)
		return locked
	}
	// restart starts a second kiosk over the demo's state folder and
	// opens its PIN page; the first one stays, untouched, as a dead one would.
	restart := func() *uitest.Harness {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		sim := uitest.NewScreen()
		opts := x.d.Options()
		opts.Screen, opts.Catalog, opts.Now, opts.TickInterval = sim, x.cat, x.clk.Now, -1
		k, err := kiosk.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		h := uitest.New(t, sim, k.App(), 100, 40)
		k.Start(ctx)
		h.Settle()
		h.Key(tcell.KeyF12)
		return h
	}

	x.h.Key(tcell.KeyF12)
	locked := lockOut(x.h, tech.Lockout, "15:04") // 23:55, today
	if h := restart(); !h.Contains(locked) {
		t.Fatalf("after a restart the PIN page is not locked (want %q):\n%s", locked, h.Text())
	}
	x.clk.Add(tech.Lockout)
	h := restart()
	if !h.HasAction("tech-ok") || h.Contains(locked) {
		t.Fatalf("after the lockout and a restart, no PIN page free of it:\n%s", h.Text())
	}
	lockOut(h, tech.LockoutFor(2), "02.01 15:04") // 00:25 tomorrow
}

// TestTechnicianLeaves covers the ways out of technician mode other than
// the exit button, and what reaches the journey meanwhile.
func TestTechnicianLeaves(t *testing.T) {
	tests := map[string]struct {
		leave func(x *hall)
	}{
		"Escape on the PIN page": {func(x *hall) { x.h.Key(tcell.KeyEscape) }},
		"idle on the PIN page": {func(x *hall) {
			x.clk.Add(tech.IdleTimeout)
			x.k.Tick()
			x.h.Settle()
		}},
		"idle on the status page": {func(x *hall) {
			x.typePIN(demo.DemoPIN)
			x.until("the status page", func() bool { return x.h.HasAction("tech-print") })
			x.clk.Add(tech.IdleTimeout - time.Second)
			x.k.Tick()
			x.h.Settle()
			if !x.h.HasAction("tech-print") {
				x.t.Fatalf("technician mode closed before its idle timeout:\n%s", x.h.Text())
			}
			x.clk.Add(time.Second)
			x.k.Tick()
			x.h.Settle()
		}},
		"F12 on the status page": {func(x *hall) {
			x.typePIN(demo.DemoPIN)
			x.until("the status page", func() bool { return x.h.HasAction("tech-print") })
			x.h.Key(tcell.KeyF12)
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			x := newHall(t)
			x.scannerReady()
			x.h.Key(tcell.KeyF12)
			if !x.h.HasAction("tech-ok") {
				t.Fatalf("F12 did not open the PIN page:\n%s", x.h.Text())
			}
			tc.leave(x)
			if !x.h.Contains(x.cat.Text(i18n.Kazakh, "lang.choose")) || x.h.HasAction("tech-ok") {
				t.Errorf("not back on the welcome screen:\n%s", x.h.Text())
			}
		})
	}
}

// TestTechnicianOff: with no PIN hash, F12 does nothing.
func TestTechnicianOff(t *testing.T) {
	ctx := context.Background()
	d := demotest.Demo(t)
	d.Config.Technician.PINHash = ""
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	sim := uitest.NewScreen()
	opts := d.Options()
	opts.Screen, opts.Catalog, opts.TickInterval = sim, cat, -1
	k, err := kiosk.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := uitest.New(t, sim, k.App(), 100, 40)
	k.Start(ctx)
	h.Settle()
	h.Key(tcell.KeyF12)
	if h.HasAction("tech-ok") || !h.Contains(cat.Text(i18n.Kazakh, "lang.choose")) {
		t.Errorf("F12 opened technician mode with no pin_hash:\n%s", h.Text())
	}

	// A hash that does not parse stops the kiosk at start, as any other
	// mistake in the configuration does.
	d.Config.Technician.PINHash = "1234"
	if _, err := kiosk.New(opts); err == nil || !strings.Contains(err.Error(), "pin_hash") {
		t.Errorf("kiosk.New(pin_hash = %q) error = %v, want one naming pin_hash", "1234", err)
	}
}

// writePNG keeps a picture of the screen when KIOSK_SCREENS names a folder.
func writePNG(t *testing.T, h *uitest.Harness, name string) {
	dir := os.Getenv("KIOSK_SCREENS")
	if dir == "" {
		return
	}
	if err := h.WritePNG(filepath.Join(dir, name+".png")); err != nil {
		t.Error(err)
	}
}
