// Package storetest is the test suite every central.Store must pass, run
// through the real HTTP server on loopback: the SQLite and PostgreSQL stores
// call [Run] from their own tests, so both databases answer the same
// questions.
//
// It also holds the small helpers the suite and other tests share: a test
// clock ([Clock]), a running server ([Start]) and a JSON client ([Do]).
//
// # Authenticating
//
// The server refuses anonymous callers, so a test acts as someone. The
// [Server] that [Start] returns mints a token per principal on first use
// and gives a client that sends it:
//
//	ts := storetest.Start(t, store, clock, 2)
//	storetest.Do(t, ts.Kiosk(t, "K-01"), "POST", ts.URL+"/v1/applications", a)
//	storetest.Do(t, ts.Clerk(t, "ALA-01"), "POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil)
//	storetest.Do(t, ts.As(t, central.RoleBooking, "ALA-01", ""), "POST", ts.URL+"/v1/bookings", bk)
//
// Outside a Server, [Mint] stores a token for a principal in any store and
// [Bearer] wraps any client to send it.
package storetest
