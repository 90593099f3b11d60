// Package validate checks what a visitor types on the kiosk's keypad: an
// IIN (a representative's, or a booking made with one) and the phone number
// the ready IIN is sent to by SMS.
//
// # Reasons, not messages
//
// A refused input gives an [*Error] whose Reason is a message key in
// flows/i18n, so the screen says precisely what is wrong in the visitor's
// language. The error's own text is for logs and never holds the input:
// an IIN and a phone number are personal data.
//
// # IIN
//
// Twelve digits; the twelfth is a check digit: the sum of the first eleven
// times the weights 1…11, modulo 11; when that is 10, again with the weights
// 3, 4, …, 11, 1, 2; when that is 10 too, the IIN is invalid. Only the form
// and the check digit are checked, never the birth date the first six digits
// usually hold: official IINs can differ from the passport.
//
// # Phone numbers
//
// Spaces, dashes, dots and brackets are dropped. A Kazakhstan number may be
// typed "+7 7xx…", "8 7xx…" or "7xx…" (ten digits); any other number needs
// its country code ("+49…" or "0049…"). The result is E.164, "+77011234567".
package validate
