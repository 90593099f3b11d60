package demo_test

import (
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// TestSampleBookingSlots checks the demo's booked visits fall on the day
// the demo starts, whatever the hour: after 23:00 the half hour after next
// is tomorrow, and today's codes would answer "booked for another day".
func TestSampleBookingSlots(t *testing.T) {
	loc, err := zone.Load("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, m, s int) time.Time { return time.Date(2026, 12, 1, h, m, s, 0, loc) }
	tests := []struct {
		now  time.Time
		want []string
	}{
		{at(10, 0, 0), []string{"11:00", "11:30"}},
		{at(10, 10, 0), []string{"11:00", "11:30"}},
		{at(22, 10, 0), []string{"23:00", "23:30"}},
		{at(22, 50, 0), []string{"23:30", "23:59"}},
		{at(23, 30, 0), []string{"23:58", "23:59"}},
		{at(23, 59, 30), []string{"23:58", "23:59"}},
		{at(0, 0, 0), []string{"01:00", "01:30"}},
	}
	for _, tt := range tests {
		got := demo.SampleBookingSlots(tt.now, 2)
		if len(got) != len(tt.want) {
			t.Fatalf("SampleBookingSlots(%s) = %v, want %v", tt.now.Format("15:04:05"), got, tt.want)
		}
		for i, s := range got {
			s = s.In(loc)
			if s.Format("15:04") != tt.want[i] || s.YearDay() != tt.now.YearDay() {
				t.Errorf("SampleBookingSlots(%s)[%d] = %s, want %s on the same day", tt.now.Format("15:04:05"), i, s.Format("2006-01-02 15:04"), tt.want[i])
			}
		}
	}
}
