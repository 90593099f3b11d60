package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// Dialect is what differs between the databases.
type Dialect struct {
	// Name is "sqlite" or "postgres", for errors.
	Name string
	// Dollar rebinds '?' placeholders to $1, $2, … (PostgreSQL).
	Dollar bool
	// Blob is the column type for bytes: "BLOB" or "BYTEA".
	Blob string
	// Transient reports errors worth running a transaction again for:
	// deadlocks, serialization failures, unique violations raced in by
	// another process. nil means none are.
	Transient func(error) bool
	// Lock, when set, runs first in the schema transaction so that several
	// processes starting at once do not race (PostgreSQL's advisory lock).
	Lock string
}

// Options configure a Store.
type Options struct {
	// Write runs the writer's transactions; Read serves Get. They may be
	// the same pool. For SQLite, Write should hold a single connection.
	Write, Read *sql.DB
	Dialect     Dialect
	// MaxBatch bounds the writes committed together; 0 means 256.
	MaxBatch int
	// Logger reports batch failures (no personal data); nil discards.
	Logger *slog.Logger
}

// Store implements central.Store on database/sql.
type Store struct {
	w, r     *sql.DB
	d        Dialect
	maxBatch int
	log      *slog.Logger

	ops       chan *op
	closing   chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

var _ central.Store = (*Store)(nil)

type op struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	done chan error
	// eventBranch, when set, is the branch whose event lock the op's
	// transaction takes before any other write (see lockEvents).
	eventBranch string
}

// New creates the tables when missing and starts the writer.
func New(ctx context.Context, opts Options) (*Store, error) {
	s := &Store{
		w: opts.Write, r: opts.Read, d: opts.Dialect, maxBatch: opts.MaxBatch, log: opts.Logger,
		ops: make(chan *op, 1024), closing: make(chan struct{}), done: make(chan struct{}),
	}
	if s.r == nil {
		s.r = s.w
	}
	if s.maxBatch <= 0 {
		s.maxBatch = 256
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.d.Transient == nil {
		s.d.Transient = func(error) bool { return false }
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	go s.writer()
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: schema: %w", s.d.Name, err)
	}
	defer tx.Rollback()
	if s.d.Lock != "" {
		if _, err := tx.ExecContext(ctx, s.d.Lock); err != nil {
			return fmt.Errorf("%s: schema lock: %w", s.d.Name, err)
		}
	}
	for _, q := range slices.Concat(schema(s.d.Blob), authSchema(s.d.Blob), userSchema(s.d.Blob), outcomeSchema(s.d.Blob), deskSchema(s.d.Blob), branchEventSchema(s.d), auditSchema(s.d.Blob), queueIndexSchema(), enrolSchema(s.d.Blob)) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: schema: %w", s.d.Name, err)
		}
	}
	if err := s.checkCodes(ctx, tx); err != nil {
		return err
	}
	if err := s.markBodyHashes(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: schema: %w", s.d.Name, err)
	}
	return nil
}

