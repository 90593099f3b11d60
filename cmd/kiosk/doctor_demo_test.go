package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// TestDoctorBesideDemo: kiosk doctor run beside kiosk demo (the same
// state folder, no backend of its own configured) checks the demo's
// backend, which listens on a port of its choosing, and says so; with
// the demo stopped it checks the configured backend again.
func TestDoctorBesideDemo(t *testing.T) {
	state := t.TempDir()
	d, err := demo.Start(context.Background(), state, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	c := config.Default() // the backend as "make run" leaves it: the default
	c.Kiosk.StateDir = state
	path := writeConfig(t, c)
	doctor := func() doctorReport {
		out, errOut, _ := runKiosk(t, "", "--config", path, "doctor", "--json", "--timeout", "2s")
		var r doctorReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("output is not one JSON object: %v\n%s\n%s", err, out, errOut)
		}
		return r
	}
	r := doctor()
	if st, reason := r.state("backend"); st != "loaded" || !strings.Contains(r.value("backend"), d.BackendURL) ||
		!strings.Contains(r.value("backend"), "demo") {
		t.Errorf("backend beside the demo = %s %q (%s), want loaded, the demo's %s, saying it is the demo's",
			st, r.value("backend"), reason, d.BackendURL)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	r = doctor()
	if v := r.value("backend"); strings.Contains(v, d.BackendURL) || !strings.Contains(v, c.Backend.URL) {
		t.Errorf("backend with the demo stopped = %q, want the configured %s", v, c.Backend.URL)
	}
}

// TestDoctorPlainWords: a state folder that is not there is "missing", not
// a system call's error, and no number stands without its unit.
func TestDoctorPlainWords(t *testing.T) {
	dir := t.TempDir()
	c := config.Default()
	c.Kiosk.StateDir = filepath.Join(dir, "var")
	c.Backend.OutboxKeyFile = filepath.Join(dir, "outbox.key")
	c.Backend.URL = "http://127.0.0.1:1" // nothing listens on port 1
	path := writeConfig(t, c)
	out, _, _ := runKiosk(t, "", "--config", path, "doctor", "--timeout", "200ms")
	line := regexp.MustCompile(`(?m)^state-dir +(\w+) +(.*)$`).FindStringSubmatch(out)
	if line == nil || !strings.Contains(line[2], "missing") || strings.Contains(line[2], "no such file") {
		t.Errorf("state-dir line for a missing folder = %q, want it called missing, without the system's words:\n%s", line, out)
	}

	// An outbox with nothing waiting: "0 entries waiting", not "0".
	if err := os.MkdirAll(c.Kiosk.StateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	emptyOutbox(t, c)
	path = writeConfig(t, c)
	out, _, _ = runKiosk(t, "", "--config", path, "doctor", "--timeout", "200ms")
	bare := regexp.MustCompile(`(?m)^\S+ +\w+ +(.*\D)?\d+$`)
	if m := bare.FindString(out); m != "" {
		t.Errorf("a number without its unit: %q\n%s", m, out)
	}
	if !strings.Contains(out, "0 entries waiting") {
		t.Errorf("outbox line lacks %q:\n%s", "0 entries waiting", out)
	}
}

// emptyOutbox makes c's outbox key and an outbox with nothing in it, as a
// kiosk leaves them once everything is delivered.
func emptyOutbox(t *testing.T, c *config.Config) {
	t.Helper()
	key, err := uplink.LoadKey(c.Backend.OutboxKeyFile, true)
	if err != nil {
		t.Fatal(err)
	}
	out, err := uplink.OpenOutbox(context.Background(), uplink.OutboxFile(c.Kiosk), key)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
