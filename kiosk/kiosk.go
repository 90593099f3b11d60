package kiosk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/flows/workday"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// Scanner is the MRZ scanner as the kiosk uses it (*scanner.Dev).
type Scanner interface {
	Run(ctx context.Context, emit func(scanner.Event)) error
}

// Printer is the ticket printer as the kiosk uses it (*printer.Dev).
// Status and PrintTestPage serve technician mode.
type Printer interface {
	PrintTicket(ctx context.Context, t *printer.Ticket) error
	PrintTestPage(ctx context.Context) error
	Run(ctx context.Context) error
	Watch(ctx context.Context) <-chan printer.State
	State() printer.State
	Status(ctx context.Context) (printer.State, error)
}

// Uplink is the link to the central backend (*uplink.Uplink).
type Uplink interface {
	Submit(ctx context.Context, a api.Application) (uplink.Receipt, error)
	CheckIn(ctx context.Context, ci api.CheckIn) (api.Ticket, error)
	Events(ctx context.Context, kiosk string, ev []api.Event) error
	Heartbeat(ctx context.Context, kiosk string, hb api.Heartbeat) error
	// Counts is the outbox: waiting, refused and set aside.
	Counts(ctx context.Context) (uplink.Counts, error)
	Run(ctx context.Context) error
}

// Options are the kiosk's parts. Scanner and Printer may be nil when not
// fitted; the screens then say so.
type Options struct {
	Config  *config.Config
	Catalog *i18n.Catalog
	// Screen is the terminal; nil opens the real one.
	Screen  tcell.Screen
	Scanner Scanner
	Printer Printer
	Uplink  Uplink
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TickInterval is how often the journey's timers are checked; 0 means
	// one second, negative means never (tests call Tick).
	TickInterval time.Duration
	// Watchdog is called from the UI's event loop on every tick, so a hung
	// loop stops the pings and the service manager restarts the kiosk.
	Watchdog func()
	// Samples and ScanSample give the demo its sample passports.
	Samples    []screen.Sample
	ScanSample func(id string)
	// BookingCodes are the demo's booked visits for today, shown on the
	// booking-code page.
	BookingCodes []string
	// Console names the demo backend's clerk console on the ticket page.
	Console *screen.Console
	// ConfigPath names the configuration file for the technician's status
	// page; "" means the built-in defaults. Technician mode itself is on
	// when Config.Technician.PINHash is set (F12, then the PIN).
	ConfigPath string
	// Quit ends the program from a hidden key (F10); set only in the demo,
	// never on a visitor's kiosk.
	Quit func()
	// Version is reported in heartbeats.
	Version string
	// UpdateState, when set, gives the A/B update state for each
	// heartbeat (kiosk/slots.Status on the image); nil leaves it out.
	UpdateState func() *api.UpdateState
	Logger      *slog.Logger
}

// Kiosk is the running kiosk.
type Kiosk struct {
	opts    Options
	log     *slog.Logger
	loc     *time.Location
	app     *ui.App
	j       *journey.Journey
	b       *screen.Builder
	paused  bool          // technician mode has the screen
	lock    *tech.Lock    // nil: technician mode off
	tech    *tech.Session // while paused
	scan    scanState
	status  screen.Status
	visit   visit
	ctx     context.Context
	started sync.Once
}

// scanState is the scanner's state as its last state event gave it, for
// technician mode's check: the running driver holds the port, so the
// check reads this instead of opening it.
type scanState struct {
	mu    sync.Mutex
	state scanner.State
	err   error
}

// visit is the runner's own memory of the current visitor; a reset drops it.
type visit struct {
	session string // random id grouping the statistics events
	// appID is the application's idempotency key once submitted, and the
	// ticket's id once the backend answers (for a booked visit, the
	// check-in's): the QR and the print events name it.
	appID   string
	booking *api.Ticket
}

