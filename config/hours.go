package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Hours is a branch's opening hours for each day of the week, in the
// branch's zone: "09:00-18:00" (24-hour, open to close), or "closed". An
// empty entry is closed too. Holidays of the working-day calendar are
// closed whatever the weekday says (flows/workday).
//
// In the kiosk's file it is the [flow.hours] table, whose keys mon … sun
// replace the defaults one by one; in the backend's registry it is a
// branch's "hours" object with the same keys, whose days left out keep
// the same defaults (Or), so the two read alike. The registry's decide the
// day whose queue a ticket joins; the kiosk's must be the same.
type Hours struct {
	Mon string `toml:"mon" json:"mon,omitempty"`
	Tue string `toml:"tue" json:"tue,omitempty"`
	Wed string `toml:"wed" json:"wed,omitempty"`
	Thu string `toml:"thu" json:"thu,omitempty"`
	Fri string `toml:"fri" json:"fri,omitempty"`
	Sat string `toml:"sat" json:"sat,omitempty"`
	Sun string `toml:"sun" json:"sun,omitempty"`
}

// HoursClosed is the value of a day the branch does not open.
const HoursClosed = "closed"

// OrdinaryHours are an ordinary centre's: 09:00 to 18:00 on weekdays
// (shared/CONTEXT.md, "Hours").
func OrdinaryHours() Hours {
	const day = "09:00-18:00"
	return Hours{Mon: day, Tue: day, Wed: day, Thu: day, Fri: day, Sat: HoursClosed, Sun: HoursClosed}
}

// DutyHours are a duty centre's: 09:00 to 20:00 on weekdays and 09:00 to
// 13:00 on Saturdays.
func DutyHours() Hours {
	const day = "09:00-20:00"
	return Hours{Mon: day, Tue: day, Wed: day, Thu: day, Fri: day, Sat: "09:00-13:00", Sun: HoursClosed}
}

// DemoHours are the demo's, no real centre's: open round the clock every
// day (holidays of the calendar still close), so that whoever tries the
// demo, at any hour, gets a ticket the demo's clerk can call the same day.
// The demo kiosk (kiosk/demo) and the demo branch (central.Demo) both use
// them, whatever [flow.hours] says.
func DemoHours() Hours {
	const day = "00:00-24:00"
	return Hours{Mon: day, Tue: day, Wed: day, Thu: day, Fri: day, Sat: day, Sun: day}
}

// Or returns h with each day not given ("") taken from def: a registry
// entry that names only "sat" keeps def's weekdays, as a [flow.hours]
// table naming only sat keeps the kiosk's defaults.
func (h Hours) Or(def Hours) Hours {
	for _, p := range [...]struct {
		v *string
		d string
	}{
		{&h.Mon, def.Mon}, {&h.Tue, def.Tue}, {&h.Wed, def.Wed}, {&h.Thu, def.Thu},
		{&h.Fri, def.Fri}, {&h.Sat, def.Sat}, {&h.Sun, def.Sun},
	} {
		if strings.TrimSpace(*p.v) == "" {
			*p.v = p.d
		}
	}
	return h
}

// Span is one day's opening, as durations since midnight; Close is after
// Open. The zero Span is a closed day.
type Span struct{ Open, Close time.Duration }

// IsClosed reports whether the span is a closed day.
func (s Span) IsClosed() bool { return s.Close <= s.Open }

// Schedule is Hours parsed: one Span per time.Weekday (Sunday first, as
// Go numbers them).
type Schedule [7]Span

// On returns the opening of weekday wd.
func (s Schedule) On(wd time.Weekday) Span { return s[wd] }

// AlwaysClosed reports whether no weekday opens: nothing could ever count.
func (s Schedule) AlwaysClosed() bool {
	for _, sp := range s {
		if !sp.IsClosed() {
			return false
		}
	}
	return true
}

// HoursError is one weekday's entry that does not parse.
type HoursError struct {
	Day   string // "mon" … "sun", the key of the entry
	Value string
	Msg   string
}

func (e *HoursError) Error() string { return fmt.Sprintf("hours.%s = %q: %s", e.Day, e.Value, e.Msg) }

// ErrNeverOpen is returned by Schedule for hours closed on every day.
var ErrNeverOpen = errors.New(`hours: closed on every day; open at least one, e.g. mon = "09:00-18:00"`)

// hoursKeys are the entries' keys in time.Weekday order.
var hoursKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func (h Hours) entries() [7]string {
	return [7]string{h.Sun, h.Mon, h.Tue, h.Wed, h.Thu, h.Fri, h.Sat}
}

// Schedule parses the hours. Its error joins one *HoursError per bad entry
// (or is ErrNeverOpen), so a technician fixes every day in one pass.
func (h Hours) Schedule() (Schedule, error) {
	var s Schedule
	var errs []error
	for wd, v := range h.entries() {
		sp, msg := parseSpan(v)
		if msg != "" {
			errs = append(errs, &HoursError{Day: hoursKeys[wd], Value: v, Msg: msg})
			continue
		}
		s[wd] = sp
	}
	if len(errs) == 0 && s.AlwaysClosed() {
		errs = append(errs, ErrNeverOpen)
	}
	return s, errors.Join(errs...)
}

// parseSpan reads "HH:MM-HH:MM" or "closed"; the message says what is
// wrong, "" when nothing is.
func parseSpan(v string) (Span, string) {
	v = strings.TrimSpace(v)
	if v == "" || v == HoursClosed {
		return Span{}, ""
	}
	open, close, ok := strings.Cut(v, "-")
	if !ok {
		return Span{}, `use "HH:MM-HH:MM" (24-hour, opening to closing, e.g. "09:00-18:00") or "closed"`
	}
	o, ok1 := clock(strings.TrimSpace(open))
	c, ok2 := clock(strings.TrimSpace(close))
	switch {
	case !ok1 || !ok2:
		return Span{}, `not a time of day: use 24-hour "HH:MM-HH:MM", e.g. "09:00-18:00" (24:00 for midnight), or "closed"`
	case c <= o:
		return Span{}, "closes before it opens (or when it opens): write the opening time first, e.g. \"09:00-18:00\""
	}
	return Span{Open: o, Close: c}, ""
}

// clock reads a 24-hour "HH:MM"; "24:00" is the day's end, so a branch
// open to midnight can say so.
func clock(v string) (time.Duration, bool) {
	if len(v) != 5 || v[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(v[:2])
	m, err2 := strconv.Atoi(v[3:])
	if err1 != nil || err2 != nil || v[0] == '+' || v[0] == '-' || v[3] == '+' || v[3] == '-' ||
		h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// hours reports each bad weekday of h under key ("flow.hours.sat"), and
// hours that never open under key itself.
func (k *checker) hours(key string, h Hours) {
	_, err := h.Schedule()
	if err == nil {
		return
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var he *HoursError
		if errors.As(e, &he) {
			k.add(joinKey(key, he.Day), []string{key}, "%q: %s", he.Value, he.Msg)
			continue
		}
		k.addf(key, "closed on every day; open at least one, e.g. mon = \"09:00-18:00\"")
	}
}
