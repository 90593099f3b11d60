package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runTicketCmd runs the command line in-process at a fixed clock: Friday
// 16 May 2025, 10:32.
func runTicketCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	now := time.Date(2025, 5, 16, 10, 32, 0, 0, time.UTC)
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: func() time.Time { return now }}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func TestTicketCommand(t *testing.T) {
	t.Setenv("KIOSK_CONFIG", "")
	dir := t.TempDir()
	tests := map[string]struct {
		args     []string
		wantCode int
		want     []string // in stdout
	}{
		"Kazakh only, configured profile": {
			args: []string{"--lang", "kk", "--number", "A-042"}, wantCode: 0,
			want: []string{"profile generic-58 (user-chars)", "×4 A-042", "Сіздің нөміріңіз", "Қызмет тегін.", "ЖСН дайын болатын күн:", "2025 жылғы 19 мамыр"},
		},
		"Russian visitor on KZ-1048": {
			args: []string{"--lang", "ru", "--number", "B-007", "--profile", "epson-tm-t20iii"}, wantCode: 0,
			want: []string{"kz1048", "×5 B-007", "Сіздің нөміріңіз / Ваш номер", "ИИН для иностранного гражданина", "16 мая 2025, 15:32"},
		},
		"trilingual, raster, booked, translation": {
			args: []string{"--lang", "ru,en", "--profile", "generic-raster", "--booked", "--translation"}, wantCode: 0,
			want: []string{"[image: ", "IIN for a foreign citizen", "notarized translation of the"},
		},
		"unknown language":    {args: []string{"--lang", "de"}, wantCode: 2},
		"unknown profile":     {args: []string{"--profile", "nope"}, wantCode: 2},
		"personal data in it": {args: []string{"--number", "990101234567"}, wantCode: 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".bin")
			pngPath := strings.TrimSuffix(out, ".bin") + ".png"
			code, stdout, stderr := runTicketCmd(t, append([]string{"ticket", "--out", out, "--png", pngPath}, tt.args...)...)
			if code != tt.wantCode {
				t.Fatalf("kiosk ticket %v = %d, want %d; stderr:\n%s", tt.args, code, tt.wantCode, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("kiosk ticket %v output lacks %q:\n%s", tt.args, w, stdout)
				}
			}
			if tt.wantCode != 0 {
				return
			}
			f, err := os.Open(pngPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := png.Decode(f); err != nil {
				t.Errorf("the PNG does not decode: %v", err)
			}
		})
	}
	if code, _, _ := runTicketCmd(t, "ticket"); code != 2 {
		t.Errorf("kiosk ticket without --out = %d, want 2", code)
	}
}

func TestTicketLangs(t *testing.T) {
	tests := map[string]string{"kk": "kk", "ru": "kk,ru", "en,ru": "kk,en,ru", "kk,en,en": "kk,en"}
	for in, want := range tests {
		got, err := ticketLangs(in)
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("ticketLangs(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
}
