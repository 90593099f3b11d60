// Package console serves the clerks' web pages under /console/: sign-in
// with a login and password, sign-out, the choice of the window a clerk
// serves at, and the clerk's desk there: the application card of the
// visitor at the window, call next, recall, no-show and complete with a
// result, the branch's waiting list and the clerk's count today.
//
// The desk works the server's queue through Queue (the *central.Server),
// so a call from the console is the protocol's call-next, at the branch's
// priority interleave, heard by the hall's displays. Every action is a
// plain form with the CSRF token and an access key; a clerk acts on their
// own branch's tickets only (403 otherwise), and an action the ticket's
// state refuses, such as a recall of a completed ticket, is answered 409
// with the reason on the page. Logs carry user ids and masked ticket ids,
// never a name, a document number or the clerk's note.
//
// A clerk may also redirect the visitor, to another service or to one
// window, with a comment sealed like the completion note and shown on the
// card at the next window; the visitor is called there before the
// ordinary queue. Park sets a visitor aside on the clerk's parked list,
// whence call back calls them to the window again, announced as a call.
// The desk keeps itself up to date: its script follows the branch's
// events at /console/events (server-sent events, reconnecting by itself)
// and fetches the desk again from /console/desk on each. Those requests
// answer 401 without a session, and do not count as the clerk's for the
// idle timeout.
//
// Pages are rendered on the server with html/template, in Kazakh (the
// default), Russian or English (?lang=kk|ru|en). A session is a random
// 256-bit id in a cookie (HttpOnly, Secure, SameSite=Strict, Path
// /console/), kept in the database as its SHA-256 only, and ends at
// sign-out, after central.SessionIdle without a request, after
// central.SessionLifetime, or when its user is disabled. Every form
// carries a CSRF token: the session's, an HMAC keyed by the session id,
// and before sign-in a random value also set as a cookie; a POST without
// it is refused (403).
//
// A wrong password, an unknown login and a disabled user get the same
// answer, byte for byte, after the same work (an unknown login's password
// is checked against a dummy hash of the same costs). Failures are counted
// per login in the database (central.SignInMaxFailures within
// central.SignInFailureWindow lock the login for central.SignInLockout), so
// the lock holds across processes and says nothing of whether a login
// exists.
//
// A console session authenticates the console's pages only, never the
// protocol's /v1 routes, which take tokens and client certificates.
package console
