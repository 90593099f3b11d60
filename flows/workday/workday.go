package workday

import (
	"errors"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

// ErrNoCalendar is returned by New when given no calendar.
var ErrNoCalendar = errors.New("workday: no calendar; build one with config.KazakhstanCalendar")

// Calendar answers which days are working days. It is built once from the
// calendar data and never changes, so it is safe for concurrent use.
type Calendar struct {
	fixed []config.FixedHoliday
	years map[int]*yearDays
}

// yearDays marks the days off of one year, indexed by day of the year (1…366).
type yearDays struct {
	off     [367]bool
	holiday [367]bool // public holidays themselves, on weekends too: every branch closes
}

// Kazakhstan returns the calendar of the embedded Kazakh working-day data
// (config.KazakhstanCalendar): what every branch uses unless told otherwise.
func Kazakhstan() (*Calendar, error) {
	data, err := config.KazakhstanCalendar()
	if err != nil {
		return nil, err
	}
	return New(data)
}

// New builds the working days of every year the data cover. Years it does
// not cover are computed from the fixed rules alone when asked.
func New(c *config.Calendar) (*Calendar, error) {
	if c == nil {
		return nil, ErrNoCalendar
	}
	cal := &Calendar{
		fixed: append([]config.FixedHoliday(nil), c.Fixed...),
		years: make(map[int]*yearDays, len(c.Years)),
	}
	for y, cy := range c.Years {
		cal.years[y] = computeYear(y, cal.fixed, &cy)
	}
	return cal, nil
}

// Covers reports whether the data hold the year's movable holiday and
// transfers; for a year not covered the answers may miss Kurban Ait and the
// year's transfers of days off, and the data need updating.
func (c *Calendar) Covers(year int) bool {
	_, ok := c.years[year]
	return ok
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d config.Day) bool {
	y := c.year(d.Year)
	return !y.off[yearDay(d)]
}

// NextWorkingDay returns the first working day strictly after d.
func (c *Calendar) NextWorkingDay(d config.Day) config.Day {
	return c.firstWorkingDay(d, 1)
}

// OnOrAfter returns d when it is a working day, else the next working day.
func (c *Calendar) OnOrAfter(d config.Day) config.Day {
	return c.firstWorkingDay(d, 0)
}

// Opening returns the branch's opening hours on day d under its weekly
// schedule: closed on a public holiday and on a weekday the calendar gives
// off (a moved holiday, a transfer); a Saturday or Sunday the calendar makes
// a working day keeps Monday's hours (the transfer order names the day, not
// the hours, so the branch works a full weekday); any other day the
// weekday's.
func (c *Calendar) Opening(d config.Day, s config.Schedule) config.Span {
	y, yd := c.year(d.Year), yearDay(d)
	wd := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	switch {
	case y.holiday[yd]:
		return config.Span{}
	case !y.off[yd] && weekend:
		return s.On(time.Monday)
	case y.off[yd] && !weekend:
		return config.Span{}
	}
	return s.On(wd)
}

// IsOpen reports whether the branch is open at the instant at (in at's
// zone): a day it opens, at or after opening and before closing.
func (c *Calendar) IsOpen(at time.Time, s config.Schedule) bool {
	sp := c.Opening(DayOf(at), s)
	t := sinceMidnight(at)
	return !sp.IsClosed() && t >= sp.Open && t < sp.Close
}

// CountsFor returns the day an application made at the instant at counts
// for: the day it is made (in at's zone) when the branch opens that day and
// has not yet closed (an application before opening counts for the day
// ahead), otherwise the next day the branch opens. That day is the ticket's
// queue day; it is a working day unless the branch opens on Saturdays.
func (c *Calendar) CountsFor(at time.Time, s config.Schedule) config.Day {
	d := DayOf(at)
	if sp := c.Opening(d, s); !sp.IsClosed() && sinceMidnight(at) < sp.Close {
		return d
	}
	return c.nextOpenDay(d, s)
}

// ReadyDate returns the day an IIN applied for at the instant at is ready:
// the first working day after the day the application counts for ("within
// one working day"). An application on a duty centre's Saturday is ready on
// Monday, a working day later.
func (c *Calendar) ReadyDate(at time.Time, s config.Schedule) config.Day {
	return c.NextWorkingDay(c.CountsFor(at, s))
}

// NextOpening returns when the branch next opens, in at's zone, for an
// instant outside its opening hours; ok is false when the branch is open
// at at (or, for a schedule closed on every day, never opens).
func (c *Calendar) NextOpening(at time.Time, s config.Schedule) (opens time.Time, ok bool) {
	if c.IsOpen(at, s) || s.AlwaysClosed() {
		return time.Time{}, false
	}
	d := DayOf(at)
	if sp := c.Opening(d, s); sp.IsClosed() || sinceMidnight(at) >= sp.Close {
		d = c.nextOpenDay(d, s)
	}
	sp := c.Opening(d, s)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, at.Location()).Add(sp.Open), true
}

