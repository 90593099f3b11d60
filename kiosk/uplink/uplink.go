package uplink

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
)

// Options configure an Uplink.
type Options struct {
	Client ClientOptions
	// OutboxPath is the outbox file; OutboxKey its 32-byte key (LoadKey).
	OutboxPath string
	OutboxKey  []byte
	// KeyFileMoved is the unusable key file RenewKey moved aside at this
	// start, "" when none was; Open counts it in the quarantine.
	KeyFileMoved string
	// KioskID and BranchID fill in applications that leave them empty.
	KioskID, BranchID string
	// Service is the queue the kiosk issues for; "" means "iin".
	Service string
	// Zone is the branch's time zone: offline numbers restart at its
	// midnight, as the server's do. nil means UTC.
	Zone *time.Location
	// QueueDay is the day ("2006-01-02") a ticket printed at t counts for
	// by the branch's opening hours (QueueDayFunc): the kiosk's offline
	// numbers, lent or its own, are that day's, as the backend files the
	// ticket. nil means the calendar day in Zone, right only for a branch
	// open round the clock.
	QueueDay func(t time.Time) string
	// SubmitWait is how long Submit tries the backend before it prints an
	// offline ticket; 0 means 4 s. A visitor should not wait longer.
	SubmitWait time.Duration
	// SyncInterval is how often Run retries the outbox; 0 means 5 s.
	SyncInterval time.Duration
	// RejectedRetry is how often printed tickets refused for the kiosk's
	// identity (401, 403, 404, 408) are sent again; 0 means 10 min. They
	// are also sent at the first Sync after Open.
	RejectedRetry time.Duration
	// LendSize is how many numbers Run keeps lent for offline use; 0 means
	// 20, negative disables lending (offline tickets then use the kiosk's
	// own range).
	LendSize int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger gets delivery and offline events with masked ids; nil discards.
	Logger *slog.Logger
}

// KeyFile is the outbox key's file: backend.outbox_key_file, or
// <state_dir>/outbox.key when that is empty.
func KeyFile(b config.Backend, k config.Kiosk) string {
	if b.OutboxKeyFile != "" {
		return b.OutboxKeyFile
	}
	return filepath.Join(k.StateDir, "outbox.key")
}

// OutboxFile is where the kiosk keeps its outbox: <state_dir>/outbox.db.
func OutboxFile(k config.Kiosk) string { return filepath.Join(k.StateDir, "outbox.db") }

// FromConfig turns the kiosk's configuration into Options, loading the TLS
// files, the token and the outbox key.
func FromConfig(b config.Backend, k config.Kiosk) (Options, error) {
	co, err := ClientFromConfig(b)
	if err != nil {
		return Options{}, err
	}
	o := Options{
		Client:  co,
		KioskID: k.ID, BranchID: k.Branch,
		OutboxPath: OutboxFile(k),
	}
	if k.TimeZone != "" {
		loc, err := zone.Load(k.TimeZone)
		if err != nil {
			return Options{}, fmt.Errorf("uplink: kiosk time_zone %q: %w", k.TimeZone, err)
		}
		o.Zone = loc
	}
	o.SubmitWait, o.SyncInterval = b.SubmitWait.D(), b.SyncInterval.D()
	// In config 0 lent numbers means none; here 0 means the default.
	o.LendSize = b.LendSize
	if o.LendSize == 0 {
		o.LendSize = -1
	}
	key, err := LoadKey(KeyFile(b, k), false)
	if err != nil {
		return Options{}, err
	}
	o.OutboxKey = key
	return o, nil
}

// Uplink is what the kiosk calls to submit an application: it makes the
// application durable, gets the ticket from the backend, or prints an
// offline ticket when the backend cannot be reached, and delivers whatever
// is left in the background (Run).
type Uplink struct {
	*Client
	out  *Outbox
	o    Options
	now  func() time.Time
	log  *slog.Logger
	kick chan struct{}

	mu   sync.Mutex
	busy map[string]bool // entries a Submit is still deciding on
	// orphans are entries found at Open without a number: the kiosk died
	// before it printed, so their tickets are reported unprinted.
	orphans map[string]bool
	// retryAt is when refused entries are next retried (retryRejected).
	retryAt time.Time
	// failed are the entries whose last delivery failed on their own,
	// in the order they failed: the next pass sends them last (pass.go).
	failed   map[string]int
	failures int
}

// Receipt is what Submit gives the kiosk to print.
type Receipt struct {
	Ticket api.Ticket
	// Offline is true when the ticket was made without the backend; the
	// application is in the outbox and Run will deliver it. For a booked
	// visit (CheckInID) the number may be empty: the check-in's stands.
	Offline bool
}

