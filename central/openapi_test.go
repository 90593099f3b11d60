package central_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

type doc struct {
	Paths      map[string]map[string]operation `json:"paths"`
	Components map[string]map[string]any       `json:"components"`
}

type operation struct {
	OperationID string `json:"operationId"`
	// Security is nil when the operation does not say, and empty when it
	// says it is public.
	Security    []map[string][]string `json:"security"`
	Principals  []string              `json:"x-principals"`
	Parameters  []map[string]any      `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema  map[string]any  `json:"schema"`
			Example json.RawMessage `json:"example"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]map[string]any `json:"responses"`
}

func loadDoc(t *testing.T, b []byte) doc {
	t.Helper()
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
}

// resolve follows a local $ref.
func (d doc) resolve(t *testing.T, m map[string]any) map[string]any {
	for {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		next, ok := d.Components[parts[0]][parts[1]].(map[string]any)
		if !ok {
			t.Fatalf("unresolved $ref %s", ref)
		}
		m = next
	}
}

// validate checks a decoded JSON value against a schema: types, required
// and unknown properties, enums and date-time strings.
func (d doc) validate(t *testing.T, schema map[string]any, v any, at string) []string {
	schema = d.resolve(t, schema)
	var errs []string
	switch schema["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{at + ": not an object"}
		}
		props, _ := schema["properties"].(map[string]any)
		if req, ok := schema["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					errs = append(errs, fmt.Sprintf("%s: required %q missing", at, r))
				}
			}
		}
		for k, val := range obj {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					errs = append(errs, fmt.Sprintf("%s: property %q not in the document", at, k))
				}
				continue
			}
			errs = append(errs, d.validate(t, ps, val, at+"."+k)...)
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return []string{at + ": not an array"}
		}
		items, _ := schema["items"].(map[string]any)
		for i, it := range arr {
			errs = append(errs, d.validate(t, items, it, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			return []string{at + ": not a string"}
		}
		if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, any(s)) {
			errs = append(errs, fmt.Sprintf("%s: %q not in %v", at, s, enum))
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not a date-time", at, s))
			}
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			errs = append(errs, at+": not an integer")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			errs = append(errs, at+": not a boolean")
		}
	}
	return errs
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	d := loadDoc(t, api.OpenAPI())
	var inDoc, served []string
	for path, ops := range d.Paths {
		for method, op := range ops {
			inDoc = append(inDoc, strings.ToUpper(method)+" "+path+" "+op.OperationID)
		}
	}
	for _, r := range central.Routes() {
		served = append(served, r.Method+" "+r.Pattern+" "+r.Name)
	}
	slices.Sort(inDoc)
	slices.Sort(served)
	if !slices.Equal(inDoc, served) {
		t.Errorf("routes in openapi.json:\n%s\nroutes served:\n%s", strings.Join(inDoc, "\n"), strings.Join(served, "\n"))
	}
}

// TestOpenAPISecurity: every operation declares its security and its
// principals, and they are the ones the server enforces.
func TestOpenAPISecurity(t *testing.T) {
	d := loadDoc(t, api.OpenAPI())
	for _, name := range []string{"bearer", "mutualTLS"} {
		if d.Components["securitySchemes"][name] == nil {
			t.Errorf("security scheme %q is not declared", name)
		}
	}
	ops := map[string]operation{}
	for _, byMethod := range d.Paths {
		for _, op := range byMethod {
			ops[op.OperationID] = op
		}
	}
	for _, r := range central.Routes() {
		op := ops[r.Name]
		var allow []string
		for _, role := range r.Allow {
			allow = append(allow, string(role))
		}
		if !slices.Equal(op.Principals, allow) {
			t.Errorf("%s: x-principals %v, the server allows %v", r.Name, op.Principals, allow)
		}
		var schemes []string
		for _, req := range op.Security {
			for name := range req {
				schemes = append(schemes, name)
			}
		}
		slices.Sort(schemes)
		var want []string
		switch {
		case slices.Contains(r.Allow, central.RolePublic):
			want = []string{}
		case slices.Contains(r.Allow, central.RoleKiosk):
			want = []string{"bearer", "mutualTLS"}
		default:
			want = []string{"bearer"}
		}
		if op.Security == nil || !slices.Equal(schemes, want) && !(len(schemes) == 0 && len(want) == 0) {
			t.Errorf("%s: security %v, want the schemes %v", r.Name, op.Security, want)
		}
		if len(want) > 0 && (op.Responses["401"] == nil || op.Responses["403"] == nil) {
			t.Errorf("%s: answers 401 and 403 are not in the document", r.Name)
		}
		if len(r.Allow) == 0 || (len(want) > 0 && r.Own == central.OwnNothing) {
			t.Errorf("%s: the route does not say who may call it, or what of the request must be the caller's", r.Name)
		}
	}
}

