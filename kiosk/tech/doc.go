// Package tech is technician mode: the PIN that guards it, the self-test
// that both the technician's screen and "kiosk doctor" run, and the
// technician's pages (status, test print, test scan).
//
// # The self-test
//
// [Checks] looks at the configuration, the technician PIN hash, the time
// zone, the state folder, the outbox key, the scanner, the printer, the
// backend and the outbox, and reports each in periph's three states:
// [Loaded] (there and working), [Skipped] (not fitted on this kiosk, or not
// used by its configuration) or [Failed] with the reason. What the checks
// look at comes in [Parts]: a running kiosk passes its own devices (the
// scanner's state as its driver last saw it, the printer's status), kiosk
// doctor passes devices it opened for the check ([OpenProbe] opens the
// scanner's port and closes it). The rules are the same code, so the
// screen and the command cannot disagree.
//
// The backend check sends a real heartbeat carrying the device results: it
// proves the network, the TLS settings and that the backend knows the
// kiosk, and the center sees what the technician saw, outbox counts too.
//
// The outbox check fails while the outbox holds a printed ticket the
// backend refused or an entry set aside as unreadable (uplink.Counts): each
// is a visitor holding a number the backend may not call. The reason says
// how many, why (the server's code, a replaced key, damage) and what to do.
//
// # The PIN
//
// technician.pin_hash holds an argon2id hash in the PHC string format,
// made by "kiosk pin-hash" ([HashPIN]) from a PIN of [MinPIN] to [MaxPIN]
// digits; the costs are in the string, so a kiosk checks hashes made with
// other costs. [Lock] counts wrong PINs and locks technician mode after
// [MaxTries] of them in a row: for [Lockout] the first time, then longer
// each time ([LockoutFor]: 5 min, 30 min, 2 h, then 24 h), on the kiosk's
// clock; only the right PIN starts over. The count and the end of the
// lockout are kept in <state_dir>/technician-lock.json ([LockFile]), 0600,
// replaced whole on each change (temporary file, fsync, rename), and
// written before the PIN is hashed: a restart, a crash or a power cut in
// the middle of a try gives no fresh tries. A file that cannot be read
// locks technician mode for [Lockout] rather than opening it.
//
// The hash does not record the PIN's length. It could (an extra PHC
// parameter), but only as a claim of whoever wrote the configuration, and
// at the cost of a string other argon2id tools no longer read; so the
// length is enforced where a PIN is made and where one is typed, and a
// hash of a shorter PIN from older firmware simply never matches.
//
// A PIN of a few digits cannot resist someone who has read the hash: a
// million six-digit PINs take hours to try offline, whatever the hash.
// The hash keeps the PIN out of the configuration file and out of
// backups; the file itself must stay readable by the kiosk user only. The
// lockout is what protects the touch screen: five guesses per lockout,
// and a day per lockout after the fourth.
//
// # Pages
//
// A [Session] is one visit of a technician. The kiosk pauses the
// visitor's journey (and wipes it first, so no passport stays on screen),
// opens a Session on F12, hands it the scanner's events and its ticks, and
// resumes with a fresh welcome screen when the Session exits. The pages
// use the catalogs' "tech" section and open in Russian, the staff's
// working language, with the language switch on every page. The test-scan
// page shows a document's format, type, issuing state and check digits,
// never the holder's name, number or dates. A session nobody touches for
// [IdleTimeout] closes itself, so a technician called away does not leave
// the kiosk closed to visitors.
//
// # Personal data and secrets
//
// The PIN typed is kept in a fixed array that is zeroed after each try and
// when the session ends; logs say that a PIN was wrong, never what it was.
// Check reasons come from the drivers' errors, which carry ports, states
// and causes, not document data.
package tech
