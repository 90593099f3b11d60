package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/console"
)

// mountConsole serves the clerks' console on the demo's backend and gives
// the branch its demo clerk; it returns the clerk's password.
func mountConsole(ctx context.Context, srv *central.Server, store central.Store, reg central.Registry, dir string, log *slog.Logger) (string, error) {
	con, err := console.New(console.Options{Users: store, Registry: reg, Logger: log, Queue: srv})
	if err != nil {
		return "", fmt.Errorf("demo: console: %w", err)
	}
	srv.Mount("/console/", con)
	pw, err := central.EnsureDemoClerk(ctx, store, reg.Branches[0].ID, dir, time.Now())
	if err != nil {
		return "", fmt.Errorf("demo: console clerk: %w", err)
	}
	return pw, nil
}