func schema(blob string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS tickets (
			id TEXT PRIMARY KEY,
			branch TEXT NOT NULL, kiosk TEXT NOT NULL, service TEXT NOT NULL, lane TEXT NOT NULL,
			day TEXT NOT NULL, number TEXT NOT NULL, state TEXT NOT NULL,
			issued_at BIGINT NOT NULL, offline INTEGER NOT NULL, printed INTEGER NOT NULL DEFAULT 0,
			win TEXT NOT NULL DEFAULT '', called_at BIGINT NOT NULL DEFAULT 0, slot_at BIGINT NOT NULL DEFAULT 0,
			people_ahead INTEGER NOT NULL DEFAULT 0, body_hash ` + blob + `, payload ` + blob + `,
			UNIQUE (branch, day, number))`,
		`CREATE INDEX IF NOT EXISTS tickets_queue ON tickets (branch, day, state, lane, issued_at)`,
		`CREATE TABLE IF NOT EXISTS counters (
			branch TEXT NOT NULL, service TEXT NOT NULL, lane TEXT NOT NULL, day TEXT NOT NULL,
			next INTEGER NOT NULL, PRIMARY KEY (branch, service, lane, day))`,
		`CREATE TABLE IF NOT EXISTS days (
			branch TEXT NOT NULL, day TEXT NOT NULL, waiting INTEGER NOT NULL, streak INTEGER NOT NULL,
			PRIMARY KEY (branch, day))`,
		`CREATE TABLE IF NOT EXISTS lends (
			kiosk TEXT NOT NULL, branch TEXT NOT NULL, service TEXT NOT NULL, day TEXT NOT NULL,
			first INTEGER NOT NULL, last INTEGER NOT NULL, at BIGINT NOT NULL,
			PRIMARY KEY (kiosk, day, first))`,
		// code is the hex of the booking code's keyed hash, never the code.
		`CREATE TABLE IF NOT EXISTS bookings (
			code TEXT PRIMARY KEY, branch TEXT NOT NULL, service TEXT NOT NULL, day TEXT NOT NULL,
			slot_at BIGINT NOT NULL, doc_mac ` + blob + `, ticket TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX IF NOT EXISTS bookings_doc ON bookings (doc_mac, branch, day)`,
		`CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS heartbeats (kiosk TEXT PRIMARY KEY, at BIGINT NOT NULL, body TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS events (
			kiosk TEXT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL, session TEXT NOT NULL, body TEXT NOT NULL)`,
		// held: why an offline ticket in state held is not queued, with the
		// kiosk's claimed time and clock (JSON, "" for none) as evidence.
		`CREATE TABLE IF NOT EXISTS held (
			id TEXT PRIMARY KEY, branch TEXT NOT NULL, reason TEXT NOT NULL,
			claimed BIGINT NOT NULL, clock TEXT NOT NULL, at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS held_branch ON held (branch, at)`,
		// outbox_empty: the latest time each kiosk's outbox was proven empty.
		`CREATE TABLE IF NOT EXISTS outbox_empty (kiosk TEXT PRIMARY KEY, at BIGINT NOT NULL)`,
	}
}

// Close stops the writer after the writes already queued, then closes the
// databases.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	<-s.done
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// write queues fn for the writer and waits for its batch to commit, or
// for the writer to skip it because ctx ended first.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeOp(&op{ctx: ctx, fn: fn, done: make(chan error, 1)})
}

func (s *Store) writeOp(o *op) error {
	ctx := o.ctx
	select {
	case <-s.closing:
		return central.ErrClosed
	default:
	}
	select {
	case s.ops <- o:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closing:
		return central.ErrClosed
	}
	// Once queued, wait for the writer's answer even when ctx ends: fn may
	// be running, writing to its caller's variables, and only the answer
	// says it is done with them (a caller that read them at ctx.Done raced
	// the writer). The wait is short: the writer checks ctx before it runs
	// an op and answers a cancelled one at once. An op the writer never
	// took, because it stopped, never ran.
	select {
	case err := <-o.done:
		return err
	case <-s.done:
		select {
		case err := <-o.done:
			return err
		default:
			return central.ErrClosed
		}
	}
}

func (s *Store) writer() {
	defer close(s.done)
	for {
		var batch []*op
		select {
		case o := <-s.ops:
			batch = append(batch, o)
		case <-s.closing:
			for {
				select {
				case o := <-s.ops:
					s.run([]*op{o})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < s.maxBatch {
			select {
			case o := <-s.ops:
				batch = append(batch, o)
			default:
				break fill
			}
		}
		s.run(batch)
	}
}

// run commits a batch, or each of its writes alone when the batch fails.
func (s *Store) run(batch []*op) {
	live := batch[:0]
	for _, o := range batch {
		if err := o.ctx.Err(); err != nil {
			o.done <- err
			continue
		}
		live = append(live, o)
	}
	if len(live) == 0 {
		return
	}
	if len(live) > 1 {
		errs, err := s.tx(live)
		if err == nil {
			for i, o := range live {
				o.done <- errs[i]
			}
			return
		}
		s.log.Warn("batch failed; writing one by one", "store", s.d.Name, "writes", len(live), "err", err)
	}
	for _, o := range live {
		var errs []error
		var err error
		for attempt := 0; attempt < 5; attempt++ {
			if errs, err = s.tx([]*op{o}); err == nil || !s.d.Transient(err) {
				break
			}
		}
		if err != nil {
			o.done <- err
		} else {
			o.done <- errs[0]
		}
	}
}

// tx runs ops in one transaction. errs holds each op's domain error; err is
// set when the transaction as a whole failed and nothing was written.
func (s *Store) tx(ops []*op) (errs []error, err error) {
	// The writes run on a background context: a visitor's request that is
	// cancelled must not abort the neighbours' batch.
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: begin: %w", s.d.Name, err)
	}
	if err := s.lockEvents(ctx, tx, ops); err != nil {
		tx.Rollback()
		return nil, err
	}
	errs = make([]error, len(ops))
	for i, o := range ops {
		e := o.fn(tx)
		if e != nil && !central.IsDomain(e) {
			tx.Rollback()
			return nil, e
		}
		errs[i] = e
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s: commit: %w", s.d.Name, err)
	}
	return errs, nil
}

// q rebinds a query for the dialect.
func (s *Store) q(query string) string {
	if !s.d.Dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

const cols = `id, branch, kiosk, service, lane, day, number, state, issued_at, offline, printed, win, called_at, slot_at, people_ahead, body_hash, payload`

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func (s *Store) get(ctx context.Context, db querier, id string) (central.Record, error) {
	var r central.Record
	var issued, called, slot int64
	var offline int
	err := db.QueryRowContext(ctx, s.q(`SELECT `+cols+` FROM tickets WHERE id = ?`), id).Scan(
		&r.ID, &r.Branch, &r.Kiosk, &r.Service, &r.Lane, &r.Day, &r.Number, &r.State,
		&issued, &offline, &r.Printed, &r.Window, &called, &slot, &r.PeopleAhead, &r.BodyHash, &r.Payload)
	if errors.Is(err, sql.ErrNoRows) {
		return central.Record{}, fmt.Errorf("%s: ticket: %w", s.d.Name, central.ErrNotFound)
	}
	if err != nil {
		return central.Record{}, fmt.Errorf("%s: ticket: %w", s.d.Name, err)
	}
	r.IssuedAt, r.CalledAt, r.SlotAt, r.Offline = fromNanos(issued), fromNanos(called), fromNanos(slot), offline != 0
	return r, nil
}

// Get returns a ticket.
func (s *Store) Get(ctx context.Context, id string) (central.Record, error) {
	return s.get(ctx, s.r, id)
}

// exists runs a query that selects at most one row and reports whether it did.
func (s *Store) exists(ctx context.Context, db querier, query string, args ...any) (bool, error) {
	var one int
	err := db.QueryRowContext(ctx, s.q(query), args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", s.d.Name, err)
	}
	return true, nil
}

// next advances a counter by n and returns its new value.
func (s *Store) next(ctx context.Context, db querier, branch, service string, lane, day string, n int) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, s.q(`INSERT INTO counters (branch, service, lane, day, next) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (branch, service, lane, day) DO UPDATE SET next = counters.next + excluded.next RETURNING next`),
		branch, service, lane, day, n).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("%s: counter: %w", s.d.Name, err)
	}
	return v, nil
}

// waiting adds delta to a branch day's waiting count and returns the count
// before the change.
func (s *Store) waiting(ctx context.Context, db querier, branch, day string, delta int) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, s.q(`INSERT INTO days (branch, day, waiting, streak) VALUES (?, ?, ?, 0)
		ON CONFLICT (branch, day) DO UPDATE SET waiting = CASE WHEN days.waiting + excluded.waiting < 0 THEN 0 ELSE days.waiting + excluded.waiting END
		RETURNING waiting`), branch, day, delta).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("%s: waiting count: %w", s.d.Name, err)
	}
	return max(v-delta, 0), nil
}

func (s *Store) insert(ctx context.Context, db querier, r central.Record) error {
	offline := 0
	if r.Offline {
		offline = 1
	}
	_, err := db.ExecContext(ctx, s.q(`INSERT INTO tickets (`+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, r.Branch, r.Kiosk, r.Service, r.Lane, r.Day, r.Number, r.State,
		nanos(r.IssuedAt), offline, r.Printed, r.Window, nanos(r.CalledAt), nanos(r.SlotAt), r.PeopleAhead, r.BodyHash, r.Payload)
	if err != nil {
		return fmt.Errorf("%s: insert ticket: %w", s.d.Name, err)
	}
	return nil
}
