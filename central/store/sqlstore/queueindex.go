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
// lock is pickLock's. Its ORDER BY is tickets_next's.
func pickQuery(svc, extra, lock string) string {
	return `SELECT id FROM tickets WHERE branch = ? AND day = ? AND state = 'waiting'` + svc +
		` AND lane = ?` + extra + notRedirected + ` ORDER BY slot_at, issued_at, LENGTH(number), number LIMIT 1` + lock
}

// pickLock ends call-next's picks. It is empty: a call-next with its event
// holds the branch's event lock from the start of its transaction
// (PostgreSQL), so two servers' call-nexts of a branch pick in turn, and
// the pick's UPDATE checks the ticket still waits. Skipping locked rows
// (SKIP LOCKED) would pass over the head of the queue while a print report
// or a check-in holds it, calling a later number first.
func (s *Store) pickLock() string { return "" }
