// Package api is the wire protocol between the kiosks, the clerks' desks,
// the hall displays and the central backend: version 1, HTTP with JSON bodies.
//
// The kiosk firmware and the reference server both build on these types, and
// the OpenAPI 3 document in openapi.json (embedded, see [OpenAPI]) describes
// the same operations with a complete example request for each. A test in
// package central checks that what the server serves matches that document.
//
// # Operations
//
//   - POST /v1/applications: submit an application; the kiosk-generated id is
//     the idempotency key, so the same id again gives the same ticket. A
//     booked visitor's application names the check-in (checkInId) and is
//     attached to that ticket instead of getting a number of its own.
//   - GET /v1/applications/{id}: a ticket's status (for the ticket's QR).
//   - POST /v1/bookings and POST /v1/bookings/check-in: a booked visit, and
//     the ticket for it by booking code or by the scanned document number.
//   - POST /v1/kiosks/{id}/heartbeat, POST /v1/kiosks/{id}/events: the
//     kiosk's health and its anonymous session statistics.
//   - POST /v1/kiosks/{id}/number-blocks: numbers lent to a kiosk in advance
//     for offline use.
//   - POST /v1/branches/{branch}/windows/{window}/call-next and
//     POST /v1/applications/{id}/{recall,complete,no-show,redirect}: the clerk.
//   - GET /v1/display?branch=…: a server-sent-events stream of called numbers.
//   - GET /v1/branches/{branch}/held: the held offline tickets, for the
//     branch's supervisor.
//
// # Identity
//
// Every request but a ticket's status and the OpenAPI document carries
// Authorization: Bearer TOKEN, or comes from a kiosk over mutual TLS with
// its client certificate. The document names, per operation, the roles that
// may call it (x-principals). No credential or an unknown or revoked token
// is 401 (CodeUnauthorized, with WWW-Authenticate); a valid one of another
// role, branch or kiosk is 403 (CodeForbidden).
//
// # Personal data
//
// Only [Application] carries personal data (names, document number, dates,
// phone), and it reaches only a clerk, supervisor or admin of its branch.
// Tickets, statuses, events and heartbeats carry none, so they may be
// logged and printed; ids are random UUIDs.
//
// # Errors
//
// Every 4xx and 5xx answer has an [Error] body whose Code a client can switch
// on (the Code* constants).
package api
