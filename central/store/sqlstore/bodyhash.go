package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// bodyHashesKeyed is the meta row that says the tickets table holds keyed
// body hashes only.
const bodyHashesKeyed = "body_hashes"

// markBodyHashes marks a new database as holding keyed body hashes, in the
// schema transaction. One with tickets and no mark is from before: the
// server keys it (KeyBodyHashes), since only the server holds the key.
func (s *Store) markBodyHashes(ctx context.Context, tx *sql.Tx) error {
	marked, err := s.exists(ctx, tx, `SELECT 1 FROM meta WHERE name = ?`, bodyHashesKeyed)
	if err != nil || marked {
		return err
	}
	old, err := s.exists(ctx, tx, `SELECT 1 FROM tickets LIMIT 1`)
	if err != nil || old {
		return err
	}
	return s.markKeyed(ctx, tx)
}

func (s *Store) markKeyed(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
		bodyHashesKeyed, "hmac-sha256"); err != nil {
		return fmt.Errorf("%s: body hashes: %w", s.d.Name, err)
	}
	return nil
}

// keyPage is how many tickets KeyBodyHashes reads at a time.
const keyPage = 512

// KeyBodyHashes replaces every stored body hash h by key(h) in one
// transaction, once per database: the mark is written with the hashes, and
// several servers take the schema lock, so a second finds it.
func (s *Store) KeyBodyHashes(ctx context.Context, key func(digest []byte) []byte) (int, error) {
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		n = 0 // the writer may run this again alone after a failed batch
		if s.d.Lock != "" {
			if _, err := tx.ExecContext(bg, s.d.Lock); err != nil {
				return fmt.Errorf("%s: body hashes: %w", s.d.Name, err)
			}
		}
		if marked, err := s.exists(bg, tx, `SELECT 1 FROM meta WHERE name = ?`, bodyHashesKeyed); err != nil || marked {
			return err
		}
		type row struct {
			id   string
			hash []byte
		}
		after := ""
		for {
			rows, err := tx.QueryContext(bg, s.q(`SELECT id, body_hash FROM tickets WHERE id > ? AND body_hash IS NOT NULL ORDER BY id LIMIT ?`), after, keyPage)
			if err != nil {
				return fmt.Errorf("%s: body hashes: %w", s.d.Name, err)
			}
			var page []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.hash); err != nil {
					rows.Close()
					return fmt.Errorf("%s: body hashes: %w", s.d.Name, err)
				}
				page = append(page, r)
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return fmt.Errorf("%s: body hashes: %w", s.d.Name, err)
			}
			for _, r := range page {
				if _, err := tx.ExecContext(bg, s.q(`UPDATE tickets SET body_hash = ? WHERE id = ?`), key(r.hash), r.id); err != nil {
					return fmt.Errorf("%s: body hashes: %w", s.d.Name, err)
				}
			}
			n += len(page)
			if len(page) < keyPage {
				break
			}
			after = page[len(page)-1].id
		}
		return s.markKeyed(bg, tx)
	})
	return n, err
}
