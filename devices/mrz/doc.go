// Package mrz parses the machine readable zones of travel documents as
// defined by ICAO Doc 9303, and the MRZ of the Russian internal passport.
//
// # Formats
//
// TD1 (3 lines of 30), TD2 (2×36), TD3 passports (2×44), the visas MRV-A
// (2×44) and MRV-B (2×36), and the Russian internal passport (2×44, starting
// "PNRUS"), whose Cyrillic names are written with a Latin-letter-and-digit
// substitution that [Parse] reverses; its Latin names ([Russian]) are then
// the ICAO transliteration of the Cyrillic (IVANOVICH), not that code
// (IVANOVI3).
//
// # Check digits
//
// Every check digit the format has is reported on its own in [Checks], and
// [Document.Valid] is true only when all of them verify. Validity says nothing
// of expiry or of whether the issuing state exists: the ICAO specimen state
// "UTO" is fine.
//
// # OCR repairs
//
// Scanners confuse O, Q and D with 0, I with 1, Z with 2, S with 5, G with
// 6 and B with 8. In numeric fields (dates, check digits, the Russian
// series and number) a letter is replaced by its digit only when that
// makes the check digit pass (also when the letter already passed as read:
// G counts as 16, the same as 6 modulo 10). Alphanumeric fields (a passport
// number may hold letters) are never changed.
//
// The names and the state codes hold only A–Z and fillers, so a digit there
// is an OCR error: in a name 0, 1, 2, 5, 6 and 8 become O, I, Z, S, G and
// B; in a state code the digits become the letters above (0 may also be D
// or Q) only when exactly one reading is a known ICAO code, so "0<<" is
// Germany's D. A digit that stays fails [Checks].Letters and with it Valid.
// The Russian internal passport's names are not held to this: its
// substitution alphabet writes seven Cyrillic letters as digits.
//
// Every change is listed in [Document.Repairs] so the clerk can see it.
//
// # Issuers' variants
//
// A TD1/TD2 document number longer than nine characters continues in the
// optional data (ICAO 9303-5 §4.2.2). Belgian identity cards compute its
// check digit over the number with the filler between the two parts; Parse
// accepts that when ICAO's rule fails and reports it in
// [Document.Variants] as [LongNumberCheckWithFiller].
//
// # Errors
//
// Input that is not an MRZ at all (empty, wrong line count, wrong or mixed
// line lengths, a character outside A–Z, 0–9 and '<') gives an [*Error]
// whose Kind is one of the sentinel errors (ErrEmpty, ErrLineCount, …), with
// the line and column it concerns. The zone of a document that is not an
// ICAO travel document (the French identity card of 1988–2021, driving
// licences) gives ErrNotICAO with [Error].Document saying which, rather
// than fields read in the wrong places. Parse never panics on any input.
package mrz
