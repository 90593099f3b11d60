// Package mrz parses the machine readable zones of travel documents as
// defined by ICAO Doc 9303, and the MRZ of the Russian internal passport.
//
// # Formats
//
// TD1 (3 lines of 30), TD2 (2×36), TD3 passports (2×44), the visas MRV-A
// (2×44) and MRV-B (2×36), and the Russian internal passport (2×44, starting
// "PNRUS"), whose Cyrillic names are written with a Latin-letter-and-digit
// substitution that [Parse] reverses.
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
// Scanners confuse O/0, I/1, B/8, S/5 and Z/2. In numeric fields (dates,
// check digits, the Russian series and number) a letter is replaced by its
// digit only when that makes a failing check digit pass; each such change is
// listed in [Document.Repairs] so the clerk can see it. Alphanumeric fields
// (a passport number may hold letters) are never changed.
//
// # Errors
//
// Input that is not an MRZ at all (empty, wrong line count, wrong or mixed
// line lengths, a character outside A–Z, 0–9 and '<') gives an [*Error]
// whose Kind is one of the sentinel errors (ErrEmpty, ErrLineCount, …), with
// the line and column it concerns. Parse never panics on any input.
package mrz
