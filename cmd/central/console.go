package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/console"
)

// mountConsole serves the clerks' console at /console/ beside the protocol.
func mountConsole(srv *central.Server, store central.Store, reg central.Registry, log *slog.Logger) error {
	con, err := console.New(console.Options{Users: store, Registry: reg, Logger: log, Queue: srv})
	if err != nil {
		return err
	}
	srv.Mount("/console/", con)
	return nil
}

// ensureDemoClerk gives the demo branch its console clerk, with the
// password in the demo's token folder, and returns the line that says
// where to sign in and how.
func ensureDemoClerk(ctx context.Context, store central.Store, reg central.Registry, c config, base string) ([]string, error) {
	dir := c.demoTokens
	if dir == "" {
		if isPostgres(c.db) {
			return nil, nil
		}
		dir = filepath.Join(filepath.Dir(c.db), "tokens")
	}
	pw, err := central.EnsureDemoClerk(ctx, store, reg.Branches[0].ID, dir, time.Now())
	if err != nil || pw == "" {
		return nil, err
	}
	return []string{fmt.Sprintf("central: the clerks' console: %s/console/ (login %s, password %s, kept in %s)",
		base, central.DemoClerk, pw, central.DemoClerkFile(dir))}, nil
}
