package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

func TestKazakhstanCalendar(t *testing.T) {
	c, err := config.KazakhstanCalendar()
	if err != nil {
		t.Fatalf("KazakhstanCalendar() error = %v, want nil", err)
	}
	// The holidays of the law "On holidays", as listed in the issue.
	want := map[string]bool{
		"01-01": true, "01-02": true, "01-07": false, "03-08": true,
		"03-15": true, "03-21": true, "03-22": true, "03-23": true, "05-01": true,
		"05-07": true, "05-09": true, "07-06": true, "08-30": true,
		"10-25": true, "12-16": true,
	}
	// The 2026 Constitution: 30 August is a day off until 2025, Constitution
	// Day is 15 March from 2027; every other holiday holds in every year.
	years := map[string][2]int{"08-30": {0, 2025}, "03-15": {2027, 0}}
	if len(c.Fixed) != len(want) {
		t.Errorf("len(Fixed) = %d, want %d", len(c.Fixed), len(want))
	}
	for _, h := range c.Fixed {
		key := (config.Day{Year: 2001, Month: h.Month, Day: h.Day}).String()[5:]
		moves, ok := want[key]
		if !ok {
			t.Errorf("Fixed holds %s, want no such holiday", key)
			continue
		}
		if h.Moves != moves {
			t.Errorf("Fixed %s Moves = %v, want %v", key, h.Moves, moves)
		}
		if got := [2]int{h.From, h.Until}; got != years[key] {
			t.Errorf("Fixed %s From, Until = %v, want %v", key, got, years[key])
		}
	}
	for _, y := range []int{2025, 2026, 2027} {
		cy, ok := c.Years[y]
		if !ok {
			t.Errorf("Years[%d] missing, want the year covered", y)
			continue
		}
		if cy.KurbanAit.Year != y {
			t.Errorf("Years[%d].KurbanAit = %v, want a day in %d", y, cy.KurbanAit, y)
		}
	}
}

func TestParseCalendarErrors(t *testing.T) {
	const fixed = "[[fixed]]\ndate = \"01-01\"\nname = \"New Year\"\nmoves = true\n"
	tests := []struct {
		name, in, want string
	}{
		{"unknown key", fixed + "colour = 1\n", "colour"},
		{"no fixed", "", "no [[fixed]]"},
		{"bad month day", "[[fixed]]\ndate = \"02-30\"\nmoves = true\n", "fixed[0].date"},
		{"leap day", "[[fixed]]\ndate = \"02-29\"\nmoves = true\n", "every year"},
		{"moves unset", "[[fixed]]\ndate = \"01-01\"\n", "moves = true or false"},
		{"twice", fixed + fixed, "listed twice"},
		{"bad year", fixed + "[years.20x5]\nkurban_ait = \"2025-06-06\"\n", "not a year"},
		{"kurban other year", fixed + "[years.2025]\nkurban_ait = \"2026-06-06\"\n", "not in 2025"},
		{"kurban missing", fixed + "[years.2025]\n", "kurban_ait"},
		{"day off on saturday", fixed + "[years.2025]\nkurban_ait = \"2025-06-06\"\ndays_off = [\"2025-01-04\"]\n", "did you mean working_days"},
		{"working on monday", fixed + "[years.2025]\nkurban_ait = \"2025-06-06\"\nworking_days = [\"2025-01-06\"]\n", "did you mean days_off"},
		{"from not a year", fixed + "[[fixed]]\ndate = \"03-15\"\nmoves = true\nfrom = 27\n", "fixed[1].from: 27 is not a year"},
		{"until not a year", fixed + "[[fixed]]\ndate = \"03-15\"\nmoves = true\nuntil = 20250\n", "fixed[1].until: 20250 is not a year"},
		{"from after until", fixed + "[[fixed]]\ndate = \"03-15\"\nmoves = true\nfrom = 2027\nuntil = 2026\n", "from 2027 is after until 2026"},
		{"twice in overlapping years", fixed + "[[fixed]]\ndate = \"01-01\"\nmoves = true\nfrom = 2030\n", "listed twice"},
		{"impossible date", fixed + "[years.2025]\nkurban_ait = \"2025-02-31\"\n", "not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.ParseCalendar([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, config.ErrCalendar) {
				t.Errorf("ParseCalendar(%q) error = %v, want ErrCalendar mentioning %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestParseCalendarOK(t *testing.T) {
	in := "[[fixed]]\ndate = \"12-16\"\nmoves = true\n[[fixed]]\ndate = \"01-07\"\nmoves = false\n" +
		"[[fixed]]\ndate = \"06-04\"\nmoves = true\nuntil = 2030\n[[fixed]]\ndate = \"06-04\"\nmoves = false\nfrom = 2031\n" +
		"[years.2030]\nkurban_ait = \"2030-04-13\"\ndays_off = [\"2030-01-03\"]\nworking_days = [\"2030-01-05\"]\n"
	c, err := config.ParseCalendar([]byte(in))
	if err != nil {
		t.Fatalf("ParseCalendar() error = %v, want nil", err)
	}
	if c.Fixed[0].Month != time.January || c.Fixed[3].Month != time.December {
		t.Errorf("Fixed = %+v, want sorted January first", c.Fixed)
	}
	if h := c.Fixed[1]; h.Until != 2030 || !h.Moves || !h.HoldsIn(2030) || h.HoldsIn(2031) {
		t.Errorf("Fixed[1] = %+v, want 06-04 until 2030 that moves", h)
	}
	if h := c.Fixed[2]; h.From != 2031 || h.Moves || h.HoldsIn(2030) || !h.HoldsIn(2031) {
		t.Errorf("Fixed[2] = %+v, want 06-04 from 2031 that does not move", h)
	}
	y := c.Years[2030]
	if got := y.DaysOff[0].String(); got != "2030-01-03" {
		t.Errorf("DaysOff[0] = %s, want 2030-01-03", got)
	}
	if got := y.WorkingDays[0].String(); got != "2030-01-05" {
		t.Errorf("WorkingDays[0] = %s, want 2030-01-05", got)
	}
}
