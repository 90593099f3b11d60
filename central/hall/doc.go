// Package hall serves the hall display: the TV in a Public Service
// Center's hall that shows and says which number is called to which
// window. Mounted at /display/ beside the protocol:
//
//	GET /display/{branch}?token=T         the page, full screen, in Kazakh and Russian
//	GET /display/{branch}/events?token=T  its server-sent events, one "board" per change
//	GET /display/{branch}/say?number=A042&window=3&token=T
//	                                      the announcement, audio/wav
//
// The token is a display token of the branch (central token add --role
// display --branch ID): a TV browser cannot sign in or send a header, so
// it is carried in the address, and every answer asks for no referrer.
// A missing or invalid token gets 401, another branch's 403, a store
// that cannot answer 503: each a page in both languages that reloads
// itself every 15 s, so that a TV comes back by itself once the token or
// the store is right again.
//
// # Live board
//
// The page is rendered with the board of now (today's last calls and the
// number serving at each window). The event stream sends the board again
// on connecting, then after each call, recall, completion, no-show,
// redirection or parking, with the event's id, so that the browser's
// EventSource resumes with Last-Event-ID after a cut or a server restart.
// Events replayed on resuming update the board; only calls at most
// Options.SpeakWithin old (30 s) are announced, so a display back after
// five minutes does not read out the numbers it missed. At the branch's
// midnight the stream sends the new day's board. A stream refused (the
// store out, the token revoked) closes the browser's EventSource for
// good: the script then backs off, tries a new stream, and reloads the
// page only once it answers. A write that waits past
// Options.WriteTimeout ends a stalled display's stream.
//
// # Announcements
//
// A chime, then the number and window in Kazakh, then in Russian (see
// ParsePhrase for the wording), synthesised offline by espeak-ng, one
// process per voice, bounded in time and in number, and kept per phrase
// (Speaker). Only a number called (or recalled) at that window on the
// branch's day is synthesised; any other phrase is the chime alone, so a
// display token cannot keep espeak-ng busy or empty the cache. Without
// espeak-ng the announcement is the chime alone, and
// the server warns once at start. A browser plays sound unasked only if
// allowed: start the hall's kiosk browser with
// --autoplay-policy=no-user-gesture-required; otherwise the page asks for
// a key press once.
package hall