// asFor is a client for an operation: the first principal the document
// allows, of kiosk K-01 or of branch ALA-01.
func asFor(t *testing.T, ts *storetest.Server, op operation) *http.Client {
	t.Helper()
	if len(op.Principals) == 0 {
		t.Fatalf("%s: no x-principals", op.OperationID)
	}
	switch role := central.Role(op.Principals[0]); role {
	case central.RolePublic:
		return ts.Client()
	case central.RoleKiosk:
		return ts.Kiosk(t, "K-01")
	case central.RoleAdmin:
		return ts.As(t, role, "", "")
	default:
		return ts.As(t, role, "ALA-01", "")
	}
}

// requestTypes maps each operation with a body to the Go type the server
// decodes it into.
func requestTypes() map[string]func() any {
	return map[string]func() any{
		"submitApplication": func() any { return new(api.Application) },
		"redirect":          func() any { return new(api.Redirect) },
		"addBooking":        func() any { return new(api.Booking) },
		"checkIn":           func() any { return new(api.CheckIn) },
		"heartbeat":         func() any { return new(api.Heartbeat) },
		"events":            func() any { return new(api.Events) },
		"lendNumbers":       func() any { return new(api.BlockRequest) },
		"callNext":          func() any { return new(api.CallNext) },
		"enrol":             func() any { return new(api.EnrolRequest) },
	}
}

