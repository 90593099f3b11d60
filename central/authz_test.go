package central_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// caller is one principal of the matrix: how its requests authenticate,
// and which role, branch and kiosk it is (none for the unauthenticated).
type caller struct {
	name   string
	client *http.Client
	role   central.Role // "" when it has no valid credential
	branch string       // its branch ("" for an admin)
	kiosk  string
}

// TestAuthorizationMatrix runs every operation of the OpenAPI document as
// every kind of caller against a real server behind mutual TLS, and checks
// the answer against the operation's x-principals and Routes(): 401 without
// a valid credential, 403 for a role not listed or for another kiosk or
// branch, and otherwise the operation's own answer. The examples name kiosk
// K-01 and branch ALA-01. Personal data reach only the clerks, supervisors
// and admins of ALA-01.
func TestAuthorizationMatrix(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	ca := storetest.NewCA(t)
	ts := startTLS(t, store, clock, ca)
	plain := ca.Client(t, "") // TLS without a client certificate
	mint := func(role central.Role, branch, kiosk string) *http.Client {
		return storetest.Bearer(plain, storetest.Mint(t, store, role, branch, kiosk))
	}
	revoked, rec, err := central.MintToken(context.Background(), store, central.RoleAdmin, "", "", "revoked", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := store.RevokeToken(context.Background(), rec.ID, clock.Now()); err != nil {
		t.Fatal(err)
	}
	callers := []caller{
		{name: "none", client: plain},
		{name: "bad token", client: storetest.Bearer(plain, central.TokenPrefix+strings.Repeat("x", 43))},
		{name: "revoked token", client: storetest.Bearer(plain, revoked)},
		{"kiosk own", mint(central.RoleKiosk, "ALA-01", "K-01"), central.RoleKiosk, "ALA-01", "K-01"},
		{"kiosk other", mint(central.RoleKiosk, "ALA-01", "K-02"), central.RoleKiosk, "ALA-01", "K-02"},
		{"clerk own branch", mint(central.RoleClerk, "ALA-01", ""), central.RoleClerk, "ALA-01", ""},
		{"clerk other branch", mint(central.RoleClerk, "AST-01", ""), central.RoleClerk, "AST-01", ""},
		{"supervisor", mint(central.RoleSupervisor, "ALA-01", ""), central.RoleSupervisor, "ALA-01", ""},
		{"admin", mint(central.RoleAdmin, "", ""), central.RoleAdmin, "", ""},
		{"display", mint(central.RoleDisplay, "ALA-01", ""), central.RoleDisplay, "ALA-01", ""},
		{"booking", mint(central.RoleBooking, "ALA-01", ""), central.RoleBooking, "ALA-01", ""},
		{"mTLS kiosk certificate", ca.Client(t, "K-01"), central.RoleKiosk, "ALA-01", "K-01"},
	}
	d := loadDoc(t, api.OpenAPI())
	routes := map[string]central.Route{}
	for _, r := range central.Routes() {
		routes[r.Name] = r
	}
	// The example ticket exists and waits, and a second one is called, so
	// that the clerks' actions reach the ticket's branch check and one
	// call-next hands out an application.
	ex := d.Paths["/v1/applications"]["post"].RequestBody.Content["application/json"].Example
	if st, b := storetest.Do(t, callers[3].client, "POST", ts.URL+"/v1/applications", []byte(ex)); st != http.StatusCreated {
		t.Fatalf("example submission = %d %s", st, b)
	}

	var names []string
	for _, byMethod := range d.Paths {
		for _, op := range byMethod {
			names = append(names, op.OperationID)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		rt, ok := routes[name]
		if !ok {
			t.Fatalf("%s is in the document but not in Routes()", name)
		}
		method, path, op := findOp(d, name)
		url, body := exampleRequest(t, d, path, op)
		public := slices.Contains(rt.Allow, central.RolePublic)
		var unknownAnswer, revokedAnswer string
		for _, c := range callers {
			st, hdr, b := send(t, c.client, method, ts.URL+url, body)
			want := "allowed"
			switch {
			case public:
			case c.role == "":
				want = "401"
			case !slices.Contains(rt.Allow, c.role):
				want = "403"
			case c.role == central.RoleKiosk && c.kiosk != "K-01":
				want = "403"
			case c.role != central.RoleKiosk && c.role != central.RoleAdmin && c.branch != "ALA-01":
				want = "403"
			}
			got := "allowed"
			switch st {
			case http.StatusUnauthorized:
				got = "401"
				if e := decodeError(b); e.Code != api.CodeUnauthorized || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer ") {
					t.Errorf("%s as %s: 401 with code %q and WWW-Authenticate %q, want unauthorized and a Bearer challenge",
						name, c.name, e.Code, hdr.Get("WWW-Authenticate"))
				}
			case http.StatusForbidden:
				got = "403"
			}
			if got != want {
				t.Errorf("%s as %s = %d %s, want %s", name, c.name, st, b, want)
			}
			if _, declared := op.Responses[fmt.Sprint(st)]; !declared {
				t.Errorf("%s as %s = %d, an answer the document does not declare", name, c.name, st)
			}
			clerkOfBranch := slices.Contains([]central.Role{central.RoleClerk, central.RoleSupervisor, central.RoleAdmin}, c.role) &&
				(c.role == central.RoleAdmin || c.branch == "ALA-01")
			// The document's own examples are the ICAO specimen, made up.
			if name != "openapi" && !clerkOfBranch && (bytes.Contains(b, []byte("L898902C3")) || bytes.Contains(b, []byte("ERIKSSON"))) {
				t.Errorf("%s as %s: the answer carries personal data: %s", name, c.name, b)
			}
			switch c.name {
			case "bad token":
				unknownAnswer = fmt.Sprint(st, hdr.Get("WWW-Authenticate"), string(b))
			case "revoked token":
				revokedAnswer = fmt.Sprint(st, hdr.Get("WWW-Authenticate"), string(b))
			}
		}
		if unknownAnswer != revokedAnswer {
			t.Errorf("%s: an unknown token gets %q, a revoked one %q; want the same answer", name, unknownAnswer, revokedAnswer)
		}
	}
}

func findOp(d doc, name string) (method, path string, op operation) {
	for p, byMethod := range d.Paths {
		for m, o := range byMethod {
			if o.OperationID == name {
				return strings.ToUpper(m), p, o
			}
		}
	}
	return "", "", operation{}
}

// exampleRequest fills the path and query from the parameters' examples and
// takes the body's example.
func exampleRequest(t *testing.T, d doc, path string, op operation) (string, []byte) {
	query := ""
	for _, p := range op.Parameters {
		p = d.resolve(t, p)
		switch p["in"] {
		case "path":
			path = strings.ReplaceAll(path, "{"+p["name"].(string)+"}", fmt.Sprint(p["example"]))
		case "query":
			query = "?" + p["name"].(string) + "=" + fmt.Sprint(p["example"])
		}
	}
	var body []byte
	if op.RequestBody != nil {
		body = op.RequestBody.Content["application/json"].Example
	}
	return path + query, body
}

// send makes one request and reads the answer, except a stream's, which it
// leaves after the headers.
func send(t *testing.T, c *http.Client, method, url string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		return resp.StatusCode, resp.Header, nil
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp.StatusCode, resp.Header, b
}

func decodeError(b []byte) api.Error {
	var e api.Error
	json.Unmarshal(b, &e)
	return e
}

// TestRevocationWithinCache: a verified token is trusted for the cache's
// time, so revocation takes effect within central.DefaultTokenCache, never
// later, by the server's clock.
func TestRevocationWithinCache(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	ts := storetest.Start(t, store, clock, 1)
	tok, rec, err := central.MintToken(context.Background(), store, central.RoleClerk, "ALA-01", "", "window 1", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	clerk := storetest.Bearer(ts.Client(), tok)
	call := func() int {
		st, _ := storetest.Do(t, clerk, "POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil)
		return st
	}
	if st := call(); st != http.StatusNoContent {
		t.Fatalf("call-next with a fresh token = %d, want 204", st)
	}
	if err := store.RevokeToken(context.Background(), rec.ID, clock.Now()); err != nil {
		t.Fatal(err)
	}
	start := clock.Now()
	clock.Set(start.Add(central.DefaultTokenCache - time.Millisecond))
	if st := call(); st != http.StatusNoContent {
		t.Errorf("within the cache time after revocation = %d, want 204 (still trusted)", st)
	}
	clock.Set(start.Add(central.DefaultTokenCache))
	if st := call(); st != http.StatusUnauthorized {
		t.Errorf("at the end of the cache time = %d, want 401", st)
	}
	// A new token for the same clerk works at once.
	fresh := storetest.Bearer(ts.Client(), storetest.Mint(t, store, central.RoleClerk, "ALA-01", ""))
	if st, _ := storetest.Do(t, fresh, "POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil); st != http.StatusNoContent {
		t.Errorf("a new token = %d, want 204", st)
	}
}

// TestBadCredentials: every malformed or unknown credential gets the same
// 401, and the store is not asked about garbage.
func TestBadCredentials(t *testing.T) {
	store := newStore(t)
	clock := storetest.NewClock(storetest.Morning())
	ts := storetest.Start(t, store, clock, 1)
	good := storetest.Mint(t, store, central.RoleClerk, "ALA-01", "")
	cases := map[string][]string{
		"basic":          {"Basic Y2xlcms6cGFzcw=="},
		"bare token":     {good},
		"two headers":    {"Bearer " + good, "Bearer " + good},
		"short":          {"Bearer " + good[:20]},
		"long":           {"Bearer " + good + "x"},
		"no prefix":      {"Bearer " + strings.Repeat("a", len(good))},
		"bad characters": {"Bearer " + good[:len(good)-1] + "!"},
		"empty":          {"Bearer "},
	}
	for name, hdrs := range cases {
		req, _ := http.NewRequest("POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil)
		for _, h := range hdrs {
			req.Header.Add("Authorization", h)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || decodeError(b).Code != api.CodeUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d %s %q, want 401 unauthorized with a challenge", name, resp.StatusCode, b, resp.Header.Get("WWW-Authenticate"))
		}
	}
	req, _ := http.NewRequest("POST", ts.URL+"/v1/branches/ALA-01/windows/1/call-next", nil)
	req.Header.Set("Authorization", "bearer "+good) // the scheme is case-insensitive
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("lower-case bearer = %d, want 204", resp.StatusCode)
	}
}
