package kiosk

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// EnrolOptions are the first-boot enrolment page's parts.
type EnrolOptions struct {
	Catalog *i18n.Catalog
	// Languages are the page's languages, Kazakh first; nil means all.
	Languages []i18n.Lang
	// HardwareID is shown on the page (enrol.HardwareID).
	HardwareID string
	// Enrol sends a code: enrol.Enrol with the kiosk's enrolment client.
	Enrol func(ctx context.Context, code string) (*enrol.Identity, error)
	// Screen is the terminal; nil opens the real one.
	Screen tcell.Screen
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Watchdog is called from the UI's event loop every TickInterval
	// (0: one second), so a hung page stops the service manager's pings.
	Watchdog     func()
	TickInterval time.Duration
	Logger       *slog.Logger
}

// Enrolment is the page a kiosk shows on its first boot, before any
// visitor: its hardware id and a keypad for the one-time code. The logic
// is enrol.Form's, the looks screen.Enrolment's; this runs them on the
// UI's event loop and sends the code.
type Enrolment struct {
	o       EnrolOptions
	app     *ui.App
	form    *enrol.Form
	done    chan *enrol.Identity
	ctx     context.Context
	started sync.Once
}

// NewEnrolment builds the page; Run (or Start, when the caller runs the
// UI itself) shows it.
func NewEnrolment(o EnrolOptions) (*Enrolment, error) {
	if o.Catalog == nil || o.Enrol == nil || o.HardwareID == "" {
		return nil, errors.New("kiosk: enrolment: Catalog, Enrol and HardwareID are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.TickInterval == 0 {
		o.TickInterval = time.Second
	}
	e := &Enrolment{o: o, form: enrol.NewForm(o.HardwareID, o.Languages), done: make(chan *enrol.Identity, 1)}
	e.app = ui.New(ui.Options{Screen: o.Screen, Now: o.Now})
	return e, nil
}

// App is the page's UI, for a test harness that runs the event loop.
func (e *Enrolment) App() *ui.App { return e.app }

// Done delivers the identity once the kiosk is enrolled and the
// technician has gone on.
func (e *Enrolment) Done() <-chan *enrol.Identity { return e.done }

// Run shows the page until the kiosk is enrolled and the technician goes
// on, then stops the UI and returns the identity; or until ctx ends.
func (e *Enrolment) Run(ctx context.Context) (*enrol.Identity, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- e.app.Run() }()
	e.app.Do(func() {}) // the loop is running
	e.Start(ctx)
	select {
	case id := <-e.done:
		e.app.Stop()
		<-errc
		return id, nil
	case <-ctx.Done():
		e.app.Stop()
		<-errc
		return nil, ctx.Err()
	case err := <-errc:
		return nil, err
	}
}

// Start shows the page and starts the watchdog's ticks; the UI's event
// loop must already be running.
func (e *Enrolment) Start(ctx context.Context) {
	e.started.Do(func() {
		e.ctx = ctx
		e.o.Logger.Info("enrolment page shown", "hardwareId", e.o.HardwareID)
		e.app.Do(e.render)
		if e.o.Watchdog != nil && e.o.TickInterval > 0 {
			go onTicks(ctx, e.app, e.o.TickInterval, e.o.Watchdog)
		}
	})
}

// handle runs on the event loop: one input, its effects, a redraw.
func (e *Enrolment) handle(in enrol.Input) {
	for _, ef := range e.form.Handle(in) {
		switch ef := ef.(type) {
		case enrol.Send:
			go func() {
				id, err := e.o.Enrol(e.ctx, ef.Code)
				e.app.Do(func() { e.handle(enrol.Answered{Identity: id, Err: err}) })
			}()
		case enrol.Done:
			select {
			case e.done <- ef.Identity:
			default:
			}
		}
	}
	e.render()
}

func (e *Enrolment) render() {
	e.app.Show(screen.Enrolment(e.o.Catalog, e.form.View(), e.handle))
}
