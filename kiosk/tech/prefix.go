package tech

import (
	"context"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"

	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// Numberer is an outbox that keeps how the kiosk writes its own offline
// numbers, as the backend told it (*uplink.Uplink, *uplink.Outbox). An
// Outbox in Parts that is one gets the offline-prefix check.
type Numberer interface {
	Numbering(ctx context.Context) (uplink.Numbering, error)
}

// checkOfflinePrefix says which offline prefix is in force: the one the
// backend last told the kiosk (there is no setting for it), or that none is
// known yet, in which case a visitor the kiosk can serve neither online nor
// with a lent number is sent to the desk.
func checkOfflinePrefix(ctx context.Context, p Parts) Check {
	const name = "offline-prefix"
	if p.Outbox == nil {
		return say(skipped(name, "no outbox yet: the kiosk hears its offline prefix from the backend once it runs"), "outbox_none", nil)
	}
	nb, ok := p.Outbox.(Numberer)
	if !ok {
		return say(skipped(name, "this outbox does not keep the offline prefix"), "prefix_unkept", nil)
	}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	n, err := nb.Numbering(ctx)
	switch {
	case err != nil:
		return say(failed(name, err), "outbox_unreadable", nil)
	case n.Prefix == "":
		return Check{Name: name, State: Failed, Reason: "none known yet: the backend has not told this kiosk its offline prefix " +
			"(it does with every block of numbers, once the kiosk reaches it); until then a visitor it cannot serve " +
			"online and has no lent number for is sent to the desk", Say: i18n.M("tech.device.prefix_unknown")}
	}
	c := loaded(name, fmt.Sprintf("%s (%s…), from the backend on %s", n.Prefix, n.Format(1), n.Learned))
	if d, err := time.Parse(time.DateOnly, n.Learned); err == nil {
		c.Say = i18n.Message{Key: "tech.device.prefix", Args: i18n.Args{"Prefix": n.Prefix, "Example": n.Format(1),
			"Date": config.Day{Year: d.Year(), Month: d.Month(), Day: d.Day()}}}
	}
	return c
}
