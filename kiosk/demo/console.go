package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/console"
	"github.com/hcsc-kz/kiosk/central/hall"
)

// mountConsole serves the clerks' console and the hall display on the
// demo's backend and gives the branch its demo clerk; it returns the
// clerk's password.
func mountConsole(ctx context.Context, srv *central.Server, store central.Store, reg central.Registry, dir string, log *slog.Logger) (string, error) {
	con, err := console.New(console.Options{Users: store, Registry: reg, Logger: log, Queue: srv})
	if err != nil {
		return "", fmt.Errorf("demo: console: %w", err)
	}
	srv.Mount("/console/", con)
	h, err := hall.New(hall.Options{Source: srv, Logger: log})
	if err != nil {
		return "", fmt.Errorf("demo: hall display: %w", err)
	}
	srv.Mount("/display/", h)
	pw, err := central.EnsureDemoClerk(ctx, store, reg.Branches[0].ID, dir, time.Now())
	if err != nil {
		return "", fmt.Errorf("demo: console clerk: %w", err)
	}
	return pw, nil
}

// DisplayURL is the address of the branch's hall display, with the
// branch's display token in it, to open in a browser beside the kiosk.
func (d *Demo) DisplayURL() string {
	return d.BackendURL + "/display/" + d.Config.Kiosk.Branch + "?token=" + d.Token(central.RoleDisplay)
}