// nextOpenDay returns the first day strictly after d on which the branch
// opens. Validation refuses a schedule that never opens, and a calendar
// has no year without working days, but the loop is bounded all the same.
func (c *Calendar) nextOpenDay(d config.Day, s config.Schedule) config.Day {
	t := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	for range 800 {
		t = t.AddDate(0, 0, 1)
		if n := DayOf(t); !c.Opening(n, s).IsClosed() {
			return n
		}
	}
	return c.NextWorkingDay(d)
}

func sinceMidnight(t time.Time) time.Duration {
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
}

// DayOf returns the calendar day of t in t's own zone.
func DayOf(t time.Time) config.Day {
	y, m, d := t.Date()
	return config.Day{Year: y, Month: m, Day: d}
}

// firstWorkingDay scans from d plus skip days. A country never has a year
// without working days, but the loop is bounded all the same.
func (c *Calendar) firstWorkingDay(d config.Day, skip int) config.Day {
	year, yd := d.Year, yearDay(d)+skip
	y := c.year(year)
	for range 800 {
		if yd > daysIn(year) {
			year, yd = year+1, 1
			y = c.year(year)
		}
		if !y.off[yd] {
			t := time.Date(year, time.January, yd, 12, 0, 0, 0, time.UTC)
			return DayOf(t)
		}
		yd++
	}
	return d
}

func (c *Calendar) year(y int) *yearDays {
	if yd, ok := c.years[y]; ok {
		return yd
	}
	return computeYear(y, c.fixed, nil)
}

// computeYear applies the rules in order: weekends and the holidays that
// hold in the year are days off; each such holiday that moves and falls on a
// weekend gives the next day that is neither a weekend, a holiday nor an
// already given day off (Law "On holidays", art. 5); then the year's
// transfers add days off and make weekend days working days.
func computeYear(year int, fixed []config.FixedHoliday, cy *config.CalendarYear) *yearDays {
	n := daysIn(year)
	jan1 := time.Date(year, time.January, 1, 12, 0, 0, 0, time.UTC).Weekday()
	weekend := func(yd int) bool {
		wd := (int(jan1) + yd - 1) % 7
		return wd == int(time.Saturday) || wd == int(time.Sunday)
	}
	var holiday [367]bool
	for _, h := range fixed {
		if h.HoldsIn(year) {
			holiday[yearDay(config.Day{Year: year, Month: h.Month, Day: h.Day})] = true
		}
	}
	if cy != nil && cy.KurbanAit.Year == year {
		holiday[yearDay(cy.KurbanAit)] = true
	}
	y := &yearDays{holiday: holiday}
	for yd := 1; yd <= n; yd++ {
		y.off[yd] = weekend(yd) || holiday[yd]
	}
	for _, h := range fixed { // sorted by date, so earlier holidays take the earlier days
		yd := yearDay(config.Day{Year: year, Month: h.Month, Day: h.Day})
		if !h.Moves || !h.HoldsIn(year) || !weekend(yd) {
			continue
		}
		for e := yd + 1; e <= n; e++ {
			if !y.off[e] {
				y.off[e] = true
				break
			}
		}
	}
	if cy != nil {
		for _, d := range cy.DaysOff {
			if d.Year == year {
				y.off[yearDay(d)] = true
			}
		}
		for _, d := range cy.WorkingDays {
			if d.Year == year {
				y.off[yearDay(d)] = false
			}
		}
	}
	return y
}

func yearDay(d config.Day) int {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).YearDay()
}

func daysIn(year int) int {
	return time.Date(year, time.December, 31, 12, 0, 0, 0, time.UTC).YearDay()
}
