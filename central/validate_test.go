package central

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// BenchmarkValidate measures what the OpenAPI validation adds to a request:
// a typical application checked against the document, beside the decoding
// into the Go type that every request pays anyway.
func BenchmarkValidate(b *testing.B) {
	v, err := newValidator(context.Background())
	if err != nil {
		b.Fatal(err)
	}
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
