package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// BranchEventKeep is how long branch events are kept: streams catch up
// minutes, a display offline overnight at most a day.
const BranchEventKeep = 48 * time.Hour

// NotifyChannelSQL selects the PostgreSQL channel branch events are
// announced on: one per schema, since LISTEN/NOTIFY channels span the
// database while the tables are the schema's. The payload is the event's
// id, a space and its branch.
const NotifyChannelSQL = `SELECT left('branch_events_' || current_schema(), 63)`

func branchEventSchema(d Dialect) []string {
	id := "id INTEGER PRIMARY KEY AUTOINCREMENT"
	if d.Name == "postgres" {
		id = "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	return []string{
		// branch_events: the changes of a branch's queue, windows and
		// kiosks, no personal data; win because window is reserved in SQL.
		`CREATE TABLE IF NOT EXISTS branch_events (
			` + id + `,
			branch TEXT NOT NULL, kind TEXT NOT NULL, number TEXT NOT NULL, win TEXT NOT NULL,
			service TEXT NOT NULL, kiosk TEXT NOT NULL, at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS branch_events_branch ON branch_events (branch, id)`,
		`CREATE INDEX IF NOT EXISTS branch_events_at ON branch_events (branch, at)`,
	}
}

// AppendBranchEvent stores e and returns its id. On PostgreSQL the
// transaction holds a lock of the branch to its commit (lockEvents), so
// that of two appends to one branch, from one process or two, the second
// takes its id after the first committed: ids then grow in commit order
// and a reader never sees id n+1 before n. It announces the event on the
// schema's channel, which PostgreSQL delivers at the commit. SQLite has
// one writer, which commits in id order by itself.
func (s *Store) AppendBranchEvent(ctx context.Context, e api.BranchEvent) (int64, error) {
	var id int64
	err := s.writeOp(&op{ctx: ctx, done: make(chan error, 1), eventBranch: e.Branch, fn: func(tx *sql.Tx) error {
		var err error
		id, err = s.appendEvent(tx, e)
		return err
	}})
	return id, err
}

// appendEvent stores e in tx, whose op has eventBranch e.Branch (so that
// on PostgreSQL the transaction holds the branch's event lock).
func (s *Store) appendEvent(tx *sql.Tx, e api.BranchEvent) (int64, error) {
	ctx := context.Background()
	keep := nanos(e.At.Add(-BranchEventKeep))
	if s.d.Name == "postgres" {
		// One statement, one round trip: the prune, the row and its
		// notice. The writer's transaction holds the branch's event lock
		// meanwhile, and the other servers wait for it.
		var id int64
		var notified sql.NullString
		err := tx.QueryRowContext(ctx, `WITH pruned AS (DELETE FROM branch_events WHERE branch = $1 AND at < $8),
			added AS (INSERT INTO branch_events (branch, kind, number, win, service, kiosk, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)
			SELECT id, pg_notify((`+NotifyChannelSQL+`), id::text || ' ' || $1)::text FROM added`,
			e.Branch, string(e.Kind), e.Number, e.Window, e.Service, e.Kiosk, nanos(e.At), keep).Scan(&id, &notified)
		if err != nil {
			return 0, fmt.Errorf("%s: branch event: %w", s.d.Name, err)
		}
		return id, nil
	}
	// Pruned per branch: the rows are then the branch's, which only
	// the holder of the branch's lock touches.
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM branch_events WHERE branch = ? AND at < ?`), e.Branch, keep); err != nil {
		return 0, fmt.Errorf("%s: branch event: prune: %w", s.d.Name, err)
	}
	var id int64
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO branch_events (branch, kind, number, win, service, kiosk, at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		e.Branch, string(e.Kind), e.Number, e.Window, e.Service, e.Kiosk, nanos(e.At)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("%s: branch event: %w", s.d.Name, err)
	}
	return id, nil
}

// lockEvents takes, on PostgreSQL, the event lock of every branch the
// batch appends events to, in branch order and before any other write of
// the transaction: a transaction holding rows another waits for then never
// waits for an event lock itself (it took them first), so the locks cannot
// deadlock with the rows of a batch that calls next or issues tickets.
func (s *Store) lockEvents(ctx context.Context, tx *sql.Tx, ops []*op) error {
	if s.d.Name != "postgres" {
		return nil
	}
	var branches []string
	for _, o := range ops {
		if o.eventBranch != "" {
			branches = append(branches, o.eventBranch)
		}
	}
	slices.Sort(branches)
	for _, b := range slices.Compact(branches) {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7300452, hashtext($1))`, b); err != nil {
			return fmt.Errorf("%s: branch event lock: %w", s.d.Name, err)
		}
	}
	return nil
}

// BranchEventsAfter returns up to limit of a branch's events after id
// after, in id order.
func (s *Store) BranchEventsAfter(ctx context.Context, branch string, after int64, limit int) ([]api.BranchEvent, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, kind, number, win, service, kiosk, at FROM branch_events
		WHERE branch = ? AND id > ? ORDER BY id LIMIT ?`), branch, after, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: branch events: %w", s.d.Name, err)
	}
	var out []api.BranchEvent
	for rows.Next() {
		e := api.BranchEvent{Branch: branch}
		var kind string
		var at int64
		if err := rows.Scan(&e.ID, &kind, &e.Number, &e.Window, &e.Service, &e.Kiosk, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: branch events: %w", s.d.Name, err)
		}
		e.Kind, e.At = api.Change(kind), fromNanos(at)
		out = append(out, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("%s: branch events: %w", s.d.Name, err)
	}
	return out, nil
}

// LastBranchEvent returns the id of the branch's latest event, 0 for none.
func (s *Store) LastBranchEvent(ctx context.Context, branch string) (int64, error) {
	var id sql.NullInt64
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT MAX(id) FROM branch_events WHERE branch = ?`), branch).Scan(&id); err != nil {
		return 0, fmt.Errorf("%s: branch events: %w", s.d.Name, err)
	}
	return id.Int64, nil
}
