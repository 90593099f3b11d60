package console_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

var shownCode = regexp.MustCompile(`<p class="enrol-code"[^>]*>([0-9]{4}-[0-9]{4}-[0-9]{4})</p>`)

// TestSupervisorEnrolCode: the supervisor of a branch gets a one-time code
// for one of its kiosks from a form (CSRF as every form), shown once in
// large digits with its expiry in the branch's time, in the page's
// language; a second code replaces the first, and the code enrols the
// kiosk at a server with a kiosk CA on the same database. Others are
// refused, and each code made is in the audit log under its supervisor.
func TestSupervisorEnrolCode(t *testing.T) {
	h := startRegistry(t, central.Demo(2))
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	h.addRole(t, "sup2", central.RoleSupervisor, "ALA-02")
	sup := h.signedIn(t, "sup1")
	if a := sup.get("/console/supervisor?lang=en"); a.status != http.StatusOK {
		t.Fatalf("supervisor page = %d", a.status)
	}
	wantAll(t, sup.page, `action="/console/supervisor/enrol?branch=ALA-01&amp;lang=en"`, "<option>K-01</option>", "<option>K-02</option>",
		"Get a one-time code")
	csrf := sup.csrf()

	other := h.signedIn(t, "sup2")
	clerk := h.signedIn(t, "clerk1")
	for _, tc := range []struct {
		name string
		b    *browser
		csrf string
		path string
		want int
	}{
		{"no CSRF token", sup, "", "/console/supervisor/enrol", http.StatusForbidden},
		{"a clerk", clerk, clerk.csrf(), "/console/supervisor/enrol?branch=ALA-01", http.StatusForbidden},
		{"another branch's supervisor", other, other.csrf(), "/console/supervisor/enrol?branch=ALA-01", http.StatusForbidden},
		{"no such kiosk", sup, csrf, "/console/supervisor/enrol", http.StatusBadRequest},
		{"signed out", h.browser(t), csrf, "/console/supervisor/enrol", http.StatusUnauthorized},
	} {
		kiosk := "K-01"
		if tc.name == "no such kiosk" {
			kiosk = "K-99"
		}
		if a := tc.b.post(tc.path, url.Values{"csrf": {tc.csrf}, "kiosk": {kiosk}}); a.status != tc.want {
			t.Errorf("%s: POST %s = %d, want %d", tc.name, tc.path, a.status, tc.want)
		}
		if shownCode.MatchString(tc.b.page) {
			t.Errorf("%s: the answer shows a code", tc.name)
		}
	}

	newCode := func(lang string) string {
		t.Helper()
		a := sup.post("/console/supervisor/enrol?lang="+lang, url.Values{"csrf": {csrf}, "kiosk": {"K-01"}})
		m := shownCode.FindStringSubmatch(a.body)
		if a.status != http.StatusOK || m == nil {
			t.Fatalf("POST enrol (%s) = %d, no code shown:\n%s", lang, a.status, a.body)
		}
		if cc := a.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the code's page has Cache-Control %q, want no-store", cc)
		}
		return m[1]
	}
	first := newCode("en")
	wantAll(t, sup.page, "Enrolment code: Kiosk K-01", "Valid until 2025-09-25 09:00, once.", "shown only now")
	second := newCode("ru")
	wantAll(t, sup.page, "Код регистрации", "Действует до 2025-09-25 09:00")
	newCode("kk")
	wantAll(t, sup.page, "Тіркеу коды")
	if first == second {
		t.Fatalf("two codes alike: %s", first)
	}
	third := h.codeFromPage(t, sup.page)

	// A server with a kiosk CA on the same database and key takes the
	// last code only.
	kca, err := central.InitKioskCA(t.TempDir(), h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv2, err := central.NewServer(central.Options{Store: h.st, Registry: h.reg, Key: storetest.Key(), Now: h.clock.Now, KioskCA: kca})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(srv2)
	t.Cleanup(func() { srv2.Close(); ts2.Close() })
	for _, tc := range []struct {
		code string
		want int
	}{{first, http.StatusForbidden}, {second, http.StatusForbidden}, {third, http.StatusCreated}} {
		if st, b := storetest.Do(t, ts2.Client(), "POST", ts2.URL+"/v1/enrol", api.EnrolRequest{Code: tc.code, CSR: testCSR(t)}); st != tc.want {
			t.Errorf("enrol with %s = %d %s, want %d", tc.code, st, b, tc.want)
		}
	}

	es, err := h.srv.AuditLog(context.Background(), central.AuditQuery{Branch: "ALA-01"})
	if err != nil {
		t.Fatal(err)
	}
	made := 0
	for _, e := range es {
		if e.Action == central.AuditEnrolCode && e.Number == "K-01" && e.Login == "sup1" {
			made++
		}
	}
	if made != 3 {
		t.Errorf("audit log has %d codes made by sup1, want 3: %+v", made, es)
	}
	sup.get("/console/supervisor?lang=en")
	wantAll(t, sup.page, "made a kiosk&#39;s enrolment code")
}

func (h *hall) codeFromPage(t *testing.T, page string) string {
	t.Helper()
	m := shownCode.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no code on the page:\n%s", page)
	}
	return m[1]
}

func testCSR(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}
