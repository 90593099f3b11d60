package hall_test

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkCallToBoard: from a clerk's call-next to the board message on
// a display's stream, on loopback with SQLite; p50 and p99 printed.
func BenchmarkCallToBoard(b *testing.B) {
	h := start(b, "/nonexistent/espeak-ng")
	s := h.open(b, "")
	s.must(b)
	var lat []time.Duration
	for b.Loop() {
		h.submit(b)
		t0 := time.Now()
		h.call(b, 1)
		s.must(b)
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