// Open opens the outbox and the client. Nothing in the outbox stops it: a
// file that is not a sound database is moved aside and a new one made, and
// rows that do not open are quarantined ([Outbox.Sweep]); Counts reports
// both.
func Open(ctx context.Context, o Options) (*Uplink, error) {
	if o.Client.Now == nil {
		o.Client.Now = o.Now
	}
	c, err := NewClient(o.Client)
	if err != nil {
		return nil, err
	}
	u := &Uplink{Client: c, o: o, now: o.Now, log: o.Logger, kick: make(chan struct{}, 1),
		busy: map[string]bool{}, orphans: map[string]bool{}, failed: map[string]int{}}
	if u.now == nil {
		u.now = time.Now
	}
	if u.log == nil {
		u.log = slog.New(slog.DiscardHandler)
	}
	out, err := u.openOutbox(ctx)
	if err != nil {
		return nil, err
	}
	u.out = out
	if u.o.Service == "" {
		u.o.Service = "iin"
	}
	if u.o.Zone == nil {
		u.o.Zone = time.UTC
	}
	if u.o.SubmitWait <= 0 {
		u.o.SubmitWait = 4 * time.Second
	}
	if u.o.SyncInterval <= 0 {
		u.o.SyncInterval = 5 * time.Second
	}
	if u.o.RejectedRetry <= 0 {
		u.o.RejectedRetry = 10 * time.Minute
	}
	if u.o.LendSize == 0 {
		u.o.LendSize = 20
	}
	return u, nil
}

// Close closes the outbox and the connections.
func (u *Uplink) Close() error {
	u.Client.Close()
	return u.out.Close()
}

// Depth is the number of applications waiting for delivery. Counts has it
// with the refused and the quarantined ones, for the heartbeat and the
// technician.
func (u *Uplink) Depth(ctx context.Context) (int, error) { return u.out.Depth(ctx) }

// day is the queue day of a ticket printed at t (Options.QueueDay).
func (u *Uplink) day(t time.Time) string {
	if u.o.QueueDay != nil {
		return u.o.QueueDay(t)
	}
	return t.In(u.o.Zone).Format(time.DateOnly)
}

// Submit makes the application durable, then asks the backend for the
// ticket for up to SubmitWait; if no answer comes, it gives an offline
// ticket instead. Either way, when Submit returns without error, the
// application is safe and the ticket may be printed. Empty ID, KioskID,
// BranchID, Service and CreatedAt are filled in.
//
// Errors: *RejectedError when the backend refused the application (no
// ticket: the entry is wiped, the visitor is told), except for a refusal
// of the kiosk rather than the application (Retryable), which is handled
// as no answer; ErrNoOfflinePrefix when
// no offline number can be made (the entry is delivered later, reported not
// printed); other errors when the outbox failed. With an error nothing may
// be printed.
func (u *Uplink) Submit(ctx context.Context, a api.Application) (Receipt, error) {
	if a.ID == "" {
		a.ID = api.NewID()
	}
	if a.KioskID == "" {
		a.KioskID = u.o.KioskID
	}
	if a.BranchID == "" {
		a.BranchID = u.o.BranchID
	}
	if a.Service == "" {
		a.Service = u.o.Service
	}
	if a.Lane == "" {
		a.Lane = api.LaneOrdinary
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = u.now()
	}
	a.Offline = nil
	u.mu.Lock()
	u.busy[a.ID] = true
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		delete(u.busy, a.ID)
		u.mu.Unlock()
	}()
	if err := u.out.Put(ctx, a, u.now()); err != nil {
		return Receipt{}, err
	}
	wctx, cancel := context.WithTimeout(ctx, u.o.SubmitWait)
	t, err := u.Client.Submit(wctx, a)
	cancel()
	switch {
	case err == nil:
		if err := u.out.Delete(ctx, a.ID); err != nil {
			u.log.Warn("acknowledged but not wiped; will resend", "id", api.MaskID(a.ID), "err", err)
		}
		return Receipt{Ticket: t}, nil
	case errors.Is(err, ErrRejected) && !Retryable(rejectReason(err)):
		// Nothing was printed and the visitor is told on screen.
		u.log.Warn("application rejected", "id", api.MaskID(a.ID), "reason", rejectReason(err))
		if rerr := u.out.Delete(ctx, a.ID); rerr != nil {
			return Receipt{}, errors.Join(err, rerr)
		}
		return Receipt{}, err
	}
	// No answer, or a refusal of the kiosk rather than the application
	// (Retryable: a revoked token, a proxy being upgraded): the visitor is
	// not to blame, so the ticket is printed offline and the entry waits
	// until the kiosk is fixed. The log keeps the status and the code,
	// never the server's message.
	if errors.Is(err, ErrRejected) {
		err = fmt.Errorf("%w: refused for the kiosk: %s", ErrUnreachable, rejectReason(err))
	}
	now := u.now()
	off, err2 := u.out.TakeOffline(ctx, a.ID, u.day(now), a.Service, a.Lane, now, u.Client.clock.at(now))
	switch {
	case errors.Is(err2, ErrNoOfflinePrefix) && a.CheckInID != "":
		// A booked visit needs no number of its own: the check-in's is
		// queued already and is the one the kiosk prints.
		off, err2 = api.OfflineTicket{IssuedAt: now}, nil
	case err2 != nil:
		// Nothing is printed (no number can be made, or the outbox did
		// not keep it): once delivered, the application is reported not
		// printed, as for a kiosk that died before printing.
		u.mu.Lock()
		u.orphans[a.ID] = true
		u.mu.Unlock()
		u.Kick()
	}
	if err2 != nil {
		return Receipt{}, errors.Join(err, err2)
	}
	u.log.Info("offline ticket", "id", api.MaskID(a.ID), "number", off.Number, "source", string(off.Source), "cause", err)
	u.Kick()
	return Receipt{Offline: true, Ticket: api.Ticket{
		ApplicationID: a.ID, Number: off.Number, BranchID: a.BranchID, Service: a.Service, Lane: a.Lane,
		IssuedAt: off.IssuedAt.In(u.o.Zone), Offline: true,
	}}, nil
}

