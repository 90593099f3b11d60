package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// runKiosk runs the kiosk command in-process with the given stdin.
func runKiosk(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		now: func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) },
	}
	code = run(context.Background(), e, args)
	return out.String(), errb.String(), code
}

func TestMRZCommand(t *testing.T) {
	tests := []struct {
		name, in string
		code     int
		want     map[string]any
	}{
		{"TD3 specimen", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n", 0,
			map[string]any{"format": "TD3", "valid": true, "surname": "ERIKSSON", "birthDate": "1974-08-12"}},
		{"empty", "", 2, map[string]any{"error": "mrz: no MRZ lines"}},
		{"one line", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n", 2,
			map[string]any{"error": "mrz: wrong number of lines: 1 line; an MRZ has 2 or 3"}},
		{"too long", strings.Repeat("A", maxMRZInput+10), 2,
			map[string]any{"error": "input longer than 65536 bytes; an MRZ has at most 3 lines"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, code := runKiosk(t, tc.in, "mrz")
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("output %q is not one JSON object: %v", out, err)
			}
			if code != tc.code {
				t.Errorf("exit = %d, want %d", code, tc.code)
			}
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s = %#v, want %#v", k, got[k], want)
				}
			}
		})
	}
}
