package central

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// sampleApplication is a typical application as the kiosk sends it.
func sampleApplication() []byte {
	app := api.Application{
		ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", Service: "iin", Lane: api.LaneOrdinary, Language: "ru",
		Phone: "+77011234567",
		Applicant: api.Applicant{
			DocumentCode: "P", DocumentNumber: "L898902C3", IssuingState: "UTO", Nationality: "UTO",
			Latin: api.Name{Surname: "ERIKSSON", GivenNames: "ANNA MARIA"}, BirthDate: "1974-08-12",
			ExpiryDate: "2032-04-15", Sex: "F", MRZValid: true,
		},
		Precheck:  api.Precheck{Decision: api.DecisionOK, Checklist: []string{"bring.passport", "precheck.item.poa"}},
		CreatedAt: time.Date(2025, 9, 24, 4, 0, 0, 0, time.UTC),
	}
	body, _ := json.Marshal(app)
	return body
}

// TestValidateAllocs keeps the validation on the library's validator over
// the schemas as loaded: its JSON Schema 2020-12 engine, which a 3.1
// document selects, compiles the schema for every request (12,600
// allocations and 2.7 ms an application, where this takes 145 and 0.05 ms).
// Allocations are counted, not timed, so the test holds on a busy machine.
func TestValidateAllocs(t *testing.T) {
	v, err := newValidator(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	body := sampleApplication()
	route := v.routes["submitApplication"]
	allocs := testing.AllocsPerRun(20, func() {
		r := httptest.NewRequest("POST", "/v1/applications", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if err := v.check(httptest.NewRecorder(), r, route); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1000 {
		t.Errorf("validating an application allocates %.0f times, want at most 1000 (the schema compiled per request?)", allocs)
	}
}

// BenchmarkValidate measures what the OpenAPI validation adds to a request:
// a typical application checked against the document, beside the decoding
// into the Go type that every request pays anyway.
func BenchmarkValidate(b *testing.B) {
	v, err := newValidator(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	body := sampleApplication()
	route := v.routes["submitApplication"]
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			r := httptest.NewRequest("POST", "/v1/applications", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			if err := v.check(httptest.NewRecorder(), r, route); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			r := httptest.NewRequest("POST", "/v1/applications", bytes.NewReader(body))
			var a api.Application
			if err := decode(httptest.NewRecorder(), r, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestValidatorRoutes: every served operation is in the document the
// validator loaded, with its method and path.
func TestValidatorRoutes(t *testing.T) {
	v, err := newValidator(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Routes() {
		got := v.routes[r.Name]
		if got == nil || got.Method != r.Method || got.Path != r.Pattern {
			t.Errorf("route %s = %+v, want %s %s", r.Name, got, r.Method, r.Pattern)
		}
	}
}

// TestLoneSurrogate: a \u escape of half a surrogate pair is found however
// it is placed, a pair and an escaped backslash are not.
func TestLoneSurrogate(t *testing.T) {
	for body, lone := range map[string]bool{
		`{"s":"ERIK\ud800SSON"}`:         true,
		`{"s":"ERIK\uD800SSON"}`:         true,
		`{"s":"ERIK\udfffSSON"}`:         true,
		`{"s":"\ud800"}`:                 true,
		`{"s":"\ud800\u0041"}`:           true,
		`{"s":"\ud800\ud800\udc00"}`:     true,
		`{"s":"\udc00\ud800"}`:           true,
		`{"s":"\\\ud800"}`:               true, // an escaped backslash, then the escape
		`{"s":"\ud800`:                   true,
		`{"s":"\ud83d\ude00"}`:           false, // a pair: U+1F600
		`{"s":"\uD83D\uDE00"}`:           false,
		`{"s":"\\ud800"}`:                false, // an escaped backslash and the text ud800
		`{"s":"\\\\ud800"}`:              false,
		`{"s":"\"\ud83d\ude00\"\u00e9"}`: false,
		`{"s":"\u00e9\u2028"}`:           false, // not surrogates (the pattern refuses U+2028)
		`{"s":"\u12"}`:                   false, // not JSON: the decoder says so
		`{"s":"ud800"}`:                  false,
	} {
		if got := loneSurrogate([]byte(body)); got != lone {
			t.Errorf("loneSurrogate(%s) = %v, want %v", body, got, lone)
		}
	}
}

// TestFreeTextPattern: every pattern of free text in the document (one
// that excludes characters) is noControl, so none is left behind when the
// rule changes, and the validator names it.
func TestFreeTextPattern(t *testing.T) {
	var walk func(v any)
	n := 0
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if p, ok := v["pattern"].(string); ok && strings.HasPrefix(p, "^[^") {
				n++
				if p != noControl {
					t.Errorf("pattern %+q, want noControl %+q", p, noControl)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var d any
	if err := json.Unmarshal(api.OpenAPI(), &d); err != nil {
		t.Fatal(err)
	}
	walk(d)
	if n == 0 {
		t.Error("no free-text pattern in the document")
	}
	re := regexp.MustCompile(noControl)
	for _, s := range []string{"ERIKSSON", "ЭРИКССОН", "ҚАЗАҚ Әлем", "O'NEIL-SMITH", "cover open", "\u00a0\u00ad"} {
		if !re.MatchString(s) {
			t.Errorf("%+q refused, want it allowed", s)
		}
	}
	for _, s := range []string{"\x00", "\t", "\x7f", "\u0080", "\u009b", "\u061c", "\u200e", "\u200f", "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069"} {
		if re.MatchString("A" + s + "B") {
			t.Errorf("%+q allowed, want it refused", s)
		}
	}
}
