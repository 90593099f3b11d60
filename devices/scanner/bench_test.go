package scanner_test

import (
	"context"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
)

// benchDev runs a Dev on a fake scanner and sends the time each document
// was delivered on the returned channel.
func benchDev(b *testing.B) (*scannertest.Port, <-chan time.Time) {
	b.Helper()
	port, err := scannertest.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { port.Close() })
	dev, err := scanner.New(&scanner.Serial{Path: port.Path()}, &scanner.Opts{DedupeWindow: -1})
	if err != nil {
		b.Fatal(err)
	}
	connected := make(chan struct{})
	docs := make(chan time.Time, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		dev.Run(ctx, func(e scanner.Event) {
			switch {
			case e.Kind == scanner.EventDocument:
				docs <- time.Now()
			case e.Kind == scanner.EventState && e.State == scanner.StateConnected:
				close(connected)
			}
		})
	}()
	b.Cleanup(func() { cancel(); <-done })
	select {
	case <-connected:
	case <-time.After(waitLimit):
		b.Fatal("the scanner did not connect")
	}
	return port, docs
}

// BenchmarkLatency measures, through a pty, the time from writing a TD3's
// bytes (taken just before the write, so it errs long) to the parsed
// document reaching the caller. Target: median at most 5 ms.
func BenchmarkLatency(b *testing.B) {
	port, docs := benchDev(b)
	msg := []byte(cr(td3L1, td3L2))
	var lat []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := port.Write(msg); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, (<-docs).Sub(t0))
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "ms-median")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "ms-p99")
}

// BenchmarkFlood sends 10 MB without a line end, then a document, through a
// pty, and reports the heap the process had on top of its starting heap at
// its highest (sampled after each MiB) and what it allocated meanwhile.
// Both must stay at a few KiB however long the flood.
func BenchmarkFlood(b *testing.B) {
	const size, chunk = 10 << 20, 64 << 10
	port, docs := benchDev(b)
	garbage := []byte(strings.Repeat("<", chunk))
	tail := []byte("\r" + cr(td3L1, td3L2))
	var peak, alloc uint64
	var ms runtime.MemStats
	b.SetBytes(size)
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base, total := ms.HeapInuse, ms.TotalAlloc
		for sent := 0; sent < size; sent += chunk {
			if _, err := port.Write(garbage); err != nil {
				b.Fatal(err)
			}
			if sent%(1<<20) == 0 {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > base {
					peak = max(peak, ms.HeapInuse-base)
				}
			}
		}
		if _, err := port.Write(tail); err != nil {
			b.Fatal(err)
		}
		<-docs
		runtime.ReadMemStats(&ms)
		alloc = max(alloc, ms.TotalAlloc-total)
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
	b.ReportMetric(float64(alloc), "alloc-B/flood")
}

// repeat reads the same bytes forever.
type repeat struct {
	data []byte
	off  int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], r.data[r.off:])
		n += k
		r.off = (r.off + k) % len(r.data)
	}
	return n, nil
}

// BenchmarkAssembler measures the assembler alone on a stream of documents
// and noise, in bytes a second.
func BenchmarkAssembler(b *testing.B) {
	stream := []byte("noise\r" + cr(td3L1, td3L2, td1L1, td1L2, td1L3) + "\x02" + cr(td2L1, td2L2) + "\x03")
	a, err := scanner.NewAssembler(&repeat{data: stream}, &scanner.Opts{FrameGap: -1})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		for range 4 { // one noise drop and three documents per stream
			if _, err := a.Next(ctx); err != nil && err != io.EOF {
				b.Fatal(err)
			}
		}
	}
}
