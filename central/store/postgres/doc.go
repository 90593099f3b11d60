// Package postgres opens the central store in PostgreSQL (through pgx), for
// a region or the whole country: several central servers may share it.
//
// # Concurrency
//
// Each server process group-commits its writes (package sqlstore); between
// processes, row locks on the day counters and the unique (branch, day,
// number) constraint keep numbers unique. A batch that loses a race is run
// again write by write.
//
// # Tests
//
// The tests read a DSN from $KIOSK_TEST_POSTGRES and skip without it;
// scripts/ci-postgres.sh starts a throwaway cluster on 127.0.0.1 and prints
// one.
package postgres
