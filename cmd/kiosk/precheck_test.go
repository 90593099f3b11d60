package main

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/devices/mrz/mrztest"
)

// precheckTD3 builds a passport MRZ with correct check digits.
func precheckTD3(state, names, birth, expiry string) string {
	return mrztest.TD3{Code: "P", State: state, Names: names, Number: "E12345678", Nationality: state,
		Birth: birth, Sex: "F", Expiry: expiry}.String() + "\n"
}

func runPrecheck(t *testing.T, stdin string, args ...string) (out precheckJSON, stderr string, code int) {
	t.Helper()
	t.Setenv("KIOSK_CONFIG", "")
	var o, e bytes.Buffer
	en := &env{
		stdin: strings.NewReader(stdin), stdout: &o, stderr: &e,
		now: func() time.Time { return time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC) },
	}
	code = run(context.Background(), en, append([]string{"precheck"}, args...))
	if code == 0 {
		if err := json.Unmarshal(o.Bytes(), &out); err != nil {
			t.Fatalf("kiosk precheck %v printed %q, want one JSON object: %v", args, o.String(), err)
		}
		if strings.Count(strings.TrimSpace(o.String()), "\n") != 0 {
			t.Errorf("kiosk precheck %v printed %q, want one line", args, o.String())
		}
	}
	return out, e.String(), code
}

func TestPrecheckCommand(t *testing.T) {
	rus := precheckTD3("RUS", "IVANOVA<<ANNA", "900215", "300101")
	ind := precheckTD3("IND", "SHARMA<<PRIYA", "900215", "300101")
	card := "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n"
	tests := []struct {
		name        string
		stdin       string
		args        []string
		decision    string
		source      string
		translation bool
		ready       string
		keys        []string
		textHas     string // in the first item's text
		question    bool
	}{
		{"Russian citizen in person, Russian", rus, []string{"--lang=ru", "--at=2026-11-25T10:00:00+05:00"},
			"ok", "policy", false, "2026-11-26", []string{"precheck.item.passport"}, "Ваш паспорт", false},
		{"default time is now, default language Kazakh", rus, nil,
			"ok", "policy", false, "2026-11-26", []string{"precheck.item.passport"}, "Төлқұжатыңыз", false},
		{"after closing", rus, []string{"--at=2026-11-25T18:30:00+05:00", "--lang=en"},
			"ok", "policy", false, "2026-11-27", []string{"precheck.item.passport"}, "Your passport", false},
		{"visual zone scripts mixed: the state decides", rus, []string{"--viz-script=Cyrl", "--viz-script=Arab", "--translation-from=kaz", "--lang=en"},
			"ok", "policy", false, "2026-11-26", []string{"precheck.item.passport"}, "Your passport", false},
		{"visual zone only another script", ind, []string{"--viz-script=Arab", "--translation-from=kaz", "--lang=en"},
			"needs-documents", "viz", true, "2026-11-26", []string{"precheck.item.passport", "precheck.item.notarized_translation"}, "Your passport", false},
		{"visitor not yet asked", ind, []string{"--lang=en"},
			"needs-documents", "none", false, "2026-11-26", []string{"precheck.item.passport", "precheck.item.translation_if"}, "Your passport", true},
		{"visitor says no", ind, []string{"--lang=en", "--non-latin=no"},
			"ok", "visitor", false, "2026-11-26", []string{"precheck.item.passport"}, "Your passport", false},
		{"not an MRZ", "hello\n", []string{"--lang=ru"},
			"rescan", "none", false, "", []string{"precheck.item.rescan"}, "отсканируйте", false},
		{"second failure", "hello\n", []string{"--lang=ru", "--failures=1"},
			"see-clerk", "none", false, "", []string{"precheck.item.see_clerk"}, "справочную", false},
		{"ID card", card, []string{"--lang=en"},
			"cannot-apply", "none", false, "", []string{"precheck.item.not_passport"}, "cannot be used", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runPrecheck(t, tt.stdin, tt.args...)
			if code != 0 {
				t.Fatalf("kiosk precheck %v = exit %d (%s), want 0", tt.args, code, stderr)
			}
			var keys []string
			for _, it := range out.Items {
				keys = append(keys, it.Key)
				if it.Text == "" || it.Reason == "" || it.Text == it.Key {
					t.Errorf("kiosk precheck %v item %+v, want a text and a reason", tt.args, it)
				}
			}
			if out.Decision != tt.decision || out.TranslationSource != tt.source || out.TranslationRequired != tt.translation ||
				out.ReadyDate != tt.ready || !reflect.DeepEqual(keys, tt.keys) {
				t.Errorf("kiosk precheck %v = %s %s %v %q %v, want %s %s %v %q %v", tt.args,
					out.Decision, out.TranslationSource, out.TranslationRequired, out.ReadyDate, keys,
					tt.decision, tt.source, tt.translation, tt.ready, tt.keys)
			}
			if len(out.Items) > 0 && !strings.Contains(out.Items[0].Text, tt.textHas) {
				t.Errorf("kiosk precheck %v first text = %q, want it to contain %q", tt.args, out.Items[0].Text, tt.textHas)
			}
			if (out.Question != "") != tt.question {
				t.Errorf("kiosk precheck %v question = %q, want asked=%v", tt.args, out.Question, tt.question)
			}
		})
	}
}

func TestPrecheckCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"language", []string{"--lang=de"}, "--lang"},
		{"time", []string{"--at=tomorrow"}, "--at"},
		{"script", []string{"--viz-script=Latin"}, "--viz-script"},
		{"answer", []string{"--non-latin=maybe"}, "--non-latin"},
		{"state", []string{"--poa-from=R1"}, "ICAO"},
		{"unknown flag", []string{"--colour"}, "colour"},
		{"argument", []string{"extra"}, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runPrecheck(t, "", tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("kiosk precheck %v = exit %d, %q, want exit 2 mentioning %q", tt.args, code, stderr, tt.want)
			}
		})
	}
}
