package central_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/config"
)

// TestQueueDayFollowsHours: at a branch with opening hours an application
// made after closing joins the queue of the next day the branch opens, so
// its clerks call it then (and the number restarts with that day's). A
// branch without hours has an ordinary centre's, as a kiosk without
// [flow.hours] has, and a day a registry entry does not give keeps its
// ordinary hours, as in [flow.hours]: kiosk and backend agree on the day.
func TestQueueDayFollowsHours(t *testing.T) {
	almaty := time.FixedZone("+05", 5*3600)
	friNight := time.Date(2026, 11, 27, 20, 30, 0, 0, almaty) // after a duty centre's 20:00
	tests := []struct {
		name     string
		hours    *config.Hours
		calledOn time.Time // when the clerk calls it
		notOn    time.Time // when a call finds nobody
		at       time.Time // when it is made; zero for Friday 20:30
	}{
		{"duty centre: Friday night counts for Saturday", ptr(config.DutyHours()),
			time.Date(2026, 11, 28, 9, 1, 0, 0, almaty), time.Date(2026, 11, 27, 20, 31, 0, 0, almaty), time.Time{}},
		{"ordinary centre: Friday night counts for Monday", ptr(config.OrdinaryHours()),
			time.Date(2026, 11, 30, 9, 1, 0, 0, almaty), time.Date(2026, 11, 28, 9, 1, 0, 0, almaty), time.Time{}},
		{"no hours: an ordinary centre's, as the kiosk's default", nil,
			time.Date(2026, 11, 30, 9, 1, 0, 0, almaty), time.Date(2026, 11, 27, 20, 31, 0, 0, almaty), time.Time{}},
		{"only Saturday given: Friday keeps the ordinary hours", &config.Hours{Sat: "09:00-13:00"},
			time.Date(2026, 11, 27, 10, 1, 0, 0, almaty), time.Date(2026, 11, 28, 9, 1, 0, 0, almaty),
			time.Date(2026, 11, 27, 10, 0, 0, 0, almaty)},
		{"the demo's hours: open round the clock, the calendar day", ptr(config.DemoHours()),
			time.Date(2026, 11, 27, 20, 31, 0, 0, almaty), time.Date(2026, 11, 28, 9, 1, 0, 0, almaty), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := central.Demo(1)
			reg.Branches[0].Hours = tt.hours
			at := friNight
			if !tt.at.IsZero() {
				at = tt.at
			}
			clock := storetest.NewClock(at)
			ts := storetest.StartRegistry(t, newStore(t), clock, reg)
			st, b := storetest.Do(t, ts.Kiosk(t, "K-01"), "POST", ts.URL+"/v1/applications",
				storetest.Application("K-01", api.LaneOrdinary, at))
			if st != http.StatusCreated {
				t.Fatalf("submit = %d %s, want 201", st, b)
			}
			tk := storetest.Decode[api.Ticket](t, b)
			call := func(at time.Time) int {
				clock.Set(at)
				st, _ := storetest.Do(t, ts.Clerk(t, "ALA-01"), "POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil)
				return st
			}
			if st := call(tt.notOn); st != http.StatusNoContent {
				t.Errorf("call-next at %v = %d, want 204: ticket %s is not that day's", tt.notOn, st, tk.Number)
			}
			if st := call(tt.calledOn); st != http.StatusOK {
				t.Errorf("call-next at %v = %d, want 200 calling %s", tt.calledOn, st, tk.Number)
			}
		})
	}
}

