package uplink

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

// exchange simulates one request to a backend whose clock is the kiosk's
// plus off: the answer leaves after a random part of the round trip, its
// Date header cut to the second, as net/http writes it.
func exchange(c *clock, r *rand.Rand, sent time.Time, off time.Duration) time.Time {
	rtt := time.Duration(r.Int64N(int64(300 * time.Millisecond)))
	written := sent.Add(time.Duration(r.Int64N(int64(rtt) + 1)))
	received := sent.Add(rtt)
	c.observe(sent, received, written.Add(off).UTC().Format(http.TimeFormat))
	return received
}

// TestClockHonest: whatever the round trips and the sub-second phase of the
// backend's clock, the true offset is always within the reported
// uncertainty; many exchanges narrow it below the Date header's second; a
// backend clock that is set anew is followed at once.
func TestClockHonest(t *testing.T) {
	start := time.Date(2025, 9, 24, 4, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		off       time.Duration
		exchanges int
		within    time.Duration // the uncertainty it must get below
	}{
		{"one answer", 40*time.Minute + 123*time.Millisecond, 1, 651 * time.Millisecond},
		{"a morning of answers", -7*time.Second - 480*time.Millisecond, 500, 100 * time.Millisecond},
		{"a clock from 1970", 55*365*24*time.Hour + 999*time.Millisecond, 50, 400 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(tc.exchanges)))
			var c clock
			now := start
			for i := 0; i < tc.exchanges; i++ {
				now = exchange(&c, r, now, tc.off).Add(time.Duration(r.Int64N(int64(5 * time.Second))))
				got := c.at(now)
				if err := got.OffsetMs - tc.off.Milliseconds(); abs(err) > got.UncertaintyMs+1 {
					t.Fatalf("after %d answers: offset %d ± %d ms, true %d ms", i+1, got.OffsetMs, got.UncertaintyMs, tc.off.Milliseconds())
				}
			}
			if got := c.at(now); time.Duration(got.UncertaintyMs)*time.Millisecond > tc.within {
				t.Errorf("after %d answers: ± %d ms, want under %v", tc.exchanges, got.UncertaintyMs, tc.within)
			}
			// The backend's clock is set 10 s ahead: one answer is enough.
			now = exchange(&c, r, now, tc.off+10*time.Second)
			if got := c.at(now); abs(got.OffsetMs-(tc.off+10*time.Second).Milliseconds()) > got.UncertaintyMs+1 {
				t.Errorf("after the backend's clock was set: offset %d ± %d ms, true %d ms", got.OffsetMs, got.UncertaintyMs, (tc.off + 10*time.Second).Milliseconds())
			}
		})
	}
}

// TestClockAges: an offset measured long ago is reported with the drift the
// kiosk's clock may have had since, and nothing before the first answer.
func TestClockAges(t *testing.T) {
	var c clock
	start := time.Date(2025, 9, 24, 4, 0, 0, 0, time.UTC)
	if got := c.at(start); got != nil {
		t.Fatalf("before any answer: %+v, want nil", got)
	}
	c.observe(start, start, start.Format(http.TimeFormat))
	for _, tc := range []struct {
		after time.Duration
		unc   int64
	}{{0, 500}, {time.Hour, 860}, {24 * time.Hour, 9140}} {
		got := c.at(start.Add(tc.after))
		if got.UncertaintyMs != tc.unc || got.OffsetMs != 500 || !got.MeasuredAt.Equal(start) {
			t.Errorf("%v after: %+v, want 500 ± %d ms measured at %s", tc.after, got, tc.unc, start)
		}
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