// New builds a kiosk from its parts; Run (or Start, when the caller runs the
// UI itself) sets it going.
func New(opts Options) (*Kiosk, error) {
	if opts.Config == nil || opts.Catalog == nil || opts.Uplink == nil {
		return nil, errors.New("kiosk: Config, Catalog and Uplink are required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TickInterval == 0 {
		opts.TickInterval = time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg := opts.Config
	loc, err := zone.Load(cfg.Kiosk.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("kiosk: time zone %q: %w", cfg.Kiosk.TimeZone, err)
	}
	calData, err := config.KazakhstanCalendar()
	if err != nil {
		return nil, fmt.Errorf("kiosk: calendar: %w", err)
	}
	cal, err := workday.New(calData)
	if err != nil {
		return nil, fmt.Errorf("kiosk: calendar: %w", err)
	}
	checker, err := precheck.New(cfg.Flow, cal, loc)
	if err != nil {
		return nil, fmt.Errorf("kiosk: precheck: %w", err)
	}
	var langs []i18n.Lang
	for _, l := range cfg.Kiosk.Languages {
		lang, err := i18n.ParseLang(l)
		if err != nil {
			return nil, fmt.Errorf("kiosk: kiosk.languages: %w", err)
		}
		langs = append(langs, lang)
	}
	j, err := journey.New(journey.Options{Flow: cfg.Flow, Languages: langs, KioskID: cfg.Kiosk.ID,
		Branch: cfg.Kiosk.Branch, Checker: checker, Clock: opts.Now, Location: loc})
	if err != nil {
		return nil, err
	}
	k := &Kiosk{opts: opts, log: log, loc: loc, j: j}
	if cfg.Technician.PINHash != "" {
		// A hash that does not parse is a configuration mistake, refused
		// at start like any other; kiosk doctor names it too.
		if k.lock, err = tech.NewLock(cfg.Technician.PINHash, tech.LockFile(cfg.Kiosk), opts.Now); err != nil {
			return nil, fmt.Errorf("kiosk: %w", err)
		}
		if err := k.lock.StateErr(); err != nil {
			log.Warn("technician mode locked: its lock file is unreadable", "err", err)
		}
	}
	uo := ui.Options{Screen: opts.Screen, Now: opts.Now, OnActivity: k.activity}
	if cfg.Technician.PINHash != "" {
		uo.Secret = func() { k.openTechnician() }
	}
	k.app = ui.New(uo)
	k.b = &screen.Builder{Cat: opts.Catalog, Send: k.handle, Refresh: k.render,
		Scan: opts.ScanSample, Quit: opts.Quit, Booking: cfg.Flow.BookingEnabled}
	if k.lock != nil {
		k.b.Technician = k.openTechnician
	}
	k.status.Samples = opts.Samples
	k.status.BookingCodes = opts.BookingCodes
	k.status.Console = opts.Console
	if opts.Scanner == nil {
		k.status.ScannerDown = true
		j.Handle(journey.ScannerStatus{Available: false})
	}
	return k, nil
}

// App is the kiosk's UI, for a test harness that runs the event loop.
func (k *Kiosk) App() *ui.App { return k.app }

// Run starts the kiosk and runs its UI until ctx ends.
func (k *Kiosk) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- k.app.Run() }()
	k.app.Do(func() {}) // the loop is running
	k.Start(ctx)
	select {
	case <-ctx.Done():
		k.app.Stop()
		<-errc
		return nil
	case err := <-errc:
		return err
	}
}

