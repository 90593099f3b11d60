// Package enrol is the kiosk's side of first-boot enrolment: the kiosk
// gets its identity (kiosk id, branch) and its client certificate from the
// backend in exchange for a one-time code, with a key made on the device.
//
// # The hardware id
//
// [HardwareID] names the box on the enrolment page and in the request, so
// the supervisor can tell which box holds which kiosk id: the board's DMI
// product UUID or serial number, else the permanent MAC address of its
// first network interface.
//
// # The key and the identity
//
// [Enrol] makes an ECDSA P-256 key pair, sends a certificate request
// signed by it with the code (POST /v1/enrol, central/api.EnrolRequest),
// checks that the certificate in the answer is for that key and names the
// kiosk id of the answer, and only then stores, in <state_dir>/identity/
// ([Dir]; the folder 0700, every file 0600): key.pem (PKCS #8), cert.pem,
// ca.pem and identity.json ([Identity]: kiosk id, branch, the
// certificate's end, the hardware id). The files are replaced together: a
// power cut leaves the old identity or the new, never a key beside
// another key's certificate ([Load] finishes an interrupted replacement).
// Enrolling again makes a new key; the backend revokes the old
// certificate. The private key is never sent, logged or kept in an
// [Identity].
//
// With backend.enrol set, [Apply] points the uplink's mutual TLS at the
// identity's files and fills in kiosk.id and kiosk.branch.
//
// # Errors
//
// The enrolment page branches on [ErrCodeShape] (not 12 digits),
// [ErrCodeRefused] (403: unknown, used or expired), [ErrTooManyTries]
// (429), [ErrUnreachable] (no answer, or a 5xx), [ErrBadAnswer] (400,
// another status, or an answer that does not fit the request) and
// [ErrStore]; [Message] gives each its words in the catalogs.
//
// # The page
//
// [Form] is the enrolment page's logic: the code typed, the request under
// way, the answer. kiosk/screen draws its [View] and turns taps into its
// inputs; the kiosk's runner carries out its effects ([Send] calls
// [Enrol]).
package enrol
