package workday_test

import (
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

func kz(t *testing.T) *workday.Calendar {
	t.Helper()
	data, err := config.KazakhstanCalendar()
	if err != nil {
		t.Fatalf("KazakhstanCalendar() error = %v", err)
	}
	c, err := workday.New(data)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return c
}

func day(s string) config.Day {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return workday.DayOf(t)
}

func TestIsWorkingDay(t *testing.T) {
	c := kz(t)
	tests := []struct {
		day  string
		want bool
		why  string
	}{
		{"2026-11-25", true, "an ordinary Wednesday"},
		{"2026-11-28", false, "Saturday"},
		{"2026-11-29", false, "Sunday"},
		{"2026-01-01", false, "New Year"},
		{"2026-01-02", false, "New Year"},
		{"2026-01-07", false, "Orthodox Christmas"},
		{"2026-03-08", false, "8 March on a Sunday"},
		{"2026-03-09", false, "8 March moved from Sunday"},
		{"2026-03-10", true, "after the moved day"},
		{"2026-03-23", false, "Nauryz on a Monday"},
		{"2026-03-24", false, "21 March moved from Saturday"},
		{"2026-03-25", false, "22 March moved from Sunday"},
		{"2026-03-26", true, "Nauryz over"},
		{"2026-05-11", false, "9 May moved from Saturday"},
		{"2026-05-27", false, "Kurban Ait"},
		{"2026-08-31", true, "30 August is no longer a day off from 2026"},
		{"2026-10-26", false, "25 October moved from Sunday"},
		{"2026-12-16", false, "Independence Day"},
		{"2026-12-17", true, "17 December is no longer a holiday"},
		{"2025-03-10", false, "8 March 2025 moved from Saturday"},
		{"2025-03-24", false, "22 March 2025 moved from Saturday"},
		{"2025-03-25", false, "23 March 2025 moved from Sunday"},
		{"2025-03-26", true, "Nauryz 2025 over"},
		{"2025-06-06", false, "Kurban Ait 2025"},
		{"2025-07-07", false, "6 July 2025 moved from Sunday"},
		{"2025-09-01", false, "30 August 2025 moved from Saturday"},
		{"2025-10-27", false, "25 October 2025 moved from Saturday"},
		{"2025-01-03", false, "2025 transfer: day off"},
		{"2025-01-05", true, "2025 transfer: working Sunday"},
		{"2027-01-04", false, "2 January 2027 moved from Saturday"},
		{"2027-01-05", true, "only one New Year day moved in 2027"},
		{"2027-01-07", false, "Orthodox Christmas on a Thursday"},
		{"2027-03-24", false, "21 March 2027 moved from Sunday"},
		{"2027-05-03", false, "1 May 2027 moved from Saturday"},
		{"2027-05-10", false, "9 May 2027 moved from Sunday"},
		{"2027-05-17", true, "Kurban Ait 2027 on a Sunday does not move"},
		{"2030-01-07", false, "uncovered year: fixed holidays still apply"},
		{"2033-01-10", true, "uncovered year: 7 January on a Friday, the Monday after works"},
	}
	for _, tt := range tests {
		t.Run(tt.day+" "+tt.why, func(t *testing.T) {
			if got := c.IsWorkingDay(day(tt.day)); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tt.day, got, tt.want, tt.why)
			}
		})
	}
}

func TestReligiousHolidaysDoNotMove(t *testing.T) {
	// 7 January 2029 is a Sunday: the Monday after stays a working day.
	c := kz(t)
	if !c.IsWorkingDay(day("2029-01-08")) {
		t.Errorf("IsWorkingDay(2029-01-08) = false, want true (7 January does not move)")
	}
	// 2 January 2028 is a Sunday, 1 January a Saturday: both move, to 3 and 4 January.
	for _, d := range []string{"2028-01-03", "2028-01-04"} {
		if c.IsWorkingDay(day(d)) {
			t.Errorf("IsWorkingDay(%s) = true, want false (New Year moved)", d)
		}
	}
	if !c.IsWorkingDay(day("2028-01-05")) {
		t.Errorf("IsWorkingDay(2028-01-05) = false, want true")
	}
}

