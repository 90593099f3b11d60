package loadgen

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// Options configure a run.
type Options struct {
	// URL is the backend, e.g. "http://127.0.0.1:8080".
	URL string
	// Kiosks is how many kiosks submit at once; their ids are K-01, K-02, …
	// as in central.Demo(Kiosks).
	Kiosks int
	// Branch is the kiosks' branch; "" means "ALA-01".
	Branch string
	// Total bounds the submissions; Duration bounds the time.
	Total    int
	Duration time.Duration
	// Rate, when positive, paces the kiosks to that many submissions per
	// second in all (open loop): each kiosk submits on a fixed schedule and
	// a latency counts from the scheduled time, so a slow server cannot hide
	// its queueing. Zero runs closed loop: every kiosk submits again as soon
	// as it has its ticket, which measures the most the server sustains.
	Rate float64
	// Timeout bounds one submission, retries included; 0 means 30 s.
	Timeout time.Duration
	// Tokens holds each kiosk's bearer token by kiosk id, as the backend
	// requires; a kiosk without one sends none.
	Tokens map[string]string
}

// Result is what a run measured.
type Result struct {
	Submitted int
	Failed    int
	Elapsed   time.Duration
	P50, P99  time.Duration
	Max       time.Duration
	// FirstErr is the first failure, for the report.
	FirstErr error
}

// PerSecond is the throughput of acknowledged submissions.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Submitted) / r.Elapsed.Seconds()
}

// String reports the figures on one line.
func (r Result) String() string {
	return fmt.Sprintf("%d submitted, %d failed in %v: %.0f/s, p50 %v, p99 %v, max %v",
		r.Submitted, r.Failed, r.Elapsed.Round(time.Millisecond), r.PerSecond(),
		r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
}

// Run submits from Options.Kiosks concurrent kiosks, each with its own
// client and connection, until Total or Duration.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Kiosks <= 0 || (o.Total <= 0 && o.Duration <= 0) {
		return Result{}, errors.New("loadgen: give Kiosks and a bound (Total or Duration)")
	}
	if o.Branch == "" {
		o.Branch = "ALA-01"
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Duration)
		defer cancel()
	}
	clients := make([]*uplink.Client, o.Kiosks)
	for i := range clients {
		c, err := uplink.NewClient(uplink.ClientOptions{BaseURL: o.URL, Token: o.Tokens[KioskID(i)], Conns: 1,
			Timeout: 10 * time.Second, RetryBase: 20 * time.Millisecond, RetryMax: 500 * time.Millisecond})
		if err != nil {
			return Result{}, err
		}
		defer c.Close()
		clients[i] = c
	}
	var left atomic.Int64
	left.Store(int64(o.Total))
	if o.Total <= 0 {
		left.Store(1 << 62)
	}
	var mu sync.Mutex
	var res Result
	lat := make([]time.Duration, 0, max(o.Total, 1024))
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range clients {
		kiosk := KioskID(i)
		wg.Add(1)
		// Paced kiosks start spread over one interval, not all at once.
		var interval time.Duration
		next := start
		if o.Rate > 0 {
			interval = time.Duration(float64(o.Kiosks) / o.Rate * float64(time.Second))
			next = start.Add(interval * time.Duration(i) / time.Duration(o.Kiosks))
		}
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && left.Add(-1) >= 0 {
				t0 := time.Now()
				if interval > 0 {
					if !waitUntil(ctx, next) {
						return
					}
					t0 = next
					next = next.Add(interval)
				}
				a := application(kiosk, o.Branch)
				sctx, cancel := context.WithTimeout(ctx, o.Timeout)
				_, err := c.Submit(sctx, a)
				d := time.Since(t0)
				cancel()
				mu.Lock()
				if err != nil {
					if ctx.Err() == nil {
						res.Failed++
						if res.FirstErr == nil {
							res.FirstErr = err
						}
					}
				} else {
					res.Submitted++
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if len(lat) > 0 {
		slices.Sort(lat)
		res.P50 = lat[len(lat)/2]
		res.P99 = lat[min(len(lat)-1, len(lat)*99/100)]
		res.Max = lat[len(lat)-1]
	}
	return res, nil
}

// KioskID is the id of the i-th kiosk (from 0) of a run: K-01, K-02, …, as
// in central.Demo.
func KioskID(i int) string { return fmt.Sprintf("K-%02d", i+1) }

func waitUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return true
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-tm.C:
		return true
	}
}

// application is a made-up applicant; no real person's data.
func application(kiosk, branch string) api.Application {
	return api.Application{
		ID: api.NewID(), KioskID: kiosk, BranchID: branch, Service: "iin", Lane: api.LaneOrdinary, Language: "ru",
		Applicant: api.Applicant{
			DocumentCode: "P", DocumentNumber: "L898902C3", IssuingState: "UTO", Nationality: "UTO",
			Latin: api.Name{Surname: "ERIKSSON", GivenNames: "ANNA MARIA"}, BirthDate: "1974-08-12",
			ExpiryDate: "2032-04-15", Sex: "F", MRZValid: true,
		},
		Precheck:  api.Precheck{Decision: api.DecisionOK, Checklist: []string{"bring.passport"}},
		CreatedAt: time.Now(),
	}
}
