package browsertest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central/browsertest"
)

// TestUnavailable: without a browser the browser tests skip, saying so
// where a run without -v shows it; with KIOSK_BROWSER_REQUIRED=1 they
// fail. The test binary runs itself with a Chromium that is not there.
func TestUnavailable(t *testing.T) {
	if os.Getenv(browsertest.ExecEnv) != "" {
		t.Skip("a child run of this test") // the child runs TestConsoleClerk only; this guards a mistake
	}
	for _, tc := range []struct {
		required string
		fail     bool
		want     string
	}{
		{"", false, "BROWSER TESTS SKIPPED"},
		{"1", true, "KIOSK_BROWSER_REQUIRED=1, so the browser tests must run"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConsoleClerk$", "-test.count=1")
		cmd.Env = append(clean(os.Environ()), browsertest.ExecEnv+"="+t.TempDir()+"/no-chromium",
			browsertest.RequiredEnv+"="+tc.required)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != tc.fail || !strings.Contains(string(out), tc.want) {
			t.Errorf("%s=%q: failed %v, want %v, saying %q:\n%s", browsertest.RequiredEnv, tc.required, failed, tc.fail, tc.want, out)
		}
	}
}

// clean drops the variables the child run sets itself.
func clean(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, browsertest.ExecEnv+"=") && !strings.HasPrefix(kv, browsertest.RequiredEnv+"=") {
			out = append(out, kv)
		}
	}
	return out
}
