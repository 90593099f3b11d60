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
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/flows/workday"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// Scanner is the MRZ scanner as the kiosk uses it (*scanner.Dev).
type Scanner interface {
	Run(ctx context.Context, emit func(scanner.Event)) error
}

// Printer is the ticket printer as the kiosk uses it (*printer.Dev).
type Printer interface {
	PrintTicket(ctx context.Context, t *printer.Ticket) error
	Run(ctx context.Context) error
	Watch(ctx context.Context) <-chan printer.State
	State() printer.State
}

// Uplink is the link to the central backend (*uplink.Uplink).
type Uplink interface {
	Submit(ctx context.Context, a api.Application) (uplink.Receipt, error)
	CheckIn(ctx context.Context, ci api.CheckIn) (api.Ticket, error)
	Events(ctx context.Context, kiosk string, ev []api.Event) error
	Heartbeat(ctx context.Context, kiosk string, hb api.Heartbeat) error
	Depth(ctx context.Context) (int, error)
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
	// Technician opens technician mode; nil disables the hidden key.
	Technician func()
	// Quit ends the program from a hidden key (F10); set only in the demo,
	// never on a visitor's kiosk.
	Quit func()
	// Version is reported in heartbeats.
	Version string
	Logger  *slog.Logger
}

// Kiosk is the running kiosk.
type Kiosk struct {
	opts    Options
	log     *slog.Logger
	app     *ui.App
	j       *journey.Journey
	b       *screen.Builder
	paused  bool // technician mode has the screen
	status  screen.Status
	visit   visit
	ctx     context.Context
	started sync.Once
}

// visit is the runner's own memory of the current visitor; a reset drops it.
type visit struct {
	session string // random id grouping the statistics events
	appID   string // the application's idempotency key, once submitted
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
	loc, err := time.LoadLocation(cfg.Kiosk.TimeZone)
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
	k := &Kiosk{opts: opts, log: log, j: j}
	k.app = ui.New(ui.Options{Screen: opts.Screen, Now: opts.Now,
		OnActivity: func() { k.handle(journey.Touch{}) }})
	k.b = &screen.Builder{Cat: opts.Catalog, Send: k.handle, Refresh: k.render,
		Scan: opts.ScanSample, Technician: opts.Technician, Quit: opts.Quit, Booking: cfg.Flow.BookingEnabled}
	k.status.Samples = opts.Samples
	if opts.Scanner == nil {
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
func (k *Kiosk) handle(in journey.Input) {
	if k.paused {
		return
	}
	before := k.j.State()
	effects := k.j.Handle(in)
	k.record(before, in)
	for _, e := range effects {
		k.effect(e)
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
	t := time.NewTicker(k.opts.TickInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			k.app.Do(func() {
				if k.opts.Watchdog != nil {
					k.opts.Watchdog()
				}
				k.handle(journey.Tick{})
			})
		}
	}
}

func (k *Kiosk) scannerEvent(ev scanner.Event) {
	switch ev.Kind {
	case scanner.EventState:
		k.log.Info("scanner", "state", ev.State.String())
		k.post(journey.ScannerStatus{Available: ev.State == scanner.StateConnected})
	case scanner.EventDocument:
		k.post(journey.Scanned{Doc: ev.Doc})
	case scanner.EventUnreadable:
		k.log.Info("scan unreadable", "err", ev.Err)
		k.post(journey.Scanned{})
	}
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
