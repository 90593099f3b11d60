package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTicketAt prints the sample ticket at a given time: at night it says
// when the centre opens instead of a wait, and the ready date and the time
// of issue are those of that time in the branch's zone.
func TestTicketAt(t *testing.T) {
	t.Setenv("KIOSK_CONFIG", "")
	dir := t.TempDir()
	tests := []struct {
		name     string
		at       string
		wantCode int
		want     []string
		not      []string
	}{
		{name: "night, branch time", at: "2026-11-25T22:00", want: []string{"The centre opens on Thursday at 09:00", "25.11.2026 22:00", "27 November 2026"},
			not: []string{"Estimated wait"}},
		{name: "night, RFC 3339", at: "2026-11-25T17:00:00Z", want: []string{"The centre opens on Thursday at 09:00", "25.11.2026 22:00"}},
		{name: "day", at: "2026-11-25T10:00", want: []string{"Estimated wait: 25 min", "25.11.2026 10:00", "26 November 2026"}, not: []string{"The centre opens"}},
		{name: "not a time", at: "tomorrow", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".bin")
			code, stdout, stderr := runTicketCmd(t, "ticket", "--out", out, "--lang", "en", "--at", tt.at)
			if code != tt.wantCode {
				t.Fatalf("kiosk ticket --at %s = %d, want %d; stderr:\n%s", tt.at, code, tt.wantCode, stderr)
			}
			text := strings.ReplaceAll(stdout, "\u00a0", " ")
			text = strings.Join(strings.Fields(text), " ")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("kiosk ticket --at %s lacks %q:\n%s", tt.at, w, stdout)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("kiosk ticket --at %s says %q:\n%s", tt.at, w, stdout)
				}
			}
		})
	}
}
