package storetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// BadRequest is a request the server must refuse with 400 malformed before
// anything is stored.
type BadRequest struct {
	Name   string
	Method string
	Path   string
	Body   []byte
	// Field must be named in the answer's message.
	Field string
	// Secret must not be in the answer: the refused value, or a part of it.
	Secret string
	// App is the id of the refused application, which must not be stored.
	App string
}

// BadCode is the booking code of the refused bookings: no booking with it
// may be stored.
const BadCode = "BAD0001"

// notUTF8 stands for bytes that are not UTF-8 in a body made with
// encoding/json, which would replace them; with replaces it after.
const notUTF8 = "@NOT-UTF8@"

// BadRequests returns the refused requests of the suite, from kiosk K-01 at
// time at: values the OpenAPI document does not allow, in every operation
// that takes a body or parameters.
func BadRequests(at time.Time) []BadRequest {
	long := strings.Repeat("SECRETLONG", 6<<10) // 60 KiB, under the body limit
	app := func(name, field, secret, path string, v any) BadRequest {
		a := Application("K-01", api.LaneOrdinary, at)
		b := with(a, path, v)
		return BadRequest{Name: "application " + name, Method: "POST", Path: "/v1/applications", Body: b, Field: field, Secret: secret, App: a.ID}
	}
	hb := func(name, field, secret, path string, v any) BadRequest {
		h := api.Heartbeat{Version: "1.0.0", Devices: []api.Device{{Name: "printer", State: "loaded"}}, Paper: "ok", At: at}
		return BadRequest{Name: "heartbeat " + name, Method: "POST", Path: "/v1/kiosks/K-01/heartbeat", Body: with(h, path, v), Field: field, Secret: secret}
	}
	ev := func(name, field, secret, path string, v any) BadRequest {
		e := api.Events{Events: []api.Event{
			{Kind: api.EventSessionStarted, At: at, Session: "s1"},
			{Kind: api.EventAbandoned, At: at, Session: "s1", Reason: "timeout"},
		}}
		return BadRequest{Name: "events " + name, Method: "POST", Path: "/v1/kiosks/K-01/events", Body: with(e, path, v), Field: field, Secret: secret}
	}
	book := func(name, field, secret, path string, v any) BadRequest {
		b := api.Booking{Code: BadCode, BranchID: "ALA-01", Service: "iin", SlotAt: at.Add(time.Hour), DocumentNumber: "L898902C3"}
		return BadRequest{Name: "booking " + name, Method: "POST", Path: "/v1/bookings", Body: with(b, path, v), Field: field, Secret: secret}
	}
	checkIn := func(name, field, secret, path string, v any) BadRequest {
		c := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: "B7K2Q9"}
		return BadRequest{Name: "check-in " + name, Method: "POST", Path: "/v1/bookings/check-in", Body: with(c, path, v), Field: field, Secret: secret}
	}
	many := func(n int, v any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	// escaped is an application whose surname is the JSON text surname,
	// escapes written into the body as they are: encoding/json never
	// writes a lone surrogate.
	escaped := func(name, surname string) BadRequest {
		r := app(name, "surrogate", "SECRETSUR", "applicant.latin.surname", "@SURNAME@")
		r.Body = bytes.ReplaceAll(r.Body, []byte("@SURNAME@"), []byte(surname))
		return r
	}
	event := map[string]any{"kind": "printed", "at": at.Format(time.RFC3339), "session": "s1"}
	return []BadRequest{
		app("sex Q", "applicant.sex", "", "applicant.sex", "Q"),
		app("sex filler", "applicant.sex", "", "applicant.sex", "<"),
		app("birth date not a date", "applicant.birthDate", "not-a-date", "applicant.birthDate", "not-a-date"),
		app("birth date not in the calendar", "applicant.birthDate", "1974-02-30", "applicant.birthDate", "1974-02-30"),
		app("expiry date in another format", "applicant.expiryDate", "15.04.2032", "applicant.expiryDate", "15.04.2032"),
		app("60 KB surname", "applicant.latin.surname", "SECRETLONG", "applicant.latin.surname", long),
		app("60 KB document number", "applicant.documentNumber", "SECRETLONG", "applicant.documentNumber", long),
		app("NUL in given names", "applicant.latin.givenNames", "SECRETNUL", "applicant.latin.givenNames", "ANNA\x00SECRETNUL"),
		app("newline in a Cyrillic surname", "applicant.cyrillic.surname", "СЕКРЕТ", "applicant.cyrillic", map[string]any{"surname": "ЭРИКССОН\nСЕКРЕТ", "givenNames": "АННА"}),
		app("DEL in a surname", "applicant.latin.surname", "SECRETDEL", "applicant.latin.surname", "ERIK\x7fSECRETDEL"),
		// C1 controls, line and paragraph separators and the bidirectional
		// controls reach the clerk's screen as they are: a CSI starts a
		// terminal sequence, an override shows the name reversed.
		app("CSI (U+009B) in a surname", "applicant.latin.surname", "SECRETCSI", "applicant.latin.surname", "ERIK\u009b2JSECRETCSI"),
		app("NEL (U+0085) in given names", "applicant.latin.givenNames", "SECRETNEL", "applicant.latin.givenNames", "ANNA\u0085SECRETNEL"),
		app("right-to-left override in a surname", "applicant.latin.surname", "SECRETRLO", "applicant.latin.surname", "ERIK\u202eSECRETRLO"),
		app("right-to-left mark in a surname", "applicant.latin.surname", "SECRETRLM", "applicant.latin.surname", "ERIK\u200fSECRETRLM"),
		app("first-strong isolate in a Cyrillic surname", "applicant.cyrillic.surname", "СЕКРЕТ", "applicant.cyrillic", map[string]any{"surname": "ЭРИКССОН\u2068СЕКРЕТ", "givenNames": "АННА"}),
		app("line separator in given names", "applicant.latin.givenNames", "SECRETLS", "applicant.latin.givenNames", "ANNA\u2028SECRETLS"),
		app("paragraph separator in an offline number", "offline.number", "", "offline", map[string]any{"number": "K001\u2029", "source": "kiosk", "issuedAt": at.Format(time.RFC3339)}),
		escaped("lone high surrogate escape in a surname", `ERIK\ud800SECRETSUR`),
		escaped("lone high surrogate escape in upper case", `ERIK\uD800SECRETSUR`),
		escaped("lone low surrogate escape", `ERIK\udc00SECRETSUR`),
		escaped("high surrogate escape before a letter's", `ERIK\ud800\u0041SECRETSUR`),
		escaped("surrogate escapes in the wrong order", `ERIK\udc00\ud800SECRETSUR`),
		escaped("high surrogate escape at the end of a string", `SECRETSUR\ud800`),
		app("invalid UTF-8 in a surname", "UTF-8", "SECRETUTF", "applicant.latin.surname", "SECRETUTF"+notUTF8),
		app("lower-case document number", "applicant.documentNumber", "l898902c3", "applicant.documentNumber", "l898902c3"),
		app("country code too long", "applicant.nationality", "UTOPIA", "applicant.nationality", "UTOPIA"),
		app("unknown applicant field", "passport", "SECRETFIELD", "applicant.passport", "SECRETFIELD"),
		app("upper-case id", "id", "", "id", "5F0C6A8E-3B7D-4C1E-9A2F-6D8B1E4C7A90"),
		app("lane", "lane", "", "lane", "vip"),
		app("language with a bell", "language", "", "language", "ru\a"),
		app("phone too long", "phone", "+770112345678901234", "phone", "+770112345678901234"),
		app("created at yesterday", "createdAt", "yesterday", "createdAt", "yesterday"),
		app("a thousand checklist items", "precheck.checklist", "", "precheck.checklist", many(1000, "bring.passport")),
		app("control character in a checklist key", "precheck.checklist[0]", "", "precheck.checklist", []any{"bring\tpassport"}),
		app("offline time", "offline.issuedAt", "SECRETTIME", "offline", map[string]any{"number": "K001", "source": "kiosk", "issuedAt": "SECRETTIME"}),
		app("60 KB offline number", "offline.number", "SECRETLONG", "offline", map[string]any{"number": long, "source": "kiosk", "issuedAt": at.Format(time.RFC3339)}),
		app("kiosk id with a space", "kioskId", "", "kioskId", "K 01"),
		app("sex a number", "applicant.sex", "", "applicant.sex", 1),
		hb("60 KB version", "version", "SECRETLONG", "version", long),
		hb("NUL in a device reason", "devices[0].reason", "SECRETNUL", "devices", []any{map[string]any{"name": "printer", "state": "failed", "reason": "cover\x00SECRETNUL"}}),
		hb("C1 control in the version", "version", "SECRETC1", "version", "1.0\u0090SECRETC1"),
		hb("left-to-right override in a device reason", "devices[0].reason", "SECRETLRO", "devices", []any{map[string]any{"name": "printer", "state": "failed", "reason": "cover\u202dSECRETLRO"}}),
		hb("paper", "paper", "", "paper", "full"),
		hb("depth below -1 (unknown)", "outboxDepth", "", "outboxDepth", -2),
		hb("a hundred devices", "devices", "", "devices", many(100, map[string]any{"name": "printer", "state": "loaded"})),
		hb("time", "at", "", "at", "never"),
		ev("kind", "events[1].kind", "", "events[1]", map[string]any{"kind": "hacked", "at": at.Format(time.RFC3339), "session": "s1"}),
		ev("60 KB session", "events[0].session", "SECRETLONG", "events[0]", map[string]any{"kind": "printed", "at": at.Format(time.RFC3339), "session": long}),
		ev("NUL in a reason", "events[0].reason", "SECRETNUL", "events[0]", map[string]any{"kind": "print-failed", "at": at.Format(time.RFC3339), "session": "s1", "reason": "x\x00SECRETNUL"}),
		ev("invalid UTF-8 in a reason", "UTF-8", "SECRETUTF", "events[0]", map[string]any{"kind": "print-failed", "at": at.Format(time.RFC3339), "session": "s1", "reason": "SECRETUTF" + notUTF8}),
		ev("application id", "events[0].applicationId", "", "events[0]", map[string]any{"kind": "printed", "at": at.Format(time.RFC3339), "session": "s1", "applicationId": "A001"}),
		ev("too many", "events", "", "events", many(1001, event)),
		book("code with a NUL", "code", "SECRETNUL", "code", "B\x00SECRETNUL"),
		book("60 KB code", "code", "SECRETLONG", "code", long),
		book("slot", "slotAt", "tomorrow", "slotAt", "tomorrow"),
		book("document number with a space", "documentNumber", "L898 902C3", "documentNumber", "L898 902C3"),
		book("branch with a newline", "branchId", "", "branchId", "ALA-01\n"),
		checkIn("60 KB code", "bookingCode", "SECRETLONG", "bookingCode", long),
		checkIn("id", "id", "", "id", "not-an-id"),
		{Name: "lend size negative", Method: "POST", Path: "/v1/kiosks/K-01/number-blocks", Body: []byte(`{"branchId":"ALA-01","service":"iin","size":-1}`), Field: "size"},
		{Name: "lend size as text", Method: "POST", Path: "/v1/kiosks/K-01/number-blocks", Body: []byte(`{"branchId":"ALA-01","service":"iin","size":"5"}`), Field: "size"},
		{Name: "lend size past int32", Method: "POST", Path: "/v1/kiosks/K-01/number-blocks", Body: []byte(`{"branchId":"ALA-01","service":"iin","size":1e12}`), Field: "size"},
		{Name: "redirect to a 60 KB service", Method: "POST", Path: "/v1/applications/" + api.NewID() + "/redirect", Body: with(api.Redirect{}, "service", long), Field: "service", Secret: "SECRETLONG"},
		{Name: "call-next window too long", Method: "POST", Path: "/v1/branches/ALA-01/windows/" + strings.Repeat("7", 17) + "/call-next", Field: "window"},
		{Name: "call-next service with a NUL", Method: "POST", Path: "/v1/branches/ALA-01/windows/7/call-next", Body: []byte(`{"service":"iin\u0000"}`), Field: "service"},
		{Name: "status of an upper-case id", Method: "GET", Path: "/v1/applications/5F0C6A8E-3B7D-4C1E-9A2F-6D8B1E4C7A90", Field: "id"},
	}
}

