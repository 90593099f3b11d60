package systemd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// maxExposure is the highest overall exposure systemd-analyze may give the
// unit; 10 is no sandbox at all. The unit scored 7.8 ("EXPOSED") before
// issue 9; see the comments in kiosk.service for what each line costs the
// kiosk.
const maxExposure = 3.5

const unit = "kiosk.service"

// analyze finds systemd-analyze or skips: it comes with Debian's systemd
// package, which .ci/run installs when it is missing.
func analyze(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd; .ci/run installs it): the unit's sandbox is not checked")
	}
	return p
}

var overall = regexp.MustCompile(`Overall exposure level for \S+: ([0-9]+\.[0-9]+)`)

// TestUnitExposure scores the unit as systemd would sandbox it, without a
// running systemd (--offline), and fails above maxExposure.
func TestUnitExposure(t *testing.T) {
	bin := analyze(t)
	path, err := filepath.Abs(unit)
	if err != nil {
		t.Fatal(err)
	}
	// --threshold makes systemd-analyze fail too, in tenths; the score is
	// read from the text so that the message can say it.
	cmd := exec.Command(bin, "security", "--offline=yes", "--no-pager",
		"--threshold="+strconv.Itoa(int(maxExposure*10)), path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	m := overall.FindSubmatch(stdout.Bytes())
	if m == nil {
		t.Fatalf("systemd-analyze security %s: %v; no overall exposure in its output:\n%s%s", unit, runErr, stdout.Bytes(), stderr.Bytes())
	}
	score, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	if score > maxExposure || runErr != nil {
		t.Fatalf("%s: overall exposure %.1f (%v), want at most %.1f; what is still open:\n%s%s",
			unit, score, runErr, maxExposure, open(stdout.String()), stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("systemd-analyze security warned about %s:\n%s", unit, stderr.Bytes())
	}
	t.Logf("%s: overall exposure %.1f (at most %.1f)", unit, score, maxExposure)
}

// open keeps the lines of the security table that are not satisfied.
func open(table string) string {
	var b strings.Builder
	for _, l := range strings.Split(table, "\n") {
		if strings.HasPrefix(l, "✗") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestUnitVerifies loads the unit as systemd would and fails on any
// complaint (an unknown or misspelt setting is only a warning to systemd,
// which would then run the kiosk without it). cage, foot and the kiosk are
// not installed here, so the copy checked runs this test binary instead:
// only the command line is not verified.
func TestUnitVerifies(t *testing.T) {
	bin := analyze(t)
	text, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(text), "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(l, "ExecStart=") {
			lines[i], found = "ExecStart="+self, true
		}
	}
	if !found {
		t.Fatalf("%s has no ExecStart= line", unit)
	}
	path := filepath.Join(t.TempDir(), unit)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "verify", "--no-pager", path).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify %s: %v\n%s", unit, err, out)
	}
}
