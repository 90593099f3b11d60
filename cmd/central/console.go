package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/console"
	"github.com/hcsc-kz/kiosk/central/hall"
)

// mountConsole serves the clerks' console at /console/ and the hall
// display at /display/ beside the protocol.
func mountConsole(srv *central.Server, store central.Store, reg central.Registry, log *slog.Logger) error {
	con, err := console.New(console.Options{Users: store, Registry: reg, Logger: log, Queue: srv})
	if err != nil {
		return err
	}
	srv.Mount("/console/", con)
	h, err := hall.New(hall.Options{Source: srv, Logger: log})
	if err != nil {
		return err
	}
	srv.Mount("/display/", h)
	return nil
}

// ensureDemoClerk gives the demo branch its console clerk, with the
// password in the demo's token folder, and returns the lines that say
// where to sign in and how, and the hall display's address with the
// branch's display token (made by ensureDemoTokens).
func ensureDemoClerk(ctx context.Context, store central.Store, reg central.Registry, c config, base string) ([]string, error) {
	dir := c.demoTokens
	if dir == "" {
		if isPostgres(c.db) {
			return nil, nil
		}
		dir = filepath.Join(filepath.Dir(c.db), "tokens")
	}
	b := reg.Branches[0].ID
	pw, err := central.EnsureDemoClerk(ctx, store, b, dir, time.Now())
	if err != nil {
		return nil, err
	}
	var lines []string
	if pw != "" {
		lines = append(lines, fmt.Sprintf("central: the clerks' console: %s/console/ (login %s, password %s, kept in %s)",
			base, central.DemoClerk, pw, central.DemoClerkFile(dir)))
	}
	if tok, err := central.ReadTokenFile(central.DemoTokenFile(dir, central.RoleDisplay, b)); err == nil {
		lines = append(lines, fmt.Sprintf("central: the hall display: %s/display/%s?token=%s", base, b, tok))
	}
	return lines, nil
}
