package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
	"github.com/hcsc-kz/kiosk/kiosk/uplink/uplinktest"
	"golang.org/x/sys/unix"
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
			// The kiosk talks to the backend through a watch that says
			// when each of its requests has been answered.
			var answered <-chan struct{}
			c.Backend.URL, answered = watchBackend(t, d.BackendURL)
			uo, err := uplink.FromConfig(c.Backend, c.Kiosk)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.spoil(t, uo, &c)
			path := writeConfig(t, &c)
			started := time.Now()

			line := fmt.Sprintf("exec env TERM=xterm-256color LANG=C.UTF-8 %s --config %s run 2>%s",
				strconv.Quote(bin), strconv.Quote(path), strconv.Quote(filepath.Join(dir, "stderr")))
			p := newPane(t, tmux, dir, 100, 40, line)
			pid := p.pid()
			t.Cleanup(func() { stopProcess(t, pid) })

			logOf := func() string {
				b, _ := os.ReadFile(filepath.Join(dir, "kiosk.log"))
				return string(b)
			}
			// The welcome screen, while the process lives.
			var screen string
			until(t, p.changed, func() string { return "kiosk run did not start; the terminal:\n" + screen + "\nthe log:\n" + logOf() },
				func() bool {
					screen, _ = p.run("capture-pane", "-p", "-t", "kiosk")
					return strings.Contains(screen, "Тілді таңдаңыз")
				})
			// What the outbox could read reaches the backend, numbers as
			// printed.
			for _, r := range want {
				var rec central.Record
				until(t, answered, func() string {
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
				until(t, answered, func() string { return fmt.Sprintf("heartbeat stored = %+v, want %d quarantined", hb, tc.quarantined) },
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

// watchBackend puts a reverse proxy on loopback before the backend at
// url and returns its address and a channel told after each request the
// backend has answered: what the request stored is in the store by then.
func watchBackend(t *testing.T, backend string) (string, <-chan struct{}) {
	t.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	answered := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxy.ServeHTTP(w, r)
		notify(answered)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, answered
}

// stopProcess ends the kiosk as the service manager does (SIGTERM) and
// waits until it has exited (its pidfd turns readable), so that its files
// can be removed.
func stopProcess(t *testing.T, pid int) {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		return // gone already
	}
	if err != nil {
		t.Fatalf("pidfd of kiosk %d: %v", pid, err)
	}
	defer unix.Close(fd)
	if err := unix.Kill(pid, unix.SIGTERM); err != nil {
		return
	}
	for {
		n, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, int(failsafe/time.Millisecond))
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			t.Fatalf("waiting for kiosk %d: %v", pid, err)
		case n == 0:
			t.Fatalf("kiosk %d still running %v after SIGTERM", pid, failsafe)
		}
		return
	}
}
