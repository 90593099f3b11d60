package mrz

import "time"

// Parse reads one MRZ from text: 2 or 3 lines, with spaces, tabs and CR
// around each line stripped, empty lines dropped, and letters upper-cased.
// Two-digit birth years greater than now's two-digit year are 19YY, others
// 20YY; expiry years are always 20YY.
func Parse(text string, now time.Time) (*Document, error) {
	panic("not yet")
}