// TestRegistryHours: a registry's bad opening hours are refused at load,
// naming the branch and the day.
func TestRegistryHours(t *testing.T) {
	tests := map[string]struct {
		hours string
		want  []string
	}{
		"duty centre":       {`{"mon": "09:00-20:00", "sat": "09:00-13:00", "sun": "closed"}`, nil},
		"close before open": {`{"mon": "09:00-20:00", "sat": "13:00-09:00"}`, []string{`branch "ALA-01"`, "hours.sat", "closes before it opens"}},
		"bad time":          {`{"mon": "9am-6pm"}`, []string{`branch "ALA-01"`, "hours.mon", "not a time of day"}},
		"unknown weekday":   {`{"saturday": "09:00-13:00"}`, []string{`unknown field "saturday"`}},
		"closed every day": {`{"mon": "closed", "tue": "closed", "wed": "closed", "thu": "closed", "fri": "closed", "sat": "closed", "sun": "closed"}`,
			[]string{"closed on every day"}},
		"sunday closed, weekdays the default": {`{"sun": "closed"}`, nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			doc := `{"services": [{"id": "iin", "prefix": "A"}], "branches": [{"id": "ALA-01", "zone": "Asia/Almaty",
				"hours": ` + tt.hours + `, "kiosks": [{"id": "K-01", "offlinePrefix": "K"}]}]}`
			_, err := central.LoadRegistry(strings.NewReader(doc))
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("LoadRegistry = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("LoadRegistry = nil, want an error naming %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("LoadRegistry = %v, want it to name %q", err, w)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestOfflineQueueDayFollowsHours: an offline ticket printed after closing
// joins the queue of the next day the branch opens, as an online one does,
// and a block lent after closing holds that day's numbers, so the clerks
// call the ticket then and no online number of that day repeats it. A
// number lent for a day before closing (17:59) is not taken for a ticket
// printed after it: it would count for Monday with Friday's number.
func TestOfflineQueueDayFollowsHours(t *testing.T) {
	almaty := time.FixedZone("+05", 5*3600)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, almaty) }
	reg := central.Demo(1)
	reg.Branches[0].Hours = ptr(config.OrdinaryHours())
	clock := storetest.NewClock(at(27, 17, 59))
	ts := storetest.StartRegistry(t, newStore(t), clock, reg)
	kiosk, clerk := ts.Kiosk(t, "K-01"), ts.Clerk(t, "ALA-01")
	lend := func() api.Block {
		st, b := storetest.Do(t, kiosk, "POST", ts.URL+"/v1/kiosks/K-01/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: 2})
		if st != http.StatusCreated {
			t.Fatalf("lend = %d %s, want 201", st, b)
		}
		return storetest.Decode[api.Block](t, b)
	}
	submit := func(number string, src api.OfflineSource, printed time.Time) (int, string) {
		a := storetest.Application("K-01", api.LaneOrdinary, printed)
		if number != "" {
			a.Offline = &api.OfflineTicket{Number: number, Source: src, IssuedAt: printed}
		}
		st, b := storetest.Do(t, kiosk, "POST", ts.URL+"/v1/applications", a)
		return st, string(b)
	}
	friday := lend() // 17:59: Friday's numbers
	if friday.Day != "2026-11-27" {
		t.Errorf("block lent Friday 17:59 is for %s, want 2026-11-27", friday.Day)
	}
	clock.Set(at(27, 18, 30))
	monday := lend()
	if monday.Day != "2026-11-30" {
		t.Errorf("block lent Friday 18:30 is for %s, want Monday 2026-11-30", monday.Day)
	}
	clock.Set(at(27, 20, 30))
	if st, b := submit("K001", api.OfflineKiosk, at(27, 20, 29)); st != http.StatusCreated {
		t.Fatalf("offline K001 = %d %s, want 201", st, b)
	}
	if st, b := submit(monday.Numbers[0], api.OfflineLent, at(27, 20, 29)); st != http.StatusCreated {
		t.Fatalf("offline %s lent for Monday = %d %s, want 201", monday.Numbers[0], st, b)
	}
	if st, b := submit(friday.Numbers[0], api.OfflineLent, at(27, 18, 1)); st != http.StatusConflict {
		t.Errorf("offline %s lent for Friday, printed 18:01 = %d %s, want 409: it would join Monday's queue", friday.Numbers[0], st, b)
	}
	clock.Set(at(30, 9, 0))
	st, b := submit("", "", at(30, 9, 0))
	if st != http.StatusCreated {
		t.Fatalf("online Monday = %d %s", st, b)
	}
	if n := storetest.Decode[api.Ticket](t, []byte(b)).Number; n == monday.Numbers[0] || n == "K001" {
		t.Errorf("Monday's online number %s repeats an offline one", n)
	}
	clock.Set(at(30, 9, 1))
	var called []string
	for {
		st, b := storetest.Do(t, clerk, "POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil)
		if st == http.StatusNoContent {
			break
		}
		if st != http.StatusOK {
			t.Fatalf("call-next Monday = %d %s", st, b)
		}
		called = append(called, storetest.Decode[api.Call](t, b).Status.Ticket.Number)
	}
	if got := strings.Join(called, ","); len(called) != 3 || !strings.Contains(got, "K001") || !strings.Contains(got, monday.Numbers[0]) {
		t.Errorf("Monday 09:01 the clerk called %v, want K001, %s and the online ticket", called, monday.Numbers[0])
	}
}

// TestDemoHours: the demo branch is open round the clock every day, as the
// demo kiosk is, so a newcomer trying the demo at night gets a ticket the
// clerk's screen calls the same night.
func TestDemoHours(t *testing.T) {
	h := central.Demo(1).Branches[0].Hours
	if h == nil || *h != config.DemoHours() {
		t.Fatalf("Demo(1) hours = %v, want config.DemoHours() %v", h, config.DemoHours())
	}
}
