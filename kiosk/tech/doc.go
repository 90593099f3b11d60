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
// made by "kiosk pin-hash" ([HashPIN]); the costs are in the string, so a
// kiosk checks hashes made with other costs. [Lock] counts wrong PINs and
// locks technician mode for [Lockout] after [MaxTries] of them in a row,
// on the kiosk's clock. The count lives in memory: leaving the PIN page and
// coming back keeps it, restarting the kiosk clears it (a restart needs
// the service manager, so it is not a way to guess faster from the touch
// screen).
//
// A PIN of a few digits cannot resist someone who has read the hash: ten
// thousand four-digit PINs take minutes to try offline, whatever the
// hash. The hash keeps the PIN out of the configuration file and out of
// backups; the file itself must stay readable by the kiosk user only. The
// lockout is what protects the touch screen.
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
