package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
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
		{"French identity card of 1988 refused for what it is",
			"IDFRADUPONT<<<<<<<<<<<<<<<<<<<750123\n0512750123456JEAN<<PIERRE<<8800101M2\n", 2,
			map[string]any{"error": "mrz: not an ICAO 9303 document: French national identity card (1988–2021 model)", "document": "FRA_ID_CARD"}},
		{"digit in the name repaired and listed", "P<UTOERIK55ON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n", 0,
			map[string]any{"valid": true, "surname": "ERIKSSON", "checks.letters": true, "repairs.0.field": "surname", "repairs.0.from": "5", "repairs.0.to": "S"}},
		{"Belgian long number variant", "IDBEL000590240<6013<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<\n", 0,
			map[string]any{"valid": true, "documentNumber": "000590240601", "variants.0": "longNumberCheckWithFiller"}},
		{"Russian internal passport: Cyrillic names, Latin by ICAO, not the MRZ's code",
			"PNRUSIVANOV<<IVAN<IVANOVI3<<<<<<<<<<<<<<<<<<\n4501234568RUS8001014M<<<<<<09250210770007<86\n", 0,
			map[string]any{"format": "RUS_INTERNAL", "valid": true, "surname": "ИВАНОВ", "givenNames": "ИВАН ИВАНОВИЧ",
				"latin.surname": "IVANOV", "latin.givenNames": "IVAN IVANOVICH"}},
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
				if got := lookup(got, k); got != want {
					t.Errorf("%s = %#v, want %#v", k, got, want)
				}
			}
		})
	}
}

// lookup follows a dotted path ("checks.letters", "repairs.0.field") into
// decoded JSON.
func lookup(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch n := v.(type) {
		case map[string]any:
			v = n[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(n) {
				return nil
			}
			v = n[i]
		default:
			return nil
		}
	}
	return v
}
