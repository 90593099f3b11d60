package sqlstore

// queueIndexSchema indexes the waiting tickets in call-next's order, so
// that its picks read the first row of an index instead of sorting every
// waiting ticket of the lane. Call-next runs in the writer's transaction,
// which on PostgreSQL holds the branch's event lock and the day's row, the
// other server's writes waiting meanwhile: a sort there (milliseconds with
// a thousand tickets waiting) delayed every write of both servers.
func queueIndexSchema() []string {
	return []string{
		`CREATE INDEX IF NOT EXISTS tickets_next ON tickets (branch, day, state, lane, slot_at, issued_at, (LENGTH(number)), number)`,
	}
}

// pickQuery selects the first waiting ticket of a lane in call-next's
// order; svc and extra add conditions (the service, a booked slot's time),
// lock is skipLocked's. Its ORDER BY is tickets_next's.
func pickQuery(svc, extra, lock string) string {
	return `SELECT id FROM tickets WHERE branch = ? AND day = ? AND state = 'waiting'` + svc +
		` AND lane = ?` + extra + notRedirected + ` ORDER BY slot_at, issued_at, LENGTH(number), number LIMIT 1` + lock
}

// skipLocked ends call-next's picks on PostgreSQL: a waiting ticket
// another server's call-next has taken in its uncommitted transaction is
// passed over for the next, as two clerks at once get different visitors
// anyway. Without it the pick waited for that transaction's commit (the
// other server's whole batch), found the ticket called, and picked again:
// the two servers' writers then ran one after the other. A ticket passed
// over is the other call's; should that roll back, the ticket waits for
// the next call. SQLite has one writer, and no row locks.
func (s *Store) skipLocked() string {
	if s.d.Name != "postgres" {
		return ""
	}
	return ` FOR UPDATE OF tickets SKIP LOCKED`
}
