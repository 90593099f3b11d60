package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// runPrecheckConfig is runPrecheck with a configuration file of the test's.
func runPrecheckConfig(t *testing.T, cfg, stdin string, args ...string) (out precheckJSON, stderr string, code int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var o, e bytes.Buffer
	en := &env{
		stdin: strings.NewReader(stdin), stdout: &o, stderr: &e,
		now: func() time.Time { return time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC) },
	}
	code = run(context.Background(), en, append([]string{"--config", path, "precheck"}, args...))
	if code == 0 {
		if err := json.Unmarshal(o.Bytes(), &out); err != nil {
			t.Fatalf("kiosk precheck %v printed %q, want one JSON object: %v", args, o.String(), err)
		}
	}
	return out, e.String(), code
}

// TestPrecheckVIZ is `kiosk precheck --viz FIELD=TEXT` and --viz-script:
// a field the scanner read decides for that field; the page's scripts
// decide when they are all Latin/Cyrillic or all other; a mix falls to the
// state's entry, then to the visitor. The reason names the field.
func TestPrecheckVIZ(t *testing.T) {
	chn := precheckTD3("CHN", "ZHANG<<WEI", "900215", "300101")
	rus := precheckTD3("RUS", "IVANOVA<<ANNA", "900215", "300101")
	ind := precheckTD3("IND", "SHARMA<<PRIYA", "900215", "300101")
	tests := []struct {
		name        string
		stdin       string
		args        []string
		decision    string
		source      string
		translation bool
		reasonHas   string // in the translation item's reason; "" when none
		question    bool
	}{
		{"place of birth in Arabic only", ind, []string{"--viz", "placeOfBirth=القاهرة"},
			"needs-documents", "viz", true, "place of birth", false},
		{"place of birth in Arabic and Latin", ind, []string{"--viz=placeOfBirth=القاهرة / CAIRO"},
			"ok", "viz", false, "", false},
		{"surname in Chinese only", chn, []string{"--viz", "surname=张", "--viz", "givenNames=WEI", "--viz", "placeOfBirth=BEIJING"},
			"needs-documents", "viz", true, "surname", false},
		{"given names in Hebrew only, Russian", rus, []string{"--viz", "givenNames=דוד", "--lang=ru"},
			"needs-documents", "viz", true, "имя", false},
		{"names only: the visitor is asked about the place of birth", ind, []string{"--viz", "surname=SHARMA", "--viz", "givenNames=PRIYA"},
			"needs-documents", "none", false, "place of birth", true},
		{"page only in another script", ind, []string{"--viz-script=Arab"},
			"needs-documents", "viz", true, "no Latin or Cyrillic", false},
		{"page only Latin and Cyrillic", ind, []string{"--viz-script=Latn", "--viz-script=Cyrl"},
			"ok", "viz", false, "", false},
		{"page mixed, state listed: policy", rus, []string{"--viz-script=Latn", "--viz-script=Arab"},
			"ok", "policy", false, "", false},
		{"page mixed, state asks: the visitor", ind, []string{"--viz-script=Latn", "--viz-script=Arab"},
			"needs-documents", "none", false, "place of birth", true},
		{"page mixed, the visitor answered", ind, []string{"--viz-script=Latn", "--viz-script=Arab", "--non-latin=yes"},
			"needs-documents", "visitor", true, "place of birth", false},
		{"a field beats the page", ind, []string{"--viz-script=Arab", "--viz", "placeOfBirth=DELHI"},
			"ok", "viz", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if !strings.Contains(strings.Join(args, " "), "--lang") {
				args = append(args, "--lang=en")
			}
			out, stderr, code := runPrecheck(t, tt.stdin, args...)
			if code != 0 {
				t.Fatalf("kiosk precheck %v = exit %d (%s), want 0", args, code, stderr)
			}
			reason := ""
			for _, it := range out.Items {
				if it.Key == "precheck.item.notarized_translation" || it.Key == "precheck.item.translation_if" {
					reason = it.Reason
				}
			}
			if out.Decision != tt.decision || out.TranslationSource != tt.source || out.TranslationRequired != tt.translation ||
				(out.Question != "") != tt.question {
				t.Errorf("kiosk precheck %v = %s %s %v question %q, want %s %s %v question %v", args,
					out.Decision, out.TranslationSource, out.TranslationRequired, out.Question,
					tt.decision, tt.source, tt.translation, tt.question)
			}
			if (reason == "") != (tt.reasonHas == "") || !strings.Contains(reason, tt.reasonHas) {
				t.Errorf("kiosk precheck %v translation reason = %q, want it to say %q", args, reason, tt.reasonHas)
			}
		})
	}
}

func TestPrecheckVIZUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--viz", "place=Cairo"},
		{"--viz", "placeofbirth=Cairo"},
		{"--viz", "surname"},
		{"--viz="},
	} {
		_, stderr, code := runPrecheck(t, "", args...)
		if code != 2 || !strings.Contains(stderr, "--viz") || !strings.Contains(stderr, "placeOfBirth") {
			t.Errorf("kiosk precheck %v = exit %d, %q, want exit 2 naming --viz and the fields", args, code, stderr)
		}
	}
}

// TestPrecheckRepresentativeSwitch is --representative with the default
// settings (representatives off: the IIN is applied for in person) and
// with a branch file that switches them on.
func TestPrecheckRepresentativeSwitch(t *testing.T) {
	chn := precheckTD3("CHN", "ZHANG<<WEI", "900215", "300101")
	rus := precheckTD3("RUS", "IVANOVA<<ANNA", "900215", "300101")
	out, stderr, code := runPrecheck(t, rus, "--representative", "--lang=en")
	if code != 0 || out.Decision != "cannot-apply" || len(out.Items) != 1 || out.Items[0].Key != "precheck.item.representative_off" ||
		!strings.Contains(out.Items[0].Reason, "in person") {
		t.Errorf("kiosk precheck --representative (default) = exit %d %s %+v, want cannot-apply: in person only", code, stderr, out)
	}
	const on = "[flow]\nrepresentative_allowed = true\n[flow.translation_policy]\nCHN = \"required\"\nRUS = \"not-required\"\n"
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
		keys  []string
		has   string
	}{
		{"for a Chinese citizen, Kazakh", chn, []string{"--representative", "--at=2026-11-25T10:00:00+05:00", "--lang=kk"}, "needs-documents",
			[]string{"precheck.item.principal_passport", "precheck.item.notarized_translation", "precheck.item.poa", "precheck.item.rep_id", "precheck.item.legalisation_if_abroad"},
			"төлқұжаты"},
		{"power of attorney from Germany", rus, []string{"--representative", "--poa-from=DEU", "--lang=en"}, "needs-documents",
			[]string{"precheck.item.principal_passport", "precheck.item.poa", "precheck.item.legalisation_poa", "precheck.item.rep_id"},
			"The passport of the person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runPrecheckConfig(t, on, tt.stdin, tt.args...)
			if code != 0 {
				t.Fatalf("kiosk precheck %v = exit %d (%s), want 0", tt.args, code, stderr)
			}
			var keys []string
			for _, it := range out.Items {
				keys = append(keys, it.Key)
			}
			if out.Decision != tt.want || !reflect.DeepEqual(keys, tt.keys) || !strings.Contains(out.Items[0].Text, tt.has) {
				t.Errorf("kiosk precheck %v = %s %v %q, want %s %v containing %q", tt.args, out.Decision, keys, out.Items[0].Text, tt.want, tt.keys, tt.has)
			}
		})
	}
}
