package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// userSchema holds the console's users (password hashes only), their
// sessions (hashes of the ids only) and the failed sign-ins per login.
func userSchema(blob string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS users (
			id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
			role TEXT NOT NULL, branch TEXT NOT NULL, hash TEXT NOT NULL,
			created_at BIGINT NOT NULL, disabled_at BIGINT NOT NULL DEFAULT 0)`,
		`CREATE TABLE IF NOT EXISTS sessions (
			hash ` + blob + ` PRIMARY KEY, user_id TEXT NOT NULL,
			created_at BIGINT NOT NULL, seen_at BIGINT NOT NULL, win INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id)`,
		// A login's failures since first_at; locked_until is set when they
		// reach central.SignInMaxFailures. Logins nobody holds have rows
		// too, pruned once their failures are old.
		`CREATE TABLE IF NOT EXISTS signin_failures (
			login TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at BIGINT NOT NULL, locked_until BIGINT NOT NULL)`,
	}
}

// AddUser stores a console user.
func (s *Store) AddUser(ctx context.Context, u central.UserRecord) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		taken, err := s.exists(bg, tx, `SELECT 1 FROM users WHERE id = ? OR login = ?`, u.ID, u.Login)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%s: user id or login in use: %w", s.d.Name, central.ErrConflict)
		}
		if _, err := tx.ExecContext(bg, s.q(`INSERT INTO users (id, login, name, role, branch, hash, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`),
			u.ID, u.Login, u.Name, string(u.Role), u.Branch, u.Hash, nanos(u.CreatedAt)); err != nil {
			return fmt.Errorf("%s: user: %w", s.d.Name, err)
		}
		return nil
	})
}

const userCols = `id, login, name, role, branch, created_at, disabled_at`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (central.UserRecord, error) {
	var u central.UserRecord
	var role string
	var created, disabled int64
	err := sc.Scan(append([]any{&u.ID, &u.Login, &u.Name, &role, &u.Branch, &created, &disabled}, extra...)...)
	u.Role, u.CreatedAt, u.DisabledAt = central.Role(role), fromNanos(created), fromNanos(disabled)
	return u, err
}

// UserByLogin returns a user with its password hash.
func (s *Store) UserByLogin(ctx context.Context, login string) (central.UserRecord, error) {
	var hash string
	u, err := scanUser(s.r.QueryRowContext(ctx, s.q(`SELECT `+userCols+`, hash FROM users WHERE login = ?`), login), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return central.UserRecord{}, fmt.Errorf("%s: user: %w", s.d.Name, central.ErrNotFound)
	}
	if err != nil {
		return central.UserRecord{}, fmt.Errorf("%s: user: %w", s.d.Name, err)
	}
	u.Hash = hash
	return u, nil
}

// Users lists the users without their hashes, oldest first.
func (s *Store) Users(ctx context.Context) ([]central.UserRecord, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY created_at, login`)
	if err != nil {
		return nil, fmt.Errorf("%s: users: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.UserRecord
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: users: %w", s.d.Name, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: users: %w", s.d.Name, err)
	}
	return out, nil
}

// DisableUser disables a user and ends its sessions in one transaction.
func (s *Store) DisableUser(ctx context.Context, login string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		id, err := s.userID(tx, login)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(bg, s.q(`UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at = 0`), max(nanos(at), 1), id); err != nil {
			return fmt.Errorf("%s: disable user: %w", s.d.Name, err)
		}
		if _, err := tx.ExecContext(bg, s.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
			return fmt.Errorf("%s: disable user: %w", s.d.Name, err)
		}
		return nil
	})
}

// SetPassword replaces a user's hash and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, login, hash string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		id, err := s.userID(tx, login)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(bg, s.q(`UPDATE users SET hash = ? WHERE id = ?`), hash, id); err != nil {
			return fmt.Errorf("%s: password: %w", s.d.Name, err)
		}
		if _, err := tx.ExecContext(bg, s.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
			return fmt.Errorf("%s: password: %w", s.d.Name, err)
		}
		return nil
	})
}

