package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/slots"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

// cmdRun is the kiosk on its hardware: the service manager starts it.
func cmdRun(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, cfgPath, err := loadConfigFrom(e, defaultConfigPath)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	log, closeLog, err := openLog(cfg.Kiosk.StateDir)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	defer closeLog()
	for _, n := range cfg.Notices {
		log.Warn("configuration", "file", cfgPath, "line", n.Line, "key", n.Key, "notice", n.Msg)
	}

	opts := kiosk.Options{Config: cfg, ConfigPath: cfgPath, Version: version, Logger: log, Now: e.now,
		UpdateState: imageUpdateState(slots.DefaultLayout())}
	if opts.Catalog, err = i18n.New(); err != nil {
		log.Error("catalogs", "err", err)
		return 1
	}
	if cfg.Backend.Enrol {
		// Before any visitor: the kiosk's identity, from the enrolment
		// page on its first boot.
		id, err := runIdentity(ctx, e, cfg, opts.Catalog, log)
		if err != nil {
			if ctx.Err() != nil {
				return 0
			}
			log.Error("enrolment", "err", err)
			return 1
		}
		if err := enrol.Apply(cfg, id); err != nil {
			log.Error("identity", "err", err)
		}
		log.Info("identity", "kiosk", id.KioskID, "branch", id.Branch, "notAfter", id.NotAfter)
	}
	if cfg.Scanner.Port != "" {
		opener, sopts, err := scanner.FromConfig(cfg.Scanner)
		if err != nil {
			log.Error("scanner settings", "err", err)
			return 1
		}
		dev, err := scanner.New(opener, sopts)
		if err != nil {
			log.Error("scanner", "err", err)
			return 1
		}
		opts.Scanner = dev
	}
	p, err := hw.Open(ctx, cfg)
	if err != nil {
		// An offline printer is still a printer: Run keeps trying, and the
		// welcome screen says tickets will not print.
		log.Warn("printer not ready at start-up, will retry", "err", err)
	}
	if p != nil {
		opts.Printer = p
		defer p.Close()
	}
	uo, err := uplinkOptions(cfg, log, e.now())
	if err != nil {
		log.Error("uplink settings", "err", err)
		return 1
	}
	up, err := uplink.Open(ctx, uo)
	if err != nil {
		log.Error("uplink", "err", err)
		return 1
	}
	defer up.Close()
	opts.Uplink = up
	opts.Watchdog = notifier()

	k, err := kiosk.New(opts)
	if err != nil {
		log.Error("kiosk", "err", err)
		return 1
	}
	if err := k.Run(ctx); err != nil {
		log.Error("kiosk stopped", "err", err)
		return 1
	}
	return 0
}

// uplinkOptions are the uplink's options for kiosk run, made so that
// neither the outbox key nor the token stops the kiosk: a repeated exit
// would leave the hall without tickets and the queued applications unsent.
// The key is made on the first start; an unusable one is moved aside and a
// new one made (uplink.RenewKey). A token file that cannot be read leaves
// the kiosk without a token: the backend refuses it (401), tickets print
// offline and wait in the outbox, and kiosk doctor says why. Both are
// logged as errors.
func uplinkOptions(cfg *config.Config, log *slog.Logger, now time.Time) (uplink.Options, error) {
	replaced, err := uplink.RenewKey(uplink.KeyFile(cfg.Backend, cfg.Kiosk), now)
	if err != nil {
		return uplink.Options{}, err
	}
	if replaced != nil {
		log.Error("outbox key unusable: moved aside and a new key made; entries sealed under it are set aside until it is put back (mode 0600) and the kiosk restarted",
			"moved", replaced.Path, "err", replaced.Cause)
	}
	uo, err := uplink.FromConfig(cfg.Backend, cfg.Kiosk)
	if errors.Is(err, uplink.ErrToken) {
		log.Error("backend token unusable: the kiosk starts without it; the backend refuses the kiosk (401) and tickets print offline until the token file is fixed",
			"err", err)
		b := cfg.Backend
		b.TokenFile = ""
		uo, err = uplink.FromConfig(b, cfg.Kiosk)
	}
	if err != nil {
		return uplink.Options{}, err
	}
	if replaced != nil {
		uo.KeyFileMoved = replaced.Path
	}
	// Offline numbers are those of the day a ticket counts for by the
	// branch's hours, as the backend files it.
	if uo.QueueDay, err = uplink.QueueDayFunc(cfg.Flow.Hours, uo.Zone); err != nil {
		return uplink.Options{}, err
	}
	uo.Logger = log
	return uo, nil
}

// openLog writes the kiosk's log to <state_dir>/kiosk.log: the terminal is
// the visitor's screen, so nothing may be written to stderr while the UI
// runs. The service manager's journal gets what goes wrong before that.
func openLog(stateDir string) (*slog.Logger, func(), error) {
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("kiosk: state folder: %w", err)
	}
	path := filepath.Join(stateDir, "kiosk.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("kiosk: log: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { f.Close() }, nil
}

// notifier is the kiosk's Watchdog: the UI's event loop calls it on every
// tick, so its first call comes once the first screen is drawn. That call
// tells the service manager the kiosk is ready: boot-complete.target waits
// for it, and only then is a freshly updated slot blessed. Later calls ping
// the watchdog. Without a service manager (NOTIFY_SOCKET unset) each call
// does nothing.
func notifier() func() {
	var ready sync.Once
	return func() {
		ready.Do(func() { _, _ = daemon.SdNotify(false, daemon.SdNotifyReady) })
		_, _ = daemon.SdNotify(false, daemon.SdNotifyWatchdog)
	}
}
