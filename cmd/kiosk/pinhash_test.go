package main

import (
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/kiosk/tech"
)

func TestPINHashCommand(t *testing.T) {
	tests := map[string]struct {
		stdin, pin string
		code       int
		stderr     string
	}{
		"six digits":        {stdin: "135790\n", pin: "135790"},
		"twelve digits":     {stdin: "123456789012\n", pin: "123456789012"},
		"four digits":       {stdin: "1234\n", code: 1, stderr: "6 to 12 digits"},
		"five digits":       {stdin: "12345\n", code: 1, stderr: "6 to 12 digits"},
		"CRLF, no newline":  {stdin: "24681357\r\n", pin: "24681357"},
		"no line end":       {stdin: "987654", pin: "987654"},
		"spaces around":     {stdin: "  135790 \n", pin: "135790"},
		"too short":         {stdin: "123\n", code: 1, stderr: "6 to 12 digits"},
		"letters":           {stdin: "12ab56\n", code: 1, stderr: "6 to 12 digits"},
		"empty":             {stdin: "", code: 1, stderr: "no PIN"},
		"thirteen digits":   {stdin: "1234567890123\n", code: 1, stderr: "6 to 12 digits"},
		"far too long":      {stdin: strings.Repeat("1", 200), code: 1, stderr: "6 to 12 digits"},
		"only the 1st line": {stdin: "654321\n567890\n", pin: "654321"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runKiosk(t, tc.stdin, "pin-hash")
			if code != tc.code || !strings.Contains(errOut, tc.stderr) {
				t.Fatalf("kiosk pin-hash < %q = exit %d, stderr %q; want exit %d saying %q", tc.stdin, code, errOut, tc.code, tc.stderr)
			}
			if code != 0 {
				if out != "" {
					t.Errorf("stdout = %q on failure, want nothing", out)
				}
				return
			}
			h, err := tech.ParseHash(strings.TrimSpace(out))
			if err != nil {
				t.Fatalf("output %q does not parse: %v", out, err)
			}
			if !h.Verify([]byte(tc.pin)) || h.Verify([]byte("000000")) {
				t.Errorf("hash %q does not verify %q alone", out, tc.pin)
			}
			if h.Params() != tech.DefaultParams() {
				t.Errorf("hash made with %+v, want the defaults %+v", h.Params(), tech.DefaultParams())
			}
		})
	}
	if _, _, code := runKiosk(t, "135790\n", "pin-hash", "135790"); code != 2 {
		t.Errorf("kiosk pin-hash 135790 = exit %d, want 2: the PIN belongs on stdin", code)
	}
}