// Start shows the first screen and starts the devices, the uplink and the
// timers; the UI's event loop must already be running.
func (k *Kiosk) Start(ctx context.Context) {
	k.started.Do(func() {
		k.ctx = ctx
		k.app.Do(k.render)
		if s := k.opts.Scanner; s != nil {
			go func() {
				if err := s.Run(ctx, k.scannerEvent); err != nil {
					k.log.Error("scanner stopped", "err", err)
				}
			}()
		}
		if p := k.opts.Printer; p != nil {
			go func() {
				if err := p.Run(ctx); err != nil && ctx.Err() == nil {
					k.log.Error("printer stopped", "err", err)
				}
			}()
			go k.watchPrinter(ctx, p)
		}
		go func() {
			if err := k.opts.Uplink.Run(ctx); err != nil && ctx.Err() == nil {
				k.log.Error("uplink stopped", "err", err)
			}
		}()
		go k.heartbeats(ctx)
		if k.opts.TickInterval > 0 {
			go k.ticks(ctx)
		}
	})
}

// Tick runs the journey's timers now, as the ticker does every second.
func (k *Kiosk) Tick() { k.post(journey.Tick{}) }

// post hands an input to the journey from any goroutine but the UI's.
func (k *Kiosk) post(in journey.Input) { k.app.Do(func() { k.handle(in) }) }

// handle runs on the UI's event loop: one input, its effects, a redraw.
// While technician mode has the screen, the visitor's inputs are dropped,
// but the answers of work already under way (a submission, a print, the
// scanner's and the clock's news) still reach the journey, unseen.
func (k *Kiosk) handle(in journey.Input) {
	if k.paused {
		switch in.(type) {
		case journey.Tick:
			k.tech.Tick()
		case journey.ScannerStatus, journey.Printed, journey.Submitted, journey.SubmitFailed, journey.BookingFound:
		default:
			return
		}
	}
	before := k.j.State()
	effects := k.j.Handle(in)
	k.record(before, in)
	for _, e := range effects {
		k.effect(e)
	}
	if k.paused {
		return
	}
	if _, tick := in.(journey.Tick); tick && k.j.State() == before && before != journey.StillThere {
		return // nothing to redraw
	}
	if _, touch := in.(journey.Touch); touch && k.j.State() == before {
		return
	}
	k.render()
}

// render shows the journey's view. It runs on the event loop.
func (k *Kiosk) render() {
	if k.paused {
		return
	}
	k.app.Show(k.b.Page(k.j.View(), k.status))
}

func (k *Kiosk) ticks(ctx context.Context) {
	onTicks(ctx, k.app, k.opts.TickInterval, func() {
		if k.opts.Watchdog != nil {
			k.opts.Watchdog()
		}
		k.handle(journey.Tick{})
	})
}

// onTicks runs fn on app's event loop every interval until ctx ends, so a
// hung loop stops whatever fn does (the watchdog's pings among it).
func onTicks(ctx context.Context, app *ui.App, every time.Duration, fn func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			app.Do(fn)
		}
	}
}

func (k *Kiosk) scannerEvent(ev scanner.Event) {
	switch ev.Kind {
	case scanner.EventState:
		k.log.Info("scanner", "state", ev.State.String(), "err", ev.Err)
		k.scan.mu.Lock()
		k.scan.state, k.scan.err = ev.State, ev.Err
		k.scan.mu.Unlock()
		up := ev.State == scanner.StateConnected
		k.app.Do(func() {
			k.status.ScannerDown = !up
			k.handle(journey.ScannerStatus{Available: up})
		})
	case scanner.EventDocument, scanner.EventUnreadable:
		if ev.Kind == scanner.EventUnreadable {
			k.log.Info("scan unreadable", "err", ev.Err)
		}
		// Whether the scan is the visitor's or the technician's is decided
		// on the event loop, where paused is.
		k.app.Do(func() {
			if k.paused {
				k.tech.Scan(ev)
				return
			}
			k.handle(journey.Scanned{Doc: ev.Doc, NotICAO: notICAO(ev.Err)})
		})
	}
}

// notICAO names the document an unreadable scan was recognised as when
// its MRZ is not an ICAO one, so the visitor is told what they scanned
// rather than asked to scan it again.
func notICAO(err error) mrz.NonICAO {
	var e *mrz.Error
	if errors.As(err, &e) && errors.Is(e.Kind, mrz.ErrNotICAO) {
		return e.Document
	}
	return mrz.NotRecognised
}

