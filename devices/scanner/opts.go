package scanner

import (
	"errors"
	"fmt"
	"time"
)

// Limits on Opts. They keep the assembler's memory fixed whatever the
// device sends.
const (
	// MinMaxLine is the smallest MaxLine accepted: a TD1 MRZ sent as one
	// line without breaks is 90 characters.
	MinMaxLine = 90
	// MaxMaxLine is the largest MaxLine accepted.
	MaxMaxLine = 4096
	// MaxAffix is the longest Prefix or Suffix accepted.
	MaxAffix = 16
)

// Opts tunes the framing, the duplicate filter and the reconnect loop. The
// zero value of each field means its default (see [DefaultOpts]), so a
// config file need only name what differs.
type Opts struct {
	// Prefix and Suffix frame a document when the scanner is set up to send
	// them: bytes up to and including Prefix are dropped and a new document
	// starts; Suffix ends a line and the document. CR, LF, CRLF and STX/ETX
	// are always understood and need no setting. At most MaxAffix bytes.
	Prefix, Suffix string
	// MaxLine is the longest line kept, in bytes, between MinMaxLine and
	// MaxMaxLine; a longer one is skipped up to its line end without being
	// stored. Default 128.
	MaxLine int
	// FrameGap: when the bytes of a partial line or document stop for
	// longer than this, the partial is dropped when the next bytes arrive,
	// so a fragment cannot glue itself to the next scan. A pause shorter
	// than this, mid-line or between lines, is harmless. Negative turns the
	// rule off. Default 1s.
	FrameGap time.Duration
	// DedupeWindow drops a document identical to the previous one while it
	// keeps arriving less than this apart (the visitor leaves the passport
	// on the glass and the scanner reads it again): each repeat restarts the
	// window, so a passport left on the glass is delivered once. Negative
	// turns the filter off. Default 5s.
	DedupeWindow time.Duration
	// ReopenMin and ReopenMax bound the wait between attempts to reopen the
	// port: it starts at ReopenMin and doubles up to ReopenMax while the
	// port stays away. Defaults 250ms and 5s.
	ReopenMin, ReopenMax time.Duration
	// Now is the clock for event times, the duplicate window, FrameGap and
	// the MRZ century rule. Default time.Now; tests inject their own.
	Now func() time.Time
}

// DefaultOpts returns the settings used for every zero field of Opts. It is
// a function so that no caller can change the defaults for everyone.
func DefaultOpts() Opts {
	return Opts{
		MaxLine:      128,
		FrameGap:     time.Second,
		DedupeWindow: 5 * time.Second,
		ReopenMin:    250 * time.Millisecond,
		ReopenMax:    5 * time.Second,
		Now:          time.Now,
	}
}

// resolve checks o and fills its zero fields from DefaultOpts.
func (o *Opts) resolve() (Opts, error) {
	d := DefaultOpts()
	if o == nil {
		return d, nil
	}
	r := *o
	if r.MaxLine == 0 {
		r.MaxLine = d.MaxLine
	}
	if r.FrameGap == 0 {
		r.FrameGap = d.FrameGap
	}
	if r.DedupeWindow == 0 {
		r.DedupeWindow = d.DedupeWindow
	}
	if r.ReopenMin == 0 {
		r.ReopenMin = d.ReopenMin
	}
	if r.ReopenMax == 0 {
		r.ReopenMax = max(d.ReopenMax, r.ReopenMin)
	}
	if r.Now == nil {
		r.Now = d.Now
	}
	var errs []error
	if r.MaxLine < MinMaxLine || r.MaxLine > MaxMaxLine {
		errs = append(errs, fmt.Errorf("scanner: max line %d out of range; want %d to %d bytes", r.MaxLine, MinMaxLine, MaxMaxLine))
	}
	if len(r.Prefix) > MaxAffix {
		errs = append(errs, fmt.Errorf("scanner: prefix is %d bytes; at most %d", len(r.Prefix), MaxAffix))
	}
	if len(r.Suffix) > MaxAffix {
		errs = append(errs, fmt.Errorf("scanner: suffix is %d bytes; at most %d", len(r.Suffix), MaxAffix))
	}
	if r.ReopenMin < 0 || r.ReopenMax < r.ReopenMin {
		errs = append(errs, fmt.Errorf("scanner: reopen backoff %v to %v; want 0 < min <= max", r.ReopenMin, r.ReopenMax))
	}
	return r, errors.Join(errs...)
}