// SignInLocked returns until when login is locked, zero when it is not.
func (s *Store) SignInLocked(ctx context.Context, login string, now time.Time) (time.Time, error) {
	var until int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT locked_until FROM signin_failures WHERE login = ?`), login).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: sign-in lock: %w", s.d.Name, err)
	}
	if t := fromNanos(until); t.After(now) {
		return t, nil
	}
	return time.Time{}, nil
}

// SignInFailed counts a failure; the count and the lock are one row,
// written under its lock, so that failures sent to several servers at
// once all count.
func (s *Store) SignInFailed(ctx context.Context, login string, now time.Time) (time.Time, error) {
	var locked time.Time
	err := s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		locked = time.Time{}
		cut := nanos(now.Add(-central.SignInFailureWindow))
		var n int
		err := tx.QueryRowContext(bg, s.q(`INSERT INTO signin_failures (login, failures, first_at, locked_until) VALUES (?, 1, ?, 0)
			ON CONFLICT (login) DO UPDATE SET
				failures = CASE WHEN signin_failures.first_at <= ? THEN 1 ELSE signin_failures.failures + 1 END,
				first_at = CASE WHEN signin_failures.first_at <= ? THEN excluded.first_at ELSE signin_failures.first_at END
			RETURNING failures`), login, nanos(now), cut, cut).Scan(&n)
		if err != nil {
			return fmt.Errorf("%s: sign-in failure: %w", s.d.Name, err)
		}
		if n >= central.SignInMaxFailures {
			locked = now.Add(central.SignInLockout).UTC()
			if _, err := tx.ExecContext(bg, s.q(`UPDATE signin_failures SET failures = 0, first_at = 0, locked_until = ? WHERE login = ?`),
				nanos(locked), login); err != nil {
				return fmt.Errorf("%s: sign-in lock: %w", s.d.Name, err)
			}
		}
		// Forget old failures, most of them of logins nobody holds.
		if _, err := tx.ExecContext(bg, s.q(`DELETE FROM signin_failures WHERE first_at <= ? AND locked_until <= ? AND login <> ?`),
			cut, nanos(now), login); err != nil {
			return fmt.Errorf("%s: sign-in failures: %w", s.d.Name, err)
		}
		return nil
	})
	return locked, err
}

// SignInSucceeded forgets the login's failures.
func (s *Store) SignInSucceeded(ctx context.Context, login string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(context.Background(), s.q(`DELETE FROM signin_failures WHERE login = ?`), login); err != nil {
			return fmt.Errorf("%s: sign-in failures: %w", s.d.Name, err)
		}
		return nil
	})
}

// AddSession stores a session and deletes the expired ones.
func (s *Store) AddSession(ctx context.Context, se central.SessionRecord) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		if _, err := tx.ExecContext(bg, s.q(`DELETE FROM sessions WHERE created_at <= ? OR seen_at <= ?`),
			nanos(se.CreatedAt.Add(-central.SessionLifetime)), nanos(se.CreatedAt.Add(-central.SessionIdle))); err != nil {
			return fmt.Errorf("%s: expired sessions: %w", s.d.Name, err)
		}
		if _, err := tx.ExecContext(bg, s.q(`INSERT INTO sessions (hash, user_id, created_at, seen_at, win) VALUES (?, ?, ?, ?, ?)`),
			se.Hash, se.UserID, nanos(se.CreatedAt), nanos(se.SeenAt), se.Window); err != nil {
			return fmt.Errorf("%s: session: %w", s.d.Name, err)
		}
		return nil
	})
}

// Session returns a session of an enabled user, with the user.
func (s *Store) Session(ctx context.Context, hash []byte) (central.SessionRecord, central.UserRecord, error) {
	var se central.SessionRecord
	var created, seen int64
	row := s.r.QueryRowContext(ctx, s.q(`SELECT u.id, u.login, u.name, u.role, u.branch, u.created_at, u.disabled_at,
		s.hash, s.user_id, s.created_at, s.seen_at, s.win
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ? AND u.disabled_at = 0`), hash)
	u, err := scanUser(row, &se.Hash, &se.UserID, &created, &seen, &se.Window)
	if errors.Is(err, sql.ErrNoRows) {
		return central.SessionRecord{}, central.UserRecord{}, fmt.Errorf("%s: session: %w", s.d.Name, central.ErrNotFound)
	}
	if err != nil {
		return central.SessionRecord{}, central.UserRecord{}, fmt.Errorf("%s: session: %w", s.d.Name, err)
	}
	se.CreatedAt, se.SeenAt = fromNanos(created), fromNanos(seen)
	return se, u, nil
}

// TouchSession sets a session's last-seen time.
func (s *Store) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	return s.sessionExec(ctx, `UPDATE sessions SET seen_at = ? WHERE hash = ?`, nanos(at), hash)
}

// SetSessionWindow sets the session's window.
func (s *Store) SetSessionWindow(ctx context.Context, hash []byte, window int) error {
	return s.sessionExec(ctx, `UPDATE sessions SET win = ? WHERE hash = ?`, window, hash)
}

// DeleteSession deletes a session.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	return s.sessionExec(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
}

func (s *Store) sessionExec(ctx context.Context, query string, args ...any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(context.Background(), s.q(query), args...); err != nil {
			return fmt.Errorf("%s: session: %w", s.d.Name, err)
		}
		return nil
	})
}

// userID is the id of the user with this login, or central.ErrNotFound.
func (s *Store) userID(tx *sql.Tx, login string) (string, error) {
	var id string
	err := tx.QueryRowContext(context.Background(), s.q(`SELECT id FROM users WHERE login = ?`), login).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%s: user: %w", s.d.Name, central.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("%s: user: %w", s.d.Name, err)
	}
	return id, nil
}
