// Package sqlstore is the [central.Store] on database/sql that the SQLite and
// PostgreSQL stores share: the same tables, the same queries (written with
// '?' and rebound for PostgreSQL), and the same write path.
//
// # Group commit
//
// Every write goes through one writer goroutine that takes all writes waiting
// at that moment (up to MaxBatch) and runs them in a single transaction, so
// one disk sync makes a whole batch durable. That is what lets SQLite absorb
// hundreds of kiosks at once, and it keeps PostgreSQL's hot rows (a branch's
// day counter) to one lock holder per process. A write answers only after its
// batch committed. If the batch fails as a whole (a unique violation raced in
// by another server, a deadlock), each write is run again in a transaction of
// its own, so one bad write never fails its neighbours.
//
// A write that ends in a domain error (central.ErrConflict, …) has written
// nothing before it returned; the writes are built that way.
//
// # Time
//
// Times are stored as Unix nanoseconds, booleans as integers, so the schema
// is the same on both databases.
package sqlstore
