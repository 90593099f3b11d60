package kiosk

import (
	"context"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/flows/journey"
)

// heartbeatInterval is how often the kiosk reports its health.
const heartbeatInterval = time.Minute

// record turns a journey step into the center's statistics events. It runs
// on the event loop, after Handle; no event carries personal data.
func (k *Kiosk) record(before journey.State, in journey.Input) {
	after := k.j.State()
	if after == before {
		// Every event marks a step; most inputs (ticks, touches) make
		// none, and the view is not copied for them.
		return
	}
	v := k.j.View()
	var evs []api.Event
	if before == journey.Language && after != journey.Language {
		k.visit.session = api.NewID()
		evs = append(evs, api.Event{Kind: api.EventSessionStarted}, api.Event{Kind: api.EventLanguage, Language: string(v.Lang)})
	}
	if s, ok := in.(journey.Scanned); ok {
		kind := api.EventScanOK
		if s.Doc == nil || !s.Doc.Valid {
			kind = api.EventScanFailed
		}
		evs = append(evs, api.Event{Kind: kind})
	}
	if after == journey.Result && v.Precheck != nil {
		evs = append(evs, api.Event{Kind: api.EventPrecheck, Decision: decision(v.Precheck.Decision)})
	}
	if after == journey.Language && before == journey.StillThere {
		evs = append(evs, api.Event{Kind: api.EventAbandoned, Reason: "timeout"})
	}
	k.events(evs...)
}

// events sends statistics in the background; a lost event costs a figure
// in a report, never a visitor's time.
func (k *Kiosk) events(evs ...api.Event) {
	if len(evs) == 0 || k.ctx == nil {
		return
	}
	now := k.opts.Now()
	for i := range evs {
		evs[i].At = now
		if evs[i].Session == "" {
			evs[i].Session = k.visit.session
		}
	}
	go func() {
		ctx, cancel := context.WithTimeout(k.ctx, 10*time.Second)
		defer cancel()
		if err := k.opts.Uplink.Events(ctx, k.opts.Config.Kiosk.ID, evs); err != nil {
			k.log.Debug("events not sent", "n", len(evs), "err", err)
		}
	}()
}

func (k *Kiosk) heartbeats(ctx context.Context) {
	t := time.NewTicker(heartbeatInterval)
	defer t.Stop()
	for {
		k.heartbeat(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (k *Kiosk) heartbeat(ctx context.Context) {
	hb := api.Heartbeat{Version: k.opts.Version, At: k.opts.Now(), Paper: "unknown"}
	hb.Devices = append(hb.Devices, deviceState("scanner", k.opts.Scanner != nil))
	hb.Devices = append(hb.Devices, deviceState("printer", k.opts.Printer != nil))
	if p := k.opts.Printer; p != nil {
		switch st := p.State(); st {
		case printer.Ready:
			hb.Paper = "ok"
		case printer.PaperNearEnd:
			hb.Paper = "low"
		case printer.PaperOut:
			hb.Paper = "out"
		}
	}
	// Read after At: 0 tells the backend every offline ticket printed
	// before At has reached it.
	hb.OutboxDepth = api.OutboxDepthUnknown
	if c, err := k.opts.Uplink.Counts(ctx); err == nil {
		c.FillHeartbeat(&hb)
	}
	if f := k.opts.UpdateState; f != nil {
		hb.Update = f()
	}
	hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := k.opts.Uplink.Heartbeat(hctx, k.opts.Config.Kiosk.ID, hb); err != nil && ctx.Err() == nil {
		k.log.Debug("heartbeat not sent", "err", err)
	}
}

func deviceState(name string, fitted bool) api.Device {
	if !fitted {
		return api.Device{Name: name, State: "skipped", Reason: "not fitted"}
	}
	return api.Device{Name: name, State: "loaded"}
}
