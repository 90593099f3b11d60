package config

import (
	"bytes"
	_ "embed" // the Kazakhstan calendar ships inside the binary
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// calendarKZ is the shipped calendar. A string, not a []byte, so nothing can
// change it at run time.
//
//go:embed calendar_kz.toml
var calendarKZ string

// Day is a calendar day with no time and no zone: the unit the working-day
// calendar speaks in.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// String returns the day as "YYYY-MM-DD".
func (d Day) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// FixedHoliday is a public holiday on the same day every year.
type FixedHoliday struct {
	Month time.Month
	Day   int
	Name  string // English name, for technicians; never shown to visitors
	// Moves is true when the holiday, falling on a Saturday or Sunday, gives
	// the next working day off (Law "On holidays", art. 5); false for the
	// religious holidays, which never move (Labour Code, art. 84).
	Moves bool
	// From and Until are the first and the last year the holiday holds
	// for, 0 when open: the 2026 Constitution ended 30 August as a day off
	// after 2025 and made 15 March Constitution Day from 2027.
	From, Until int
}

// HoldsIn reports whether the holiday is a day off in year.
func (h FixedHoliday) HoldsIn(year int) bool {
	return (h.From == 0 || year >= h.From) && (h.Until == 0 || year <= h.Until)
}

// CalendarYear holds what changes from year to year: the first day of Kurban
// Ait (a holiday that never moves) and the year's transfers of days off (for
// 2025 an order of the Minister of Labour).
type CalendarYear struct {
	KurbanAit Day
	// DaysOff are weekdays made days off by the year's transfer.
	DaysOff []Day
	// WorkingDays are Saturdays or Sundays made working days by the transfer.
	WorkingDays []Day
}

// Calendar is a country's working-day calendar as data, so a new year's
// holidays and transfers are a data change, not a code change. The rules that turn it into
// working days live in flows/workday.
type Calendar struct {
	Fixed []FixedHoliday
	// Years maps a year to its movable holiday and transfers. A year absent
	// here is not covered: only the fixed rules apply to it.
	Years map[int]CalendarYear
}

// KazakhstanCalendar parses the shipped calendar_kz.toml. It returns a new
// value on each call; callers build it once at start-up.
func KazakhstanCalendar() (*Calendar, error) {
	return ParseCalendar([]byte(calendarKZ))
}

type calendarFile struct {
	Fixed []fixedFile         `toml:"fixed"`
	Years map[string]yearFile `toml:"years"`
}

type fixedFile struct {
	Date  string `toml:"date"`
	Name  string `toml:"name"`
	Moves *bool  `toml:"moves"`
	From  int    `toml:"from"`
	Until int    `toml:"until"`
}

type yearFile struct {
	KurbanAit   string   `toml:"kurban_ait"`
	DaysOff     []string `toml:"days_off"`
	WorkingDays []string `toml:"working_days"`
}

// ErrCalendar is wrapped by every error ParseCalendar returns.
var ErrCalendar = errors.New("config: calendar")

// ParseCalendar reads a calendar in the calendar_kz.toml layout, strictly:
// an unknown key, a day that does not exist, a transfer outside its year, a
// working day that is not a weekend or a day off that is not a weekday is an
// error naming the key to fix; so is a holiday's from or until that is not a
// year, from after until, or one day listed twice for overlapping years.
func ParseCalendar(data []byte) (*Calendar, error) {
	var f calendarFile
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			return nil, fmt.Errorf("%w: unknown key: %s", ErrCalendar, strict.String())
		}
		return nil, fmt.Errorf("%w: %v", ErrCalendar, err)
	}
	c := &Calendar{Years: make(map[int]CalendarYear, len(f.Years))}
	if len(f.Fixed) == 0 {
		return nil, fmt.Errorf("%w: no [[fixed]] holidays; the file needs at least New Year", ErrCalendar)
	}
	for i, h := range f.Fixed {
		m, d, err := parseMonthDay(h.Date)
		if err != nil {
			return nil, fmt.Errorf("%w: fixed[%d].date: %v", ErrCalendar, i, err)
		}
		if h.Moves == nil {
			return nil, fmt.Errorf("%w: fixed[%d] (%s): set moves = true or false", ErrCalendar, i, h.Date)
		}
		for _, y := range []struct {
			key string
			v   int
		}{{"from", h.From}, {"until", h.Until}} {
			if y.v != 0 && (y.v < 2000 || y.v > 2200) {
				return nil, fmt.Errorf("%w: fixed[%d].%s: %d is not a year (want e.g. 2027, or leave it out)", ErrCalendar, i, y.key, y.v)
			}
		}
		if h.From != 0 && h.Until != 0 && h.From > h.Until {
			return nil, fmt.Errorf("%w: fixed[%d] (%s): from %d is after until %d", ErrCalendar, i, h.Date, h.From, h.Until)
		}
		fh := FixedHoliday{Month: m, Day: d, Name: h.Name, Moves: *h.Moves, From: h.From, Until: h.Until}
		for _, o := range c.Fixed {
			if o.Month == m && o.Day == d && overlap(o, fh) {
				return nil, fmt.Errorf("%w: fixed[%d]: %s listed twice for the same years", ErrCalendar, i, h.Date)
			}
		}
		c.Fixed = append(c.Fixed, fh)
	}
	sort.Slice(c.Fixed, func(i, j int) bool {
		a, b := c.Fixed[i], c.Fixed[j]
		if a.Month != b.Month || a.Day != b.Day {
			return a.Month < b.Month || (a.Month == b.Month && a.Day < b.Day)
		}
		return a.From < b.From
	})
	for key, y := range f.Years {
		year, err := strconv.Atoi(key)
		if err != nil || year < 2000 || year > 2200 {
			return nil, fmt.Errorf("%w: years.%s: not a year (want e.g. [years.2026])", ErrCalendar, key)
		}
		cy, err := parseYear(year, y)
		if err != nil {
			return nil, fmt.Errorf("%w: years.%s.%v", ErrCalendar, key, err)
		}
		c.Years[year] = cy
	}
	return c, nil
}

