// Command central is the reference central backend for the kiosks: the
// queue, the applications, the clerks' calls and the hall displays.
//
// Usage:
//
//	central serve [--addr 127.0.0.1:8080] [--db ./var/central.db | --db postgres://…]
//	              [--registry FILE | --kiosks N] [--key-file FILE]
//	              [--tls-cert FILE --tls-key FILE --client-ca FILE]
//
// With no flags it serves the demo: one branch (ALM-01, Asia/Almaty) with
// kiosks K-01…K-08 on SQLite in ./var. The OpenAPI document is at
// /openapi.json. Plain HTTP is served on loopback addresses only; anything
// else needs TLS, and with --client-ca every kiosk must show a client
// certificate whose common name is its id.
//
// The server runs with umask 077: every file it makes (the SQLite database
// and its -wal and -shm files, the key file) is readable by its owner only.
// The SQLite store also sets its files to 0600 itself, whatever the umask.
package main