// Kick makes Run try the outbox now instead of at its next tick.
func (u *Uplink) Kick() {
	select {
	case u.kick <- struct{}{}:
	default:
	}
}

// Run delivers the outbox until ctx ends: at once, every SyncInterval, and
// whenever Kick is called. While the backend answers it also keeps a block
// of numbers lent for offline use. It returns ctx's error.
func (u *Uplink) Run(ctx context.Context) error {
	t := time.NewTicker(u.o.SyncInterval)
	defer t.Stop()
	for {
		if _, err := u.Sync(ctx); err != nil && ctx.Err() == nil {
			u.log.Info("outbox not delivered yet", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-u.kick:
		}
	}
}

// deliver sends one entry unless a Submit is deciding on it. The entry is
// read again under the busy mark: a snapshot taken before a Submit gave it
// an offline number would send it without, and the printed number would be
// lost.
func (u *Uplink) deliver(ctx context.Context, id string) (bool, error) {
	u.mu.Lock()
	if u.busy[id] {
		u.mu.Unlock()
		return false, nil
	}
	u.busy[id] = true
	orphan := u.orphans[id]
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		delete(u.busy, id)
		u.mu.Unlock()
	}()
	e, err := u.out.Get(ctx, id)
	var ue *UnreadableError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil // delivered meanwhile
	case errors.As(err, &ue):
		u.log.Error("outbox entry unreadable; quarantined", "id", api.MaskID(id), "reason", ue.Reason)
		return false, nil
	case err != nil:
		return false, err
	}
	if e.App.Offline != nil {
		if e.App.Offline.Clock, err = u.out.offlineClock(ctx, id); err != nil {
			return false, err
		}
	}
	actx, cancel := context.WithTimeout(ctx, u.o.SubmitWait)
	t, err := u.Client.Submit(actx, e.App)
	cancel()
	if errors.Is(err, ErrRejected) {
		return false, u.refused(ctx, e, err)
	}
	if err != nil {
		return false, err
	}
	if err := u.out.Delete(ctx, id); err != nil {
		return false, err
	}
	u.log.Info("delivered", "id", api.MaskID(id), "number", t.Number, "offline", t.Offline)
	if orphan {
		// The kiosk stopped before printing: tell the clerk's screen.
		ev := api.Event{Kind: api.EventPrintFailed, At: u.now(), Session: "recovered", ApplicationID: id, Reason: "kiosk-restart"}
		ectx, cancel := context.WithTimeout(ctx, u.o.SubmitWait)
		err := u.Client.Events(ectx, u.o.KioskID, []api.Event{ev})
		cancel()
		if err == nil {
			u.mu.Lock()
			delete(u.orphans, id)
			u.mu.Unlock()
		}
	}
	return true, nil
}

// topUp asks for lent numbers when fewer than half the block are left.
func (u *Uplink) topUp(ctx context.Context) error {
	day := u.day(u.now())
	left, err := u.out.LentLeft(ctx, day, u.o.Service)
	if err != nil || left*2 > u.o.LendSize {
		return err
	}
	c, cancel := context.WithTimeout(ctx, u.o.SubmitWait)
	defer cancel()
	b, err := u.Client.Lend(c, u.o.KioskID, api.BlockRequest{BranchID: u.o.BranchID, Service: u.o.Service, Size: u.o.LendSize - left})
	if err != nil {
		return err
	}
	if err := u.learn(ctx, b, day); err != nil {
		return err
	}
	if b.Day != day {
		return nil // the server's day differs (clock skew at midnight); try later
	}
	return u.out.AddLent(ctx, b)
}
