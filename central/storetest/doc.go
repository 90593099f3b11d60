// Package storetest is the test suite every central.Store must pass, run
// through the real HTTP server on loopback: the SQLite and PostgreSQL stores
// call [Run] from their own tests, so both databases answer the same
// questions.
//
// It also holds the small helpers the suite and other tests share: a test
// clock ([Clock]), a running server ([Start]) and a JSON client ([Do]).
package storetest