// overlap reports whether two holidays hold in some year in common.
func overlap(a, b FixedHoliday) bool {
	last := func(h FixedHoliday) int {
		if h.Until == 0 {
			return 1 << 30
		}
		return h.Until
	}
	return max(a.From, b.From) <= min(last(a), last(b))
}

func parseYear(year int, y yearFile) (CalendarYear, error) {
	var cy CalendarYear
	var err error
	if cy.KurbanAit, err = parseDayIn(year, y.KurbanAit); err != nil {
		return cy, fmt.Errorf("kurban_ait: %v", err)
	}
	both := map[Day]bool{}
	for i, s := range y.DaysOff {
		d, err := parseDayIn(year, s)
		if err != nil {
			return cy, fmt.Errorf("days_off[%d]: %v", i, err)
		}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return cy, fmt.Errorf("days_off[%d]: %s is a %s, already a day off; did you mean working_days?", i, s, wd)
		}
		both[d] = true
		cy.DaysOff = append(cy.DaysOff, d)
	}
	for i, s := range y.WorkingDays {
		d, err := parseDayIn(year, s)
		if err != nil {
			return cy, fmt.Errorf("working_days[%d]: %v", i, err)
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return cy, fmt.Errorf("working_days[%d]: %s is a %s, already a working day; did you mean days_off?", i, s, wd)
		}
		if both[d] {
			return cy, fmt.Errorf("working_days[%d]: %s is also in days_off", i, s)
		}
		cy.WorkingDays = append(cy.WorkingDays, d)
	}
	return cy, nil
}

// parseDayIn parses "YYYY-MM-DD" and requires it to fall in year.
func parseDayIn(year int, s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Day{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	if t.Year() != year {
		return Day{}, fmt.Errorf("%s is not in %d", s, year)
	}
	return Day{t.Year(), t.Month(), t.Day()}, nil
}

// parseMonthDay parses "MM-DD", refusing 29 February (a holiday must exist
// every year).
func parseMonthDay(s string) (time.Month, int, error) {
	t, err := time.Parse("2006-01-02", "2001-"+s)
	if err != nil || len(s) != 5 {
		return 0, 0, fmt.Errorf("%q is not a month and day that exist every year (want MM-DD)", s)
	}
	return t.Month(), t.Day(), nil
}
