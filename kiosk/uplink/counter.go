package uplink

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/hcsc-kz/kiosk/kiosk/statefile"
)

// The kiosk's own range is counted twice: in the outbox's counters table,
// committed with the ticket, and in a small file beside the outbox, the
// mark (<outbox>.counter), written durably before the number is used. The
// next number is one past the larger of the two. A new outbox (the old
// one was damaged and moved aside, or deleted) starts with no counters, and
// without the mark would print the day's numbers again: the backend refuses
// the second of each, and two visitors hold one number. Only losing both
// at once (the whole state folder) can still repeat a number.
//
// The mark is JSON, {"2026-11-25": 3}: the last number of the kiosk's own
// range used on each of the latest days (a clock set back over midnight
// goes on from where that day stopped). A mark that does not parse counts
// as none and is written anew with the next number.

// markDays is how many days the mark keeps.
const markDays = 7

// markFile is the mark of the outbox at path.
func markFile(outbox string) string { return outbox + ".counter" }

// readMark reads the mark; a missing or damaged file is an empty one.
func readMark(path string) map[string]int {
	b, err := os.ReadFile(path)
	m := map[string]int{}
	if err != nil || json.Unmarshal(b, &m) != nil {
		return map[string]int{}
	}
	return m
}

// writeMark replaces the mark so that a power cut leaves the old file or
// the new one, never a torn one (statefile.Write), on disk before the
// number is printed.
func writeMark(path string, m map[string]int) error {
	if len(m) > markDays {
		days := slices.Sorted(maps.Keys(m))
		for _, d := range days[:len(days)-markDays] {
			delete(m, d)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("uplink: counter: %w", err)
	}
	if err := statefile.Write(path, b); err != nil {
		return fmt.Errorf("uplink: counter: %w", err)
	}
	return nil
}

// nextOwn takes the next number of the kiosk's own range on day within tx
// (which holds the outbox's write lock, so no other taker runs): one past
// the larger of the counters table and the mark, written to the mark
// first and then to the table, which commits with the ticket. A failed
// commit after the mark was written skips a number, which is harmless.
func (o *Outbox) nextOwn(ctx context.Context, tx *sql.Tx, day string) (int, error) {
	var inTable int
	err := tx.QueryRowContext(ctx, `SELECT next FROM counters WHERE day = ?`, day).Scan(&inTable)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	m := readMark(o.mark)
	seq := max(inTable, m[day]) + 1
	m[day] = seq
	if err := writeMark(o.mark, m); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO counters (day, next) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET next = excluded.next`, day, seq); err != nil {
		return 0, fmt.Errorf("uplink: outbox: %w", err)
	}
	return seq, nil
}