// with returns v as JSON with the value at a dotted path ("applicant.sex",
// "events[1]") set to x; notUTF8 in the result becomes bytes that are not
// UTF-8.
func with(v any, path string, x any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	keys := strings.Split(path, ".")
	cur := m
	for i, k := range keys {
		name, idx := k, -1
		if j := strings.IndexByte(k, '['); j >= 0 {
			name = k[:j]
			idx = int(k[j+1] - '0') // one digit is enough here
		}
		last := i == len(keys)-1
		obj := cur.(map[string]any)
		if idx < 0 {
			if last {
				obj[name] = x
			} else {
				cur = obj[name]
			}
			continue
		}
		arr := obj[name].([]any)
		if last {
			arr[idx] = x
		} else {
			cur = arr[idx]
		}
	}
	b, err = json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return bytes.ReplaceAll(b, []byte(notUTF8), []byte{0xff, 0xfe, 'x', 0xc3})
}

// testBadInput: values the document does not allow are refused with 400
// and a message that names the field, never the value, and nothing of them
// is stored.
func testBadInput(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 1)
	c, base := ts.Client(), ts.URL
	for _, tc := range BadRequests(clock.Now()) {
		st, b := Do(t, ts.Caller(t, tc.Method, tc.Path), tc.Method, base+tc.Path, tc.Body)
		if st != http.StatusBadRequest {
			t.Errorf("%s: %s %s = %d %.200s, want 400", tc.Name, tc.Method, tc.Path, st, b)
			continue
		}
		e := Decode[api.Error](t, b)
		if e.Code != api.CodeMalformed || !strings.Contains(e.Message, tc.Field) {
			t.Errorf("%s: error %+v, want code %q and a message naming %s", tc.Name, e, api.CodeMalformed, tc.Field)
		}
		for _, secret := range []string{tc.Secret, "L898902C3", "ERIKSSON"} {
			if secret != "" && bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s: the answer echoes the value %q: %.300s", tc.Name, secret, b)
			}
		}
		if tc.App != "" {
			if st, _ := Do(t, c, "GET", base+"/v1/applications/"+tc.App, nil); st != http.StatusNotFound {
				t.Errorf("%s: the refused application was stored (GET = %d)", tc.Name, st)
			}
		}
	}
	// Nothing was stored: the next number is the first, no refused booking
	// can be checked in, and nobody waits but the one good application.
	if tk := mustSubmit(t, ts, Application("K-01", api.LaneOrdinary, clock.Now())); tk.Number != "A001" {
		t.Errorf("after the refusals = %s, want A001", tk.Number)
	}
	ci := api.CheckIn{ID: api.NewID(), KioskID: "K-01", BranchID: "ALA-01", BookingCode: BadCode}
	if st, b := Do(t, ts.Kiosk(t, "K-01"), "POST", base+"/v1/bookings/check-in", ci); st != http.StatusNotFound {
		t.Errorf("check-in of a refused booking = %d %s, want 404", st, b)
	}
	if st, _ := callNext(t, ts, "1"); st != http.StatusOK {
		t.Errorf("first call-next = %d, want the good application", st)
	}
	if st, _ := callNext(t, ts, "1"); st != http.StatusNoContent {
		t.Errorf("second call-next = %d, want 204: nobody else waits", st)
	}
}