func TestCovers(t *testing.T) {
	c := kz(t)
	for _, tt := range []struct {
		year int
		want bool
	}{{2024, false}, {2025, true}, {2026, true}, {2027, true}, {2028, false}} {
		if got := c.Covers(tt.year); got != tt.want {
			t.Errorf("Covers(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestReadyDate(t *testing.T) {
	c := kz(t)
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	closing := ordinary(t)
	tests := []struct {
		at        string
		countsFor string
		ready     string
	}{
		{"2026-11-25T10:00:00+05:00", "2026-11-25", "2026-11-26"},
		{"2026-11-25T17:59:59+05:00", "2026-11-25", "2026-11-26"},
		{"2026-11-25T18:00:00+05:00", "2026-11-26", "2026-11-27"},
		{"2026-11-27T10:00:00+05:00", "2026-11-27", "2026-11-30"},
		{"2026-11-28T10:00:00+05:00", "2026-11-30", "2026-12-01"},
		{"2026-12-15T10:00:00+05:00", "2026-12-15", "2026-12-17"},
		{"2026-12-31T19:00:00+05:00", "2027-01-05", "2027-01-06"},
		{"2026-03-20T12:00:00+05:00", "2026-03-20", "2026-03-26"},
		{"2026-11-25T04:00:00Z", "2026-11-25", "2026-11-26"},      // 09:00 in Almaty
		{"2026-11-25T13:30:00Z", "2026-11-26", "2026-11-27"},      // 18:30 in Almaty
		{"2027-05-14T09:00:00+05:00", "2027-05-14", "2027-05-17"}, // Kurban Ait on Sunday
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			at = at.In(almaty)
			if got := c.CountsFor(at, closing).String(); got != tt.countsFor {
				t.Errorf("CountsFor(%s) = %s, want %s", tt.at, got, tt.countsFor)
			}
			if got := c.ReadyDate(at, closing).String(); got != tt.ready {
				t.Errorf("ReadyDate(%s) = %s, want %s", tt.at, got, tt.ready)
			}
		})
	}
}

func TestTransfersFromData(t *testing.T) {
	// A made-up year shows the transfers come from the data alone.
	data := &config.Calendar{
		Fixed: []config.FixedHoliday{{Month: time.January, Day: 1, Moves: true}},
		Years: map[int]config.CalendarYear{2031: {
			KurbanAit:   day("2031-03-28"),
			DaysOff:     []config.Day{day("2031-01-02")},
			WorkingDays: []config.Day{day("2031-01-04")},
		}},
	}
	c, err := workday.New(data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		day  string
		want bool
	}{
		{"2031-01-01", false}, {"2031-01-02", false}, {"2031-01-03", true},
		{"2031-01-04", true}, {"2031-01-05", false}, {"2031-03-28", false},
		{"2031-03-27", true},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			if got := c.IsWorkingDay(day(tt.day)); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
	if got := c.NextWorkingDay(day("2031-01-03")).String(); got != "2031-01-04" {
		t.Errorf("NextWorkingDay(2031-01-03) = %s, want 2031-01-04 (working Saturday)", got)
	}
}

func TestNewNil(t *testing.T) {
	if _, err := workday.New(nil); err == nil {
		t.Errorf("New(nil) error = nil, want ErrNoCalendar")
	}
}

// TestConstitution2026 covers the calendar changes of the 2026 Constitution
// and the 2025 transfer: the working-day answers and the ready date a
// visitor is told.
func TestConstitution2026(t *testing.T) {
	c := kz(t)
	almaty := time.FixedZone("+05", 5*60*60)
	tests := []struct {
		why       string
		at        string // an application at 10:00 on this day
		working   bool   // whether that day is a working day
		countsFor string
		ready     string
	}{
		{"30 August 2025, a Saturday, still moved to Monday 1 September", "2025-08-29", true, "2025-08-29", "2025-09-02"},
		{"1 September 2025 is the moved day off", "2025-09-01", false, "2025-09-02", "2025-09-03"},
		{"30 August 2026 is an ordinary Sunday", "2026-08-30", false, "2026-08-31", "2026-09-01"},
		{"Friday 28 August 2026 is ready on Monday 31 August", "2026-08-28", true, "2026-08-28", "2026-08-31"},
		{"31 August 2026 is a working day", "2026-08-31", true, "2026-08-31", "2026-09-01"},
		{"30 August 2027, a Monday, is a working day", "2027-08-30", true, "2027-08-30", "2027-08-31"},
		{"15 March 2026 (Sunday) is no holiday, so Monday 16 March works", "2026-03-13", true, "2026-03-13", "2026-03-16"},
		{"16 March 2026 is a working day", "2026-03-16", true, "2026-03-16", "2026-03-17"},
		{"Constitution Day 15 March 2027, a Monday", "2027-03-15", false, "2027-03-16", "2027-03-17"},
		{"Friday 12 March 2027 is ready after Constitution Day", "2027-03-12", true, "2027-03-12", "2027-03-16"},
		{"2025 transfer: Friday 3 January off", "2025-01-03", false, "2025-01-05", "2025-01-06"},
		{"2025 transfer: Sunday 5 January worked", "2025-01-05", true, "2025-01-05", "2025-01-06"},
		{"2025 transfer: Saturday 4 January counts for the working Sunday", "2025-01-04", false, "2025-01-05", "2025-01-06"},
		{"Monday 6 January 2025 is ready after Christmas", "2025-01-06", true, "2025-01-06", "2025-01-08"},
		{"Kurban Ait 27 May 2026", "2026-05-27", false, "2026-05-28", "2026-05-29"},
		{"Kurban Ait 6 June 2025, a Friday", "2025-06-05", true, "2025-06-05", "2025-06-09"},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			if got := c.IsWorkingDay(day(tt.at)); got != tt.working {
				t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tt.at, got, tt.working, tt.why)
			}
			d := day(tt.at)
			at := time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, almaty)
			if got := c.CountsFor(at, ordinary(t)).String(); got != tt.countsFor {
				t.Errorf("CountsFor(%s 10:00) = %s, want %s (%s)", tt.at, got, tt.countsFor, tt.why)
			}
			if got := c.ReadyDate(at, ordinary(t)).String(); got != tt.ready {
				t.Errorf("ReadyDate(%s 10:00) = %s, want %s (%s)", tt.at, got, tt.ready, tt.why)
			}
		})
	}
}

func TestHolidayYears(t *testing.T) {
	// A made-up holiday that holds from 2031 to 2032 only.
	data := &config.Calendar{Fixed: []config.FixedHoliday{
		{Month: time.January, Day: 1, Moves: true},
		{Month: time.June, Day: 4, Moves: true, From: 2031, Until: 2032},
	}}
	c, err := workday.New(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		day  string
		want bool
	}{
		{"2030-06-04", true}, {"2031-06-04", false}, {"2032-06-04", false},
		// 4 June 2033 is a Saturday: a holiday that no longer holds moves nothing.
		{"2033-06-06", true},
	} {
		if got := c.IsWorkingDay(day(tt.day)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}
