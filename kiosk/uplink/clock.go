package uplink

import (
	"net/http"
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// driftRate bounds how fast the kiosk's clock may run against the
// backend's: 1/10000 (100 ppm, a cheap crystal's worst), so an offset
// measured a day ago is still known to within 9 s more.
const driftRate = 10000

// clock follows the backend's clock as the kiosk sees it, from the Date
// header of every answer.
//
// A Date header has one-second resolution and was written at some instant
// between the request's send and the answer's arrival, so an answer tells
// that the backend's time at the exchange's midpoint lies within
// [Date − rtt/2, Date + 1 s + rtt/2]. The clock keeps that interval,
// carried forward on the kiosk's monotonic clock, so that a step of the
// kiosk's wall clock (NTP setting it at boot) leaves what it knows intact,
// and widened by the drift since. Each answer that agrees with it narrows
// it to the overlap, so the offset gets better than the header's second; an
// answer that does not (the backend's clock was set) replaces it.
//
// The measurement lives in memory only: the monotonic clock does not
// survive a restart, and a wall clock read at boot may be anything.
type clock struct {
	mu    sync.Mutex
	known bool
	// At the kiosk's instant ref (with its monotonic reading when it came
	// from time.Now), the backend's time was within [lo, hi].
	ref, lo, hi time.Time
	// date is the Date of the latest answer: when it was last measured.
	date time.Time
}

// observe takes one exchange: the kiosk's clock when the request went and
// when the answer came, and the answer's Date header.
func (c *clock) observe(sent, received time.Time, date string) {
	d, err := http.ParseTime(date)
	rtt := received.Sub(sent)
	if err != nil || rtt < 0 {
		return
	}
	ref := sent.Add(rtt / 2)
	lo, hi := d.Add(-rtt/2), d.Add(time.Second+rtt/2)
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.After(c.date) {
		c.date = d
	}
	if c.known {
		// Bring the two to the later instant and keep what both allow;
		// when they disagree, the later measurement stands.
		if age := ref.Sub(c.ref); age >= 0 {
			olo, ohi := widen(c.lo, c.hi, age)
			lo, hi, _ = overlap(lo, hi, olo, ohi)
		} else {
			nlo, nhi := widen(lo, hi, -age)
			var ok bool
			if lo, hi, ok = overlap(c.lo, c.hi, nlo, nhi); !ok {
				return
			}
			ref = c.ref
		}
	}
	c.known, c.ref, c.lo, c.hi = true, ref, lo, hi
}

// widen moves an interval of the backend's time by age (back when
// negative), growing it by the drift the kiosk's clock may have had over
// that time.
func widen(lo, hi time.Time, age time.Duration) (time.Time, time.Time) {
	w := age / driftRate
	if w < 0 {
		w = -w
	}
	return lo.Add(age - w), hi.Add(age + w)
}

// overlap is the intersection of [alo, ahi] and [blo, bhi]; when they do
// not meet it returns the first one and false.
func overlap(alo, ahi, blo, bhi time.Time) (time.Time, time.Time, bool) {
	lo, hi := alo, ahi
	if blo.After(lo) {
		lo = blo
	}
	if bhi.Before(hi) {
		hi = bhi
	}
	if lo.After(hi) {
		return alo, ahi, false
	}
	return lo, hi, true
}

// at is the kiosk's offset from the backend at the kiosk's time t; nil
// before the first answer.
func (c *clock) at(t time.Time) *api.Clock {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.known {
		return nil
	}
	age := t.Sub(c.ref) // monotonic when both readings have it
	lo, hi := widen(c.lo, c.hi, age)
	half := hi.Sub(lo) / 2
	// mid has no monotonic reading, so this is the wall clocks' difference.
	off := lo.Add(half).Sub(t)
	return &api.Clock{
		OffsetMs:      off.Round(time.Millisecond).Milliseconds(),
		UncertaintyMs: (half + time.Millisecond - 1).Milliseconds(), // rounded up: never claim better than known
		MeasuredAt:    c.date,
	}
}
