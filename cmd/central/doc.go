// Command central is the reference central backend for the kiosks: the
// queue, the applications, the clerks' calls and the hall displays.
//
// Usage:
//
//	central serve [--addr 127.0.0.1:8080] [--db ./var/central.db | --db postgres://…]
//	              [--registry FILE | --kiosks N] [--key-file FILE]
//	              [--tls-cert FILE --tls-key FILE --client-ca FILE] [--kiosk-ca DIR]
//	              [--demo-tokens DIR]
//	central token add --db DB --role kiosk|clerk|supervisor|admin|display|booking
//	              [--branch ID] [--kiosk ID] [--name TEXT]
//	central token list --db DB
//	central token revoke --db DB ID
//	central user add --db DB --role clerk|supervisor|admin --branch ID
//	              [--name TEXT] LOGIN < PASSWORD
//	central user list --db DB
//	central user disable --db DB LOGIN
//	central kiosk ca init --dir DIR
//	central kiosk enrol --db DB --branch ID --kiosk ID [--ttl 24h] [--key-file FILE]
//	central kiosk list --db DB
//	central kiosk revoke --db DB --kiosk ID
//
// With no flags it serves the demo: one branch (ALA-01, Asia/Almaty) with
// kiosks K-01…K-08 on SQLite in ./var, open round the clock (the demo's
// hours, as the demo kiosk's). A registry branch's "hours" decide each
// ticket's queue day: left out, an ordinary centre's (Mon–Fri
// 09:00-18:00), and each weekday left out of "hours" keeps its ordinary
// hours, as in a kiosk's [flow.hours]; the branch's kiosks must have the
// same hours. The OpenAPI document is at
// /openapi.json. Plain HTTP is served on loopback addresses only; anything
// else needs TLS.
//
// The server runs with umask 077: every file it makes (the SQLite database
// and its -wal and -shm files, the key file, the demo's token files) is
// readable by its owner only. The SQLite store also sets its files to 0600
// itself, whatever the umask.
//
// # Identities
//
// Every operation but a ticket's status and the OpenAPI document needs a
// credential: a bearer token (Authorization: Bearer TOKEN) of the right
// role and branch, or for a kiosk its client certificate, signed by the
// --client-ca, whose common name is its id. "central token add" prints a
// new token once; the database keeps only its SHA-256. "token list" shows
// the tokens without secrets, "token revoke" ends one: servers refuse it
// within 10 s, and end its open display streams within 25 s.
//
// The demo (no --registry) makes its own tokens: one per kiosk and a
// clerk's, a supervisor's, a display's and a booking feed's for the branch,
// in files (0600) in the folder "tokens" beside the SQLite file (or
// --demo-tokens DIR), kept from one start to the next while the database
// knows them. It prints the clerk's after the "listening" line.
//
// # The clerks' console
//
// Clerks sign in at /console/ with a login and a password ("central user
// add" reads it from stdin, at least 10 characters, and stores its
// argon2id hash). The demo adds a clerk "clerk1" whose password it keeps
// in the token folder (console-clerk1) and prints at start. "user disable"
// stops a user signing in and ends their sessions at once.
//
// # Kiosk enrolment
//
// "kiosk ca init" makes the kiosk CA (its key 0600, never replaced) that
// "serve --kiosk-ca DIR" signs kiosks' certificates with and trusts as a
// client CA. "kiosk enrol" (or the supervisor page) makes a one-time code
// of twelve digits, 4821-0937-5512, for one kiosk of one branch; it works
// once, for 24 h by default, and a new code for the kiosk replaces it. The
// database keeps only its hash, keyed with the server's key (--key-file).
// The technician types it on the kiosk, which sends it with a certificate
// request for the key it made (POST /v1/enrol) and gets its certificate,
// named after the kiosk id. Enrolling again revokes the kiosk's earlier
// certificate at once; "kiosk revoke" revokes it (servers refuse it within
// 10 s). "kiosk list" shows every certificate issued: kiosk, branch,
// hardware id, serial, issue time and state.
package main
