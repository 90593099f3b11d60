// Package demotest runs the whole demo kiosk in a test: the embedded
// backend, the pty scanner and the ticket-folder printer of package demo,
// the real runner, on tcell's simulation screen with a settable clock. It
// is apart from package demo so the kiosk binary never links "testing".
package demotest

import (
	"context"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

// Setup changes a hall before it opens. The zero value is the plain demo.
type Setup struct {
	// Config changes the demo's configuration (from config.Default).
	Config func(c *config.Config)
	// Options changes the kiosk's parts once the demo has made them.
	Options func(t testing.TB, d *demo.Demo, o *kiosk.Options)
	// Start is the clock's first reading; zero: now.
	Start time.Time
	// Width and Height are the screen in cells; zero: 100×40.
	Width, Height int
	// Screen is the simulation screen; nil: a new one. A benchmark passes
	// one that notes when it is drawn.
	Screen tcell.SimulationScreen
}

// Hall is one demo kiosk under test.
type Hall struct {
	D     *demo.Demo
	K     *kiosk.Kiosk
	H     *uitest.Harness
	Clock *uitest.Clock
	Cat   *i18n.Catalog
}

// Start opens a hall; it closes when the test ends. The journey's timers
// run only when the test calls K.Tick.
func Start(t testing.TB, s Setup) *Hall {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config.Default()
	if s.Config != nil {
		s.Config(cfg)
	}
	d, err := demo.Start(ctx, t.TempDir(), cfg, nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); d.Close() })
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	if s.Start.IsZero() {
		s.Start = time.Now()
	}
	clk := uitest.NewClock(s.Start)
	sim := s.Screen
	if sim == nil {
		sim = uitest.NewScreen()
	}
	opts := d.Options()
	opts.Screen, opts.Catalog, opts.Now, opts.TickInterval = sim, cat, clk.Now, -1
	if s.Options != nil {
		s.Options(t, d, &opts)
	}
	k, err := kiosk.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width == 0 {
		s.Width, s.Height = 100, 40
	}
	h := uitest.New(t, sim, k.App(), s.Width, s.Height)
	k.Start(ctx)
	h.Settle()
	return &Hall{D: d, K: k, H: h, Clock: clk, Cat: cat}
}

// Demo starts the demo's parts without a screen (the backend on loopback,
// the outbox, the simulated devices) in a folder of the test's own, for
// tests of what a technician or the service manager sees; they stop with
// the test.
func Demo(t testing.TB) *demo.Demo {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d, err := demo.Start(ctx, t.TempDir(), nil, nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(); cancel() })
	return d
}
