package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrintTestCommand(t *testing.T) {
	dir := t.TempDir()
	jobs := filepath.Join(dir, "tickets")
	cfg := filepath.Join(dir, "kiosk.toml")
	toml := "[printer]\ntransport = \"file\"\npath = \"" + jobs + "\"\nprofile = \"xprinter-xp58\"\n"
	if err := os.WriteFile(cfg, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runTicketCmd(t, "--config", cfg, "print-test")
	if code != 0 {
		t.Fatalf("kiosk print-test = %d; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"folder(" + jobs + ")", "xprinter-xp58", "cp866 as ESC t 17", "status:   ready", "printed:  yes"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("kiosk print-test output lacks %q:\n%s", want, stdout)
		}
	}
	if fi, err := os.Stat(filepath.Join(jobs, "job-0001.bin")); err != nil || fi.Size() < 500 {
		t.Errorf("test page job: %v", err)
	}

	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[printer]\ntransport = \"tcp\"\naddress = \"127.0.0.1:1\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runTicketCmd(t, "--config", bad, "print-test", "--timeout", "5s")
	if code != 1 || !strings.Contains(stdout, "offline") || !strings.Contains(stdout, "printed:  no") {
		t.Errorf("kiosk print-test on a dead printer = %d, output:\n%s\nwant 1, offline and printed: no", code, stdout)
	}
	// print-test tries once and exits: it must not promise a retry.
	if out := stdout + stderr; strings.Contains(out, "retry") {
		t.Errorf("kiosk print-test on a dead printer promises a retry it never makes:\n%s", out)
	}
}
