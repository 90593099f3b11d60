package demo_test

import (
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
)

// TestDemoOpenAtNight: the demo's hall is open round the clock (the demo's
// hours, config.DemoHours, for kiosk and branch alike), so a newcomer
// trying it at 22:00, with the example configuration's ordinary hours,
// gets a wait, not "the centre opens on Thursday", and a ticket the demo's
// clerk calls at once.
func TestDemoOpenAtNight(t *testing.T) {
	night := time.Date(2026, 11, 25, 22, 0, 0, 0, time.FixedZone("+05", 5*3600)) // a Wednesday
	h0 := demotest.Start(t, demotest.Setup{Start: night,
		Config: func(c *config.Config) {
			c.Flow.Hours = config.OrdinaryHours()
			// The ticket must come from the backend, not the offline
			// range, however loaded the machine: an offline ticket is
			// dated by the kiosk's clock, which is in the past here.
			c.Backend.SubmitWait = config.Duration(time.Minute)
		}})
	x := &hall{t: t, d: h0.D, k: h0.K, h: h0.H, clk: h0.Clock, cat: h0.Cat}
	if got := x.d.Config.Flow.Hours; got != config.DemoHours() {
		t.Errorf("demo kiosk's hours = %v, want the demo's %v", got, config.DemoHours())
	}
	x.tap("lang-en")
	x.tap("self")
	x.d.Scan("latin")
	x.waitFor("confirm")
	x.tap("confirm")
	x.tap("continue")
	x.tap("skip")
	x.waitFor("done")
	if opens := x.cat.Text(i18n.English, "ticket.opens.thu"); len(opens) > 20 && x.h.Contains(opens[:20]) {
		t.Errorf("at 22:00 the demo says the centre is closed:\n%s", x.h.Text())
	}
	if rec := callNext(t, x.d); rec.Number == "" {
		t.Errorf("the demo's clerk called nothing")
	}
}
