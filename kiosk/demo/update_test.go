package demo_test

import (
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// TestHeartbeatUpdateState: a kiosk running from the image reports its
// A/B update state (a failed update here) in its heartbeat, and the
// backend stores it.
func TestHeartbeatUpdateState(t *testing.T) {
	want := api.UpdateState{Slot: "a", Version: "2026.12.01-0750", Failed: "2026.12.08-0900"}
	x := startHall(t, setup{opts: func(tb testing.TB, d *demo.Demo, o *kiosk.Options) {
		o.UpdateState = func() *api.UpdateState { s := want; return &s }
	}})
	x.waitHeartbeat("K-01", func(hb api.Heartbeat) bool { return hb.Update != nil && *hb.Update == want })
}
