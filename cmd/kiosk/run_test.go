package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
)

// TestRunStartsOverDamagedOutbox runs "kiosk run", what the service
// manager starts, in a real terminal, over an outbox it cannot wholly
// read. It must start (not exit 1 and be restarted every 2 s for ever),
// deliver what it can read to the backend, and report what it set aside
// in its heartbeat.
func TestRunStartsOverDamagedOutbox(t *testing.T) {
	tmux, bin := buildKiosk(t, t.TempDir())
	d := demotest.Demo(t)

	tests := map[string]struct {
		// spoil damages the outbox of o, its key or the configuration c;
		// it returns the tickets that must reach the backend.
		spoil func(t *testing.T, o uplink.Options, c *config.Config) []uplink.Receipt
		// quarantined is how many set-aside rows the heartbeat reports;
		// -1: no heartbeat reaches the backend.
		quarantined int
		moved       string // the pattern of the file moved aside, "" none
		log         string // a piece of the log line saying why
	}{
		"a damaged entry": {spoil: func(t *testing.T, o uplink.Options, _ *config.Config) []uplink.Receipt {
			got := uplinktest.Offline(t, o, 3)
			uplinktest.Spoil(t, o.OutboxPath, got[1].Ticket.ApplicationID)
			return []uplink.Receipt{got[0], got[2]}
		}, quarantined: 1},
		// The cases share the demo's backend and kiosk: each delivers
		// numbers the others do not (K001 and K003; K002).
		"a damaged column": {spoil: func(t *testing.T, o uplink.Options, _ *config.Config) []uplink.Receipt {
			got := uplinktest.Offline(t, o, 2)
			uplinktest.SpoilColumn(t, o.OutboxPath, got[0].Ticket.ApplicationID)
			return []uplink.Receipt{got[1]}
		}, quarantined: 1},
		"not a database": {spoil: func(t *testing.T, o uplink.Options, _ *config.Config) []uplink.Receipt {
			if err := os.WriteFile(o.OutboxPath, []byte(strings.Repeat("not an outbox ", 500)), 0o600); err != nil {
				t.Fatal(err)
			}
			return nil
		}, quarantined: 1, moved: "outbox.db.corrupt-*"},
		// A key others may read, or one that is not a key, is moved aside
		// and a new one made; what the old one sealed is set aside until
		// it is put back, and the replacement is counted.
		"a key readable by others": {spoil: func(t *testing.T, o uplink.Options, c *config.Config) []uplink.Receipt {
			uplinktest.Offline(t, o, 2)
			if err := os.Chmod(c.Backend.OutboxKeyFile, 0o644); err != nil {
				t.Fatal(err)
			}
			return nil
		}, quarantined: 3, moved: "outbox.key.replaced-*", log: "outbox key"},
		"a damaged key": {spoil: func(t *testing.T, o uplink.Options, c *config.Config) []uplink.Receipt {
			uplinktest.Offline(t, o, 1)
			if err := os.WriteFile(c.Backend.OutboxKeyFile, []byte("not a key\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return nil
		}, quarantined: 2, moved: "outbox.key.replaced-*", log: "outbox key"},
		// Without its token the backend refuses the kiosk (401): it
		// starts all the same and prints offline.
		"no token file": {spoil: func(t *testing.T, o uplink.Options, c *config.Config) []uplink.Receipt {
			c.Backend.TokenFile = filepath.Join(t.TempDir(), "kiosk.token")
			return nil
		}, quarantined: -1, log: "token"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			c := *d.Config
			c.Kiosk.StateDir, c.Backend.OutboxKeyFile = dir, filepath.Join(dir, "outbox.key")
			c.Scanner.Port, c.Printer.Path = "", ""
			// No lending: a lend cut off by the kiosk's stop would hit a
			// data race in the backend's store (sqlstore.Lend reads its
			// result after write returned on the cancelled context).
			c.Backend.LendSize = 0
			if _, err := uplink.LoadKey(c.Backend.OutboxKeyFile, true); err != nil {
				t.Fatal(err)
			}
			uo, err := uplink.FromConfig(c.Backend, c.Kiosk)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.spoil(t, uo, &c)
			path := writeConfig(t, &c)
			started := time.Now()

			p := &pane{t: t, tmux: tmux, sock: filepath.Join(dir, "tmux.sock")}
			pidFile := filepath.Join(dir, "pid")
			line := fmt.Sprintf("echo $$ >%s; exec env TERM=xterm-256color LANG=C.UTF-8 %s --config %s run 2>%s",
				strconv.Quote(pidFile), strconv.Quote(bin), strconv.Quote(path), strconv.Quote(filepath.Join(dir, "stderr")))
			if _, err := p.run("new-session", "-d", "-s", "kiosk", "-x", "100", "-y", "40", line); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = p.run("kill-server") })
			pid := waitPID(t, pidFile)
			t.Cleanup(func() { stopProcess(t, pid) })

			logOf := func() string {
				b, _ := os.ReadFile(filepath.Join(dir, "kiosk.log"))
				return string(b)
			}
			// The welcome screen, while the process lives.
			var screen string
			eventually(t, func() string { return "kiosk run did not start; the terminal:\n" + screen + "\nthe log:\n" + logOf() },
				func() bool {
					screen, _ = p.run("capture-pane", "-p", "-t", "kiosk")
					return strings.Contains(screen, "Тілді таңдаңыз")
				})
			// What the outbox could read reaches the backend, numbers as
			// printed.
			for _, r := range want {
				var rec central.Record
				eventually(t, func() string {
					return fmt.Sprintf("ticket %s never reached the backend: %v; the log:\n%s", r.Ticket.Number, err, logOf())
				}, func() bool {
					rec, err = d.Store.Get(context.Background(), r.Ticket.ApplicationID)
					return err == nil
				})
				if rec.Number != r.Ticket.Number {
					t.Errorf("the backend has %s, the visitor holds %s", rec.Number, r.Ticket.Number)
				}
			}
			// The heartbeat tells the center what was set aside.
			if tc.quarantined >= 0 {
				var hb api.Heartbeat
				eventually(t, func() string { return fmt.Sprintf("heartbeat stored = %+v, want %d quarantined", hb, tc.quarantined) },
					func() bool {
						var ok bool
						hb, ok = heartbeatOf(t, d, c.Kiosk.ID)
						return ok && !hb.At.Before(started.Truncate(time.Second)) && hb.OutboxQuarantined == tc.quarantined
					})
			}
			for _, pattern := range []string{"outbox.db.corrupt-*", "outbox.key.replaced-*"} {
				if moved, _ := filepath.Glob(filepath.Join(dir, pattern)); (len(moved) == 1) != (pattern == tc.moved) {
					t.Errorf("files moved aside: %v, want %s moved %t", moved, pattern, pattern == tc.moved)
				}
			}
			if tc.log != "" {
				log, _ := os.ReadFile(filepath.Join(dir, "kiosk.log"))
				if !bytes.Contains(log, []byte(tc.log)) {
					t.Errorf("the log does not say why (%q):\n%s", tc.log, log)
				}
			}
		})
	}
}

// waitPID reads the pid the pane's shell wrote before it became the kiosk.
func waitPID(t *testing.T, path string) int {
	t.Helper()
	pid := 0
	eventually(t, func() string { return "no pid in " + path }, func() bool {
		b, err := os.ReadFile(path)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return err == nil && pid > 0
	})
	return pid
}

// stopProcess ends the kiosk as the service manager does (SIGTERM) and
// waits until it is gone, so that its files can be removed.
func stopProcess(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return // gone already
	}
	eventually(t, func() string { return fmt.Sprintf("kiosk %d still running after SIGTERM", pid) },
		func() bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) })
}
