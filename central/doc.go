// Package central is the reference central backend: the HTTP server behind
// the kiosks, the clerks' desks and the hall displays, speaking the protocol
// of package central/api.
//
// It is the demo's embedded backend and the tests' real peer; production
// runs the same code (cmd/central) on PostgreSQL.
//
// # Queue
//
// Numbers are per branch, service and lane, with the service's prefix ("A007",
// priority "AP003", booked "AB001"), and restart at the branch's local midnight
// (the branch's IANA zone decides the day). Call-next takes due bookings
// first, then the priority lane before the ordinary one at the branch's
// ratio, each in the order the tickets were issued. A ticket the kiosk
// reported as not printed is held back from the call.
//
// # Idempotency
//
// The kiosk makes the application id; the server stores each id once. A retry
// with the same body gets the same ticket; another body under the same id is
// refused with 409. A retry that carries an offline number (the kiosk printed
// it after the first attempt timed out) renumbers the ticket while it waits,
// because the number on paper is the one the visitor holds; the ticket keeps
// its place, the server's time of the first attempt.
//
// # Offline tickets
//
// A kiosk that cannot reach the server prints a number lent to it in advance
// or one of its own range, whose prefix the [Registry] gives the kiosk and
// the server sends with every block of numbers (a block of none asks for
// just that). The number must be spelled as [FormatNumber] spells it (one
// spelling per number, [ParseNumber]); a lent one is taken from the kiosk it
// was lent to, once.
//
// Every answer's Date header is the server's clock; kiosks measure their
// offset from it and send it with offline tickets (api.Clock). The server
// queues an offline ticket at its time of printing on its own clock, when
// that is today in the branch's zone: in issue order among the rest. A
// ticket printed on a past day, in the future, or before the kiosk last
// proved its outbox empty (a heartbeat with outboxDepth 0 and a clock) is
// stored held (api.StateHeld) with the evidence, never called, and listed by
// [Store.Held] for the branch's supervisor (GET /v1/branches/{branch}/held;
// an admin may read it too, a clerk not). Why only that heartbeat proves anything: a
// kiosk back online submits new visitors directly while its sync loop still
// delivers the older offline tickets, so the mere contact of a later request
// says nothing about a ticket's time; an outbox reported empty does, because
// every ticket printed before that report was in it. A time no working clock
// gives (before 2020, over a year ahead) is refused with 422.
//
// A booked visit's application names its check-in (checkInId) and takes no
// number of its own: it is attached to the ticket the check-in issued, once;
// the same body again gets that ticket, another body 409.
//
// # Validation
//
// Every request is checked against the OpenAPI document the server serves
// (package central/api, loaded once by NewServer, with
// github.com/getkin/kin-openapi) before its operation runs: types, enums,
// dates, lengths, patterns, no control characters (C0, C1, line and
// paragraph separators, bidirectional controls), no unknown fields, and a
// body of valid UTF-8 that escapes no lone surrogate ("\ud800"). A refusal is 400 "malformed" naming the field and the
// rule, never the value. The operations check only what a schema cannot
// say: a known service or branch, a kiosk of the branch.
//
// # Storage
//
// [Store] is the one interface to the database: package central/store/sqlite
// for a single hall (embedded, no cgo), central/store/postgres for a region.
// Applications are sealed with AES-256-GCM before they reach the store, and
// bookings are found by keyed hashes (HMAC-SHA-256 under keys derived from
// the server's) of the document number and of the booking code, so the
// database holds no personal data, nor a code that checks a visit in, in the
// clear. A database from before the codes were hashed is refused while it
// holds bookings, saying how to clear them (sqlstore.ErrClearCodes): the
// store has no key to hash them with, and the appointment system can send
// them again. The body hashes that tell a retry from a replay are keyed
// too (HMAC-SHA-256 of the body's SHA-256): a check-in's plain hash, beside
// its id, gave the code or the document number away by trial. A database
// of plain hashes from before is keyed in place by the first server of
// this version that opens it ([Store].KeyBodyHashes), so retries of its
// tickets stay retries; every server of a region must be upgraded before
// any serves, or the old ones go on storing plain hashes. Nothing personal
// is logged.
//
// # Identity
//
// Every route names the roles that may call it ([Route].Allow) and what of
// the request must be the caller's own ([Route].Own); the server checks
// both before the operation runs. The principals ([Role]) are a kiosk, a
// clerk, a supervisor and a display of one branch, the booking feed of one
// branch, and an admin of all. Each carries a bearer token (Authorization:
// Bearer, made by MintToken or "central token add"), stored as its SHA-256
// only; a kiosk may instead show a client certificate, verified by the TLS
// server, whose common name is its id. No credential or an unknown or
// revoked token is 401; a valid one of another role, branch or kiosk is
// 403. A kiosk acts for itself only: the kiosk id in the path or body is
// its own. The application, the only personal data, goes only to a clerk,
// supervisor or admin of its branch (call-next). The ticket's status (the
// QR on the ticket) and the OpenAPI document are public.
//
// Verified tokens are remembered for [Options].TokenCache (10 s by
// default), so a revoked token stops working within that time. A display
// stream checks its token again at every keep-alive ([Options].KeepAlive,
// 15 s by default) and ends when it fails: within 25 s of the revocation.
//
// # Enrolment
//
// A kiosk gets its certificate with a one-time code (MintEnrolCode,
// [Server.NewEnrolCode]): twelve digits for one kiosk of one branch,
// stored as a hash keyed with the server's key, valid once until it
// expires, replaced by the kiosk's next code. POST /v1/enrol trades it and
// a certificate request for a certificate from the [KioskCA]
// ([Options].KioskCA), and revokes the kiosk's earlier ones. An unknown,
// used or expired code gets one answer (403); EnrolGuesses wrong codes
// from one address within EnrolGuessWindow get 429. A certificate the
// kiosk CA signed authenticates only while it is its kiosk's current one
// (at once after this server's enrolment, within the token cache's time
// after another process's revocation); certificates of another client CA
// are checked as before.
package central
