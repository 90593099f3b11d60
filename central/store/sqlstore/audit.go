package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// auditSchema keeps the audit log: which console user did what with which
// ticket, and when. Tickets by id and number, never a visitor's data.
func auditSchema(blob string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS audit (
			id TEXT PRIMARY KEY, at BIGINT NOT NULL, usr TEXT NOT NULL, branch TEXT NOT NULL,
			action TEXT NOT NULL, ticket TEXT NOT NULL, number TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS audit_branch ON audit (branch, at, id)`,
		// A card shows a ticket on every refresh: one "viewed" per user and
		// ticket, however many processes race to record it.
		`CREATE UNIQUE INDEX IF NOT EXISTS audit_viewed ON audit (usr, ticket) WHERE action = 'viewed'`,
	}
}

// AddAudit stores an audit entry; a view already stored is not stored
// again.
func (s *Store) AddAudit(ctx context.Context, e central.AuditEntry) (bool, error) {
	if e.ID == "" {
		return false, fmt.Errorf("%s: audit entry without an id", s.d.Name)
	}
	if e.Action == central.AuditViewed {
		// The desk asks on every refresh: a read answers the repeats
		// without a write.
		seen, err := s.exists(ctx, s.r, `SELECT 1 FROM audit WHERE usr = ? AND ticket = ? AND action = 'viewed'`, e.User, e.Ticket)
		if err != nil {
			return false, fmt.Errorf("audit: %w", err)
		}
		if seen {
			return false, nil
		}
	}
	var stored bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(context.Background(), s.q(`INSERT INTO audit (id, at, usr, branch, action, ticket, number)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`), e.ID, nanos(e.At), e.User, e.Branch, e.Action, e.Ticket, e.Number)
		if err != nil {
			return fmt.Errorf("%s: audit: %w", s.d.Name, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("%s: audit: %w", s.d.Name, err)
		}
		stored = n == 1
		return nil
	})
	return stored, err
}

// AuditLog lists a branch's audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, q central.AuditQuery) ([]central.AuditEntry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	query := `SELECT a.id, a.at, a.usr, a.branch, a.action, a.ticket, a.number, COALESCE(u.login, '')
		FROM audit a LEFT JOIN users u ON u.id = a.usr WHERE a.branch = ?`
	args := []any{q.Branch}
	if !q.Before.At.IsZero() {
		at := nanos(q.Before.At)
		query += ` AND (a.at < ? OR (a.at = ? AND a.id < ?))`
		args = append(args, at, at, q.Before.ID)
	}
	query += ` ORDER BY a.at DESC, a.id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: audit log: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.AuditEntry
	for rows.Next() {
		var e central.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Branch, &e.Action, &e.Ticket, &e.Number, &e.Login); err != nil {
			return nil, fmt.Errorf("%s: audit log: %w", s.d.Name, err)
		}
		e.At = fromNanos(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: audit log: %w", s.d.Name, err)
	}
	return out, nil
}

// Heartbeats returns the kiosks' latest heartbeats.
func (s *Store) Heartbeats(ctx context.Context, kiosks []string) ([]central.HeartbeatRecord, error) {
	if len(kiosks) == 0 {
		return nil, nil
	}
	args := make([]any, len(kiosks))
	for i, k := range kiosks {
		args[i] = k
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(kiosks)), ", ")
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT kiosk, at, body FROM heartbeats WHERE kiosk IN (`+marks+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: heartbeats: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.HeartbeatRecord
	for rows.Next() {
		var h central.HeartbeatRecord
		var at int64
		var body string
		if err := rows.Scan(&h.Kiosk, &at, &body); err != nil {
			return nil, fmt.Errorf("%s: heartbeats: %w", s.d.Name, err)
		}
		h.At, h.Body = fromNanos(at), []byte(body)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: heartbeats: %w", s.d.Name, err)
	}
	return out, nil
}

// WindowSessions lists a branch's live sessions at windows.
func (s *Store) WindowSessions(ctx context.Context, branch string, now time.Time) ([]central.WindowSession, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+userColsOf("u")+`, s.win, s.seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE u.branch = ? AND u.disabled_at = 0 AND s.win > 0 AND s.created_at > ? AND s.seen_at > ?
		ORDER BY s.win, s.created_at`), branch, nanos(now.Add(-central.SessionLifetime)), nanos(now.Add(-central.SessionIdle)))
	if err != nil {
		return nil, fmt.Errorf("%s: window sessions: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.WindowSession
	for rows.Next() {
		var w central.WindowSession
		var seen int64
		u, err := scanUser(rows, &w.Window, &seen)
		if err != nil {
			return nil, fmt.Errorf("%s: window sessions: %w", s.d.Name, err)
		}
		w.User, w.SeenAt = u, fromNanos(seen)
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: window sessions: %w", s.d.Name, err)
	}
	return out, nil
}

// userColsOf is userCols qualified by a table alias.
func userColsOf(alias string) string {
	cols := strings.Split(userCols, ", ")
	for i, c := range cols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}
