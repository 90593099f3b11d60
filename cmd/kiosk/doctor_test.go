package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
)

// doctorReport is kiosk doctor's --json output.
type doctorReport struct {
	Version string `json:"version"`
	Config  string `json:"config"`
	OK      bool   `json:"ok"`
	Checks  []struct {
		Name   string `json:"name"`
		State  string `json:"state"`
		Value  string `json:"value"`
		Reason string `json:"reason"`
	} `json:"checks"`
}

func (r doctorReport) value(name string) string {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (r doctorReport) state(name string) (state, reason string) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.State, c.Reason
		}
	}
	return "", ""
}

// writeConfig writes c as a configuration file and returns its path.
func writeConfig(t *testing.T, c *config.Config) string {
	t.Helper()
	b, err := toml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kiosk.toml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDoctor runs kiosk doctor against a demo backend on loopback, its
// outbox and key, and a scanner on a pty, with one thing broken per case.
func TestDoctor(t *testing.T) {
	ctx := context.Background()
	d := demotest.Demo(t)
	port, err := scannertest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + ln.Addr().String()
	ln.Close()
	doctor := func(t *testing.T, c *config.Config) (doctorReport, int) {
		t.Helper()
		path := writeConfig(t, c)
		out, errOut, code := runKiosk(t, "", "--config", path, "doctor", "--json", "--timeout", "500ms")
		var r doctorReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("output is not one JSON object: %v\n%s\n%s", err, out, errOut)
		}
		return r, code
	}
	working := *d.Config
	working.Scanner.Port = port.Path()

	// The demo's kiosk has not run its sync loop: the backend has not told
	// it its offline prefix yet, and the doctor says so.
	if r, code := doctor(t, &working); code != 1 {
		t.Errorf("kiosk doctor before the first sync = exit %d, want 1", code)
	} else if st, reason := r.state("offline-prefix"); st != "failed" || !strings.Contains(reason, "none known yet") {
		t.Errorf("offline-prefix before the first sync = %s (%s), want failed, none known yet", st, reason)
	}
	if _, err := d.Uplink.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := doctor(t, &working); !strings.Contains(r.value("offline-prefix"), "K (K001…), from the backend on ") {
		t.Errorf("offline-prefix after the first sync = %q, want the demo registry's K", r.value("offline-prefix"))
	}

	tests := map[string]struct {
		change func(c *config.Config)
		code   int
		want   map[string]string // check name → state
		reason map[string]string // check name → a piece of the reason
	}{
		"all working": {change: func(*config.Config) {}, code: 0,
			want: map[string]string{"config": "loaded", "technician": "loaded", "time-zone": "loaded", "zone-data": "loaded", "state-dir": "loaded",
				"outbox-key": "loaded", "scanner": "loaded", "printer": "skipped", "backend": "loaded", "outbox": "loaded",
				"offline-prefix": "loaded"}, reason: map[string]string{"offline-prefix": ""}},
		"backend down": {change: func(c *config.Config) { c.Backend.URL = deadURL }, code: 1,
			want: map[string]string{"backend": "failed", "scanner": "loaded"}, reason: map[string]string{"backend": "unreachable"}},
		"scanner unplugged": {change: func(c *config.Config) { c.Scanner.Port = filepath.Join(t.TempDir(), "ttyGone") }, code: 1,
			want: map[string]string{"scanner": "failed", "backend": "loaded"}, reason: map[string]string{"scanner": "port not found"}},
		"no scanner fitted": {change: func(c *config.Config) { c.Scanner.Port = "" }, code: 0,
			want: map[string]string{"scanner": "skipped"}},
		"printer not there": {change: func(c *config.Config) {
			c.Printer.Transport, c.Printer.Path = "device", filepath.Join(t.TempDir(), "lp0")
		}, code: 1, want: map[string]string{"printer": "failed"}, reason: map[string]string{"printer": "offline"}},
		"outbox key missing": {change: func(c *config.Config) { c.Backend.OutboxKeyFile = filepath.Join(t.TempDir(), "none.key") }, code: 1,
			want:   map[string]string{"outbox-key": "failed", "backend": "loaded", "outbox": "failed", "offline-prefix": "failed"},
			reason: map[string]string{"outbox-key": "none.key", "outbox": "outbox key", "offline-prefix": "outbox key"}},
		// The kiosk runs without its token (kiosk run starts over it); the
		// backend check fails saying why, the outbox is read all the same.
		"token file missing": {change: func(c *config.Config) { c.Backend.TokenFile = filepath.Join(t.TempDir(), "none.token") }, code: 1,
			want:   map[string]string{"backend": "failed", "outbox": "loaded", "offline-prefix": "loaded"},
			reason: map[string]string{"backend": "none.token"}},
		"kiosk never ran here": {change: func(c *config.Config) { c.Kiosk.StateDir = t.TempDir() }, code: 0,
			want: map[string]string{"outbox": "skipped", "state-dir": "loaded", "offline-prefix": "skipped"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := *d.Config
			c.Scanner.Port = port.Path()
			tc.change(&c)
			path := writeConfig(t, &c)
			out, errOut, code := runKiosk(t, "", "--config", path, "doctor", "--json", "--timeout", "500ms")
			if code != tc.code {
				t.Errorf("kiosk doctor = exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			var r doctorReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("output is not one JSON object: %v\n%s", err, out)
			}
			if r.OK != (tc.code == 0) || r.Config != path || len(r.Checks) != 11 {
				t.Errorf("report ok=%t config=%q with %d checks, want ok=%t config=%q with 11", r.OK, r.Config, len(r.Checks), tc.code == 0, path)
			}
			for name, want := range tc.want {
				got, reason := r.state(name)
				if got != want || !strings.Contains(reason, tc.reason[name]) {
					t.Errorf("%s = %s (%s), want %s (…%s…)", name, got, reason, want, tc.reason[name])
				}
			}
		})
	}
}

// TestDoctorText checks the lines a technician reads.
func TestDoctorText(t *testing.T) {
	dir := t.TempDir()
	c := config.Default()
	c.Kiosk.StateDir = dir
	c.Backend.OutboxKeyFile = filepath.Join(dir, "outbox.key")
	c.Backend.URL = "http://127.0.0.1:1" // nothing listens on port 1
	path := writeConfig(t, c)
	out, _, code := runKiosk(t, "", "--config", path, "doctor", "--timeout", "200ms")
	if code != 1 {
		t.Errorf("kiosk doctor = exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{
		"configuration from " + path,
		"config         loaded   " + path,
		"scanner        skipped  not fitted",
		"printer        skipped  not fitted",
		"outbox-key     failed   uplink: outbox key",
		"backend        failed",
		"offline-prefix skipped  no outbox yet",
		"checks failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDoctorUsage(t *testing.T) {
	tests := map[string]struct {
		args []string
		code int
	}{
		"extra argument": {[]string{"doctor", "now"}, 2},
		"unknown flag":   {[]string{"doctor", "--fast"}, 2},
		"broken config":  {[]string{"--config", filepath.Join("..", "..", "config", "testdata", "broken.toml"), "doctor"}, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runKiosk(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("kiosk %v = exit %d, want %d\n%s%s", tc.args, code, tc.code, out, errOut)
			}
		})
	}
}