func (k *Kiosk) watchPrinter(ctx context.Context, p Printer) {
	for st := range p.Watch(ctx) {
		k.log.Info("printer", "state", st.String())
		k.app.Do(func() {
			// Unknown is the state before the first status read: no news
			// yet, so no warning either.
			k.status.PaperOut = st != printer.Unknown && !st.CanPrint()
			if k.j.State() == journey.Language {
				k.render()
			}
		})
	}
}

// activity is every key and touch: it keeps the journey's idle timer, or
// the technician's, from running out.
func (k *Kiosk) activity() {
	if k.paused {
		k.tech.Touch()
		return
	}
	k.handle(journey.Touch{})
}

// openTechnician is the hidden key (F12): it ends the visitor's journey,
// pauses it, and gives the screen to a technician's session, which asks
// for the PIN first.
func (k *Kiosk) openTechnician() {
	if k.paused || k.lock == nil || k.ctx == nil {
		return
	}
	k.leaveVisitor()
	k.paused = true
	k.log.Info("technician mode opened")
	o := tech.Options{Lock: k.lock, Catalog: k.opts.Catalog, Parts: k.parts(), ConfigPath: k.opts.ConfigPath,
		Scanner: k.opts.Scanner != nil, Show: k.app.Show, Do: k.app.Do, Exit: k.closeTechnician,
		Now: k.opts.Now, Location: k.loc, Logger: k.log}
	if p := k.opts.Printer; p != nil {
		o.PrintTest = p.PrintTestPage
	}
	if k.opts.ScanSample != nil {
		o.ScanSample = k.opts.ScanSample
		for _, s := range k.opts.Samples {
			o.Samples = append(o.Samples, tech.Sample{ID: s.ID, Label: s.Label})
		}
	}
	k.tech = tech.Open(k.ctx, o)
}

// closeTechnician is the session's exit: the journey resumes on a fresh
// welcome screen.
func (k *Kiosk) closeTechnician() {
	k.tech, k.paused = nil, false
	k.log.Info("technician mode closed")
	k.leaveVisitor()
	k.render()
}

// leaveVisitor ends the visitor's journey so that no passport stays on
// screen or in memory: Cancel (twice when the first asks the visitor to
// confirm), then Done from the goodbye screen, where Cancel leads from the
// ticket. A submission under way is left to finish
// unseen; its ticket still prints.
func (k *Kiosk) leaveVisitor() {
	k.handle(journey.Cancel{})
	if k.j.View().ConfirmCancel { // the visitor's "cancel and delete?": yes
		k.handle(journey.Cancel{})
	}
	if k.j.State() == journey.Goodbye {
		k.handle(journey.Done{})
	}
}

// parts are the running kiosk's parts for the technician's checks.
func (k *Kiosk) parts() tech.Parts {
	p := tech.Parts{Config: k.opts.Config, ConfigPath: k.opts.ConfigPath, Version: k.opts.Version,
		Backend: k.opts.Uplink, Outbox: k.opts.Uplink, Now: k.opts.Now}
	if k.opts.Scanner != nil {
		p.Scanner = tech.ScannerFunc(k.scannerProbe)
	}
	if k.opts.Printer != nil {
		p.Printer = k.opts.Printer
	}
	return p
}

// scannerProbe reports the scanner as its driver last saw it: the driver
// holds the port, so the check cannot open it.
func (k *Kiosk) scannerProbe(context.Context) error {
	k.scan.mu.Lock()
	defer k.scan.mu.Unlock()
	switch {
	case k.scan.state == scanner.StateConnected:
		return nil
	case k.scan.err != nil:
		return k.scan.err
	}
	return fmt.Errorf("scanner: %s; the driver keeps retrying (check the cable and [scanner] port)", k.scan.state)
}