// TestOpenAPIServed runs every operation with the document's own example
// against the real server, in an order that makes each succeed, and checks
// every answer against the document.
func TestOpenAPIServed(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(time.Date(2025, 9, 24, 4, 0, 0, 0, time.UTC)) // 09:00 in Almaty
	ts := storetest.Start(t, store, clock, 2)

	st, served := storetest.Do(t, ts.Client(), "GET", ts.URL+"/openapi.json", nil)
	if st != http.StatusOK || !bytes.Equal(served, api.OpenAPI()) {
		t.Fatalf("GET /openapi.json = %d, %d bytes; want 200 and the embedded document", st, len(served))
	}
	d := loadDoc(t, served)
	ops := map[string]struct {
		method, path string
		op           operation
	}{}
	for path, byMethod := range d.Paths {
		for method, op := range byMethod {
			ops[op.OperationID] = struct {
				method, path string
				op           operation
			}{strings.ToUpper(method), path, op}
		}
	}

	types := requestTypes()
	for name, o := range ops {
		if o.op.RequestBody == nil {
			if types[name] != nil {
				t.Errorf("%s: the server reads a body the document does not describe", name)
			}
			continue
		}
		body := o.op.RequestBody.Content["application/json"]
		if len(body.Example) == 0 {
			t.Errorf("%s: no example request body", name)
			continue
		}
		var generic any
		json.Unmarshal(body.Example, &generic)
		if errs := d.validate(t, body.Schema, generic, name+" example"); len(errs) > 0 {
			t.Errorf("%s: example does not fit its schema: %v", name, errs)
		}
		mk := types[name]
		if mk == nil {
			t.Errorf("%s: no Go type for the request body", name)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(body.Example))
		dec.DisallowUnknownFields()
		if err := dec.Decode(mk()); err != nil {
			t.Errorf("%s: example does not decode into the Go type: %v", name, err)
		}
	}

	booked := bookedExample(t, d, ops["submitApplication"].op)
	// The order makes every operation succeed with its example.
	steps := []struct {
		op     string
		status int
		body   []byte // instead of the example
	}{
		{"addBooking", 204, nil},
		{"submitApplication", 201, nil},
		{"submitApplication", 200, nil},
		{"getApplication", 200, nil},
		{"heartbeat", 204, nil},
		{"events", 204, nil},
		{"lendNumbers", 201, nil},
		{"checkIn", 201, nil},
		{"submitApplication", 201, booked}, // attached to the check-in
		{"submitApplication", 200, booked},
		{"callNext", 200, nil},
		{"recall", 200, nil},
		{"redirect", 200, nil},
		{"callNext", 200, nil},
		{"complete", 200, nil},
		{"callNext", 200, nil}, // the booking, taken early by an idle window, with the application
		{"noShow", 409, nil},   // the example id was completed already
		{"callNext", 204, nil},
		{"display", 200, nil},
		{"listHeld", 200, nil},
		{"openapi", 200, nil},
		{"enrol", 503, nil}, // this server has no kiosk CA (enrol_test.go enrols)
	}
	covered := map[string]bool{}
	for _, s := range steps {
		o, ok := ops[s.op]
		if !ok {
			t.Fatalf("operation %s is not in the document", s.op)
		}
		covered[s.op] = true
		path, query := o.path, ""
		for _, p := range o.op.Parameters {
			p = d.resolve(t, p)
			switch p["in"] {
			case "path":
				path = strings.ReplaceAll(path, "{"+p["name"].(string)+"}", fmt.Sprint(p["example"]))
			case "query":
				query = "?" + p["name"].(string) + "=" + fmt.Sprint(p["example"])
			}
		}
		var body any
		if o.op.RequestBody != nil {
			body = []byte(o.op.RequestBody.Content["application/json"].Example)
		}
		if s.body != nil {
			body = s.body
		}
		c := asFor(t, ts, o.op)
		if s.op == "display" {
			checkStream(t, c, ts.URL+path+query)
			continue
		}
		st, b := storetest.Do(t, c, o.method, ts.URL+path+query, body)
		if st != s.status {
			t.Errorf("%s %s = %d %s, want %d", o.method, path, st, b, s.status)
			continue
		}
		resp, ok := o.op.Responses[fmt.Sprint(st)]
		if !ok {
			t.Errorf("%s: status %d not in the document", s.op, st)
			continue
		}
		resp = d.resolve(t, resp)
		content, _ := resp["content"].(map[string]any)
		if content == nil {
			if len(b) != 0 {
				t.Errorf("%s: %d has a body the document does not describe: %s", s.op, st, b)
			}
			continue
		}
		schema := content["application/json"].(map[string]any)["schema"].(map[string]any)
		var got any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("%s: answer is not JSON: %v", s.op, err)
			continue
		}
		if errs := d.validate(t, schema, got, s.op); len(errs) > 0 {
			t.Errorf("%s: answer does not fit the document: %v\n%s", s.op, errs, b)
		}
	}
	for name := range ops {
		if !covered[name] {
			t.Errorf("operation %s is not exercised", name)
		}
	}
}

// bookedExample is the example application as a booked visitor's: a new
// id, lane booked, and the checkInId the document gives as its example,
// which must be the check-in example's id for the attach to find it.
func bookedExample(t *testing.T, d doc, submit operation) []byte {
	t.Helper()
	var a map[string]any
	if err := json.Unmarshal(submit.RequestBody.Content["application/json"].Example, &a); err != nil {
		t.Fatalf("submitApplication example: %v", err)
	}
	props, _ := d.Components["schemas"]["Application"].(map[string]any)["properties"].(map[string]any)
	prop, _ := props["checkInId"].(map[string]any)
	id, _ := prop["example"].(string)
	if !api.ValidID(id) || prop["description"] == nil {
		t.Fatalf("Application.checkInId: example %q and a description wanted", id)
	}
	a["id"], a["lane"], a["checkInId"] = "7d3e9b1c-2a4f-4c8e-b6d0-9e1f3a5c7b20", "booked", id
	b, _ := json.Marshal(a)
	return b
}

func checkStream(t *testing.T, c *http.Client, url string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("display: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("display = %d %q, want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
