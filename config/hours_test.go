package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

// TestClosingTimeObsolete: a file from before the weekday hours still loads
// with its closing_time said as obsolete and pointing at [flow.hours].
func TestClosingTimeObsolete(t *testing.T) {
	c, err := config.Parse("kiosk.toml", []byte("[flow]\nclosing_time = \"20:00\"\nmax_scan_failures = 3\n"))
	if err != nil {
		t.Fatalf("Parse: %v, want closing_time ignored", err)
	}
	if len(c.Notices) != 1 || c.Notices[0].Key != "flow.closing_time" || c.Notices[0].Line != 2 || !strings.Contains(c.Notices[0].Msg, "[flow.hours]") {
		t.Errorf("notices = %+v, want flow.closing_time at line 2 pointing at [flow.hours]", c.Notices)
	}
	if c.Flow.MaxScanFailures != 3 || c.Flow.Hours != config.OrdinaryHours() {
		t.Errorf("flow = %+v, want the rest read and the ordinary hours", c.Flow)
	}
}

// TestHoursFileReplacesDays: the keys of [flow.hours] replace their days'
// defaults one by one, so a duty centre writes only what differs.
func TestHoursFileReplacesDays(t *testing.T) {
	c, err := config.Parse("kiosk.toml", []byte("[flow.hours]\nfri = \"09:00-20:00\"\nsat = \"09:00-13:00\"\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	s, err := c.Flow.Hours.Schedule()
	if err != nil {
		t.Fatalf("Schedule: %v", err)
	}
	h := func(d time.Duration) time.Duration { return d * time.Hour }
	want := map[time.Weekday]config.Span{
		time.Monday: {Open: h(9), Close: h(18)}, time.Friday: {Open: h(9), Close: h(20)},
		time.Saturday: {Open: h(9), Close: h(13)}, time.Sunday: {},
	}
	for wd, sp := range want {
		if got := s.On(wd); got != sp {
			t.Errorf("%v = %+v, want %+v", wd, got, sp)
		}
	}
}

// TestHoursErrors: Schedule names every bad day, for callers outside the
// config file (the backend's registry).
func TestHoursErrors(t *testing.T) {
	_, err := config.Hours{Mon: "18:00-09:00", Tue: "9-18", Wed: "09:00-18:00"}.Schedule()
	var he *config.HoursError
	if !errors.As(err, &he) || he.Day != "mon" {
		t.Fatalf("err = %v, want the first *HoursError for mon", err)
	}
	if !strings.Contains(err.Error(), "hours.tue") {
		t.Errorf("err = %v, want tue named too", err)
	}
	if _, err := (config.Hours{Sun: "closed"}).Schedule(); !errors.Is(err, config.ErrNeverOpen) {
		t.Errorf("all closed: err = %v, want ErrNeverOpen", err)
	}
}
